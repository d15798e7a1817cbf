package dev.ferry.engine.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.StageState;
import dev.ferry.api.task.StageStatus;
import dev.ferry.api.task.TableStatus;
import dev.ferry.api.task.TaskStage;
import dev.ferry.api.task.TaskState;
import dev.ferry.api.task.TaskStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a {@link TaskStatus}: what {@code task status --json} prints and what a runner
 * keeps in the state store. Absent counts are left out; {@code error} is always present.
 *
 * <p>Threading: stateless; safe to share.
 */
public final class TaskStatusJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TaskStatusJson() {
    }

    /** One line of JSON. */
    public static String write(TaskStatus status) {
        return tree(status).toString();
    }

    /** Indented JSON for people. */
    public static String writePretty(TaskStatus status) {
        try {
            return MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree(status));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode tree(TaskStatus status) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", status.name());
        root.put("version", status.version());
        root.put("status", status.status().name());
        root.put("error", status.error());
        ArrayNode stages = root.putArray("stages");
        for (StageStatus stage : status.stages()) {
            ObjectNode s = stages.addObject();
            s.put("name", stage.name().name());
            s.put("status", stage.status().name());
            if (stage.lagMillis() != null) {
                s.put("lagMillis", stage.lagMillis());
            }
            if (stage.position() != null) {
                s.put("position", stage.position());
            }
            if (!stage.instances().isEmpty()) {
                ArrayNode instances = s.putArray("instances");
                stage.instances().forEach(instance -> instances.add(instance(instance)));
            }
            if (stage.status() == StageState.SKIPPED && stage.tables().isEmpty()) {
                continue;
            }
            ArrayNode tables = s.putArray("tables");
            for (TableStatus table : stage.tables()) {
                ObjectNode t = tables.addObject();
                t.put("table", table.table());
                t.put("status", table.status().name());
                putIfSet(t, "records", table.records());
                putIfSet(t, "inserts", table.inserts());
                putIfSet(t, "updates", table.updates());
                putIfSet(t, "deletes", table.deletes());
            }
        }
        return root;
    }

    /** One merge instance: {@code {"date", "status", "startedAt", "endedAt", "rows", "error"}}. */
    static ObjectNode instance(MergeInstance instance) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("date", instance.date().toString());
        node.put("status", instance.status().name());
        node.put("startedAt", instance.startedAt().toString());
        node.put("endedAt", instance.endedAt() == null ? null : instance.endedAt().toString());
        node.put("rows", instance.rows());
        node.put("error", instance.error());
        return node;
    }

    /** Reads {@link #instance}'s form. */
    static MergeInstance instance(JsonNode node) {
        return new MergeInstance(LocalDate.parse(node.get("date").asText()), StageState.valueOf(node.get("status").asText()),
                Instant.parse(node.get("startedAt").asText()),
                node.hasNonNull("endedAt") ? Instant.parse(node.get("endedAt").asText()) : null,
                node.path("rows").asLong(), node.hasNonNull("error") ? node.get("error").asText() : null);
    }

    private static void putIfSet(ObjectNode node, String field, Long value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** Reads {@link #write}'s form. */
    public static TaskStatus read(String json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            List<StageStatus> stages = new ArrayList<>();
            for (JsonNode s : root.get("stages")) {
                List<TableStatus> tables = new ArrayList<>();
                JsonNode tableNodes = s.get("tables");
                if (tableNodes != null) {
                    for (JsonNode t : tableNodes) {
                        tables.add(new TableStatus(t.get("table").asText(), StageState.valueOf(t.get("status").asText()),
                                longOrNull(t, "records"), longOrNull(t, "inserts"), longOrNull(t, "updates"),
                                longOrNull(t, "deletes")));
                    }
                }
                List<MergeInstance> instances = new ArrayList<>();
                s.path("instances").forEach(node -> instances.add(instance(node)));
                stages.add(new StageStatus(TaskStage.valueOf(s.get("name").asText()),
                        StageState.valueOf(s.get("status").asText()), longOrNull(s, "lagMillis"),
                        s.hasNonNull("position") ? s.get("position").asText() : null, tables, instances));
            }
            return new TaskStatus(root.get("name").asText(), root.get("version").asInt(),
                    TaskState.valueOf(root.get("status").asText()),
                    root.hasNonNull("error") ? root.get("error").asText() : null, stages);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SyncException(ErrorKind.INTERNAL, "a stored task status cannot be read: " + json, e);
        }
    }

    private static Long longOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asLong();
    }
}
