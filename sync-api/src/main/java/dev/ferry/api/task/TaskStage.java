package dev.ferry.api.task;

/** The stages of a sync task, in the order they run. */
public enum TaskStage {
    /** Creates missing target tables and adds the columns they lack; never drops anything. */
    SCHEMA_MIGRATION,
    /** Copies every table from a snapshot the real-time stage continues from. */
    FULL_INITIALIZATION,
    /** Applies the source's changes until the task is stopped. */
    REALTIME,
    /** Merges each Business Date's changes into its partition ({@code partitioned} targets only). */
    INCREMENTAL_MERGE
}
