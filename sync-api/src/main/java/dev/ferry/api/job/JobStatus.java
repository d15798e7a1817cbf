package dev.ferry.api.job;

/**
 * The states of a job. Legal moves: SUBMITTED → RUNNING when its resource group has a free slot,
 * otherwise SUBMITTED → WAITING → RUNNING; RUNNING → SUCCESS | FAILED | CANCELLED; and
 * SUBMITTED/WAITING → FAILED | CANCELLED.
 */
public enum JobStatus {
    SUBMITTED,
    /** Waiting for a free slot in its resource group. */
    WAITING,
    RUNNING,
    SUCCESS,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILED || this == CANCELLED;
    }

    /** Whether a job in this state may move to {@code next}. */
    public boolean canMoveTo(JobStatus next) {
        return switch (this) {
            case SUBMITTED -> next == WAITING || next == RUNNING || next == FAILED || next == CANCELLED;
            case WAITING -> next == RUNNING || next == FAILED || next == CANCELLED;
            case RUNNING -> next.isTerminal();
            case SUCCESS, FAILED, CANCELLED -> false;
        };
    }
}
