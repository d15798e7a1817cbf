package dev.ferry.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.task.StageState;
import dev.ferry.api.task.TableStatus;
import dev.ferry.api.task.TargetKind;
import dev.ferry.api.task.TaskStage;
import dev.ferry.api.task.TaskState;
import dev.ferry.api.task.TaskStatus;
import dev.ferry.engine.testing.SeqPosition;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskTrackerTest {

    private static final TableId ORDERS = new TableId("public", "orders");
    private static final TableId ITEMS = new TableId("public", "items");
    private static final TableSchema SCHEMA = new TableSchema("t", List.of(new Column("id", DataType.INT64, false, 0, 0,
            "")), List.of("id"));

    private static List<TableMapping> mappings() {
        return List.of(new TableMapping(ORDERS, SCHEMA, "orders"), new TableMapping(ITEMS, SCHEMA, "items"));
    }

    private static StageState table(TaskStatus status, TaskStage stage, TableId id) {
        return status.stage(stage).tables().stream().filter(t -> t.table().equals(id.toString())).findFirst()
                .map(TableStatus::status).orElseThrow();
    }

    @Test
    void beforeItsRunnerStartsEveryStageIsPending() {
        TaskStatus status = new TaskTracker("shop", null).status();
        assertEquals(TaskState.RUNNING, status.status());
        for (TaskStage stage : TaskStage.values()) {
            assertEquals(StageState.PENDING, status.stage(stage).status(), stage.name());
        }
    }

    @Test
    void stagesAndTablesMoveAsTheStreamReports() {
        TaskTracker tracker = new TaskTracker("shop", null);
        tracker.starting(2, TargetKind.UPSERT, true, (dev.ferry.engine.runtime.StreamRun) null);
        TaskStatus status = tracker.status();
        assertEquals(StageState.RUNNING, status.stage(TaskStage.SCHEMA_MIGRATION).status());
        assertEquals(StageState.PENDING, status.stage(TaskStage.FULL_INITIALIZATION).status());
        assertEquals(StageState.SKIPPED, status.stage(TaskStage.INCREMENTAL_MERGE).status());

        tracker.observer().prepared(mappings());
        tracker.observer().copying(ITEMS);
        tracker.observer().copied(ITEMS, 7, false);
        tracker.observer().copying(ORDERS);
        status = tracker.status();
        assertEquals(StageState.DONE, status.stage(TaskStage.SCHEMA_MIGRATION).status());
        assertEquals(StageState.RUNNING, status.stage(TaskStage.FULL_INITIALIZATION).status());
        assertEquals(StageState.DONE, table(status, TaskStage.FULL_INITIALIZATION, ITEMS));
        assertEquals(StageState.RUNNING, table(status, TaskStage.FULL_INITIALIZATION, ORDERS));
        assertEquals(7L, status.stage(TaskStage.FULL_INITIALIZATION).tables().get(0).records(), "items sorts first");

        tracker.observer().copied(ORDERS, 5, false);
        tracker.observer().streaming(new SeqPosition(4), List.of());
        status = tracker.status();
        assertEquals(StageState.DONE, status.stage(TaskStage.FULL_INITIALIZATION).status());
        assertEquals(StageState.RUNNING, status.stage(TaskStage.REALTIME).status());
        assertEquals(StageState.RUNNING, table(status, TaskStage.REALTIME, ORDERS));
        assertEquals(List.of("public.items", "public.orders"), tracker.tables());

        tracker.ended(TaskState.STOPPED, "ignored for a stop");
        status = tracker.status();
        assertEquals(TaskState.STOPPED, status.status());
        assertNull(status.error());
        assertEquals(StageState.PENDING, status.stage(TaskStage.REALTIME).status(), "it goes on at the next start");
        assertEquals(2, status.version());
    }

    @Test
    void aFailureMarksTheRunningStageAndTableFailed() {
        TaskTracker tracker = new TaskTracker("shop", null);
        tracker.starting(1, TargetKind.UPSERT, true, (dev.ferry.engine.runtime.StreamRun) null);
        tracker.observer().prepared(mappings());
        tracker.observer().copying(ORDERS);
        tracker.ended(TaskState.FAILED, "the source went away");
        TaskStatus status = tracker.status();
        assertEquals("the source went away", status.error());
        assertEquals(StageState.FAILED, status.stage(TaskStage.FULL_INITIALIZATION).status());
        assertEquals(StageState.FAILED, table(status, TaskStage.FULL_INITIALIZATION, ORDERS));
        assertEquals(StageState.PENDING, table(status, TaskStage.FULL_INITIALIZATION, ITEMS));
    }

    @Test
    void rowsCopiedByAnEarlierRunnerAreShownUntilARerunForgetsThem() {
        TaskTracker first = new TaskTracker("shop", null);
        first.starting(1, TargetKind.UPSERT, true, (dev.ferry.engine.runtime.StreamRun) null);
        first.observer().prepared(mappings());
        first.observer().copied(ORDERS, 5, false);
        first.observer().copied(ITEMS, 7, false);
        first.observer().streaming(new SeqPosition(1), List.of());
        TaskTracker next = new TaskTracker("shop", first.status());
        next.starting(1, TargetKind.UPSERT, true, (dev.ferry.engine.runtime.StreamRun) null);
        next.observer().prepared(mappings());
        next.observer().streaming(new SeqPosition(2), List.of());
        assertEquals(5L, next.status().stage(TaskStage.FULL_INITIALIZATION).tables().get(1).records());
        next.forgetCopies();
        assertNull(next.status().stage(TaskStage.FULL_INITIALIZATION).tables().get(1).records());
    }

    @Test
    void aShardedTaskNamesTablesByShardAndIsDoneWhenEveryShardIs() {
        TaskTracker tracker = new TaskTracker("shop", null);
        java.util.Map<String, dev.ferry.engine.runtime.StreamRun> shards = new java.util.LinkedHashMap<>();
        shards.put("shard0", null);
        shards.put("shard1", null);
        tracker.starting(1, TargetKind.UPSERT, true, shards);
        tracker.observer("shard0").prepared(List.of(new TableMapping(ORDERS, SCHEMA, "orders")));
        TaskStatus status = tracker.status();
        assertEquals(StageState.RUNNING, status.stage(TaskStage.SCHEMA_MIGRATION).status(), "shard1 is not prepared");
        tracker.observer("shard1").prepared(List.of(new TableMapping(ORDERS, SCHEMA, "orders")));
        tracker.observer("shard0").streaming(new SeqPosition(1), List.of());
        status = tracker.status();
        assertEquals(StageState.DONE, status.stage(TaskStage.SCHEMA_MIGRATION).status());
        assertEquals(List.of("shard0/public.orders", "shard1/public.orders"), tracker.tables());
        assertEquals(StageState.RUNNING, status.stage(TaskStage.FULL_INITIALIZATION).status(), "shard1 still copies");
        tracker.observer("shard1").streaming(new SeqPosition(1), List.of());
        assertEquals(StageState.DONE, tracker.status().stage(TaskStage.FULL_INITIALIZATION).status());
    }

    @Test
    void aTableJoiningARunningStreamKeepsTheInitializationRunningUntilItIsCopied() {
        TaskTracker tracker = new TaskTracker("shop", null);
        tracker.starting(2, TargetKind.UPSERT, true, (dev.ferry.engine.runtime.StreamRun) null);
        tracker.observer().prepared(mappings());
        tracker.observer().streaming(new SeqPosition(5), List.of(ITEMS));
        TaskStatus status = tracker.status();
        assertEquals(StageState.RUNNING, status.stage(TaskStage.REALTIME).status());
        assertEquals(StageState.RUNNING, status.stage(TaskStage.FULL_INITIALIZATION).status());
        assertEquals(StageState.DONE, table(status, TaskStage.FULL_INITIALIZATION, ORDERS));
        assertEquals(StageState.PENDING, table(status, TaskStage.FULL_INITIALIZATION, ITEMS));
        tracker.observer().copying(ITEMS);
        tracker.observer().copied(ITEMS, 3, false);
        tracker.observer().streaming(new SeqPosition(4), List.of());
        assertEquals(StageState.DONE, tracker.status().stage(TaskStage.FULL_INITIALIZATION).status());
    }

    @Test
    void aFullOnlyTaskSkipsRealtime() {
        TaskTracker tracker = new TaskTracker("shop", null);
        tracker.starting(1, TargetKind.UPSERT, false, (dev.ferry.engine.runtime.StreamRun) null);
        tracker.observer().prepared(mappings());
        tracker.copiedAll();
        tracker.ended(TaskState.SUCCESS, null);
        TaskStatus status = tracker.status();
        assertEquals(TaskState.SUCCESS, status.status());
        assertEquals(StageState.SKIPPED, status.stage(TaskStage.REALTIME).status());
        assertEquals(List.of(), status.stage(TaskStage.REALTIME).tables());
        assertEquals(StageState.DONE, status.stage(TaskStage.FULL_INITIALIZATION).status());
    }
}
