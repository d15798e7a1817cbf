package dev.ferry.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.StageState;
import dev.ferry.api.task.StageStatus;
import dev.ferry.api.task.TableStatus;
import dev.ferry.api.task.TaskStage;
import dev.ferry.api.task.TaskState;
import dev.ferry.api.task.TaskStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskStatusJsonTest {

    private static final TaskStatus STATUS = new TaskStatus("shop", 3, TaskState.RUNNING, null, List.of(
            new StageStatus(TaskStage.SCHEMA_MIGRATION, StageState.DONE, null, null,
                    List.of(TableStatus.of("public.orders", StageState.DONE))),
            new StageStatus(TaskStage.FULL_INITIALIZATION, StageState.DONE, null, null,
                    List.of(new TableStatus("public.orders", StageState.DONE, 120_000L, null, null, null))),
            new StageStatus(TaskStage.REALTIME, StageState.RUNNING, 180L, "0/1A2B3C4",
                    List.of(new TableStatus("public.orders", StageState.RUNNING, null, 10L, 4L, 1L))),
            new StageStatus(TaskStage.INCREMENTAL_MERGE, StageState.SKIPPED, null, null, List.of())));

    @Test
    void theJsonHasTheDocumentedShape() throws Exception {
        JsonNode root = new ObjectMapper().readTree(TaskStatusJson.write(STATUS));
        assertEquals("shop", root.get("name").asText());
        assertEquals(3, root.get("version").asInt());
        assertEquals("RUNNING", root.get("status").asText());
        assertTrue(root.has("error") && root.get("error").isNull(), "error is present, null");
        JsonNode stages = root.get("stages");
        assertEquals(List.of("SCHEMA_MIGRATION", "FULL_INITIALIZATION", "REALTIME", "INCREMENTAL_MERGE"),
                List.of(stages.get(0).get("name").asText(), stages.get(1).get("name").asText(),
                        stages.get(2).get("name").asText(), stages.get(3).get("name").asText()));
        assertEquals(120_000, stages.get(1).get("tables").get(0).get("records").asLong());
        assertFalse(stages.get(1).get("tables").get(0).has("inserts"));
        JsonNode realtime = stages.get(2);
        assertEquals(180, realtime.get("lagMillis").asLong());
        assertEquals("0/1A2B3C4", realtime.get("position").asText());
        JsonNode orders = realtime.get("tables").get(0);
        assertEquals(List.of(10L, 4L, 1L), List.of(orders.get("inserts").asLong(), orders.get("updates").asLong(),
                orders.get("deletes").asLong()));
        assertEquals("SKIPPED", stages.get(3).get("status").asText());
        assertFalse(stages.get(3).has("tables"), "a skipped stage lists no tables");
    }

    @Test
    void theMergeStageListsItsInstances() throws Exception {
        MergeInstance done = new MergeInstance(LocalDate.of(2026, 12, 1), StageState.DONE,
                Instant.parse("2026-12-01T16:30:00Z"), Instant.parse("2026-12-01T16:31:05Z"), 1200, null);
        MergeInstance running = new MergeInstance(LocalDate.of(2026, 12, 2), StageState.RUNNING,
                Instant.parse("2026-12-02T16:30:00Z"), null, 0, null);
        TaskStatus status = new TaskStatus("shop", 1, TaskState.RUNNING, null, List.of(new StageStatus(
                TaskStage.INCREMENTAL_MERGE, StageState.RUNNING, null, null, List.of(), List.of(running, done))));
        JsonNode instances = new ObjectMapper().readTree(TaskStatusJson.write(status)).get("stages").get(0).get("instances");
        assertEquals("2026-12-02", instances.get(0).get("date").asText());
        assertEquals("RUNNING", instances.get(0).get("status").asText());
        assertTrue(instances.get(0).get("endedAt").isNull());
        assertEquals(1200, instances.get(1).get("rows").asLong());
        assertEquals(status, TaskStatusJson.read(TaskStatusJson.write(status)));
        String text = TaskStatusText.render(status);
        assertTrue(text.contains("2026-12-01") && text.contains("1,200 rows"), text);
    }

    @Test
    void whatIsWrittenReadsBackEqual() {
        assertEquals(STATUS, TaskStatusJson.read(TaskStatusJson.write(STATUS)));
        TaskStatus failed = new TaskStatus("shop", 1, TaskState.FAILED, "slot lost; run `sync.jar task rerun shop`",
                STATUS.stages());
        assertEquals(failed, TaskStatusJson.read(TaskStatusJson.writePretty(failed)));
    }

    @Test
    void theTextFormShowsEveryStageWithItsTables() {
        String text = TaskStatusText.render(STATUS);
        assertTrue(text.startsWith("Task 'shop' version 3: RUNNING\n"), text);
        assertTrue(text.contains("Full Initialization        DONE      1 table(s), 120,000 rows"), text);
        assertTrue(text.contains("lag 180 ms, checkpoint 0/1A2B3C4"), text);
        assertTrue(text.contains("10 inserts, 4 updates, 1 deletes"), text);
        assertTrue(text.contains("Incremental Merge          SKIPPED"), text);
    }
}
