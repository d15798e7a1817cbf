package dev.ferry.api.job;

/** The stages of a RUNNING job, in order: PRE, SPLIT, SYNC, POST (and VERIFY) for a batch job; PRE, SNAPSHOT, STREAM for a stream. */
public enum Stage {
    /** Pre-preparation: target pre-SQL and delete-before-write, source query checks. */
    PRE,
    /** Splitting the source into independently readable pieces. */
    SPLIT,
    /** Moving records through the channels. */
    SYNC,
    /** Post-preparation: making output visible, post-SQL. */
    POST,
    /** A batch job with {@code settings.verify}: comparing the target with the source, split by split. */
    VERIFY,
    /** A stream's initial copy of its tables, consistent with where streaming starts. */
    SNAPSHOT,
    /** A stream applying changes until stopped. */
    STREAM
}
