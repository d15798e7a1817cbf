package dev.ferry.connector.mariadb.capture;

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
import java.util.Objects;

/**
 * The validated {@code source} block of the {@code mariadb} and {@code mysql} connectors in a
 * streaming job.
 *
 * @param path      the block's path ({@code "source"})
 * @param endpoint  where to connect (the binlog client uses the URL's host and port)
 * @param tables    the captured tables, each {@code database.table}, a pattern or a regular expression
 * @param startFrom {@code snapshot}, {@code latest}, or a binlog position to start at
 * @param serverId  the replica server id this stream uses, or null to derive one from the job name
 * @param splitPks            columns that split named tables' copies
 * @param fetchSize rows per round trip while copying the snapshot
 */
public record MariaDbCaptureConfig(String path, JdbcEndpoint endpoint, List<TablePattern> tables, String startFrom,
                                   Long serverId, int fetchSize, java.util.Map<TableId, String> splitPks) {

    public static final String TABLES = CaptureTables.TABLES;
    public static final String START_FROM = CaptureTables.START_FROM;
    public static final String SERVER_ID = "capture.serverId";
    public static final String START_SNAPSHOT = CaptureTables.START_SNAPSHOT;
    public static final String START_LATEST = CaptureTables.START_LATEST;
    /** Derived server ids fall in [BASE, BASE + SPAN), away from the small ids servers usually have. */
    static final long SERVER_ID_BASE = 1_000_000_000L;
    static final long SERVER_ID_SPAN = 1_000_000_000L;

    public MariaDbCaptureConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(startFrom, "startFrom");
        tables = List.copyOf(tables);
        splitPks = java.util.Map.copyOf(splitPks);
    }

    /** The keys of the source in a streaming job. */
    public static List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>(JdbcKeys.connectionKeys());
        keys.add(CaptureTables.tablesKey("database", "shop.orders"));
        keys.add(CaptureTables.startFromKey("mariadb-bin.000003:4521 (a snapshot streams from the binlog position "
                + "taken before the copy)"));
        keys.add(ConfigKey.optional(SERVER_ID, ConfigType.LONG, null,
                "Replica server id of this stream (unique among the server's replicas); default derived from the "
                        + "job name."));
        keys.add(CaptureTables.fetchSizeKey());
        keys.add(CaptureTables.splitPkKey());
        return keys;
    }

    /** Reads and checks the keys. @throws ConfigException listing every violation */
    public static MariaDbCaptureConfig from(ConnectorConfig config, JdbcEndpoint endpoint, List<Violation> violations) {
        String p = config.path();
        List<TablePattern> tables = CaptureTables.tables(config, "database", violations);
        String start = CaptureTables.startFrom(config, BinlogPosition::parse, "mariadb-bin.000003:4521", violations);
        Long serverId = config.getLong(SERVER_ID);
        if (serverId != null && (serverId < 1 || serverId > 4_294_967_295L)) {
            violations.add(new Violation(p + "." + SERVER_ID, "must be between 1 and 4294967295", serverId.toString()));
        }
        int fetchSize = CaptureTables.fetchSize(config, violations);
        java.util.Map<TableId, String> splitPks = CaptureTables.splitPks(config, violations);
        if (!violations.isEmpty() || endpoint == null) {
            throw new ConfigException(violations);
        }
        return new MariaDbCaptureConfig(p, endpoint, tables, start, serverId, fetchSize, splitPks);
    }

    /** The configured server id, or one derived from the job name (stable across runs). */
    public long serverId(String jobName) {
        return serverId != null ? serverId : SERVER_ID_BASE + Math.floorMod((long) jobName.hashCode(), SERVER_ID_SPAN);
    }
}
