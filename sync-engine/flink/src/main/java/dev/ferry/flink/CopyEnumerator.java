package dev.ferry.flink;

import dev.ferry.api.PlannedSource;
import dev.ferry.api.PlannedTarget;
import dev.ferry.api.Source;
import dev.ferry.api.Split;
import dev.ferry.api.SupportsSplitLedger;
import dev.ferry.api.Target;
import dev.ferry.api.error.DirtyDataLimitException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.DirtyRecord;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.Stage;
import dev.ferry.engine.config.JobValidator;
import dev.ferry.engine.runtime.DirtyData;
import dev.ferry.engine.runtime.DistributedCopy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copy's driver on the JobManager: plans the job once (the source's PRE and SPLIT, the
 * target's PRE with its split ledger), hands the splits to readers as they ask, learns from them
 * which splits are committed, and when all are runs the target's commit and POST, then sends the
 * totals and ends the readers.
 *
 * <p>Splits go one at a time to whichever reader asks, so a slow split never idles the others. A
 * reader that fails gives its splits back ({@link #addSplitsBack}); before handing them out again
 * the enumerator asks the target's ledger which of them committed after all, so a restarted task
 * redoes only unfinished splits. A failure here (planning, the dirty-data limit, POST) is sent to
 * every reader, which fails the job without restarts.
 *
 * <p>Threading: Flink calls every method on the coordinator thread; planning and POST run in
 * {@link SplitEnumeratorContext#callAsync} and hand their results back to that thread.
 */
final class CopyEnumerator implements SplitEnumerator<FerrySplit, CopyState> {

    private static final Logger LOG = LoggerFactory.getLogger(CopyEnumerator.class);

    private final SplitEnumeratorContext<FerrySplit> context;
    private final CopyJob job;
    private final CopyJob.Context jobContext;
    private final Deque<FerrySplit> pending = new ArrayDeque<>();
    private final Map<Integer, Set<String>> assigned = new HashMap<>();
    /** Committed splits by {@link FerrySplit#splitId()}. */
    private final Map<String, Messages.SplitDone> done = new LinkedHashMap<>();
    private final Set<Integer> waiting = new TreeSet<>();
    private final Map<Stage, Long> stageMillis = new LinkedHashMap<>();
    private final List<DirtyRecord> dirtySamples = new ArrayList<>();
    private Source source;
    private Target target;
    private List<FerrySplit> planned;
    private Messages.Plans plans;
    private String failure;
    private Stage failedStage;
    private boolean finishing;
    private boolean finished;
    private long dirty;
    private long recordsRead;
    private long syncStartNanos;

    CopyEnumerator(SplitEnumeratorContext<FerrySplit> context, CopyJob job) {
        this.context = context;
        this.job = job;
        this.jobContext = job.context("JobManager");
    }

    @Override
    public void start() {
        context.callAsync(this::plan, (plansMade, error) -> {
            if (error != null) {
                fail(stageMillis.containsKey(Stage.PRE) ? Stage.SPLIT : Stage.PRE, "planning the job failed", error);
                return;
            }
            plans = plansMade;
            pending.addAll(planned);
            syncStartNanos = System.nanoTime();
            LOG.info("Job '{}': {} split(s) for {} parallel reader(s) on Flink", job.name(), planned.size(),
                    job.parallelism());
            for (int reader : context.registeredReaders().keySet()) {
                context.sendEventToSourceReader(reader, plans);
            }
            assignWaiting();
        });
        long interval = job.spec().settings().progressIntervalMillis();
        context.callAsync(() -> null, (ignored, error) -> logProgress(), interval, interval);
    }

    /** A progress line in the JobManager's log, every {@code settings.progressIntervalMillis}, of the splits committed. */
    private void logProgress() {
        if (plans == null || finished || failure != null) {
            return;
        }
        long written = done.values().stream().mapToLong(Messages.SplitDone::recordsWritten).sum();
        LOG.info(String.format(java.util.Locale.ROOT, "Job '%s' progress on Flink: %,d records read, %,d written, "
                + "dirty %d, splits %d/%d committed", job.name(), recordsRead, written, dirty, done.size(),
                planned.size()));
    }

    /**
     * PRE and SPLIT, off the coordinator thread; for tables the submitting process planned, only
     * their plans and splits.
     */
    private Messages.Plans plan() {
        if (job.prePlanned()) {
            List<Messages.TablePlans> tables = new ArrayList<>();
            List<FerrySplit> splits = new ArrayList<>();
            for (int t = 0; t < job.tables().size(); t++) {
                DistributedCopy.PlannedTable table = job.tables().get(t);
                tables.add(new Messages.TablePlans(table.source(), table.target()));
                for (Split split : table.splits()) {
                    splits.add(new FerrySplit(t, split));
                }
            }
            planned = List.copyOf(splits);
            return new Messages.Plans(tables);
        }
        JobValidator.ValidatedJob validated = job.validator(CopyEnumerator.class.getClassLoader()).validate(job.spec());
        source = validated.source();
        target = validated.target();
        if (!(source instanceof PlannedSource plannedSource) || !(target instanceof PlannedTarget plannedTarget)) {
            throw new SyncException(ErrorKind.CONFIGURATION, "job '" + job.name() + "': the source and the target must "
                    + "make plans other processes attach to (" + source + ", " + target + ")");
        }
        long start = System.nanoTime();
        source.prepare(jobContext);
        if (target instanceof SupportsSplitLedger ledger) {
            ledger.keepSplitLedger(job.ledger(), false);
        }
        target.prepare(jobContext, source.schema());
        long split = System.nanoTime();
        stageMillis.put(Stage.PRE, TimeUnit.NANOSECONDS.toMillis(split - start));
        List<FerrySplit> splits = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Split s : source.planSplits(jobContext)) {
            if (!ids.add(s.id())) {
                throw new SyncException(ErrorKind.INTERNAL, "connector '" + job.spec().source().connector()
                        + "' planned two splits with id '" + s.id() + "'");
            }
            splits.add(new FerrySplit(0, s));
        }
        planned = List.copyOf(splits);
        stageMillis.put(Stage.SPLIT, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - split));
        return new Messages.Plans(List.of(new Messages.TablePlans(plannedSource.sourcePlan(),
                plannedTarget.targetPlan())));
    }

    @Override
    public void addReader(int subtaskId) {
        // A reader that registers again was restarted: whatever it had not finished is copied again.
        Set<String> leftover = assigned.remove(subtaskId);
        if (leftover != null && !leftover.isEmpty() && planned != null) {
            requeue(planned.stream().filter(s -> leftover.contains(s.splitId())).toList(), subtaskId);
        }
        if (failure != null) {
            context.sendEventToSourceReader(subtaskId, new Messages.Failed(failedStage, failure, totals()));
        } else if (plans != null) {
            context.sendEventToSourceReader(subtaskId, plans);
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        waiting.add(subtaskId);
        assignWaiting();
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof Messages.SplitDone splitDone) {
            inFlight(subtaskId).remove(splitDone.split());
            splitDone(splitDone);
            assignWaiting();
        } else if (event instanceof Messages.SplitDirty splitDirty) {
            inFlight(subtaskId).remove(splitDirty.split());
            recordsRead += splitDirty.recordsRead();
            count(splitDirty.dirty(), splitDirty.samples());
            checkDirtyRecords();
            if (failure == null) {
                // The reader's own count passed the limit: the job's cannot be lower, unless counts went astray.
                fail(Stage.SYNC, "a reader exceeded the dirty-data limit", new DirtyDataLimitException("dirty records "
                        + "exceed settings.dirtyData.maxRecords (" + job.spec().settings().dirtyData().maxRecords()
                        + ") in split " + splitDirty.split()));
            }
        } else {
            LOG.warn("Job '{}': reader {} sent an unknown event {}", job.name(), subtaskId, event);
        }
    }

    /** The job's dirty records judged against {@code maxRecords}; past it the job fails. */
    private void checkDirtyRecords() {
        try {
            DirtyData.checkRecords(job.spec().settings().dirtyData(), dirty, null);
        } catch (DirtyDataLimitException e) {
            fail(Stage.SYNC, "the dirty-data limit was exceeded", e);
        }
    }

    private Set<String> inFlight(int subtaskId) {
        return assigned.computeIfAbsent(subtaskId, r -> new HashSet<>());
    }

    /** Adds dirty records to the job's count and keeps the first ones. */
    private void count(long records, List<DirtyRecord> samples) {
        dirty += records;
        for (DirtyRecord sample : samples) {
            if (dirtySamples.size() < DirtyData.SAMPLES) {
                dirtySamples.add(sample);
            }
        }
    }

    private void splitDone(Messages.SplitDone splitDone) {
        if (done.putIfAbsent(splitDone.split(), splitDone) != null) {
            return;
        }
        recordsRead += splitDone.recordsRead();
        count(splitDone.dirty(), splitDone.samples());
        checkDirtyRecords();
    }

    @Override
    public void addSplitsBack(List<FerrySplit> splits, int subtaskId) {
        Set<String> inFlight = assigned.getOrDefault(subtaskId, new HashSet<>());
        splits.forEach(split -> inFlight.remove(split.splitId()));
        requeue(splits, subtaskId);
    }

    /**
     * Puts the splits of a failed reader back at the head of the queue, but for those committed
     * after all (the target's ledger says so: the reader failed after its commit but before telling)
     * and those already waiting or done.
     */
    private void requeue(List<FerrySplit> splits, int subtaskId) {
        Map<String, Long> committed = committedSplits();
        Set<String> waitingIds = new HashSet<>();
        pending.forEach(split -> waitingIds.add(split.splitId()));
        List<FerrySplit> again = new ArrayList<>();
        for (FerrySplit split : splits) {
            String id = split.splitId();
            if (done.containsKey(id) || waitingIds.contains(id)) {
                continue;
            }
            Long records = committed.get(split.split().id());
            if (records != null) {
                LOG.info("Job '{}': split {} was committed by reader {} before it failed; it is not copied again",
                        job.name(), id, subtaskId);
                splitDone(new Messages.SplitDone(id, records, records, 0, 0, List.of()));
            } else {
                again.add(split);
            }
        }
        if (!again.isEmpty()) {
            LOG.info("Job '{}': reader {} failed; {} unfinished split(s) will be copied again: {}", job.name(), subtaskId,
                    again.size(), again.stream().map(FerrySplit::splitId).toList());
        }
        for (int i = again.size() - 1; i >= 0; i--) {
            pending.addFirst(again.get(i));
        }
        assignWaiting();
    }

    /** What the target's ledger says was committed; empty for a target without one. */
    private Map<String, Long> committedSplits() {
        if (!(target instanceof SupportsSplitLedger ledger) || plans == null) {
            return Map.of();
        }
        try {
            return ledger.committedSplits();
        } catch (RuntimeException e) {
            fail(Stage.SYNC, "reading the target's split ledger failed", e);
            return Map.of();
        }
    }

    private void assignWaiting() {
        if (failure != null) {
            for (int reader : waiting) {
                context.sendEventToSourceReader(reader, new Messages.Failed(failedStage, failure, totals()));
            }
            waiting.clear();
            return;
        }
        if (plans == null) {
            return;
        }
        var readers = waiting.iterator();
        while (readers.hasNext() && !pending.isEmpty()) {
            int reader = readers.next();
            if (!context.registeredReaders().containsKey(reader)) {
                continue;
            }
            FerrySplit split = pending.poll();
            assigned.computeIfAbsent(reader, r -> new HashSet<>()).add(split.splitId());
            context.assignSplit(split, reader);
            readers.remove();
        }
        if (pending.isEmpty() && assigned.values().stream().allMatch(Set::isEmpty) && !finishing) {
            finishing = true;
            long syncMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - syncStartNanos);
            stageMillis.put(Stage.SYNC, syncMillis);
            context.callAsync(this::post, (totals, error) -> {
                if (error != null) {
                    fail(Stage.POST, "the target's commit or POST failed", error);
                    return;
                }
                finished = true;
                for (int reader : context.registeredReaders().keySet()) {
                    context.sendEventToSourceReader(reader, new Messages.Done(totals));
                    context.signalNoMoreSplits(reader);
                }
                waiting.clear();
            });
        } else if (finished) {
            for (int reader : waiting) {
                context.signalNoMoreSplits(reader);
            }
            waiting.clear();
        }
    }

    /** The dirty-data percentage, the target's commit and POST, off the coordinator thread; returns the totals. */
    private CopyTotals post() {
        long start = System.nanoTime();
        DirtyData.checkPercent(job.spec().settings().dirtyData(), dirty, recordsRead);
        if (target != null) {
            target.commit();
            target.post();
        }
        if (target instanceof SupportsSplitLedger ledger) {
            try {
                ledger.dropSplitLedger();
            } catch (RuntimeException e) {
                LOG.warn("Job '{}': removing the split ledger's entries failed: {}", job.name(), e.toString());
            }
        }
        stageMillis.put(Stage.POST, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        return totals();
    }

    /** What was counted so far: of every split once the copy is done, of the committed ones before. */
    private CopyTotals totals() {
        long written = 0;
        long bytes = 0;
        List<JobReport.SplitReport> splits = new ArrayList<>();
        List<Integer> splitTables = new ArrayList<>();
        for (FerrySplit split : planned == null ? List.<FerrySplit>of() : planned) {
            Messages.SplitDone d = done.get(split.splitId());
            splits.add(new JobReport.SplitReport(split.split().id(), d == null ? 0 : d.recordsRead()));
            splitTables.add(split.table());
            if (d != null) {
                written += d.recordsWritten();
                bytes += d.bytes();
            }
        }
        List<JobReport.StageTiming> stages = new ArrayList<>();
        stageMillis.forEach((stage, millis) -> stages.add(new JobReport.StageTiming(stage, millis)));
        return new CopyTotals(recordsRead, written, bytes, dirty, splits, splitTables, stages,
                stageMillis.getOrDefault(Stage.SYNC, 0L), dirtySamples, jobContext.warnings(), job.parallelism());
    }

    private void fail(Stage stage, String what, Throwable error) {
        if (failure != null) {
            return;
        }
        failure = CopyJob.describe(error);
        failedStage = stage;
        LOG.error("Job '{}': {}: {}", job.name(), what, failure, error);
        for (int reader : context.registeredReaders().keySet()) {
            context.sendEventToSourceReader(reader, new Messages.Failed(failedStage, failure, totals()));
        }
        waiting.clear();
    }

    @Override
    public CopyState snapshotState(long checkpointId) {
        List<FerrySplit> unfinished = new ArrayList<>(pending);
        if (planned == null) {
            return new CopyState(unfinished);
        }
        assigned.values().forEach(ids -> planned.stream().filter(s -> ids.contains(s.splitId())).forEach(unfinished::add));
        return new CopyState(unfinished);
    }

    @Override
    public void close() {
        if (target != null && !finished) {
            quietly("abort the target", target::abort);
            // A run on Flink is not resumed from its ledger (a new run plans anew), so its entries go.
            if (target instanceof SupportsSplitLedger ledger && plans != null) {
                quietly("remove the split ledger's entries", ledger::dropSplitLedger);
            }
        }
        if (target != null) {
            quietly("close the target", target::close);
        }
        if (source != null) {
            quietly("close the source", source::close);
        }
    }

    private void quietly(String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("Job '{}': failed to {}: {}", job.name(), what, e.toString());
        }
    }
}
