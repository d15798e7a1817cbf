package dev.ferry.engine.runtime;

import dev.ferry.api.Source;
import dev.ferry.api.Split;
import dev.ferry.api.Target;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobEvent;
import dev.ferry.api.job.JobListener;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.Progress;
import dev.ferry.api.job.Stage;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.Ticker;
import dev.ferry.engine.config.JobValidator.ValidatedJob;
import dev.ferry.engine.verify.Verification;
import dev.ferry.api.verify.VerifyReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch job from submission to its final report.
 *
 * <p>Design: {@link #run()} is the driver; it walks the lifecycle SUBMITTED → (WAITING) → RUNNING
 * → SUCCESS | FAILED | CANCELLED and RUNNING through the stages PRE → SPLIT → SYNC → POST (→ VERIFY
 * with {@code settings.verify}), using {@link RunBase} for every state move and stage. Each job owns its counters, dirty-data store
 * and threads, so jobs in one JVM never share counts. Whatever happens, the driver releases its
 * slots, aborts the target when the job did not succeed, closes source and target, and completes
 * {@link #completion()} with a report.
 *
 * <p>Threading: {@code run} executes on one driver thread; {@link #cancel}, {@link #status} and
 * {@link #progress} may be called from any thread.
 */
public final class JobRun extends RunBase {

    private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);

    private final JobSpec spec;
    private final Source source;
    private final Target target;
    private final JobCounters counters = new JobCounters();

    private volatile SyncStage sync;
    private volatile Verification verifying;
    private volatile VerifyReport verification;
    private volatile long syncStartNanos;
    private volatile long syncEndNanos;
    private volatile boolean targetTouched;
    private int actualConcurrency;
    private List<? extends Split> splits = List.of();
    private Map<String, Long> splitRecords = Map.of();

    public JobRun(ValidatedJob job, ResourceGroup group, List<JobListener> listeners, Ticker ticker,
                  StateStore stateStore, ScheduledExecutorService timer) {
        super(job.spec().name(), job.spec().settings(), job.redaction(), group, listeners, ticker, stateStore, timer);
        this.spec = job.spec();
        this.source = job.source();
        this.target = job.target();
    }

    @Override
    protected void onCancel() {
        SyncStage running = sync;
        if (running != null) {
            running.cancel("job '" + name() + "' was cancelled");
        }
        Verification checking = verifying;
        if (checking != null) {
            checking.cancel();
        }
    }

    /** A batch job has nothing to resume from: stopping it cancels it. */
    @Override
    public void stop() {
        cancel();
    }

    @Override
    public Progress progress() {
        long start = syncStartNanos;
        long end = syncEndNanos != 0 ? syncEndNanos : ticker.nanoTime();
        long elapsedNanos = start == 0 ? 0 : Math.max(0, end - start);
        JobCounters.JobStats stats = counters.snapshot();
        return new Progress(name(), stats.recordsRead(), stats.recordsWritten(), stats.bytes(), dirty.count(),
                stats.splitsDone(), stats.splitsTotal(), TimeUnit.NANOSECONDS.toMillis(elapsedNanos),
                perSecond(stats.recordsRead(), elapsedNanos));
    }

    @Override
    public void run() {
        claim();
        JobStatus outcome = JobStatus.FAILED;
        Stage failedStage = null;
        String error = null;
        try {
            acquireSlots();
            stage(Stage.PRE, () -> {
                source.prepare(context);
                targetTouched = true;
                target.prepare(context, source.schema());
                return null;
            });
            splits = stage(Stage.SPLIT, this::planSplits);
            stage(Stage.SYNC, () -> {
                runSync();
                return null;
            });
            stage(Stage.POST, () -> {
                target.commit();
                target.post();
                return null;
            });
            if (settings.verify()) {
                stage(Stage.VERIFY, () -> {
                    verify();
                    return null;
                });
            }
            outcome = JobStatus.SUCCESS;
        } catch (Throwable t) {
            Ending ending = ending(t, false);
            outcome = ending.status();
            failedStage = ending.failedStage();
            error = ending.error();
        } finally {
            List<Cleanup> cleanups = new ArrayList<>();
            if (outcome != JobStatus.SUCCESS && targetTouched) {
                cleanups.add(new Cleanup("abort the target", target::abort));
            }
            cleanups.add(new Cleanup("close the target", target::close));
            cleanups.add(new Cleanup("close the source", source::close));
            end(outcome, failedStage, error, cleanups);
        }
    }

    private List<? extends Split> planSplits() {
        List<? extends Split> planned = List.copyOf(source.planSplits(context));
        Set<String> ids = new HashSet<>();
        for (Split split : planned) {
            if (!ids.add(split.id())) {
                throw new SyncException(ErrorKind.INTERNAL, "connector '" + spec.source().connector()
                        + "' planned two splits with id '" + split.id() + "'");
            }
        }
        actualConcurrency = Math.min(Math.min(settings.concurrency(), planned.size()), slotsHeld);
        keepSlots(actualConcurrency);
        counters.splitsPlanned(planned.size());
        LOG.info("Job '{}': {} split(s); concurrency configured {}, actual {}", name(), planned.size(),
                settings.concurrency(), actualConcurrency);
        return planned;
    }

    /** Compares the target with the source split by split; a difference fails the job naming the splits. */
    private void verify() {
        Verification run = new Verification(name(), spec.target().connector(), source, target, splits, context,
                Math.max(1, actualConcurrency), 0);
        verifying = run;
        if (cancelRequested) {
            run.cancel();
        }
        VerifyReport report = run.run();
        verification = report;
        if (!report.matches()) {
            throw new SyncException(ErrorKind.DATA, Verification.summary(report));
        }
    }

    private void runSync() {
        syncStartNanos = ticker.nanoTime();
        startProgress(this::logProgress);
        try {
            if (!splits.isEmpty()) {
                SyncStage stageRun = new SyncStage(name(), source, target, settings, context, counters, dirty, ticker,
                        splits, actualConcurrency);
                sync = stageRun;
                if (cancelRequested) {
                    stageRun.cancel("job '" + name() + "' was cancelled");
                }
                stageRun.run();
                splitRecords = stageRun.splitRecords();
            }
            dirty.checkPercent(counters.snapshot().recordsRead());
        } finally {
            syncEndNanos = ticker.nanoTime();
            stopProgress();
        }
    }

    @Override
    protected JobReport report(JobStatus outcome, Stage failedStage, String error) {
        Instant endedAt = ticker.now();
        long syncNanos = syncStartNanos == 0 ? 0 : Math.max(0, (syncEndNanos == 0 ? ticker.nanoTime() : syncEndNanos)
                - syncStartNanos);
        JobCounters.JobStats stats = counters.snapshot();
        long read = stats.recordsRead();
        long bytes = stats.bytes();
        List<JobReport.SplitReport> splitReports = new ArrayList<>();
        for (Split split : splits) {
            splitReports.add(new JobReport.SplitReport(split.id(), splitRecords.getOrDefault(split.id(), 0L)));
        }
        return new JobReport(name(), outcome, failedStage, error, read, stats.recordsWritten(), dirty.count(),
                bytes, splitReports, new JobReport.Concurrency(settings.concurrency(), actualConcurrency),
                group.name(), startedAt, endedAt, Math.max(0, endedAt.toEpochMilli() - startedAt.toEpochMilli()),
                TimeUnit.NANOSECONDS.toMillis(waitNanos), perSecond(read, syncNanos), perSecond(bytes, syncNanos),
                stageTimings(), warnings(), dirty.samples(), null, verification);
    }

    /** How long a split may make no progress before a warning names it; repeated as long as it lasts. */
    static final long STALL_WARNING_NANOS = TimeUnit.MINUTES.toNanos(1);

    private void logProgress() {
        SyncStage running = sync;
        if (running != null) {
            for (SyncStage.Stall stall : running.stalled(STALL_WARNING_NANOS)) {
                LOG.warn("Job '{}': split {} has made no progress for {} s, waiting on the {} ({}); it goes on until it "
                        + "moves or the connection's socket timeout fails it", name(), stall.split(), stall.millis() / 1000,
                        stall.side(), stall.side().equals("source") ? "the reader's query has produced no record"
                                : "the writer's write or commit has not returned");
                emit(new JobEvent.SplitStalled(name(), ticker.now(), stall.split(), stall.side(), stall.millis()));
            }
        }
        Progress p = progress();
        LOG.info(String.format(java.util.Locale.ROOT,
                "Job '%s' progress: %,d records read, %,d written, %.1f MB, %,.0f records/s, dirty %d, splits %d/%d",
                p.job(), p.recordsRead(), p.recordsWritten(), p.bytes() / 1e6, p.recordsPerSecond(),
                p.dirtyRecords(), p.splitsDone(), p.splitsTotal()));
        emit(new JobEvent.ProgressReported(name(), ticker.now(), p));
    }
}
