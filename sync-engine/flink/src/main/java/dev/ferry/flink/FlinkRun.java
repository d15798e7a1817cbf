package dev.ferry.flink;

import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.Stage;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.client.JobCancellationException;
import org.apache.flink.util.ExceptionUtils;

/**
 * A Ferry job submitted to Flink: its Flink job id, a way to cancel it, and its report once it
 * ended.
 *
 * <p>Threading: safe for use from any thread.
 */
public final class FlinkRun {

    private final JobSpec spec;
    private final int parallelism;
    private final JobClient client;
    private final Instant startedAt;

    FlinkRun(JobSpec spec, int parallelism, JobClient client, Instant startedAt) {
        this.spec = spec;
        this.parallelism = parallelism;
        this.client = client;
        this.startedAt = startedAt;
    }

    /** The job's id in Flink (its web UI, its REST API, {@code flink cancel}). */
    public JobID jobId() {
        return client.getJobID();
    }

    /** Asks Flink to cancel the job; {@link #await} then reports it CANCELLED. */
    public void cancel() {
        client.cancel().join();
    }

    /** Waits for the job to end and returns its report. */
    public JobReport await() {
        try {
            JobExecutionResult result = client.getJobExecutionResult().get();
            return report(spec, parallelism, result, startedAt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(JobStatus.CANCELLED, "interrupted while waiting for the Flink job " + jobId());
        } catch (ExecutionException e) {
            if (ExceptionUtils.findThrowable(e, JobCancellationException.class).isPresent()) {
                return failed(JobStatus.CANCELLED, "the Flink job " + jobId() + " was cancelled");
            }
            return failed(JobStatus.FAILED, CopyJob.describe(e));
        }
    }

    private JobReport failed(JobStatus status, String error) {
        Instant ended = Instant.now();
        return new JobReport(spec.name(), status, status == JobStatus.FAILED ? Stage.SYNC : null, error, 0, 0, 0, 0,
                List.of(), new JobReport.Concurrency(spec.settings().concurrency(), parallelism), "flink", startedAt,
                ended, Math.max(0, ended.toEpochMilli() - startedAt.toEpochMilli()), 0, 0, 0, List.of(), List.of(),
                List.of());
    }

    /**
     * The report of a copy that {@link FlinkRunner#addCopy} added to a job which has ended with
     * {@code result}.
     *
     * @param startedAt when the job was submitted
     */
    public static JobReport report(JobSpec spec, int parallelism, JobExecutionResult result, Instant startedAt) {
        CopyTotals totals = result.getAccumulatorResult(TotalsTap.ACCUMULATOR);
        Instant ended = Instant.now();
        long duration = Math.max(0, ended.toEpochMilli() - startedAt.toEpochMilli());
        if (totals == null) {
            return new JobReport(spec.name(), JobStatus.FAILED, Stage.SYNC, "the Flink job ended without the copy's "
                    + "totals", 0, 0, 0, 0, List.of(), new JobReport.Concurrency(spec.settings().concurrency(),
                    parallelism), "flink", startedAt, ended, duration, 0, 0, 0, List.of(), List.of(), List.of());
        }
        double seconds = totals.syncMillis() / 1000.0;
        return new JobReport(spec.name(), JobStatus.SUCCESS, null, null, totals.recordsRead(), totals.recordsWritten(),
                totals.dirty(), totals.bytes(), totals.splits(), new JobReport.Concurrency(spec.settings().concurrency(),
                totals.parallelism()), "flink", startedAt, ended, duration, 0,
                seconds > 0 ? totals.recordsRead() / seconds : 0, seconds > 0 ? totals.bytes() / seconds : 0,
                totals.stages(), totals.warnings(), totals.dirtySamples());
    }
}
