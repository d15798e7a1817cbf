package dev.ferry.engine.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.BufferSettings;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.DirtyDataPolicy;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.RateLimit;
import dev.ferry.api.job.RetryPolicy;
import dev.ferry.api.job.Runner;
import dev.ferry.api.job.StreamSettings;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JSON job file into a {@link JobSpec}. Unknown keys are rejected and every violation in
 * the file is reported at once; connector keys are checked later against the connector's
 * declarations (see {@link JobValidator}). Defaults come from the constants in
 * {@link JobSettings}, {@link RetryPolicy} and {@link BufferSettings}.
 *
 * <p>Threading: stateless; safe to share.
 */
public final class JobFileParser {

    /** The top-level keys of a job file, in documentation order. */
    public static final List<String> TOP_LEVEL_KEYS = List.of("name", "mode", "source", "target", "settings");
    /** The keys of the {@code settings} block. */
    public static final List<String> SETTINGS_KEYS = List.of("concurrency", "rateLimit", "dirtyData", "resourceGroup",
            "retry", "buffer", "progressIntervalMillis", "stream", "verify", "runner", "flinkMaster");

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * What a job file holds: the spec when the file is valid, otherwise the violations found and
     * whichever connector blocks could be read (so their keys can be checked in the same pass).
     */
    public record Result(JobSpec spec, JobMode mode, ConnectorSpec source, ConnectorSpec target, List<Violation> violations) {
    }

    /** Parses a job file. @throws ConfigException listing every problem */
    public JobSpec parse(Path file) {
        return orThrow(read(file));
    }

    /** Parses job-file text. @throws ConfigException listing every problem */
    public JobSpec parse(String json) {
        return orThrow(read(json));
    }

    /** Reads a job file, collecting problems instead of throwing. */
    public Result read(Path file) {
        try {
            return read(Files.readString(file));
        } catch (NoSuchFileException e) {
            return failed(new Violation("job file", "must exist", "'" + file + "'"));
        } catch (IOException e) {
            return failed(new Violation("job file", "must be readable (" + e.getMessage() + ")", "'" + file + "'"));
        }
    }

    private static JobSpec orThrow(Result result) {
        if (!result.violations().isEmpty()) {
            throw new ConfigException(result.violations());
        }
        return result.spec();
    }

    private static Result failed(Violation violation) {
        return new Result(null, JobMode.BATCH, null, null, List.of(violation));
    }

    /** Reads job-file text, collecting problems instead of throwing. */
    public Result read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            return failed(new Violation("job file", "must be valid JSON" + where + " (" + e.getOriginalMessage() + ")", null));
        }
        List<Violation> violations = new ArrayList<>();
        if (root == null || !root.isObject()) {
            return failed(new Violation("job file", "must be a JSON object", root == null ? "nothing" : root.toString()));
        }
        unknownKeys(root, "", TOP_LEVEL_KEYS, violations);
        String name = null;
        JsonNode nameNode = root.get("name");
        if (nameNode == null || nameNode.isNull()) {
            violations.add(new Violation("name", "is required (a name for logs and reports)", null));
        } else if (!nameNode.isTextual() || nameNode.asText().isBlank()) {
            violations.add(new Violation("name", "must be a non-blank string", nameNode.toString()));
        } else {
            name = nameNode.asText();
        }
        JobMode mode = JobMode.BATCH;
        JsonNode modeNode = root.get("mode");
        if (modeNode != null && !modeNode.isNull()) {
            if (modeNode.isTextual() && modeNode.asText().equals("batch")) {
                mode = JobMode.BATCH;
            } else if (modeNode.isTextual() && modeNode.asText().equals("stream")) {
                mode = JobMode.STREAM;
            } else {
                violations.add(new Violation("mode", "must be \"batch\" or \"stream\"", modeNode.toString()));
            }
        }
        ConnectorSpec source = connector(root, "source", violations);
        ConnectorSpec target = connector(root, "target", violations);
        JobSettings settings = settings(root.get("settings"), violations);
        if (settings.verify() && mode == JobMode.STREAM) {
            violations.add(new Violation("settings.verify", "is for batch jobs (a stream's target keeps changing)", "true"));
        }
        if (!violations.isEmpty()) {
            return new Result(null, mode, source, target, List.copyOf(violations));
        }
        return new Result(new JobSpec(name, mode, source, target, settings), mode, source, target, List.of());
    }

    static ConnectorSpec connector(JsonNode root, String side, List<Violation> violations) {
        JsonNode node = root.get(side);
        if (node == null || node.isNull()) {
            violations.add(new Violation(side, "is required (an object with \"connector\" and its keys)", null));
            return null;
        }
        if (!node.isObject()) {
            violations.add(new Violation(side, "must be an object with \"connector\" and its keys", node.toString()));
            return null;
        }
        JsonNode connector = node.get("connector");
        if (connector == null || !connector.isTextual() || connector.asText().isBlank()) {
            violations.add(new Violation(side + ".connector", "is required and must name a connector",
                    connector == null ? null : connector.toString()));
            return null;
        }
        Map<String, Object> options = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().equals("connector")) {
                flatten(field.getKey(), field.getValue(), options);
            }
        }
        return new ConnectorSpec(connector.asText(), options);
    }

    /**
     * A nested object in a connector block ({@code "capture": {"startFrom": …}}) becomes dotted
     * keys ({@code capture.startFrom}), the form connectors declare and messages name.
     */
    private static void flatten(String key, JsonNode value, Map<String, Object> options) {
        if (value != null && value.isObject() && value.size() > 0) {
            value.fields().forEachRemaining(e -> flatten(key + "." + e.getKey(), e.getValue(), options));
        } else {
            options.put(key, plain(value));
        }
    }

    static JobSettings settings(JsonNode node, List<Violation> violations) {
        JobSettings defaults = JobSettings.DEFAULT;
        if (node == null || node.isNull()) {
            return defaults;
        }
        if (!node.isObject()) {
            violations.add(new Violation("settings", "must be an object", node.toString()));
            return defaults;
        }
        int before = violations.size();
        unknownKeys(node, "settings.", SETTINGS_KEYS, violations);
        Section s = new Section(node, "settings", violations);
        int concurrency = (int) s.integer("concurrency", defaults.concurrency(), 1, Integer.MAX_VALUE);
        String group = s.string("resourceGroup", defaults.resourceGroup());
        long progress = s.integer("progressIntervalMillis", defaults.progressIntervalMillis(), 100, Long.MAX_VALUE);
        boolean verify = s.bool("verify", defaults.verify());

        Section rate = s.section("rateLimit", List.of("recordsPerSecond", "bytesPerSecond"));
        long rps = rate.integer("recordsPerSecond", 0, 0, Long.MAX_VALUE);
        long bps = rate.integer("bytesPerSecond", 0, 0, Long.MAX_VALUE);

        Section dirty = s.section("dirtyData", List.of("maxRecords", "maxPercent", "file"));
        Long maxRecords = dirty.optionalInteger("maxRecords", 0, Long.MAX_VALUE);
        Double maxPercent = dirty.optionalNumber("maxPercent", 0, 100);
        String file = dirty.string("file", null);

        Section retry = s.section("retry", List.of("maxAttempts", "backoffMillis"));
        int attempts = (int) retry.integer("maxAttempts", RetryPolicy.DEFAULT_MAX_ATTEMPTS, 1, 1000);
        long backoff = retry.integer("backoffMillis", RetryPolicy.DEFAULT_BACKOFF_MILLIS, 0, 3_600_000);

        Section buffer = s.section("buffer", List.of("records", "bytes", "batchSize"));
        int records = (int) buffer.integer("records", BufferSettings.DEFAULT_RECORDS, 1, 100_000_000);
        long bytes = buffer.integer("bytes", BufferSettings.DEFAULT_BYTES, 1024, Long.MAX_VALUE);
        int batch = (int) buffer.integer("batchSize", Math.min(BufferSettings.DEFAULT_BATCH_SIZE, records), 1, records);

        Section stream = s.section("stream", List.of("lingerMillis", "checkpointIntervalMillis"));
        long linger = stream.integer("lingerMillis", StreamSettings.DEFAULT_LINGER_MILLIS, 0, 60_000);
        long checkpoint = stream.integer("checkpointIntervalMillis", StreamSettings.DEFAULT_CHECKPOINT_INTERVAL_MILLIS,
                10, 3_600_000);

        if (group != null && group.isBlank()) {
            violations.add(new Violation("settings.resourceGroup", "must not be blank", "'" + group + "'"));
        }
        Runner runner = runner(s.string("runner", Runner.Kind.LOCAL.key()), s.string("flinkMaster", null), violations);
        if (violations.size() > before) {
            return defaults;
        }
        return new JobSettings(concurrency, new RateLimit(rps, bps), new DirtyDataPolicy(maxRecords, maxPercent, file),
                group, new RetryPolicy(attempts, backoff), new BufferSettings(records, bytes, batch), progress,
                new StreamSettings(linger, checkpoint), verify, runner);
    }

    /**
     * {@code settings.runner} and {@code settings.flinkMaster}: {@code local} (the default),
     * {@code flink} with the cluster's REST endpoint as {@code HOST:PORT}, or {@code flink-local}.
     */
    public static Runner runner(String name, String master, List<Violation> violations) {
        Runner.Kind kind = null;
        for (Runner.Kind k : Runner.Kind.values()) {
            if (k.key().equals(name)) {
                kind = k;
            }
        }
        if (kind == null) {
            violations.add(new Violation("settings.runner", "must be local, flink or flink-local", "'" + name + "'"));
            return Runner.LOCAL;
        }
        if (kind == Runner.Kind.FLINK && master == null) {
            violations.add(new Violation("settings.flinkMaster", "must name the Flink cluster's REST endpoint as "
                    + "HOST:PORT when settings.runner is flink", null));
            return Runner.LOCAL;
        }
        if (kind != Runner.Kind.FLINK && master != null) {
            violations.add(new Violation("settings.flinkMaster", "is only for settings.runner flink (now '"
                    + kind.key() + "')", "'" + master + "'"));
            return Runner.LOCAL;
        }
        String rule = master == null ? null : Runner.masterRule(master);
        if (rule != null) {
            violations.add(new Violation("settings.flinkMaster", rule, "'" + master + "'"));
            return Runner.LOCAL;
        }
        return new Runner(kind, master);
    }

    static void unknownKeys(JsonNode node, String prefix, List<String> known, List<Violation> violations) {
        Set<String> allowed = Set.copyOf(known);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                violations.add(new Violation(prefix + key, "is not a known key (known keys: " + String.join(", ", known) + ")", null));
            }
        }
    }

    /** JSON as plain Java values: String, BigInteger, BigDecimal, Boolean, List, Map, null. */
    static Object plain(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(e -> list.add(plain(e)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
        return map;
    }

    /** Typed reads from one object of the settings, each failure a violation. */
    private static final class Section {
        private final JsonNode node;
        private final String path;
        private final List<Violation> violations;

        Section(JsonNode node, String path, List<Violation> violations) {
            this.node = node;
            this.path = path;
            this.violations = violations;
        }

        Section section(String key, List<String> known) {
            JsonNode child = node == null ? null : node.get(key);
            if (child == null || child.isNull()) {
                return new Section(null, path + "." + key, violations);
            }
            if (!child.isObject()) {
                violations.add(new Violation(path + "." + key, "must be an object", child.toString()));
                return new Section(null, path + "." + key, violations);
            }
            unknownKeys(child, path + "." + key + ".", known, violations);
            return new Section(child, path + "." + key, violations);
        }

        long integer(String key, long fallback, long min, long max) {
            Long value = optionalInteger(key, min, max);
            return value == null ? fallback : value;
        }

        Long optionalInteger(String key, long min, long max) {
            JsonNode value = node == null ? null : node.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            BigInteger integer = value.isIntegralNumber() ? value.bigIntegerValue() : null;
            if (integer == null) {
                violations.add(new Violation(path + "." + key, "must be an integer", value.toString()));
                return null;
            }
            if (integer.compareTo(BigInteger.valueOf(min)) < 0) {
                violations.add(new Violation(path + "." + key, "must be >= " + min, value.toString()));
                return null;
            }
            if (integer.compareTo(BigInteger.valueOf(max)) > 0) {
                violations.add(new Violation(path + "." + key, "must be <= " + max, value.toString()));
                return null;
            }
            return integer.longValue();
        }

        Double optionalNumber(String key, double min, double max) {
            JsonNode value = node == null ? null : node.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isNumber()) {
                violations.add(new Violation(path + "." + key, "must be a number", value.toString()));
                return null;
            }
            double d = value.doubleValue();
            if (d < min || d > max) {
                violations.add(new Violation(path + "." + key, "must be between " + fmt(min) + " and " + fmt(max), value.toString()));
                return null;
            }
            return d;
        }

        boolean bool(String key, boolean fallback) {
            JsonNode value = node == null ? null : node.get(key);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isBoolean()) {
                violations.add(new Violation(path + "." + key, "must be true or false", value.toString()));
                return fallback;
            }
            return value.booleanValue();
        }

        String string(String key, String fallback) {
            JsonNode value = node == null ? null : node.get(key);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isTextual()) {
                violations.add(new Violation(path + "." + key, "must be a string", value.toString()));
                return fallback;
            }
            return value.asText();
        }

        private static String fmt(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
