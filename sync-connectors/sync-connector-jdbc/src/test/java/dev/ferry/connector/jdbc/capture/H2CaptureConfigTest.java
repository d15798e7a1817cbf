package dev.ferry.connector.jdbc.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.change.TableId;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.connector.jdbc.TablePattern;
import dev.ferry.connector.jdbc.H2Connector;
import dev.ferry.connector.jdbc.H2Dialect;
import dev.ferry.connector.jdbc.JdbcSourceConfig;
import dev.ferry.connector.jdbc.testing.MapConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code h2} connector's streaming source keys, checked without opening the database. */
class H2CaptureConfigTest {

    private static H2CaptureConfig read(Map<String, Object> values) {
        List<Violation> violations = new ArrayList<>();
        ConnectorConfig config = MapConfig.capture(new H2Connector(), values);
        return H2CaptureConfig.from(config, JdbcSourceConfig.endpoint(config, new H2Dialect(), violations), violations);
    }

    @Test
    void defaultsAreSnapshotFiftyMillisecondsAndTheBatchFetchSize() {
        H2CaptureConfig config = read(Map.of("url", "jdbc:h2:mem:x", "tables", List.of("PUBLIC.ORDERS", "PUBLIC.L*")));
        assertEquals("snapshot", config.startFrom());
        assertEquals(H2CaptureConfig.DEFAULT_POLL_MILLIS, config.pollMillis());
        assertEquals(50, config.pollMillis());
        assertEquals(2000, config.fetchSize());
        assertEquals(List.of(TablePattern.parse("PUBLIC.ORDERS"), TablePattern.parse("PUBLIC.L*")), config.tables());
        assertTrue(new H2Connector().captureKeys().stream().anyMatch(k -> k.name().equals("capture.pollMillis")
                && k.description().startsWith("Trigger-based capture")));
    }

    @Test
    void everyBadSettingIsReportedAtOnceWithoutThePassword() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("url", "jdbc:postgresql://127.0.0.1/x");
        values.put("password", "h2-secret-pw");
        values.put("tables", List.of("orders"));
        values.put("capture.startFrom", "yesterday");
        values.put("capture.pollMillis", 0L);
        values.put("fetchSize", 0);
        ConfigException e = assertThrows(ConfigException.class, () -> read(values));
        List<String> messages = e.violations().stream().map(Violation::toString).toList();
        assertEquals(List.of(
                "source.url must be a h2 JDBC URL such as jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1 or jdbc:h2:file:/data/orders, "
                        + "got 'jdbc:postgresql://127.0.0.1/x'",
                "source.tables must name each table as schema.table, got 'orders'",
                "source.capture.startFrom must be snapshot, latest or a position such as 1042, got 'yesterday'",
                "source.capture.pollMillis must be >= 1, got 0",
                "source.fetchSize must be >= 1, got 0"), messages);
        assertFalse(e.getMessage().contains("h2-secret-pw"));
    }
}
