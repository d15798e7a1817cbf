package dev.ferry.engine.runtime;

import dev.ferry.api.JobContext;
import dev.ferry.api.config.Redaction;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobEvent;
import dev.ferry.api.job.JobListener;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.Stage;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.JobHandle;
import dev.ferry.engine.Ticker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every run shares, batch job or stream: the lifecycle state machine (every move through
 * {@link #moveTo}), resource-group slots, stages (every stage through {@link #stage}), events to
 * listeners, warnings, dirty data, the periodic progress line, and the final report handed to
 * {@link #completion()}. Subclasses drive the stages in {@link #run()}.
 *
 * <p>Threading: {@code run} executes on one driver thread; status, progress, cancel and stop may
 * be called from any thread.
 */
abstract class RunBase implements JobHandle, Runnable {

    /** One log category for every run's lifecycle lines, batch or stream. */
    private static final Logger LOG = LoggerFactory.getLogger(JobRun.class);

    protected final String name;
    protected final JobSettings settings;
    protected final Redaction redaction;
    protected final ResourceGroup group;
    protected final Ticker ticker;
    protected final StateStore stateStore;
    protected final DirtyData dirty;
    protected final JobContext context;
    private final List<JobListener> listeners;
    private final ScheduledExecutorService timer;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<JobReport.StageTiming> stageTimings = new ArrayList<>();
    private final CompletableFuture<JobReport> completion = new CompletableFuture<>();
    private final Object eventLock = new Object();
    protected final Instant startedAt;
    private final long submittedNanos;

    private volatile JobStatus status = JobStatus.SUBMITTED;
    protected volatile Stage stage;
    protected volatile boolean cancelRequested;
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    protected long waitNanos;
    protected int slotsHeld;
    private ScheduledFuture<?> progressTask;

    RunBase(String name, JobSettings settings, Redaction redaction, ResourceGroup group, List<JobListener> listeners,
            Ticker ticker, StateStore stateStore, ScheduledExecutorService timer) {
        this.name = name;
        this.settings = settings;
        this.redaction = redaction;
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
    public final String name() {
        return name;
    }

    @Override
    public final JobStatus status() {
        return status;
    }

    @Override
    public final CompletableFuture<JobReport> completion() {
        return completion;
    }

    /**
     * Stops the run promptly: a waiting run leaves its queue, a running one stops through
     * {@link #onCancel()}. The run ends CANCELLED (or in the state it had already reached).
     * Idempotent.
     */
    @Override
    public final void cancel() {
        if (status.isTerminal()) {
            return;
        }
        cancelRequested = true;
        LOG.info("Job '{}': cancel requested in state {}", name, status);
        group.wakeUp();
        onCancel();
    }

    /** Stops whatever the run is doing now; called once {@link #cancel()} has flagged the run. */
    protected abstract void onCancel();

    /** How a run that threw ended: its final status, the stage that failed and the key error. */
    protected record Ending(JobStatus status, Stage failedStage, String error) {
    }

    /**
     * Classifies what ended a run, logging what the user needs to see: a cancellation is
     * CANCELLED (STOPPED when {@code stopRequested} asked for a graceful end and nobody cancelled),
     * anything else FAILED with the stage it happened in.
     */
    protected final Ending ending(Throwable t, boolean stopRequested) {
        boolean cancelled = cancelRequested || (t instanceof SyncException s && s.kind() == ErrorKind.CANCELLED);
        if (cancelled && stopRequested && !cancelRequested) {
            return new Ending(JobStatus.STOPPED, null, null);
        }
        Stage failedStage = stage;
        String error = cancelled && !(t instanceof CancelledException) ? "cancelled: " + describe(t) : describe(t);
        if (t instanceof Error e && !(t instanceof AssertionError)) {
            LOG.error("Job '{}': fatal error", name, e);
        } else if (!cancelled && (!(t instanceof SyncException s) || s.kind() == ErrorKind.INTERNAL)) {
            LOG.error("Job '{}': unexpected failure in stage {}", name, failedStage, t);
        }
        return new Ending(cancelled ? JobStatus.CANCELLED : JobStatus.FAILED, failedStage, error);
    }

    /**
     * Claims the run for the calling driver thread: a run happens once; running it again would
     * abort and close a target that already finished.
     *
     * @throws IllegalStateException when the run was already started
     */
    protected final void claim() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("job '" + name + "' has already run; submit the job again to run it again");
        }
    }

    /** Waits for a slot of the resource group (WAITING while none is free), then moves to RUNNING. */
    protected final void acquireSlots() throws InterruptedException {
        checkCancelled();
        int wanted = settings.concurrency();
        int granted = group.tryAcquire(wanted);
        if (granted == 0) {
            moveTo(JobStatus.WAITING, "no free slot in resource group '" + group.name() + "' (" + group.held() + " of "
                    + group.slots() + " slots held)");
            granted = group.acquire(wanted, () -> cancelRequested);
            if (granted == 0) {
                throw new CancelledException("job '" + name + "' was cancelled while waiting for a slot");
            }
        }
        slotsHeld = granted;
        waitNanos = ticker.nanoTime() - submittedNanos;
        moveTo(JobStatus.RUNNING, "resource group '" + group.name() + "' granted " + granted + " of " + wanted
                + " slots (" + group.held() + " of " + group.slots() + " held)");
    }

    /** Gives back slots beyond {@code keep} (at least one is kept while running). */
    protected final void keepSlots(int keep) {
        int surplus = slotsHeld - Math.max(keep, 1);
        if (surplus > 0) {
            group.release(surplus);
            slotsHeld -= surplus;
        }
    }

    protected final void releaseSlots() {
        if (slotsHeld > 0) {
            group.release(slotsHeld);
            slotsHeld = 0;
        }
    }

    /** Runs one stage: logs and reports its start and end, records its duration. */
    protected final <T> T stage(Stage next, Supplier<T> body) {
        checkCancelled();
        stage = next;
        long start = ticker.nanoTime();
        LOG.info("Job '{}': stage {} started", name, next);
        emit(new JobEvent.StageStarted(name, ticker.now(), next));
        try {
            T result = body.get();
            recordStage(next, start, null);
            return result;
        } catch (RuntimeException e) {
            recordStage(next, start, describe(e));
            throw e;
        }
    }

    private void recordStage(Stage stageName, long startNanos, String error) {
        long millis = TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - startNanos);
        synchronized (stageTimings) {
            stageTimings.add(new JobReport.StageTiming(stageName, millis));
        }
        if (error == null) {
            LOG.info("Job '{}': stage {} finished in {} ms", name, stageName, millis);
        } else {
            LOG.warn("Job '{}': stage {} failed after {} ms: {}", name, stageName, millis, error);
        }
        emit(new JobEvent.StageFinished(name, ticker.now(), stageName, millis, error));
    }

    protected final List<JobReport.StageTiming> stageTimings() {
        synchronized (stageTimings) {
            return List.copyOf(stageTimings);
        }
    }

    protected final List<String> warnings() {
        return warnings;
    }

    protected final void checkCancelled() {
        if (cancelRequested) {
            throw new CancelledException("job '" + name + "' was cancelled");
        }
    }

    /** The one place a run changes state; an illegal move names both states. */
    protected final void moveTo(JobStatus next, String detail) {
        JobStatus from;
        synchronized (this) {
            from = status;
            if (!from.canMoveTo(next)) {
                throw new IllegalStateException("job '" + name + "' cannot move from " + from + " to " + next);
            }
            status = next;
        }
        LOG.info("Job '{}': {} -> {}{}", name, from, next, detail == null ? "" : " (" + detail + ")");
        emit(new JobEvent.StatusChanged(name, ticker.now(), from, next, detail));
    }

    /** The report of the run as it ended. */
    protected abstract JobReport report(JobStatus outcome, Stage failedStage, String error);

    /** Something a run releases at its end, named for the log when it fails. */
    protected record Cleanup(String what, Runnable action) {
    }

    /**
     * Ends a run whatever happened: stops the progress line, runs the cleanups in order (each
     * failure only logged), gives the slots back, closes the dirty-data file (a failure to write it
     * fails a run that had not failed) and {@link #finish finishes}.
     */
    protected final void end(JobStatus outcome, Stage failedStage, String error, List<Cleanup> cleanups) {
        stopProgress();
        for (Cleanup cleanup : cleanups) {
            quietly(cleanup.what(), cleanup.action());
        }
        releaseSlots();
        JobStatus finalOutcome = outcome;
        String finalError = error;
        try {
            dirty.close();
        } catch (RuntimeException e) {
            if (outcome != JobStatus.FAILED) {
                finalOutcome = JobStatus.FAILED;
                finalError = describe(e);
            }
        }
        JobStatus status = finalOutcome;
        String message = finalError;
        finish(status, message, () -> report(status, failedStage, message));
    }

    /** Moves to the final state, logs the summary, tells listeners and completes the handle. */
    private void finish(JobStatus outcome, String detail, Supplier<JobReport> reportOf) {
        JobReport report = null;
        try {
            moveTo(outcome, detail);
            report = reportOf.get();
            String summary = Summary.format(report);
            if (outcome == JobStatus.SUCCESS || outcome == JobStatus.STOPPED) {
                LOG.info("Job '{}' summary:{}{}", name, System.lineSeparator(), summary);
            } else {
                LOG.warn("Job '{}' summary:{}{}", name, System.lineSeparator(), summary);
            }
            emit(new JobEvent.Finished(name, ticker.now(), report));
        } catch (RuntimeException e) {
            LOG.error("Job '{}': failed to finish cleanly", name, e);
        } finally {
            completion.complete(report != null ? report : reportOf.get());
        }
    }

    protected final synchronized void startProgress(Runnable line) {
        long interval = settings.progressIntervalMillis();
        progressTask = timer.scheduleAtFixedRate(() -> {
            try {
                line.run();
            } catch (RuntimeException e) {
                LOG.debug("progress report failed", e);
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    protected final synchronized void stopProgress() {
        if (progressTask != null) {
            progressTask.cancel(false);
            progressTask = null;
        }
    }

    protected final ScheduledExecutorService timer() {
        return timer;
    }

    protected final void emit(JobEvent event) {
        synchronized (eventLock) {
            for (JobListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("Job '{}': listener {} failed on {}: {}", name, listener, event.getClass().getSimpleName(),
                            e.toString());
                }
            }
        }
    }

    /** The key error of a failure, masked, without repeating what the message already says. */
    protected final String describe(Throwable t) {
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

    protected final void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("Job '{}': could not {}: {}", name, what, redaction.apply(String.valueOf(e.getMessage())));
        }
    }

    /** Nanoseconds since {@code startNanos} on the run's ticker; 0 when it has not started (0). */
    protected final long elapsedSince(long startNanos) {
        return startNanos == 0 ? 0 : Math.max(0, ticker.nanoTime() - startNanos);
    }

    protected static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0.0 : count * 1e9 / nanos;
    }

    /** What sources and targets see of the job. */
    private final class Context implements JobContext {

        @Override
        public String jobName() {
            return name;
        }

        @Override
        public int concurrency() {
            return settings.concurrency();
        }

        @Override
        public void warn(String message) {
            String clean = redaction.apply(message);
            warnings.add(clean);
            LOG.warn("Job '{}': {}", name, clean);
        }

        @Override
        public StateStore stateStore() {
            return stateStore;
        }
    }
}
