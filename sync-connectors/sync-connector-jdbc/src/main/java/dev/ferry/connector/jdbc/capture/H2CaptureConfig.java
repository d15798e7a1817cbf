package dev.ferry.connector.jdbc.capture;

import dev.ferry.api.change.TableId;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.connector.jdbc.CaptureTables;
import dev.ferry.connector.jdbc.JdbcEndpoint;
import dev.ferry.connector.jdbc.TablePattern;
import dev.ferry.connector.jdbc.JdbcKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The validated {@code source} block of the {@code h2} connector in a streaming job: trigger-based
 * capture, for a database without a log Ferry can read.
 *
 * @param path       the block's path ({@code "source"})
 * @param endpoint   where to connect
 * @param tables     the captured tables (or patterns), each schema-qualified
 * @param startFrom  {@code snapshot}, {@code latest}, or a position of the stream's existing change log
 * @param fetchSize  rows per round trip while copying the snapshot
 * @param pollMillis how long the reader waits before looking at the change log again once it has
 *                   read everything in it, >= 1
 */
public record H2CaptureConfig(String path, JdbcEndpoint endpoint, List<TablePattern> tables, String startFrom,
                              int fetchSize, long pollMillis) {

    public static final String POLL_MILLIS = "capture.pollMillis";
    /** Short enough that a change shows at the target within a blink, long enough that an idle stream costs nothing. */
    public static final long DEFAULT_POLL_MILLIS = 50;

    public H2CaptureConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(startFrom, "startFrom");
        tables = List.copyOf(tables);
        if (pollMillis < 1) {
            throw new IllegalArgumentException("pollMillis must be >= 1, got " + pollMillis);
        }
    }

    /** The keys of the {@code h2} source in a streaming job. */
    public static List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>(JdbcKeys.connectionKeys());
        keys.add(CaptureTables.tablesKey("schema", "PUBLIC.ORDERS"));
        keys.add(CaptureTables.startFromKey("1042 (a change number of the stream's existing change table)"));
        keys.add(ConfigKey.optional(POLL_MILLIS, ConfigType.LONG, DEFAULT_POLL_MILLIS,
                "Trigger-based capture (H2 has no log to read): triggers copy every change of the captured tables "
                        + "into a change table, which adds to the cost of each write and serialises writing "
                        + "transactions; this is how long the stream waits before reading that table again once it "
                        + "has read all of it."));
        keys.add(CaptureTables.fetchSizeKey());
        return keys;
    }

    /** Reads and checks the keys. @throws ConfigException listing every violation */
    public static H2CaptureConfig from(ConnectorConfig config, JdbcEndpoint endpoint, List<Violation> violations) {
        List<TablePattern> tables = CaptureTables.tables(config, "schema", violations);
        String start = CaptureTables.startFrom(config, H2Position::parse, "1042", violations);
        long pollMillis = config.getLong(POLL_MILLIS);
        if (pollMillis < 1) {
            violations.add(new Violation(config.path() + "." + POLL_MILLIS, "must be >= 1", Long.toString(pollMillis)));
        }
        int fetchSize = CaptureTables.fetchSize(config, violations);
        if (!violations.isEmpty() || endpoint == null) {
            throw new ConfigException(violations);
        }
        return new H2CaptureConfig(config.path(), endpoint, tables, start, fetchSize, pollMillis);
    }
}
