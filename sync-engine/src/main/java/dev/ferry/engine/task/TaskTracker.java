package dev.ferry.engine.task;

import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.state.Position;
import dev.ferry.api.task.StageState;
import dev.ferry.api.task.StageStatus;
import dev.ferry.api.task.TableStatus;
import dev.ferry.api.task.TargetKind;
import dev.ferry.api.task.TaskStage;
import dev.ferry.api.task.TaskState;
import dev.ferry.api.task.TaskStatus;
import dev.ferry.engine.runtime.StreamObserver;
import dev.ferry.engine.runtime.StreamRun;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one task through its stages, table by table, and turns what it saw into a
 * {@link TaskStatus}. The stream tells it where each table stands ({@link StreamObserver}); the
 * runner tells it how the task ended.
 *
 * <p>Threading: the stream's driver thread moves it; {@link #status} may be called from any
 * thread (every method is synchronized).
 */
final class TaskTracker implements StreamObserver {

    private static final Logger LOG = LoggerFactory.getLogger(TaskTracker.class);

    private final String task;
    private final Map<TaskStage, StageState> stages = new EnumMap<>(TaskStage.class);
    private final Map<String, StageState> migrated = new TreeMap<>();
    private final Map<String, StageState> copied = new TreeMap<>();
    private final Map<String, Long> copiedRows = new TreeMap<>();
    private int version;
    private TaskState state = TaskState.RUNNING;
    private String error;
    private StreamRun stream;

    /** @param previous the status the task's last runner left, for the row counts of tables copied before */
    TaskTracker(String task, TaskStatus previous) {
        this.task = task;
        if (previous != null) {
            for (TableStatus table : previous.stage(TaskStage.FULL_INITIALIZATION).tables()) {
                if (table.status() == StageState.DONE && table.records() != null) {
                    copiedRows.put(table.table(), table.records());
                }
            }
        }
    }

    /** A runner starts (or restarts after an edit or a rerun) on {@code version} with {@code stream}. */
    synchronized void starting(int taskVersion, TargetKind kind, boolean realtime, StreamRun run) {
        version = taskVersion;
        stream = run;
        state = TaskState.RUNNING;
        error = null;
        stages.put(TaskStage.SCHEMA_MIGRATION, StageState.RUNNING);
        stages.put(TaskStage.FULL_INITIALIZATION, StageState.PENDING);
        stages.put(TaskStage.REALTIME, realtime ? StageState.PENDING : StageState.SKIPPED);
        stages.put(TaskStage.INCREMENTAL_MERGE, kind == TargetKind.PARTITIONED ? StageState.PENDING : StageState.SKIPPED);
        migrated.replaceAll((t, s) -> StageState.PENDING);
        copied.replaceAll((t, s) -> StageState.PENDING);
        LOG.info("Task '{}' version {}: Schema Migration started", task, version);
    }

    /** A rerun copies everything again: earlier copies no longer count. */
    synchronized void forgetCopies() {
        copiedRows.clear();
    }

    @Override
    public synchronized void prepared(List<TableMapping> tables) {
        migrated.clear();
        copied.clear();
        for (TableMapping table : tables) {
            String name = table.source().toString();
            migrated.put(name, StageState.DONE);
            copied.put(name, StageState.PENDING);
            LOG.info("Task '{}': Schema Migration of {} done (target {})", task, name, table.target());
        }
        stages.put(TaskStage.SCHEMA_MIGRATION, StageState.DONE);
        LOG.info("Task '{}': Schema Migration done for {} table(s)", task, tables.size());
    }

    @Override
    public synchronized void copying(TableId table) {
        if (stages.get(TaskStage.FULL_INITIALIZATION) == StageState.PENDING) {
            LOG.info("Task '{}': Full Initialization started", task);
        }
        stages.put(TaskStage.FULL_INITIALIZATION, StageState.RUNNING);
        copied.put(table.toString(), StageState.RUNNING);
        LOG.info("Task '{}': Full Initialization of {} started", task, table);
    }

    @Override
    public synchronized void copied(TableId table, long rows, boolean earlier) {
        stages.put(TaskStage.FULL_INITIALIZATION, StageState.RUNNING);
        copied.put(table.toString(), StageState.DONE);
        copiedRows.put(table.toString(), rows);
        if (!earlier) {
            LOG.info("Task '{}': Full Initialization of {} done, {} rows", task, table, rows);
        }
    }

    @Override
    public synchronized void streaming(Position from, List<TableId> stillCopying) {
        List<String> copying = stillCopying.stream().map(TableId::toString).toList();
        if (copying.isEmpty() && stages.get(TaskStage.FULL_INITIALIZATION) != StageState.DONE) {
            LOG.info("Task '{}': Full Initialization done", task);
        }
        stages.put(TaskStage.FULL_INITIALIZATION, copying.isEmpty() ? StageState.DONE : StageState.RUNNING);
        copied.replaceAll((t, s) -> copying.contains(t) ? (s == StageState.DONE ? StageState.RUNNING : s)
                : StageState.DONE);
        if (stages.get(TaskStage.REALTIME) != StageState.RUNNING) {
            LOG.info("Task '{}': Real-time Synchronization started from {}{}", task, from.asText(), copying.isEmpty()
                    ? "" : " while " + copying + " are copied");
        }
        stages.put(TaskStage.REALTIME, StageState.RUNNING);
    }

    /** The copy-only run finished: every table is copied. */
    synchronized void copiedAll() {
        stages.put(TaskStage.FULL_INITIALIZATION, StageState.DONE);
        copied.replaceAll((t, s) -> StageState.DONE);
    }

    /** The task ended in {@code outcome}; stages that were running are marked accordingly. */
    synchronized void ended(TaskState outcome, String failure) {
        state = outcome;
        error = outcome == TaskState.FAILED ? failure : null;
        StageState running = outcome == TaskState.FAILED ? StageState.FAILED : StageState.PENDING;
        stages.replaceAll((stage, s) -> s == StageState.RUNNING ? running : s);
        migrated.replaceAll((t, s) -> s == StageState.RUNNING ? running : s);
        copied.replaceAll((t, s) -> s == StageState.RUNNING ? running : s);
    }

    /** Tables whose Full Initialization is done, as source names. */
    synchronized List<String> tables() {
        return new ArrayList<>(migrated.keySet());
    }

    synchronized TaskStatus status() {
        List<StageStatus> result = new ArrayList<>();
        result.add(new StageStatus(TaskStage.SCHEMA_MIGRATION, stages.get(TaskStage.SCHEMA_MIGRATION), null, null,
                migrated.entrySet().stream().map(e -> TableStatus.of(e.getKey(), e.getValue())).toList()));
        List<TableStatus> copies = new ArrayList<>();
        copied.forEach((t, s) -> copies.add(new TableStatus(t, s, s == StageState.DONE ? copiedRows.get(t) : null, null,
                null, null)));
        result.add(new StageStatus(TaskStage.FULL_INITIALIZATION, stages.get(TaskStage.FULL_INITIALIZATION), null, null,
                copies));
        StageState realtime = stages.get(TaskStage.REALTIME);
        List<TableStatus> applied = new ArrayList<>();
        Long lag = null;
        String position = null;
        if (realtime != StageState.SKIPPED) {
            Map<TableId, long[]> counts = stream == null ? Map.of() : stream.tableCounts();
            for (String table : migrated.keySet()) {
                long[] c = counts.getOrDefault(TableId.parse(table), new long[3]);
                applied.add(new TableStatus(table, realtime == StageState.RUNNING ? StageState.RUNNING : realtime, null,
                        c[0], c[1], c[2]));
            }
            if (stream != null && realtime == StageState.RUNNING) {
                lag = stream.lagMillis();
            }
            Position saved = stream == null ? null : stream.savedCheckpoint();
            position = saved == null ? null : saved.asText();
        }
        result.add(new StageStatus(TaskStage.REALTIME, realtime, lag, position, applied));
        result.add(new StageStatus(TaskStage.INCREMENTAL_MERGE, stages.get(TaskStage.INCREMENTAL_MERGE), null, null,
                List.of()));
        return new TaskStatus(task, version, state, error, result);
    }
}
