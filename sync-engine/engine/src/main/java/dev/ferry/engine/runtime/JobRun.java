package dev.ferry.engine.runtime;

import dev.ferry.api.Source;
import dev.ferry.api.Split;
import dev.ferry.api.SupportsSplitLedger;
import dev.ferry.api.SupportsSplitResume;
import dev.ferry.api.Target;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
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
import java.util.UUID;
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
 * <p>A resumable run ({@code run --state}, {@link dev.ferry.engine.SyncEngine#submitResumable})
 * keeps its plan in the state store under {@code job/NAME} (a {@link SplitProgress}: the source's
 * split design, the target's write design, the id of the target's split ledger and the splits),
 * and the target records each split in the split's own commit ({@link SupportsSplitLedger}), so no
 * moment exists at which a split is in the target but not known as written: a run after a crash,
 * kill or failure reads the kept plan, asks the target which splits it committed and copies only
 * the others. A kept plan whose source or target design differs from the job's is refused, naming
 * both. When the job succeeds its plan is removed first (leaving a note of when it finished, which
 * the next run logs) and the ledger's entries after, so the next run with the same state is a new,
 * full run (a crash between the two leaves entries under a ledger id no plan names, which nothing
 * reads).
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
    /** The kept progress of a resumable run; null otherwise. */
    private final SplitProgress kept;
    /** The plan an earlier run kept, read before PRE; null when this run plans afresh. */
    private CopyProgress earlier;
    private String ledger;
    private long resumedSplits;
    private long resumedRecords;

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
        this(job, false, group, listeners, ticker, stateStore, timer);
    }

    /**
     * @param resumable keep the run's progress in {@code stateStore} and resume what an earlier run
     *                  of the job left unfinished; see {@link #checkResumable}
     */
    public JobRun(ValidatedJob job, boolean resumable, ResourceGroup group, List<JobListener> listeners, Ticker ticker,
                  StateStore stateStore, ScheduledExecutorService timer) {
        super(job.spec().name(), job.spec().settings(), job.redaction(), group, listeners, ticker, stateStore, timer);
        this.spec = job.spec();
        this.source = job.source();
        this.target = job.target();
        if (resumable) {
            checkResumable(job);
        }
        this.kept = resumable ? new SplitProgress(stateStore, progressKey(spec.name())) : null;
    }

    /** The state store key under which a resumable run keeps its plan. */
    public static String progressKey(String job) {
        return "job/" + job;
    }

    /**
     * Refuses to keep the progress of a job whose connectors cannot resume exactly: the source
     * must plan splits a later instance can read again ({@link SupportsSplitResume}), and the
     * target must record each split in the split's own commit ({@link SupportsSplitLedger});
     * without it a split committed just before a crash would be written again.
     *
     * @throws ConfigException naming the connector that cannot
     */
    public static void checkResumable(ValidatedJob job) {
        List<Violation> violations = new ArrayList<>();
        if (!(job.source() instanceof SupportsSplitResume)) {
            violations.add(new Violation("source.connector", "must plan splits that a later run can read again to run "
                    + "with its progress kept (--state); run the job without it", "'" + job.spec().source().connector()
                    + "'"));
        }
        if (!(job.target() instanceof SupportsSplitLedger)) {
            violations.add(new Violation("target.connector", "must record each split in the split's own commit to run "
                    + "with its progress kept (--state), or a split committed just before a crash would be written "
                    + "twice; run the job without it", "'" + job.spec().target().connector() + "'"));
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
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
            if (kept != null) {
                earlier = kept.plan(source.getClass().getClassLoader());
                ledger = earlier != null && earlier.ledger() != null ? earlier.ledger() : UUID.randomUUID().toString();
            }
            stage(Stage.PRE, () -> {
                source.prepare(context);
                if (kept != null) {
                    checkSameDesign();
                    ((SupportsSplitLedger) target).keepSplitLedger(ledger, earlier != null);
                }
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
                if (kept != null) {
                    kept.finish("the run started at " + startedAt + " finished at " + ticker.now() + ", "
                            + (resumedSplits + counters.snapshot().splitsDone()) + " split(s)");
                    quietly("remove the split ledger's entries", ((SupportsSplitLedger) target)::dropSplitLedger);
                    LOG.info("Job '{}': finished; its progress was removed from the state, so a next run copies "
                            + "everything again", name());
                }
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

    /** The source's design and the target's, as the kept plan names them. */
    private String sourceDesign() {
        return spec.source().connector() + ": " + ((SupportsSplitResume) source).splitDesign();
    }

    private String targetDesign() {
        return spec.target().connector() + ": " + ((SupportsSplitLedger) target).writeDesign();
    }

    /** Refuses a kept plan made for another source or target than the job's (after the source's PRE). */
    private void checkSameDesign() {
        if (earlier == null) {
            return;
        }
        List<String> changed = new ArrayList<>();
        if (!sourceDesign().equals(earlier.design())) {
            changed.add("source (planned for " + earlier.design() + ", now " + sourceDesign() + ")");
        }
        if (earlier.writeDesign() == null || !targetDesign().equals(earlier.writeDesign())) {
            changed.add("target (written as " + earlier.writeDesign() + ", now " + targetDesign() + ")");
        }
        if (!changed.isEmpty()) {
            throw new SyncException(ErrorKind.CONFIGURATION, "job '" + name() + "' cannot resume the unfinished run "
                    + "kept in the state under '" + kept.key() + "': the job changed its " + String.join(" and its ", changed)
                    + ", so the kept splits do not fit it; run the job file that run started with, or start afresh "
                    + "with another state (or with the key removed)");
        }
    }

    private List<? extends Split> planSplits() {
        if (kept == null) {
            return checkedPlan(source.planSplits(context));
        }
        if (earlier == null) {
            java.util.Optional<String> finished = kept.finished();
            List<? extends Split> planned = checkedPlan(source.planSplits(context));
            kept.start(new CopyProgress(sourceDesign(), targetDesign(), ledger, List.copyOf(planned)));
            LOG.info("Job '{}': no unfinished run in the state{}; this is a new run, its plan kept under '{}'", name(),
                    finished.map(note -> " (" + note + ")").orElse(""), kept.key());
            return planned;
        }
        Map<String, Long> committed = kept.writtenSplits(earlier, target);
        List<Split> todo = SplitProgress.unwritten(earlier, committed);
        for (Split split : earlier.splits()) {
            Long records = committed.get(split.id());
            if (records != null) {
                resumedSplits++;
                resumedRecords += records;
            }
        }
        LOG.info("Job '{}': resumes the unfinished run kept under '{}': {} of {} split(s) ({} records) were written "
                + "by an earlier run; {} left", name(), kept.key(), resumedSplits, earlier.splits().size(), resumedRecords,
                todo.size());
        return checkedPlan(todo);
    }

    private List<? extends Split> checkedPlan(List<? extends Split> splitsToRun) {
        List<? extends Split> planned = List.copyOf(splitsToRun);
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
                stageTimings(), warnings(), dirty.samples(), null, resumedSplits, resumedRecords, verification);
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
