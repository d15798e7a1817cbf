package dev.ferry.engine.runtime;

import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.PlannedSource;
import dev.ferry.api.PlannedTarget;
import dev.ferry.api.Split;
import dev.ferry.api.SupportsSplitResume;
import dev.ferry.api.Target;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.Runner;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.Ticker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the tables of a change source's snapshot into a change target, many tables at once: the
 * splits of every table wait in one queue for one set of channels (as many as the stream holds
 * slots for), so 50 small tables take as long as their rows, not 50 rounds of setup, and the
 * connections in use are the channels' whatever the number of tables.
 *
 * <p>Progress survives a crash or a stop: each table's planned splits are kept under
 * {@code stream/NAME/copying/TABLE} once, and each split written under
 * {@code stream/NAME/copying/TABLE/written/SPLIT} as it finishes (a {@link SplitProgress}, as a
 * batch job run with its progress kept uses), and a copied table moves to
 * {@code stream/NAME/copied}. The next start skips copied tables and, for a table whose source
 * {@linkplain SupportsSplitResume resumes splits} under the same design, reads only the splits not
 * written yet. Rows written twice by a split redone after a crash are overwritten by key, since a
 * change target's copies write by key.
 *
 * <p>Threading: {@link #copy} on one thread (the stream's driver or join thread); {@link #cancel}
 * from any thread.
 */
final class SnapshotCopy {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCopy.class);

    private final String job;
    private final JobSpec spec;
    private final JobSettings settings;
    private final JobContext context;
    private final StateStore store;
    private final DirtyData dirty;
    private final Ticker ticker;
    private final StreamMetrics metrics;
    private final StreamObserver observer;
    private final int channelBudget;
    private final BiConsumer<String, Runnable> quietly;
    private volatile SyncStage stage;
    private volatile DistributedCopy.Execution distributed;
    private volatile String cancelled;

    /**
     * @param spec          the stream's job, whose connector blocks a copy on a distributed engine
     *                      attaches with
     * @param channelBudget the most channels the copy may use: the slots the stream holds
     * @param quietly       runs a clean-up step, logging (redacted) instead of throwing
     */
    SnapshotCopy(String job, JobSpec spec, JobSettings settings, JobContext context, StateStore store, DirtyData dirty,
                 Ticker ticker, StreamMetrics metrics, StreamObserver observer, int channelBudget,
                 BiConsumer<String, Runnable> quietly) {
        this.job = job;
        this.spec = spec;
        this.settings = settings;
        this.context = context;
        this.store = store;
        this.dirty = dirty;
        this.ticker = ticker;
        this.metrics = metrics;
        this.observer = observer;
        this.channelBudget = Math.max(1, channelBudget);
        this.quietly = quietly;
    }

    /** The key of the tables an unfinished snapshot has copied, with their rows. */
    static String copiedKey(String job) {
        return "stream/" + job + "/copied";
    }

    /** The prefix of the keys of the tables an unfinished snapshot is copying. */
    static String copyingPrefix(String job) {
        return "stream/" + job + "/copying/";
    }

    /** Adds to {@code values} the removal of every record of an unfinished snapshot. */
    static void forgetProgress(String job, StateStore store, Map<String, String> values) {
        values.put(copiedKey(job), null);
        store.list(copyingPrefix(job)).keySet().forEach(key -> values.put(key, null));
    }

    /** Stops the copy promptly; {@link #copy} then fails with a cancellation carrying {@code reason}. */
    void cancel(String reason) {
        cancelled = reason;
        SyncStage running = stage;
        if (running != null) {
            running.cancel(reason);
        }
        DistributedCopy.Execution elsewhere = distributed;
        if (elsewhere != null) {
            elsewhere.cancel();
        }
    }

    /**
     * Copies {@code tables} from {@code sources} into the batch targets {@code targets} makes (a
     * change target's {@link ChangeTarget#snapshot}, or a partition), skipping what an interrupted
     * earlier copy finished.
     *
     * @param mappings where each table goes, as the target prepared them
     */
    void copy(List<TableMapping> mappings, List<CapturedTable> tables, Function<TableId, Source> sources,
              Function<TableMapping, Target> targets) {
        Map<String, Long> copied = new TreeMap<>(PlanJson.readCopied(store.get(copiedKey(job)).orElse(null)));
        List<CapturedTable> left = new ArrayList<>();
        for (CapturedTable table : tables) {
            Long earlier = copied.get(table.id().toString());
            if (earlier != null) {
                LOG.info("Job '{}': {} was copied by an earlier start ({} rows); not copied again", job, table.id(),
                        earlier);
                metrics.snapshotRows.add(earlier);
                observer.copied(table.id(), earlier, true);
            } else {
                left.add(table);
            }
        }
        if (left.isEmpty()) {
            return;
        }
        Map<SyncStage.Table, Copying> copying = new LinkedHashMap<>();
        boolean done = false;
        try {
            JobContext copyContext = new CopyContext(context, Math.min(settings.concurrency(), channelBudget));
            for (CapturedTable table : left) {
                checkCancelled();
                Copying prepared = prepare(mappings, table, sources, targets, copyContext);
                copying.put(prepared.table, prepared);
            }
            int splits = copying.values().stream().mapToInt(c -> c.table.splits.size()).sum();
            if (settings.runner().isFlink()) {
                copyElsewhere(copying, new Progress(copying, copied), splits);
                done = true;
                return;
            }
            int channels = Math.max(1, Math.min(Math.min(settings.concurrency(), channelBudget), splits));
            LOG.info("Job '{}': copying {} table(s), {} split(s), through {} channel(s)", job, copying.size(), splits,
                    channels);
            SyncStage run = new SyncStage(job, List.copyOf(copying.keySet()), new Progress(copying, copied), settings,
                    copyContext, new JobCounters(), dirty, ticker, channels);
            stage = run;
            checkCancelled();
            run.run();
            done = true;
        } finally {
            stage = null;
            for (Copying c : copying.values()) {
                if (!done && !c.finished) {
                    quietly("abort the copy of " + c.id, c.table.target::abort);
                }
                if (!c.finished) {
                    quietly("close the copy target of " + c.id, c.table.target::close);
                    quietly("close the copy source of " + c.id, c.table.source::close);
                }
            }
        }
    }

    /**
     * Runs the splits on the distributed engine {@code settings.runner} names, while this process
     * keeps the snapshot and the prepared targets; then records every split and commits every
     * table, in the order a local copy would. A copy that stops midway keeps nothing of its splits,
     * so the next start copies those tables again, by key.
     */
    private void copyElsewhere(Map<SyncStage.Table, Copying> copying, Progress progress, int splits) {
        Runner runner = settings.runner();
        DistributedCopy copier = DistributedCopy.find(runner, SnapshotCopy.class.getClassLoader());
        List<DistributedCopy.PlannedTable> tables = new ArrayList<>();
        for (Copying c : copying.values()) {
            if (!(c.table.source instanceof PlannedSource source) || !(c.table.target instanceof PlannedTarget target)) {
                throw new SyncException(ErrorKind.CONFIGURATION, "settings.runner '" + runner.kind().key() + "': "
                        + c.id + " cannot be copied on Flink, because its source or target cannot be attached in "
                        + "other processes (" + c.table.source + ", " + c.table.target + "); set settings.runner to "
                        + "local");
            }
            tables.add(new DistributedCopy.PlannedTable(c.table.label, source.sourcePlan(), target.targetPlan(),
                    List.copyOf(c.table.splits)));
        }
        int parallelism = Math.max(1, Math.min(settings.concurrency(), splits));
        LOG.info("Job '{}': copying {} table(s), {} split(s), on {} at parallelism {}", job, tables.size(), splits,
                runner.kind().key() + (runner.master() == null ? "" : " " + runner.master()), parallelism);
        for (Copying c : copying.values()) {
            progress.tableStarted(c.table);
        }
        DistributedCopy.Execution execution = copier.start(spec, runner, parallelism, tables);
        distributed = execution;
        Map<String, Map<String, Long>> records;
        try {
            checkCancelled();
            records = execution.await();
        } finally {
            distributed = null;
        }
        for (Copying c : copying.values()) {
            Map<String, Long> read = records.getOrDefault(c.table.label, Map.of());
            for (Split split : c.table.splits) {
                progress.splitDone(c.table, split, read.getOrDefault(split.id(), 0L));
            }
            progress.tableDone(c.table);
        }
    }

    private Copying prepare(List<TableMapping> mappings, CapturedTable table, Function<TableId, Source> sources,
                            Function<TableMapping, Target> targets, JobContext copyContext) {
        TableMapping mapping = mappings.stream().filter(m -> m.source().equals(table.id())).findFirst()
                .orElseThrow(() -> new SyncException(ErrorKind.INTERNAL, "the target did not map " + table.id()));
        Source source = sources.apply(table.id());
        Target tableTarget = null;
        try {
            source.prepare(copyContext);
            tableTarget = targets.apply(mapping);
            tableTarget.prepare(copyContext, source.schema());
            SplitProgress kept = new SplitProgress(store, copyingPrefix(job) + table.id());
            String design = source instanceof SupportsSplitResume resumable ? resumable.splitDesign() : null;
            CopyProgress progress = kept.plan(source.getClass().getClassLoader());
            List<Split> todo;
            Map<String, Long> written;
            if (progress != null && design != null && design.equals(progress.design())) {
                written = new TreeMap<>(kept.writtenSplits(progress, tableTarget));
                todo = SplitProgress.unwritten(progress, written);
                LOG.info("Job '{}': {} resumes its copy: {} of {} split(s) were written by an earlier start", job,
                        table.id(), written.size(), progress.splits().size());
            } else {
                if (progress != null) {
                    LOG.info("Job '{}': {} is copied again from the start: its splits were planned {}", job, table.id(),
                            design == null ? "by a source that cannot resume them" : "under another design ("
                                    + progress.design() + ", now " + design + ")");
                }
                List<Split> planned = List.copyOf(source.planSplits(copyContext));
                written = new TreeMap<>();
                todo = planned;
                progress = design == null ? null : new CopyProgress(design, planned);
                kept.start(progress);
            }
            SyncStage.Table stageTable = new SyncStage.Table(table.id().toString(), source, tableTarget, todo);
            return new Copying(table.id(), mapping, stageTable, kept, progress, written);
        } catch (RuntimeException e) {
            if (tableTarget != null) {
                quietly("close the copy target of " + table.id(), tableTarget::close);
            }
            quietly("close the copy source of " + table.id(), source::close);
            throw e;
        }
    }

    private void checkCancelled() {
        String reason = cancelled;
        if (reason != null) {
            throw new CancelledException(reason);
        }
    }

    /** Keeps the state store and the observer in step as splits and tables finish (driver thread). */
    private final class Progress implements SyncStage.Listener {

        private final Map<SyncStage.Table, Copying> copying;
        private final Map<String, Long> copied;

        Progress(Map<SyncStage.Table, Copying> copying, Map<String, Long> copied) {
            this.copying = copying;
            this.copied = copied;
        }

        @Override
        public void tableStarted(SyncStage.Table table) {
            observer.copying(copying.get(table).id);
        }

        @Override
        public void splitDone(SyncStage.Table table, Split split, long records) {
            Copying c = copying.get(table);
            c.written.put(split.id(), records);
            if (c.progress != null && c.written.size() < c.progress.splits().size()) {
                c.kept.written(c.progress, split.id(), records);
            }
        }

        @Override
        public void tableDone(SyncStage.Table table) {
            Copying c = copying.get(table);
            table.target.commit();
            table.target.post();
            c.finished = true;
            quietly("close the copy target of " + c.id, table.target::close);
            quietly("close the copy source of " + c.id, table.source::close);
            long rows = c.written.values().stream().mapToLong(Long::longValue).sum();
            copied.put(c.id.toString(), rows);
            Map<String, String> values = new HashMap<>();
            values.put(copiedKey(job), PlanJson.writeCopied(copied));
            c.kept.forget(values);
            store.putAll(values);
            metrics.snapshotRows.add(rows);
            observer.copied(c.id, rows, false);
            LOG.info("Job '{}': snapshot of {} into {}: {} rows", job, c.id, c.mapping.target(), rows);
        }
    }

    /** One table being copied. */
    private static final class Copying {

        final TableId id;
        final TableMapping mapping;
        final SyncStage.Table table;
        final SplitProgress kept;
        final CopyProgress progress;
        final Map<String, Long> written;
        boolean finished;

        Copying(TableId id, TableMapping mapping, SyncStage.Table table, SplitProgress kept, CopyProgress progress,
                Map<String, Long> written) {
            this.id = id;
            this.mapping = mapping;
            this.table = table;
            this.kept = kept;
            this.progress = progress;
            this.written = written;
        }
    }

    /** The job context of the copy: the stream's, with the concurrency the copy was granted. */
    private record CopyContext(JobContext stream, int concurrency) implements JobContext {

        @Override
        public String jobName() {
            return stream.jobName();
        }

        @Override
        public void warn(String message) {
            stream.warn(message);
        }

        @Override
        public StateStore stateStore() {
            return stream.stateStore();
        }
    }

    private void quietly(String what, Runnable step) {
        quietly.accept(what, step);
    }
}
