package dev.ferry.flink;

import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.Progress;
import dev.ferry.api.job.Stage;
import dev.ferry.engine.JobHandle;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.client.JobCancellationException;
import org.apache.flink.util.ExceptionUtils;

/**
 * A Ferry job submitted to Flink, as a {@link JobHandle}: its report once it ended (a failed or
 * cancelled job's report says so and why), cancellation through Flink, and its Flink job id.
 *
 * <p>Threading: safe for use from any thread.
 */
public final class FlinkRun implements JobHandle {

    private final JobSpec spec;
    private final int parallelism;
    private final JobClient client;
    private final Instant startedAt;
    private final CompletableFuture<JobExecutionResult> result;
    private final CompletableFuture<JobReport> completion;

    FlinkRun(JobSpec spec, int parallelism, JobClient client, Instant startedAt) {
        this.spec = spec;
        this.parallelism = parallelism;
        this.client = client;
        this.startedAt = startedAt;
        this.result = client.getJobExecutionResult();
        this.completion = result.handle((done, error) -> error == null ? report(spec, parallelism, done, startedAt)
                : ended(error));
    }

    /** The job's id in Flink (its web UI, its REST API, {@code flink cancel}). */
    public JobID jobId() {
        return client.getJobID();
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public JobStatus status() {
        JobReport report = completion.getNow(null);
        return report == null ? JobStatus.RUNNING : report.status();
    }

    /**
     * The report's counts once the job ended; meanwhile the records and splits its tasks passed on,
     * as Flink last collected them from the task managers (with their heartbeats, every few seconds),
     * and zero when the cluster cannot be asked.
     */
    @Override
    public Progress progress() {
        JobReport report = completion.getNow(null);
        if (report != null) {
            return new Progress(spec.name(), report.recordsRead(), report.recordsWritten(), report.bytes(),
                    report.dirtyRecords(), report.splits().size(), report.splits().size(), report.durationMillis(),
                    report.recordsPerSecond(), 0, null);
        }
        long elapsed = Math.max(0, Instant.now().toEpochMilli() - startedAt.toEpochMilli());
        long records = 0;
        long splits = 0;
        try {
            java.util.Map<String, Object> accumulators = client.getAccumulators().get(PROGRESS_TIMEOUT_SECONDS,
                    java.util.concurrent.TimeUnit.SECONDS);
            records = accumulators.get(TotalsTap.RECORDS) instanceof Long n ? n : 0;
            splits = accumulators.get(TotalsTap.SPLITS) instanceof Long n ? n : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            // the job is being deployed, has just ended, or the cluster does not answer: no counts now
        }
        return new Progress(spec.name(), records, records, 0, 0, (int) splits, 0, elapsed,
                elapsed == 0 ? 0 : records * 1000.0 / elapsed, 0, null);
    }

    private static final long PROGRESS_TIMEOUT_SECONDS = 5;

    /** Asks Flink to cancel the job; its report then says CANCELLED. */
    @Override
    public void cancel() {
        if (!completion.isDone()) {
            client.cancel().exceptionally(error -> null).join();
        }
    }

    /** A batch job stops by being cancelled. */
    @Override
    public void stop() {
        cancel();
    }

    @Override
    public CompletableFuture<JobReport> completion() {
        return completion;
    }

    /**
     * Waits for the job to end and returns the enumerator's totals.
     *
     * @throws CancelledException when the job was cancelled (or this thread interrupted)
     * @throws SyncException      when it failed, saying why as a local run would
     */
    CopyTotals awaitTotals() {
        try {
            CopyTotals totals = TotalsTap.totals(result.get());
            if (totals == null) {
                throw new SyncException(ErrorKind.INTERNAL, "the Flink job " + jobId() + " ended without the copy's "
                        + "totals");
            }
            return totals;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("interrupted while waiting for the Flink job " + jobId());
        } catch (ExecutionException e) {
            if (cancelled(e)) {
                throw new CancelledException("the Flink job " + jobId() + " was cancelled");
            }
            throw new SyncException(ErrorKind.EXTERNAL, CopyJob.describe(e), e);
        }
    }

    private static boolean cancelled(Throwable error) {
        return ExceptionUtils.findThrowable(error, JobCancellationException.class).isPresent();
    }

    private JobReport ended(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cancelled(cause)) {
            return failed(JobStatus.CANCELLED, null, "the Flink job " + jobId() + " was cancelled", null);
        }
        StageFailure failure = StageFailure.in(cause);
        return failure == null ? failed(JobStatus.FAILED, Stage.SYNC, CopyJob.describe(cause), null)
                : failed(JobStatus.FAILED, failure.stage(), failure.getMessage(), failure.totals());
    }

    private JobReport failed(JobStatus status, Stage stage, String error, CopyTotals totals) {
        return report(spec, parallelism, status, stage, error, totals, startedAt);
    }

    /**
     * The report of a copy that {@link FlinkRunner#addCopy} added to a job which has ended with
     * {@code result}.
     *
     * @param startedAt when the job was submitted
     */
    public static JobReport report(JobSpec spec, int parallelism, JobExecutionResult result, Instant startedAt) {
        CopyTotals totals = TotalsTap.totals(result);
        return totals == null
                ? report(spec, parallelism, JobStatus.FAILED, Stage.SYNC, "the Flink job ended without the copy's totals",
                null, startedAt)
                : report(spec, parallelism, JobStatus.SUCCESS, null, null, totals, startedAt);
    }

    /** A report with what the enumerator counted ({@code totals}, null when nothing is known). */
    private static JobReport report(JobSpec spec, int parallelism, JobStatus status, Stage stage, String error,
                                    CopyTotals totals, Instant startedAt) {
        Instant ended = Instant.now();
        long duration = Math.max(0, ended.toEpochMilli() - startedAt.toEpochMilli());
        JobReport.Concurrency concurrency = new JobReport.Concurrency(spec.settings().concurrency(),
                totals == null ? parallelism : totals.parallelism());
        if (totals == null) {
            return new JobReport(spec.name(), status, stage, error, 0, 0, 0, 0, List.of(), concurrency, "flink",
                    startedAt, ended, duration, 0, 0, 0, List.of(), List.of(), List.of());
        }
        double seconds = totals.syncMillis() / 1000.0;
        return new JobReport(spec.name(), status, stage, error, totals.recordsRead(), totals.recordsWritten(),
                totals.dirty(), totals.bytes(), totals.splits(), concurrency, "flink", startedAt, ended, duration, 0,
                seconds > 0 ? totals.recordsRead() / seconds : 0, seconds > 0 ? totals.bytes() / seconds : 0,
                totals.stages(), totals.warnings(), totals.dirtySamples());
    }

}
