package dev.ferry.engine.runtime;

import dev.ferry.api.config.Redaction;
import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.Split;
import dev.ferry.api.Target;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobEvent;
import dev.ferry.api.job.JobListener;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.Progress;
import dev.ferry.api.job.Stage;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.JobHandle;
import dev.ferry.engine.Ticker;
import dev.ferry.engine.config.JobValidator.ValidatedJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job from submission to its final report.
 *
 * <p>Design: {@link #run()} is the driver; it walks the lifecycle SUBMITTED → (WAITING) → RUNNING
 * → SUCCESS | FAILED | CANCELLED, every move going through {@link #moveTo}, and RUNNING through
 * the stages PRE → SPLIT → SYNC → POST, every stage through {@link #stage}. Each job owns its
 * counters, dirty-data store and threads, so jobs in one JVM never share counts. Whatever
 * happens, the driver releases its slots, aborts the target when the job did not succeed, closes
 * source and target, and completes {@link #completion()} with a report.
 *
 * <p>Threading: {@code run} executes on one driver thread; {@link #cancel}, {@link #status} and
 * {@link #progress} may be called from any thread.
 */
public final class JobRun implements JobHandle, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);

    private final JobSpec spec;
    private final JobSettings settings;
    private final Source source;
    private final Target target;
    private final Redaction redaction;
    private final ResourceGroup group;
    private final List<JobListener> listeners;
    private final Ticker ticker;
    private final StateStore stateStore;
    private final ScheduledExecutorService timer;
    private final JobMetrics metrics = new JobMetrics();
    private final DirtyData dirty;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<JobReport.StageTiming> stageTimings = new ArrayList<>();
    private final CompletableFuture<JobReport> completion = new CompletableFuture<>();
    private final Object eventLock = new Object();
    private final JobContext context;

    private volatile JobStatus status = JobStatus.SUBMITTED;
    private volatile Stage stage;
    private volatile boolean cancelRequested;
    private volatile SyncStage sync;
    private volatile long syncStartNanos;
    private volatile long syncEndNanos;
    private volatile boolean targetTouched;
    private Instant startedAt;
    private long submittedNanos;
    private long waitNanos;
    private int slotsHeld;
    private int actualConcurrency;
    private List<? extends Split> splits = List.of();
    private Map<String, Long> splitRecords = Map.of();
    private ScheduledFuture<?> progressTask;

    public JobRun(ValidatedJob job, ResourceGroup group, List<JobListener> listeners, Ticker ticker,
                  StateStore stateStore, ScheduledExecutorService timer) {
        this.spec = job.spec();
        this.settings = spec.settings();
        this.source = job.source();
        this.target = job.target();
        this.redaction = job.redaction();
        this.group = group;
        this.listeners = List.copyOf(listeners);
        this.ticker = ticker;
        this.stateStore = stateStore;
        this.timer = timer;
        this.dirty = new DirtyData(settings.dirtyData(), redaction);
        this.context = new Context();
        this.startedAt = ticker.now();
        this.submittedNanos = ticker.nanoTime();
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public JobStatus status() {
        return status;
    }

    @Override
    public CompletableFuture<JobReport> completion() {
        return completion;
    }

    @Override
    public void cancel() {
        if (status.isTerminal()) {
            return;
        }
        cancelRequested = true;
        LOG.info("Job '{}': cancel requested in state {}", name(), status);
        group.wakeUp();
        SyncStage running = sync;
        if (running != null) {
            running.cancel("job '" + name() + "' was cancelled");
        }
    }

    @Override
    public Progress progress() {
        long start = syncStartNanos;
        long end = syncEndNanos != 0 ? syncEndNanos : ticker.nanoTime();
        long elapsedNanos = start == 0 ? 0 : Math.max(0, end - start);
        long read = metrics.recordsRead.sum();
        return new Progress(name(), read, metrics.recordsWritten.sum(), metrics.bytes.sum(), dirty.count(),
                metrics.splitsDone.get(), metrics.splitsTotal, TimeUnit.NANOSECONDS.toMillis(elapsedNanos),
                perSecond(read, elapsedNanos));
    }

    @Override
    public void run() {
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
            outcome = JobStatus.SUCCESS;
        } catch (Throwable t) {
            boolean cancelled = cancelRequested || (t instanceof SyncException s && s.kind() == ErrorKind.CANCELLED);
            outcome = cancelled ? JobStatus.CANCELLED : JobStatus.FAILED;
            failedStage = stage;
            error = cancelled && !(t instanceof CancelledException) ? "cancelled: " + describe(t) : describe(t);
            if (t instanceof Error e && !(t instanceof AssertionError)) {
                LOG.error("Job '{}': fatal error", name(), e);
            } else if (!cancelled && (!(t instanceof SyncException s) || s.kind() == ErrorKind.INTERNAL)) {
                LOG.error("Job '{}': unexpected failure in stage {}", name(), failedStage, t);
            }
        } finally {
            stopProgress();
            if (outcome != JobStatus.SUCCESS && targetTouched) {
                quietly("abort the target", target::abort);
            }
            if (slotsHeld > 0) {
                group.release(slotsHeld);
                slotsHeld = 0;
            }
            quietly("close the target", target::close);
            quietly("close the source", source::close);
            try {
                dirty.close();
            } catch (RuntimeException e) {
                if (outcome == JobStatus.SUCCESS) {
                    outcome = JobStatus.FAILED;
                    error = describe(e);
                }
            }
            finish(outcome, failedStage, error);
        }
    }

    private void acquireSlots() throws InterruptedException {
        checkCancelled();
        int wanted = settings.concurrency();
        int granted = group.tryAcquire(wanted);
        if (granted == 0) {
            moveTo(JobStatus.WAITING, "no free slot in resource group '" + group.name() + "' (" + group.held() + " of "
                    + group.slots() + " slots held)");
            granted = group.acquire(wanted, () -> cancelRequested);
            if (granted == 0) {
                throw new CancelledException("job '" + name() + "' was cancelled while waiting for a slot");
            }
        }
        slotsHeld = granted;
        waitNanos = ticker.nanoTime() - submittedNanos;
        moveTo(JobStatus.RUNNING, "resource group '" + group.name() + "' granted " + granted + " of " + wanted
                + " slots (" + group.held() + " of " + group.slots() + " held)");
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
        int surplus = slotsHeld - Math.max(actualConcurrency, 1);
        if (surplus > 0) {
            group.release(surplus);
            slotsHeld -= surplus;
        }
        metrics.splitsTotal = planned.size();
        LOG.info("Job '{}': {} split(s); concurrency configured {}, actual {}", name(), planned.size(),
                settings.concurrency(), actualConcurrency);
        return planned;
    }

    private void runSync() {
        syncStartNanos = ticker.nanoTime();
        startProgress();
        try {
            if (!splits.isEmpty()) {
                SyncStage stageRun = new SyncStage(name(), source, target, settings, context, metrics, dirty, ticker,
                        splits, actualConcurrency);
                sync = stageRun;
                if (cancelRequested) {
                    stageRun.cancel("job '" + name() + "' was cancelled");
                }
                stageRun.run();
                splitRecords = stageRun.splitRecords();
            }
            dirty.checkPercent(metrics.recordsRead.sum());
        } finally {
            syncEndNanos = ticker.nanoTime();
            stopProgress();
        }
    }

    private <T> T stage(Stage next, Supplier<T> body) {
        checkCancelled();
        stage = next;
        long start = ticker.nanoTime();
        LOG.info("Job '{}': stage {} started", name(), next);
        emit(new JobEvent.StageStarted(name(), ticker.now(), next));
        try {
            T result = body.get();
            recordStage(next, start, null);
            return result;
        } catch (RuntimeException e) {
            recordStage(next, start, describe(e));
            throw e;
        }
    }

    private void recordStage(Stage name, long startNanos, String error) {
        long millis = TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - startNanos);
        synchronized (stageTimings) {
            stageTimings.add(new JobReport.StageTiming(name, millis));
        }
        if (error == null) {
            LOG.info("Job '{}': stage {} finished in {} ms", name(), name, millis);
        } else {
            LOG.warn("Job '{}': stage {} failed after {} ms: {}", name(), name, millis, error);
        }
        emit(new JobEvent.StageFinished(name(), ticker.now(), name, millis, error));
    }

    private void checkCancelled() {
        if (cancelRequested) {
            throw new CancelledException("job '" + name() + "' was cancelled");
        }
    }

    private void moveTo(JobStatus next, String detail) {
        JobStatus from;
        synchronized (this) {
            from = status;
            if (!from.canMoveTo(next)) {
                throw new IllegalStateException("job '" + name() + "' cannot move from " + from + " to " + next);
            }
            status = next;
        }
        LOG.info("Job '{}': {} -> {}{}", name(), from, next, detail == null ? "" : " (" + detail + ")");
        emit(new JobEvent.StatusChanged(name(), ticker.now(), from, next, detail));
    }

    private void finish(JobStatus outcome, Stage failedStage, String error) {
        JobReport report = null;
        try {
            moveTo(outcome, error);
            report = report(outcome, failedStage, error);
            String summary = Summary.format(report);
            if (outcome == JobStatus.SUCCESS) {
                LOG.info("Job '{}' summary:{}{}", name(), System.lineSeparator(), summary);
            } else {
                LOG.warn("Job '{}' summary:{}{}", name(), System.lineSeparator(), summary);
            }
            emit(new JobEvent.Finished(name(), ticker.now(), report));
        } catch (RuntimeException e) {
            LOG.error("Job '{}': failed to finish cleanly", name(), e);
        } finally {
            completion.complete(report != null ? report : report(outcome, failedStage, error));
        }
    }

    private JobReport report(JobStatus outcome, Stage failedStage, String error) {
        Instant endedAt = ticker.now();
        long syncNanos = syncStartNanos == 0 ? 0 : Math.max(0, (syncEndNanos == 0 ? ticker.nanoTime() : syncEndNanos)
                - syncStartNanos);
        long read = metrics.recordsRead.sum();
        long bytes = metrics.bytes.sum();
        List<JobReport.SplitReport> splitReports = new ArrayList<>();
        for (Split split : splits) {
            splitReports.add(new JobReport.SplitReport(split.id(), splitRecords.getOrDefault(split.id(), 0L)));
        }
        List<JobReport.StageTiming> timings;
        synchronized (stageTimings) {
            timings = List.copyOf(stageTimings);
        }
        return new JobReport(name(), outcome, failedStage, error, read, metrics.recordsWritten.sum(), dirty.count(),
                bytes, splitReports, new JobReport.Concurrency(settings.concurrency(), actualConcurrency),
                group.name(), startedAt, endedAt, Math.max(0, endedAt.toEpochMilli() - startedAt.toEpochMilli()),
                TimeUnit.NANOSECONDS.toMillis(waitNanos), perSecond(read, syncNanos), perSecond(bytes, syncNanos),
                timings, warnings, dirty.samples());
    }

    private synchronized void startProgress() {
        long interval = settings.progressIntervalMillis();
        progressTask = timer.scheduleAtFixedRate(this::logProgress, interval, interval, TimeUnit.MILLISECONDS);
    }

    private synchronized void stopProgress() {
        if (progressTask != null) {
            progressTask.cancel(false);
            progressTask = null;
        }
    }

    private void logProgress() {
        try {
            Progress p = progress();
            LOG.info(String.format(java.util.Locale.ROOT,
                    "Job '%s' progress: %,d records read, %,d written, %.1f MB, %,.0f records/s, dirty %d, splits %d/%d",
                    p.job(), p.recordsRead(), p.recordsWritten(), p.bytes() / 1e6, p.recordsPerSecond(),
                    p.dirtyRecords(), p.splitsDone(), p.splitsTotal()));
            emit(new JobEvent.ProgressReported(name(), ticker.now(), p));
        } catch (RuntimeException e) {
            LOG.debug("progress report failed", e);
        }
    }

    private void emit(JobEvent event) {
        synchronized (eventLock) {
            for (JobListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("Job '{}': listener {} failed on {}: {}", name(), listener, event.getClass().getSimpleName(),
                            e.toString());
                }
            }
        }
    }

    private String describe(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof SyncException) {
            // Connectors put the key error in their own message; the cause chain is in the log.
            return redaction.apply(message);
        }
        message = t.getClass().getSimpleName() + ": " + message;
        Throwable cause = t.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message = message + " (caused by " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return redaction.apply(message);
    }

    private void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("Job '{}': could not {}: {}", name(), what, redaction.apply(String.valueOf(e.getMessage())));
        }
    }

    private static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0.0 : count * 1e9 / nanos;
    }

    /** What sources and targets see of the job. */
    private final class Context implements JobContext {

        @Override
        public String jobName() {
            return name();
        }

        @Override
        public int concurrency() {
            return settings.concurrency();
        }

        @Override
        public void warn(String message) {
            String clean = redaction.apply(message);
            warnings.add(clean);
            LOG.warn("Job '{}': {}", name(), clean);
        }

        @Override
        public StateStore stateStore() {
            return stateStore;
        }
    }
}
