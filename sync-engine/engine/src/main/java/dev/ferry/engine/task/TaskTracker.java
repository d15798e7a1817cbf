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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one task through its stages, table by table, and turns what it saw into a
 * {@link TaskStatus}. Each of the task's streams (one per source endpoint) reports through its own
 * {@link #observer}; the runner tells it how the task ended.
 *
 * <p>A task with several streams (a sharded source) names each table with its stream's label,
 * {@code shard1/shop.orders_3}; a stage is done when it is done in every stream.
 *
 * <p>Threading: the streams' threads move it; {@link #status} may be called from any thread (every
 * method is synchronized).
 */
final class TaskTracker {

    private static final Logger LOG = LoggerFactory.getLogger(TaskTracker.class);

    private final String task;
    private final Map<TaskStage, StageState> stages = new EnumMap<>(TaskStage.class);
    private final Map<String, StageState> migrated = new TreeMap<>();
    private final Map<String, StageState> copied = new TreeMap<>();
    private final Map<String, Long> copiedRows = new TreeMap<>();
    /** Each stream by its label ("" for a task with one), with what it reported. */
    private final Map<String, Followed> streams = new LinkedHashMap<>();
    private int version;
    private TaskState state = TaskState.RUNNING;
    private String error;

    /** One stream's run and how far it got. */
    private static final class Followed {
        final StreamRun run;
        boolean prepared;
        boolean streaming;
        boolean copying;

        Followed(StreamRun run) {
            this.run = run;
        }
    }

    /** @param previous the status the task's last runner left, for the row counts of tables copied before */
    TaskTracker(String task, TaskStatus previous) {
        this.task = task;
        for (TaskStage stage : TaskStage.values()) {
            stages.put(stage, StageState.PENDING);
        }
        if (previous != null && !previous.stages().isEmpty()) {
            for (TableStatus table : previous.stage(TaskStage.FULL_INITIALIZATION).tables()) {
                if (table.status() == StageState.DONE && table.records() != null) {
                    copiedRows.put(table.table(), table.records());
                }
            }
        }
    }

    /**
     * A runner starts (or restarts after an edit or a rerun) on {@code version} with {@code runs}
     * by their labels ({@code ""} for a task with one stream; null runs are allowed in tests).
     */
    synchronized void starting(int taskVersion, TargetKind kind, boolean realtime, Map<String, StreamRun> runs) {
        version = taskVersion;
        state = TaskState.RUNNING;
        error = null;
        streams.clear();
        runs.forEach((label, run) -> streams.put(label, new Followed(run)));
        migrated.clear();
        copied.clear();
        stages.put(TaskStage.SCHEMA_MIGRATION, StageState.RUNNING);
        stages.put(TaskStage.FULL_INITIALIZATION, StageState.PENDING);
        stages.put(TaskStage.REALTIME, realtime ? StageState.PENDING : StageState.SKIPPED);
        stages.put(TaskStage.INCREMENTAL_MERGE, kind == TargetKind.PARTITIONED ? StageState.PENDING : StageState.SKIPPED);
        LOG.info("Task '{}' version {}: Schema Migration started", task, version);
    }

    /** A task with one stream. */
    synchronized void starting(int taskVersion, TargetKind kind, boolean realtime, StreamRun run) {
        Map<String, StreamRun> one = new LinkedHashMap<>();
        one.put("", run);
        starting(taskVersion, kind, realtime, one);
    }

    /** A rerun copies everything again: earlier copies no longer count. */
    synchronized void forgetCopies() {
        copiedRows.clear();
    }

    /** What the stream labelled {@code label} reports. */
    StreamObserver observer(String label) {
        return new StreamObserver() {
            @Override
            public void prepared(List<TableMapping> tables) {
                TaskTracker.this.prepared(label, tables);
            }

            @Override
            public void copying(TableId table) {
                TaskTracker.this.copying(name(label, table));
            }

            @Override
            public void copied(TableId table, long rows, boolean earlier) {
                TaskTracker.this.copied(name(label, table), rows, earlier);
            }

            @Override
            public void streaming(Position from, List<TableId> stillCopying) {
                TaskTracker.this.streaming(label, from, stillCopying.stream().map(t -> name(label, t)).toList());
            }
        };
    }

    /** The observer of a task with one stream. */
    StreamObserver observer() {
        return observer("");
    }

    private static String name(String label, TableId table) {
        return label.isEmpty() ? table.toString() : label + "/" + table;
    }

    private synchronized void prepared(String label, List<TableMapping> tables) {
        for (TableMapping table : tables) {
            String name = name(label, table.source());
            migrated.put(name, StageState.DONE);
            copied.putIfAbsent(name, StageState.PENDING);
            LOG.info("Task '{}': Schema Migration of {} done (target {})", task, name, table.target());
        }
        follow(label).prepared = true;
        if (streams.values().stream().allMatch(f -> f.prepared)) {
            stages.put(TaskStage.SCHEMA_MIGRATION, StageState.DONE);
            LOG.info("Task '{}': Schema Migration done for {} table(s)", task, migrated.size());
        }
    }

    private Followed follow(String label) {
        return streams.computeIfAbsent(label, l -> new Followed(null));
    }

    private synchronized void copying(String table) {
        if (stages.get(TaskStage.FULL_INITIALIZATION) == StageState.PENDING) {
            LOG.info("Task '{}': Full Initialization started", task);
        }
        stages.put(TaskStage.FULL_INITIALIZATION, StageState.RUNNING);
        copied.put(table, StageState.RUNNING);
        LOG.info("Task '{}': Full Initialization of {} started", task, table);
    }

    private synchronized void copied(String table, long rows, boolean earlier) {
        stages.put(TaskStage.FULL_INITIALIZATION, StageState.RUNNING);
        copied.put(table, StageState.DONE);
        copiedRows.put(table, rows);
        if (!earlier) {
            LOG.info("Task '{}': Full Initialization of {} done, {} rows", task, table, rows);
        }
    }

    private synchronized void streaming(String label, Position from, List<String> stillCopying) {
        Followed followed = follow(label);
        followed.streaming = true;
        followed.copying = !stillCopying.isEmpty();
        String prefix = label.isEmpty() ? "" : label + "/";
        copied.replaceAll((t, s) -> !t.startsWith(prefix) ? s : stillCopying.contains(t)
                ? (s == StageState.DONE ? StageState.RUNNING : s) : StageState.DONE);
        boolean allCopied = streams.values().stream().allMatch(f -> f.streaming && !f.copying);
        if (allCopied && stages.get(TaskStage.FULL_INITIALIZATION) != StageState.DONE) {
            LOG.info("Task '{}': Full Initialization done", task);
        }
        stages.put(TaskStage.FULL_INITIALIZATION, allCopied ? StageState.DONE : StageState.RUNNING);
        LOG.info("Task '{}': Real-time Synchronization {}from {}{}", task, label.isEmpty() ? "" : "of " + label + " ",
                from.asText(), stillCopying.isEmpty() ? "" : " while " + stillCopying + " are copied");
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

    /** The task's tables (with their stream's label when it has several), sorted. */
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
            Map<String, long[]> counts = new TreeMap<>();
            List<String> positions = new ArrayList<>();
            for (Map.Entry<String, Followed> e : streams.entrySet()) {
                StreamRun run = e.getValue().run;
                if (run == null) {
                    continue;
                }
                run.tableCounts().forEach((table, c) -> counts.put(name(e.getKey(), table), c));
                if (realtime == StageState.RUNNING) {
                    lag = Math.max(lag == null ? 0 : lag, run.lagMillis());
                }
                Position saved = run.savedCheckpoint();
                if (saved != null) {
                    positions.add(e.getKey().isEmpty() ? saved.asText() : e.getKey() + "=" + saved.asText());
                }
            }
            for (String table : migrated.keySet()) {
                long[] c = counts.getOrDefault(table, new long[3]);
                applied.add(new TableStatus(table, realtime, null, c[0], c[1], c[2]));
            }
            position = positions.isEmpty() ? null : String.join(", ", positions);
        }
        result.add(new StageStatus(TaskStage.REALTIME, realtime, lag, position, applied));
        result.add(new StageStatus(TaskStage.INCREMENTAL_MERGE, stages.get(TaskStage.INCREMENTAL_MERGE), null, null,
                List.of()));
        return new TaskStatus(task, version, state, error, result);
    }
}
