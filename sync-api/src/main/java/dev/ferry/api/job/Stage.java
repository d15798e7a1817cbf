package dev.ferry.api.job;

/** The stages of a RUNNING batch job, in order. */
public enum Stage {
    /** Pre-preparation: target pre-SQL and delete-before-write, source query checks. */
    PRE,
    /** Splitting the source into independently readable pieces. */
    SPLIT,
    /** Moving records through the channels. */
    SYNC,
    /** Post-preparation: making output visible, post-SQL. */
    POST
}
