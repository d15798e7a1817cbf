package dev.ferry.engine;

import dev.ferry.api.task.TaskStatus;
import java.util.concurrent.CompletableFuture;

/**
 * A sync task run by this process: started by {@link Tasks#start}, it holds the task's lease until
 * it ends.
 *
 * <p>Threading: safe to use from any thread.
 */
public interface TaskHandle {

    String name();

    /** Where every stage and table stands now. */
    TaskStatus status();

    /**
     * Ends the task gracefully: the current stage checkpoints (a copy in progress is resumed by the
     * next start without copying finished tables again), the lease is released and the task ends
     * STOPPED. Idempotent.
     */
    void stop();

    /** Completes with the final status when the runner has ended and released the lease; never exceptionally. */
    CompletableFuture<TaskStatus> completion();

    /** Waits for the final status. */
    default TaskStatus await() {
        try {
            return completion().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.ferry.api.error.CancelledException("interrupted while waiting for task '" + name() + "'");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("task '" + name() + "' completed exceptionally", e.getCause());
        }
    }
}
