package dev.ferry.engine;

import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.Progress;
import java.util.concurrent.CompletableFuture;

/**
 * A submitted job.
 *
 * <p>Threading: safe to use from any thread.
 */
public interface JobHandle {

    String name();

    JobStatus status();

    /** The counters right now. */
    Progress progress();

    /**
     * Stops the job promptly: a waiting job leaves its queue; a running one stops its readers and
     * writers, discards partial output and releases connections and slots. The job ends CANCELLED
     * (or in the state it had already reached). Idempotent.
     */
    void cancel();

    /**
     * Ends a stream gracefully: readers stop, every change read so far is applied and committed,
     * the last checkpoint is saved, and the job ends STOPPED; nothing is aborted or truncated, and
     * running the job again resumes from that checkpoint. On a batch job it is {@link #cancel()}.
     * Idempotent.
     */
    void stop();

    /** Completes with the final report; never completes exceptionally. */
    CompletableFuture<JobReport> completion();

    /** Waits for the final report. */
    default JobReport await() {
        try {
            return completion().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.ferry.api.error.CancelledException("interrupted while waiting for job '" + name() + "'");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("job '" + name() + "' completed exceptionally", e.getCause());
        }
    }
}
