package dev.ferry.engine.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.api.change.Partitioning;
import dev.ferry.api.config.Secret;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.task.PartitionSettings;
import dev.ferry.api.task.Shard;
import dev.ferry.api.task.TableRule;
import dev.ferry.api.task.TargetKind;
import dev.ferry.api.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a JSON task file into a {@link TaskSpec}, with the job file's rules: unknown keys are
 * rejected, every violation is reported at once with key, value and rule. The task's own keys are
 * taken out of the connector blocks ({@code source.tables}, {@code source.shards},
 * {@code target.kind}, {@code target.schema}, {@code target.tablePrefix}, and a partitioned target's
 * {@code target.partition} and {@code target.merge}); what remains is the
 * connectors' business, checked by {@link JobValidator#taskConnectorViolations}.
 *
 * <p>Threading: stateless; safe to share.
 */
public final class TaskFileParser {

    /** The top-level keys of a task file, in documentation order. */
    public static final List<String> TOP_LEVEL_KEYS = List.of("name", "source", "target", "realtime", "settings");
    /** The keys of an object entry of {@code source.tables}. */
    public static final List<String> TABLE_KEYS = List.of("name", "physical", "splitPk", "target");
    /** The keys of an entry of {@code source.shards}. */
    public static final List<String> SHARD_KEYS = List.of("url", "username", "password");
    private static final Pattern QUALIFIED = Pattern.compile("[^.*]+\\.[^.]+");

    /** What a task file holds: the spec when valid, otherwise the violations and the readable connector blocks. */
    public record Result(TaskSpec spec, ConnectorSpec source, ConnectorSpec target, boolean sharded,
                         List<Violation> violations) {
    }

    /** Reads a task file, collecting problems instead of throwing. */
    public Result read(Path file) {
        try {
            return read(Files.readString(file));
        } catch (NoSuchFileException e) {
            return failed(new Violation("task file", "must exist", "'" + file + "'"));
        } catch (IOException e) {
            return failed(new Violation("task file", "must be readable (" + e.getMessage() + ")", "'" + file + "'"));
        }
    }

    private static Result failed(Violation violation) {
        return new Result(null, null, null, false, List.of(violation));
    }

    /** Reads task-file text, collecting problems instead of throwing. */
    public Result read(String json) {
        JsonNode root;
        try {
            root = JobFileParser.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            return failed(new Violation("task file", "must be valid JSON" + where + " (" + e.getOriginalMessage() + ")", null));
        }
        if (root == null || !root.isObject()) {
            return failed(new Violation("task file", "must be a JSON object", root == null ? "nothing" : root.toString()));
        }
        List<Violation> violations = new ArrayList<>();
        JobFileParser.unknownKeys(root, "", TOP_LEVEL_KEYS, violations);
        String name = null;
        JsonNode nameNode = root.get("name");
        if (nameNode == null || nameNode.isNull()) {
            violations.add(new Violation("name", "is required (the task's name in status, logs and the state store)", null));
        } else if (!nameNode.isTextual() || !nameNode.asText().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")) {
            violations.add(new Violation("name", "must be 1 to 100 letters, digits, '_', '.' or '-', starting with a "
                    + "letter or digit", nameNode.toString()));
        } else {
            name = nameNode.asText();
        }
        boolean realtime = true;
        JsonNode realtimeNode = root.get("realtime");
        if (realtimeNode != null && !realtimeNode.isNull()) {
            if (realtimeNode.isBoolean()) {
                realtime = realtimeNode.booleanValue();
            } else {
                violations.add(new Violation("realtime", "must be true or false", realtimeNode.toString()));
            }
        }
        ConnectorSpec sourceBlock = JobFileParser.connector(root, "source", violations);
        ConnectorSpec targetBlock = JobFileParser.connector(root, "target", violations);
        List<TableRule> tables = new ArrayList<>();
        List<Shard> shards = new ArrayList<>();
        ConnectorSpec source = sourceBlock == null ? null : sourceOptions(root.get("source"), sourceBlock, tables, shards,
                violations);
        TargetKind kind = TargetKind.UPSERT;
        PartitionSettings partitions = null;
        String schema = null;
        String prefix = "";
        ConnectorSpec target = null;
        if (targetBlock != null) {
            Map<String, Object> options = new LinkedHashMap<>(targetBlock.options());
            Object kindValue = options.remove("kind");
            if (kindValue != null) {
                if ("upsert".equals(kindValue)) {
                    kind = TargetKind.UPSERT;
                } else if ("partitioned".equals(kindValue)) {
                    kind = TargetKind.PARTITIONED;
                } else {
                    violations.add(new Violation("target.kind", "must be upsert or partitioned", JobFileParser.MAPPER
                            .valueToTree(kindValue).toString()));
                }
            }
            partitions = partitions(options, kind, violations);
            schema = text(options.remove("schema"), "target.schema", violations);
            String prefixValue = text(options.remove("tablePrefix"), "target.tablePrefix", violations);
            prefix = prefixValue == null ? "" : prefixValue;
            target = new ConnectorSpec(targetBlock.connector(), options);
        }
        JobSettings settings = JobFileParser.settings(root.get("settings"), violations);
        if (settings.verify()) {
            violations.add(new Violation("settings.verify", "is for batch jobs, not tasks", "true"));
        }
        if (settings.runner().isFlink() && kind == TargetKind.PARTITIONED) {
            violations.add(new Violation("settings.runner", "must be local for a partitioned target: its copies "
                    + "write a staging table that the task's own process swaps in", "'"
                    + settings.runner().kind().key() + "'"));
        }
        if (!violations.isEmpty() || source == null || target == null || name == null || tables.isEmpty()) {
            return new Result(null, source, target, !shards.isEmpty(), List.copyOf(violations));
        }
        return new Result(new TaskSpec(name, source, tables, shards, target, kind, schema, prefix, realtime, partitions,
                settings),
                source, target, !shards.isEmpty(), List.of());
    }

    /** The keys of {@code target.partition} and {@code target.merge} (a partitioned target's). */
    public static final List<String> PARTITION_KEYS = List.of("partition.column", "partition.format", "merge.at",
            "merge.zone");

    /**
     * Takes {@code target.partition.*} and {@code target.merge.*} out of the target block: a
     * partitioned target's settings (defaults {@code ds}, {@code yyyyMMdd}, {@code 00:30}, UTC), which
     * other kinds must not have.
     */
    private static PartitionSettings partitions(Map<String, Object> options, TargetKind kind, List<Violation> violations) {
        Map<String, Object> given = new LinkedHashMap<>();
        options.keySet().removeIf(key -> {
            boolean ours = key.equals("partition") || key.equals("merge") || key.startsWith("partition.")
                    || key.startsWith("merge.");
            if (ours) {
                given.put(key, options.get(key));
            }
            return ours;
        });
        if (kind != TargetKind.PARTITIONED) {
            given.keySet().forEach(key -> violations.add(new Violation("target." + key, "is only for a partitioned "
                    + "target (target.kind is " + kind.keyName() + ")", JobFileParser.MAPPER.valueToTree(given.get(key))
                    .toString())));
            return null;
        }
        given.keySet().stream().filter(key -> !PARTITION_KEYS.contains(key)).forEach(key -> violations.add(
                new Violation("target." + key, "is not a key of a partitioned target (known: " + PARTITION_KEYS + ")",
                        JobFileParser.MAPPER.valueToTree(given.get(key)).toString())));
        String column = text(given.get("partition.column"), "target.partition.column", violations);
        String format = text(given.get("partition.format"), "target.partition.format", violations);
        String at = text(given.get("merge.at"), "target.merge.at", violations);
        String zoneText = text(given.get("merge.zone"), "target.merge.zone", violations);
        if (column != null && !column.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
            violations.add(new Violation("target.partition.column", "must be a column name of letters, digits and '_'",
                    "'" + column + "'"));
            column = null;
        }
        LocalTime mergeAt = PartitionSettings.DEFAULT_MERGE_AT;
        if (at != null) {
            try {
                mergeAt = LocalTime.parse(at, DateTimeFormatter.ofPattern("HH:mm"));
            } catch (DateTimeParseException e) {
                violations.add(new Violation("target.merge.at", "must be a time of day HH:mm (00:00 to 23:59)", "'" + at
                        + "'"));
            }
        }
        ZoneId zone = ZoneOffset.UTC;
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                violations.add(new Violation("target.merge.zone", "must be a time-zone id such as Asia/Shanghai or UTC",
                        "'" + zoneText + "'"));
            }
        }
        try {
            return new PartitionSettings(new Partitioning(column == null ? Partitioning.DEFAULT_COLUMN : column,
                    format == null ? Partitioning.DEFAULT_FORMAT : format, zone), mergeAt);
        } catch (IllegalArgumentException e) {
            violations.add(new Violation("target.partition.format", "must be a date pattern that keeps the whole date, "
                    + "such as yyyyMMdd (" + e.getMessage() + ")", "'" + format + "'"));
            return null;
        }
    }

    /** Takes {@code tables} and {@code shards} out of the source block; the rest is the connector's. */
    private static ConnectorSpec sourceOptions(JsonNode node, ConnectorSpec block, List<TableRule> tables,
                                               List<Shard> shards, List<Violation> violations) {
        Map<String, Object> options = new LinkedHashMap<>(block.options());
        options.keySet().removeIf(key -> key.equals("tables") || key.startsWith("tables.") || key.equals("shards")
                || key.startsWith("shards."));
        JsonNode tablesNode = node.get("tables");
        if (tablesNode == null || tablesNode.isNull()) {
            violations.add(new Violation("source.tables", "is required (the tables the task syncs: \"schema.table\", "
                    + "\"schema.*\" or {\"name\": …, \"physical\": …})", null));
        } else if (!tablesNode.isArray() || tablesNode.isEmpty()) {
            violations.add(new Violation("source.tables", "must be a non-empty list", tablesNode.toString()));
        } else {
            for (int i = 0; i < tablesNode.size(); i++) {
                TableRule rule = tableRule(tablesNode.get(i), "source.tables[" + i + "]", violations);
                if (rule != null) {
                    if (tables.stream().anyMatch(t -> t.name().equals(rule.name()))) {
                        violations.add(new Violation("source.tables[" + i + "]", "must not repeat a table", "'" + rule.name()
                                + "'"));
                    }
                    tables.add(rule);
                }
            }
        }
        JsonNode shardsNode = node.get("shards");
        if (shardsNode != null && !shardsNode.isNull()) {
            if (!shardsNode.isArray() || shardsNode.size() < 2) {
                violations.add(new Violation("source.shards", "must be a list of at least two endpoints ({\"url\": …})",
                        shardsNode.toString()));
            } else {
                for (int i = 0; i < shardsNode.size(); i++) {
                    Shard shard = shard(shardsNode.get(i), "source.shards[" + i + "]", violations);
                    if (shard != null) {
                        shards.add(shard);
                    }
                }
                if (options.containsKey("url")) {
                    violations.add(new Violation("source.url", "must not be given with source.shards (each shard has "
                            + "its url)", null));
                }
            }
        }
        return new ConnectorSpec(block.connector(), options);
    }

    private static TableRule tableRule(JsonNode entry, String path, List<Violation> violations) {
        if (entry.isTextual()) {
            return qualified(entry.asText(), path, violations) ? TableRule.of(entry.asText()) : null;
        }
        if (!entry.isObject()) {
            violations.add(new Violation(path, "must be \"schema.table\" or an object with name", entry.toString()));
            return null;
        }
        JobFileParser.unknownKeys(entry, path + ".", TABLE_KEYS, violations);
        String name = text(JobFileParser.plain(entry.get("name")), path + ".name", violations);
        String physical = text(JobFileParser.plain(entry.get("physical")), path + ".physical", violations);
        String splitPk = text(JobFileParser.plain(entry.get("splitPk")), path + ".splitPk", violations);
        String target = text(JobFileParser.plain(entry.get("target")), path + ".target", violations);
        if (name == null) {
            violations.add(new Violation(path + ".name", "is required", null));
            return null;
        }
        if (physical != null) {
            try {
                Pattern.compile(physical);
            } catch (PatternSyntaxException e) {
                violations.add(new Violation(path + ".physical", "must be a regular expression (" + e.getDescription()
                        + ")", "'" + physical + "'"));
            }
            if (name.indexOf('*') >= 0) {
                violations.add(new Violation(path + ".name", "must be one logical table, not a pattern, with physical",
                        "'" + name + "'"));
            }
        } else if (!qualified(name, path + ".name", violations)) {
            return null;
        }
        if (name.indexOf('*') >= 0 && (splitPk != null || target != null)) {
            violations.add(new Violation(path, "cannot set splitPk or target for a pattern (they name one table)",
                    "'" + name + "'"));
        }
        return new TableRule(name, physical, splitPk, target);
    }

    private static boolean qualified(String name, String path, List<Violation> violations) {
        if (!QUALIFIED.matcher(name).matches()) {
            violations.add(new Violation(path, "must be schema.table or schema.* (a pattern may use * in the table part)",
                    "'" + name + "'"));
            return false;
        }
        return true;
    }

    private static Shard shard(JsonNode entry, String path, List<Violation> violations) {
        if (!entry.isObject()) {
            violations.add(new Violation(path, "must be an object with url", entry.toString()));
            return null;
        }
        JobFileParser.unknownKeys(entry, path + ".", SHARD_KEYS, violations);
        String url = text(JobFileParser.plain(entry.get("url")), path + ".url", violations);
        String username = text(JobFileParser.plain(entry.get("username")), path + ".username", violations);
        JsonNode password = entry.get("password");
        if (password != null && !password.isNull() && !password.isTextual()) {
            violations.add(new Violation(path + ".password", "must be a string", Secret.MASK));
        }
        if (url == null) {
            violations.add(new Violation(path + ".url", "is required", null));
            return null;
        }
        return new Shard(url, username, password == null || password.isNull() ? null : new Secret(password.asText()));
    }

    private static String text(Object value, String path, List<Violation> violations) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s) || s.isBlank()) {
            violations.add(new Violation(path, "must be a non-blank string", JobFileParser.MAPPER.valueToTree(value)
                    .toString()));
            return null;
        }
        return s;
    }

    /** Parses a task file. @throws ConfigException listing every problem of the file itself */
    public TaskSpec parse(String json) {
        Result result = read(json);
        if (!result.violations().isEmpty()) {
            throw new ConfigException(result.violations());
        }
        return result.spec();
    }
}
