package dev.ferry.api.error;

/** What kind of failure a {@link SyncException} reports, which decides how the engine reacts. */
public enum ErrorKind {
    /** The job description is wrong: fix the job file. Never retried. */
    CONFIGURATION,
    /** A record's content is unusable. Counted as dirty data where possible. */
    DATA,
    /** A system outside Ferry failed (database, file system, network). Retried when retriable. */
    EXTERNAL,
    /** The job or split was cancelled. */
    CANCELLED,
    /** A bug in Ferry or a connector. */
    INTERNAL
}
