package dev.ferry.engine.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.state.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Collection;
import java.util.TreeMap;

/**
 * The JSON form in which a stream's {@link CapturePlan} and checkpoints are kept in the state
 * store: plain text a person can read, with positions in their own lossless text form.
 */
final class PlanJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PlanJson() {
    }

    static String write(CapturePlan plan) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("connector", plan.connector());
        root.put("start", plan.start().asText());
        root.put("snapshot", plan.snapshot());
        ObjectNode properties = root.putObject("properties");
        plan.properties().forEach(properties::put);
        ArrayNode tables = root.putArray("tables");
        for (CapturedTable table : plan.tables()) {
            ObjectNode t = tables.addObject();
            t.put("schema", table.id().schema()).put("name", table.id().name());
            ArrayNode columns = t.putArray("columns");
            for (Column c : table.schema().columns()) {
                columns.addObject().put("name", c.name()).put("type", c.type().typeName()).put("nullable", c.nullable())
                        .put("precision", c.precision()).put("scale", c.scale()).put("nativeType", c.nativeType());
            }
            ArrayNode key = t.putArray("primaryKey");
            table.schema().primaryKey().forEach(key::add);
        }
        return root.toString();
    }

    static CapturePlan read(String json, Function<String, Position> positions) {
        try {
            JsonNode root = MAPPER.readTree(json);
            List<CapturedTable> tables = new ArrayList<>();
            for (JsonNode t : root.get("tables")) {
                TableId id = new TableId(t.get("schema").asText(), t.get("name").asText());
                List<Column> columns = new ArrayList<>();
                for (JsonNode c : t.get("columns")) {
                    columns.add(new Column(c.get("name").asText(), DataType.fromName(c.get("type").asText()),
                            c.get("nullable").asBoolean(), c.get("precision").asInt(), c.get("scale").asInt(),
                            c.get("nativeType").asText()));
                }
                List<String> key = new ArrayList<>();
                t.get("primaryKey").forEach(k -> key.add(k.asText()));
                tables.add(new CapturedTable(id, new TableSchema(id.toString(), columns, key)));
            }
            Map<String, String> properties = new LinkedHashMap<>();
            root.get("properties").fields().forEachRemaining(e -> properties.put(e.getKey(), e.getValue().asText()));
            return new CapturePlan(root.get("connector").asText(), tables, positions.apply(root.get("start").asText()),
                    root.get("snapshot").asBoolean(), properties);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SyncException(ErrorKind.INTERNAL, "the stored stream plan cannot be read (" + e.getMessage()
                    + "); remove the stream's state to plan it again", e);
        }
    }

    /**
     * A checkpoint: the position to resume after, its transaction's commit time, and the tables
     * whose changes up to a later position of their own are applied already (after tables joined
     * a running stream); empty for most checkpoints.
     */
    record Checkpoint(String position, long commitMicros, Map<String, String> tables) {

        Checkpoint {
            tables = Map.copyOf(tables);
        }

        Checkpoint(String position, long commitMicros) {
            this(position, commitMicros, Map.of());
        }
    }

    static String write(Checkpoint checkpoint) {
        ObjectNode root = MAPPER.createObjectNode().put("position", checkpoint.position())
                .put("commitMicros", checkpoint.commitMicros());
        if (!checkpoint.tables().isEmpty()) {
            ObjectNode tables = root.putObject("tables");
            new TreeMap<>(checkpoint.tables()).forEach(tables::put);
        }
        return root.toString();
    }

    static Checkpoint readCheckpoint(String json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            Map<String, String> tables = new LinkedHashMap<>();
            JsonNode tablesNode = root.get("tables");
            if (tablesNode != null) {
                tablesNode.fields().forEachRemaining(e -> tables.put(e.getKey(), e.getValue().asText()));
            }
            return new Checkpoint(root.get("position").asText(), root.get("commitMicros").asLong(), tables);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SyncException(ErrorKind.INTERNAL, "the stored checkpoint cannot be read: " + json, e);
        }
    }

    /** The tables a snapshot copied so far, with their rows: {@code {"schema.table": rows}}. */
    static String writeCopied(Map<String, Long> copied) {
        ObjectNode root = MAPPER.createObjectNode();
        copied.forEach(root::put);
        return root.toString();
    }

    /** Reads {@link #writeCopied}'s form; null reads as nothing copied. */
    static Map<String, Long> readCopied(String json) {
        Map<String, Long> copied = new TreeMap<>();
        if (json == null) {
            return copied;
        }
        try {
            MAPPER.readTree(json).fields().forEachRemaining(e -> copied.put(e.getKey(), e.getValue().asLong()));
            return copied;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SyncException(ErrorKind.INTERNAL, "the stored list of copied tables cannot be read: " + json, e);
        }
    }

    /** A set of tables: {@code ["schema.table", …]}. */
    static String writeTables(Collection<TableId> tables) {
        ArrayNode root = MAPPER.createArrayNode();
        tables.forEach(t -> root.add(t.toString()));
        return root.toString();
    }

    /** Reads {@link #writeTables}'s form; null reads as none. */
    static List<TableId> readTables(String json) {
        List<TableId> tables = new ArrayList<>();
        if (json == null) {
            return tables;
        }
        try {
            MAPPER.readTree(json).forEach(t -> tables.add(TableId.parse(t.asText())));
            return tables;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new SyncException(ErrorKind.INTERNAL, "a stored table list cannot be read: " + json, e);
        }
    }
}
