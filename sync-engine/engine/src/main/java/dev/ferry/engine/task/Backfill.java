package dev.ferry.engine.task;

import dev.ferry.api.change.TableId;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.task.TableRule;
import dev.ferry.api.task.TaskSpec;
import dev.ferry.engine.config.JobValidator.ValidatedStream;
import dev.ferry.engine.runtime.PartitionCopyRun;
import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.StageState;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Full Data Backfill of a partitioned task: copies the source's current data into one Business
 * Date's partition of the chosen tables, each partition replaced atomically, while no other merge,
 * backfill or rerun writes that date (held in the task store, in any process). The next merge
 * builds the day after on it. Not for sharded sources, whose tables come from several endpoints.
 *
 * <p>Threading: one backfill per call, on the calling thread.
 */
public final class Backfill {

    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);

    private final String task;
    private final TaskStore tasks;
    private final TaskRun.Streams streams;
    private final ScheduledExecutorService timer;

    public Backfill(String task, TaskStore tasks, TaskRun.Streams streams, ScheduledExecutorService timer) {
        this.task = task;
        this.tasks = tasks;
        this.streams = streams;
        this.timer = timer;
    }

    /** A backfill asked of another process's runner: {@code backfill:YYYY-MM-DD:t1,t2}. */
    public record Request(LocalDate date, Set<String> tables) {

        public String operation() {
            return TaskRun.BACKFILL_REQUEST + date + ":" + String.join(",", tables);
        }

        static Request parse(String operation) {
            String rest = operation.substring(TaskRun.BACKFILL_REQUEST.length());
            int colon = rest.indexOf(':');
            String tables = colon < 0 ? "" : rest.substring(colon + 1);
            return new Request(LocalDate.parse(colon < 0 ? rest : rest.substring(0, colon)),
                    tables.isEmpty() ? Set.of() : Set.of(tables.split(",")));
        }
    }

    /**
     * Refuses a backfill the task cannot have: a target that is not partitioned, a sharded source,
     * tables the task does not sync.
     *
     * @throws ConfigException saying why
     */
    public static void check(TaskSpec spec, Set<String> tables) {
        if (spec.isSharded()) {
            throw new ConfigException("task", List.of(new Violation("task", "cannot be backfilled: its source is "
                    + "sharded, and a Full Data Backfill of sharded sources is not available", "'" + spec.name() + "'")));
        }
        if (spec.partitions() == null) {
            throw new ConfigException("task", List.of(new Violation("target.kind", "must be partitioned for a Full "
                    + "Data Backfill (it rewrites one Business Date's partition)", "'" + spec.kind().keyName() + "'")));
        }
        Set<String> known = spec.tables().stream().map(TableRule::name).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>(tables);
        unknown.removeIf(t -> known.contains(t) || spec.tables().stream().anyMatch(r -> r.name().endsWith(".*")
                && t.startsWith(r.name().substring(0, r.name().length() - 1))));
        if (!unknown.isEmpty()) {
            throw new ConfigException("task", List.of(new Violation("--tables", "must name tables the task syncs ("
                    + known + ")", String.join(",", unknown))));
        }
    }

    /**
     * Copies the tables (all when {@code tables} is empty) into {@code date}'s partitions.
     *
     * @return the copy's report
     * @throws SyncException when another operation holds the date or the copy fails
     */
    public JobReport run(TaskSpec spec, LocalDate date, Set<String> tables) {
        return run(spec, date, tables, false);
    }

    /**
     * Copies the tables into {@code date}'s partitions and records the outcome
     * ({@link TaskStore#backfill}); with {@code wait}, first waits while another merge, backfill or
     * copy writes the date.
     *
     * @return the copy's report
     * @throws SyncException when another operation holds the date (not waiting) or the copy fails
     */
    public JobReport run(TaskSpec spec, LocalDate date, Set<String> tables, boolean wait) {
        check(spec, tables);
        LocalDate base = tasks.baseDate(task).orElse(date);
        try (DateHold hold = DateHold.take(tasks, task, date, "backfill", timer, wait)) {
            Instant started = tasks.now();
            tasks.saveBackfill(task, new MergeInstance(date, StageState.RUNNING, started, null, 0, null));
            try {
                JobSpec job = TaskJobs.streams(spec, base).values().iterator().next();
                ValidatedStream stream = streams.validate(job);
                Set<TableId> ids = tables.stream().map(TableId::parse).collect(Collectors.toSet());
                PartitionCopyRun copy = streams.backfill(stream, task + "-backfill-" + date, date, ids);
                copy.run();
                JobReport report = copy.await();
                if (report.status() != JobStatus.SUCCESS) {
                    throw new SyncException(ErrorKind.EXTERNAL, "the backfill of " + date + " " + report.status() + ": "
                            + report.error());
                }
                tasks.saveBackfill(task, new MergeInstance(date, StageState.DONE, started, tasks.now(),
                        report.recordsWritten(), null));
                LOG.info("Task '{}': Full Data Backfill of {} done, {} rows", task, date, report.recordsWritten());
                return report;
            } catch (RuntimeException e) {
                tasks.saveBackfill(task, new MergeInstance(date, StageState.FAILED, started, tasks.now(), 0,
                        e.getMessage()));
                throw e;
            }
        }
    }
}
