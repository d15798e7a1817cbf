package dev.ferry.api.task;

/** Where a sync task stands as a whole (the status JSON's {@code status}). */
public enum TaskState {
    /** A runner holds the task and works on one of its stages. */
    RUNNING,
    /** No runner holds it; a start resumes from its checkpoint. */
    STOPPED,
    /** A stage failed; the error says what happened and what to do. */
    FAILED,
    /** A full-only task ({@code realtime: false}) copied every table. */
    SUCCESS
}
