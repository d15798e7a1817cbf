package dev.ferry.api.job;

/**
 * The states of a job. Legal moves: SUBMITTED → RUNNING when its resource group has a free slot,
 * otherwise SUBMITTED → WAITING → RUNNING; RUNNING → SUCCESS | FAILED | CANCELLED | STOPPED; and
 * SUBMITTED/WAITING → FAILED | CANCELLED | STOPPED.
 */
public enum JobStatus {
    SUBMITTED,
    /** Waiting for a free slot in its resource group. */
    WAITING,
    RUNNING,
    SUCCESS,
    FAILED,
    CANCELLED,
    /**
     * A streaming job that was stopped on request after its last checkpoint: nothing was aborted,
     * and running the job again resumes from that checkpoint.
     */
    STOPPED;

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILED || this == CANCELLED || this == STOPPED;
    }

    /** Whether a job in this state may move to {@code next}. */
    public boolean canMoveTo(JobStatus next) {
        return switch (this) {
            case SUBMITTED -> next == WAITING || next == RUNNING || next == FAILED || next == CANCELLED || next == STOPPED;
            case WAITING -> next == RUNNING || next == FAILED || next == CANCELLED || next == STOPPED;
            case RUNNING -> next.isTerminal();
            case SUCCESS, FAILED, CANCELLED, STOPPED -> false;
        };
    }
}
