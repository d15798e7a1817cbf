package dev.ferry.engine.task;

import dev.ferry.api.JobContext;
import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.SupportsPartitions;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.state.StateStore;
import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.StageState;
import dev.ferry.api.task.TaskSpec;
import dev.ferry.engine.config.JobValidator.ValidatedStream;
import dev.ferry.engine.runtime.StreamRun;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Incremental Merge of a partitioned task: builds one Business Date's partition of every target
 * table from the partition it builds on and that date's change log ({@link SupportsPartitions#merge}).
 * It builds on the date before, except on the date of the task's last Full Initialization (or
 * Rerun), whose own partition holds the copy. While it runs it holds the date in the task store, so
 * no other merge, backfill or rerun writes the same date at the same time, in any process; a merge
 * whose holder died is taken over once its hold expires ({@link DateHold}) or at once on the same
 * host. Each run is recorded as a {@link MergeInstance}.
 *
 * <p>Threading: one merge per call, on the calling thread; calls for different dates may run at once.
 */
public final class IncrementalMerge {

    private static final Logger LOG = LoggerFactory.getLogger(IncrementalMerge.class);

    private final String task;
    private final TaskStore tasks;
    private final StateStore store;
    private final TaskRun.Streams streams;
    private final ScheduledExecutorService timer;

    public IncrementalMerge(String task, TaskStore tasks, StateStore store, TaskRun.Streams streams,
                            ScheduledExecutorService timer) {
        this.task = task;
        this.tasks = tasks;
        this.store = store;
        this.streams = streams;
        this.timer = timer;
    }

    /** Refuses a merge the task cannot have. @throws ConfigException when its target is not partitioned */
    public static void check(TaskSpec spec) {
        if (spec.partitions() == null) {
            throw new ConfigException("task", List.of(new Violation("target.kind", "must be partitioned for an "
                    + "Incremental Merge (it builds Business-Date partitions from the change log)", "'"
                    + spec.kind().keyName() + "'")));
        }
    }

    /**
     * Builds {@code date}'s partitions and records the run.
     *
     * @throws ConfigException when the task's target is not partitioned or it was never initialized
     * @throws SyncException   when another operation holds the date, when the partition to build on
     *                         is missing (naming the date to merge or backfill first), or when the
     *                         target fails; the failure is recorded too
     */
    public MergeInstance run(TaskSpec spec, LocalDate date) {
        return run(spec, date, false);
    }

    /**
     * Builds {@code date}'s partitions and records the run; with {@code wait}, first waits while
     * another merge, backfill or copy writes the date, and then builds on what it wrote.
     *
     * @throws ConfigException when the task's target is not partitioned or it was never initialized
     * @throws SyncException   as {@link #run(TaskSpec, LocalDate)}
     */
    public MergeInstance run(TaskSpec spec, LocalDate date, boolean wait) {
        check(spec);
        LocalDate base = tasks.baseDate(task).orElseThrow(() -> new ConfigException("task", List.of(new Violation(
                "task", "has not begun its Full Initialization, so there is nothing to merge yet (start it first)",
                "'" + task + "'"))));
        if (date.isBefore(base)) {
            throw new ConfigException("task", List.of(new Violation("--date", "must not be before the Business Date of the "
                    + "task's Full Initialization (" + base + "); a Full Data Backfill writes earlier dates", date.toString())));
        }
        DateHold hold = DateHold.take(tasks, task, date, "merge", timer, wait);
        Instant started = tasks.now();
        tasks.saveMerge(task, new MergeInstance(date, StageState.RUNNING, started, null, 0, null));
        LOG.info("Task '{}': Incremental Merge of {} started", task, date);
        try {
            long rows = mergeAll(spec, date, base);
            MergeInstance done = new MergeInstance(date, StageState.DONE, started, tasks.now(), rows, null);
            tasks.saveMerge(task, done);
            LOG.info("Task '{}': Incremental Merge of {} done, {} rows", task, date, rows);
            return done;
        } catch (RuntimeException e) {
            tasks.saveMerge(task, new MergeInstance(date, StageState.FAILED, started, tasks.now(), 0, e.getMessage()));
            LOG.warn("Task '{}': Incremental Merge of {} failed: {}", task, date, e.getMessage());
            throw e;
        } finally {
            hold.close();
        }
    }

    /**
     * Merges every table that the task had on {@code date}. A table builds on its partition of the
     * day before, except on the date of its own last Full Initialization (the task's, or the one an
     * Edit that added it began), where that partition holds the copy; a table added after
     * {@code date} has no partition of it and is left out.
     */
    private long mergeAll(TaskSpec spec, LocalDate date, LocalDate base) {
        Set<String> merged = new HashSet<>();
        long rows = 0;
        for (JobSpec job : TaskJobs.streams(spec, base).values()) {
            ValidatedStream stream = streams.validate(job);
            try {
                CapturePlan plan = StreamRun.storedPlan(job.name(), stream.source(), store).orElseThrow(() ->
                        new SyncException(ErrorKind.CONFIGURATION, "task '" + task + "' has no planned tables for "
                                + job.name() + " yet: start the task first"));
                ChangeTarget target = stream.target();
                if (!(target instanceof SupportsPartitions partitions)) {
                    throw new ConfigException("task", List.of(new Violation("target.connector", "must keep Business-Date "
                            + "partitions for a partitioned target", "'" + job.target().connector() + "'")));
                }
                JobContext context = new MergeContext(job.name(), job.settings().concurrency(), store);
                for (TableMapping table : target.prepare(context, plan.tables())) {
                    if (!merged.add(table.target())) {
                        continue; // shards of one logical table
                    }
                    LocalDate copied = tasks.tableDate(task, table.target()).filter(d -> d.isAfter(base)).orElse(base);
                    if (date.isBefore(copied)) {
                        LOG.info("Task '{}': {} joined the task on {}, after {}; left out of its merge", task,
                                table.target(), copied, date);
                        continue;
                    }
                    LocalDate previous = date.equals(copied) ? copied : date.minusDays(1);
                    if (!partitions.hasPartition(context, table, previous)) {
                        throw new SyncException(ErrorKind.CONFIGURATION, "the partition of " + previous + " of "
                                + table.target() + " is missing, so " + date + " has nothing to build on: merge " + previous
                                + " first (sync.jar task merge " + task + " --date " + previous + ") or backfill it");
                    }
                    long tableRows = partitions.merge(context, table, date, previous);
                    LOG.info("Task '{}': partition {} of {} built from {} and the day's changes: {} rows", task, date,
                            table.target(), previous, tableRows);
                    rows += tableRows;
                }
            } finally {
                stream.source().close();
                stream.target().close();
            }
        }
        return rows;
    }

    /** What the target sees of a merge. */
    private record MergeContext(String jobName, int concurrency, StateStore stateStore) implements JobContext {

        @Override
        public void warn(String message) {
            LOG.warn("Job '{}': {}", jobName, message);
        }
    }
}
