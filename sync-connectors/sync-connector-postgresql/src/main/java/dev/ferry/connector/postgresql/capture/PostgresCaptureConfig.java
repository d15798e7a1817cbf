package dev.ferry.connector.postgresql.capture;

import dev.ferry.api.change.TableId;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.connector.jdbc.CaptureTables;
import dev.ferry.connector.jdbc.JdbcEndpoint;
import dev.ferry.connector.jdbc.JdbcKeys;
import dev.ferry.connector.jdbc.TablePattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The validated {@code source} block of the {@code postgresql} connector in a streaming job.
 *
 * @param path                the block's path ({@code "source"})
 * @param endpoint            where to connect
 * @param tables              the captured tables: names, patterns and regular expressions
 * @param startFrom           {@code snapshot}, {@code latest}, or a position to start at
 * @param slot                the replication slot's name, or null to derive it from the job name
 * @param publication         the publication's name, or null to use the slot's
 * @param heartbeatMillis     how often an idle stream emits a heartbeat into the WAL
 * @param splitPks            columns that split named tables' copies
 * @param fetchSize           rows per round trip while copying a snapshot
 */
public record PostgresCaptureConfig(String path, JdbcEndpoint endpoint, List<TablePattern> tables, String startFrom,
                                    String slot, String publication, long heartbeatMillis, int fetchSize,
                                    java.util.Map<TableId, String> splitPks) {

    public static final String TABLES = CaptureTables.TABLES;
    public static final String START_FROM = CaptureTables.START_FROM;
    public static final String SLOT = "capture.slot";
    public static final String PUBLICATION = "capture.publication";
    public static final String HEARTBEAT_MILLIS = "capture.heartbeatIntervalMillis";
    public static final String START_SNAPSHOT = CaptureTables.START_SNAPSHOT;
    public static final String START_LATEST = CaptureTables.START_LATEST;
    public static final long DEFAULT_HEARTBEAT_MILLIS = 10_000;
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public PostgresCaptureConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(startFrom, "startFrom");
        tables = List.copyOf(tables);
        splitPks = java.util.Map.copyOf(splitPks);
    }

    /** The keys of the {@code postgresql} source in a streaming job. */
    public static List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>(JdbcKeys.connectionKeys());
        keys.add(CaptureTables.tablesKey("schema", "public.orders"));
        keys.add(CaptureTables.startFromKey("0/1A2B3C4 on an existing slot"));
        keys.add(ConfigKey.optional(SLOT, ConfigType.STRING, null,
                "Replication slot name; default ferry_ + the job name (lower case, other characters as _)."));
        keys.add(ConfigKey.optional(PUBLICATION, ConfigType.STRING, null,
                "Publication name for the captured tables; default the slot name."));
        keys.add(ConfigKey.optional(HEARTBEAT_MILLIS, ConfigType.LONG, DEFAULT_HEARTBEAT_MILLIS,
                "How often a quiet stream writes a heartbeat into the WAL so that its slot keeps advancing "
                        + "(0 = never)."));
        keys.add(CaptureTables.fetchSizeKey());
        keys.add(CaptureTables.splitPkKey());
        return keys;
    }

    /** Reads and checks the keys. @throws ConfigException listing every violation */
    public static PostgresCaptureConfig from(ConnectorConfig config, JdbcEndpoint endpoint, List<Violation> violations) {
        String p = config.path();
        List<TablePattern> tables = CaptureTables.tables(config, "schema", violations);
        String start = CaptureTables.startFrom(config, PgLsn::parse, "0/1A2B3C4", violations);
        String slot = config.getString(SLOT);
        checkName(p + "." + SLOT, slot, violations);
        String publication = config.getString(PUBLICATION);
        checkName(p + "." + PUBLICATION, publication, violations);
        long heartbeat = config.getLong(HEARTBEAT_MILLIS);
        if (heartbeat < 0 || (heartbeat > 0 && heartbeat < 100)) {
            violations.add(new Violation(p + "." + HEARTBEAT_MILLIS, "must be 0 or >= 100", Long.toString(heartbeat)));
        }
        int fetchSize = CaptureTables.fetchSize(config, violations);
        java.util.Map<TableId, String> splitPks = CaptureTables.splitPks(config, violations);
        if (!violations.isEmpty() || endpoint == null) {
            throw new ConfigException(violations);
        }
        return new PostgresCaptureConfig(p, endpoint, tables, start, slot, publication, heartbeat, fetchSize, splitPks);
    }

    private static void checkName(String key, String value, List<Violation> violations) {
        if (value != null && !NAME.matcher(value).matches()) {
            violations.add(new Violation(key, "must be 1 to 63 lower-case letters, digits or _, not starting with a digit",
                    "'" + value + "'"));
        }
    }

    /** The slot name: the configured one, or {@code ferry_} + the job name made into a valid name. */
    public String slotName(String jobName) {
        if (slot != null) {
            return slot;
        }
        String derived = ("ferry_" + jobName.toLowerCase(Locale.ROOT)).replaceAll("[^a-z0-9_]", "_");
        return derived.length() > 63 ? derived.substring(0, 63) : derived;
    }

    public String publicationName(String jobName) {
        return publication != null ? publication : slotName(jobName);
    }
}
