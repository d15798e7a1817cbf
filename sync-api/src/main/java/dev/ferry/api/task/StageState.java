package dev.ferry.api.task;

/** Where a stage, or one table within a stage, stands. */
public enum StageState {
    PENDING,
    RUNNING,
    DONE,
    FAILED,
    /** The stage does not apply to this task (the merge of an {@code upsert} target). */
    SKIPPED
}
