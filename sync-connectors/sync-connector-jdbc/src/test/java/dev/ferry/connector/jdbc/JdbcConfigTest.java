package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.error.ConfigException;
import dev.ferry.connector.jdbc.testing.MapConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Reading and checking the source and target blocks, with the exact messages users see. */
class JdbcConfigTest {

    private final H2Connector h2 = new H2Connector();

    private JdbcSourceConfig source(Map<String, Object> values) {
        return JdbcSourceConfig.from(MapConfig.source(h2, values), new H2Dialect());
    }

    private JdbcTargetConfig target(Map<String, Object> values) {
        return JdbcTargetConfig.from(MapConfig.target(h2, values), new H2Dialect());
    }

    @Test
    void sourceDefaults() {
        JdbcSourceConfig config = source(Map.of("url", "jdbc:h2:mem:x", "table", "public.orders"));
        assertEquals(new TableName("public", "orders"), config.table());
        assertEquals(JdbcKeys.DEFAULT_FETCH_SIZE, config.fetchSize());
        assertEquals(JdbcKeys.DEFAULT_CONNECT_TIMEOUT_SECONDS, config.endpoint().connectTimeoutSeconds());
        assertEquals(JdbcKeys.DEFAULT_SOCKET_TIMEOUT_SECONDS, config.endpoint().socketTimeoutSeconds());
        assertEquals(null, config.splitPk());
        assertEquals(null, config.columns());
        assertFalse(config.consistent());
    }

    @Test
    void sourceCollectsEveryViolation() {
        ConfigException error = assertThrows(ConfigException.class, () -> source(Map.of(
                "url", "jdbc:postgresql://h/db?password=hidden", "table", "t", "querySql", "SELECT 1", "where", "x > 1",
                "fetchSize", 0, "splitCount", 0, "connectTimeoutSeconds", 0)));
        assertEquals("""
                invalid job (6 problems):
                  - source.url must be a h2 JDBC URL such as jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1 or jdbc:h2:file:/data/orders, got 'jdbc:postgresql://h/db?password=******'
                  - source.connectTimeoutSeconds must be >= 1, got 0
                  - source.table cannot be combined with source.querySql, got 't'
                  - source.where cannot be combined with source.querySql (filter in the query), got 'x > 1'
                  - source.splitCount must be between 1 and 10000, got 0
                  - source.fetchSize must be >= 1, got 0""", error.getMessage());
    }

    @Test
    void sourceNeedsATableOrQueries() {
        assertEquals("invalid job: source.table is required unless source.querySql is given",
                assertThrows(ConfigException.class, () -> source(Map.of("url", "jdbc:h2:mem:x"))).getMessage());
    }

    @Test
    void querySqlIsSplitIntoStatements() {
        JdbcSourceConfig config = source(Map.of("url", "jdbc:h2:mem:x", "querySql", List.of("SELECT 1; SELECT ';'", "SELECT 3")));
        assertEquals(List.of("SELECT 1", "SELECT ';'", "SELECT 3"), config.querySql());
    }

    @Test
    void targetDefaultsAndViolations() {
        JdbcTargetConfig config = target(Map.of("url", "jdbc:h2:mem:x", "table", "t"));
        assertEquals(WriteMode.INSERT, config.writeMode());
        assertEquals(JdbcKeys.DEFAULT_BATCH_SIZE, config.batchSize());
        assertFalse(config.truncateBeforeWrite());
        assertFalse(config.createTable());
        assertTrue(config.fastPath());
        ConfigException error = assertThrows(ConfigException.class, () -> target(Map.of("url", "jdbc:h2:mem:x", "table", "a.b.c",
                "batchSize", 0, "socketTimeoutSeconds", -1)));
        assertEquals("""
                invalid job (3 problems):
                  - target.socketTimeoutSeconds must be >= 0 (0 = no timeout), got -1
                  - target.table must be 'table' or 'schema.table' (quote a name that holds a dot: "a.b"), got 'a.b.c'
                  - target.batchSize must be >= 1, got 0""", error.getMessage());
        ConfigException empty = assertThrows(ConfigException.class,
                () -> target(Map.of("url", "jdbc:h2:mem:x", "table", "t", "columns", List.of())));
        assertEquals("invalid job: target.columns must be a string or a non-empty list of strings, got []",
                empty.getMessage());
    }

    @Test
    void keysAreDeclaredOnceWithTheirDefaults() {
        for (List<ConfigKey> keys : List.of(h2.sourceKeys(), h2.targetKeys(), new GenericJdbcConnector().sourceKeys())) {
            Set<String> names = new HashSet<>();
            for (ConfigKey key : keys) {
                assertTrue(names.add(key.name()), "declared twice: " + key.name());
            }
        }
        ConfigKey password = h2.sourceKeys().stream().filter(k -> k.name().equals("password")).findFirst().orElseThrow();
        assertTrue(password.isSecret());
        ConfigKey mode = h2.targetKeys().stream().filter(k -> k.name().equals("writeMode")).findFirst().orElseThrow();
        assertEquals(List.of("insert", "upsert", "update"), mode.allowedValues());
        assertTrue(new GenericJdbcConnector().sourceKeys().stream().anyMatch(k -> k.name().equals("driverClassName")));
        assertFalse(h2.sourceKeys().stream().anyMatch(k -> k.name().equals("driverClassName")));
    }

    @Test
    void endpointNeverPrintsThePassword() {
        JdbcSourceConfig config = source(Map.of("url", "jdbc:h2:mem:x;PASSWORD=inurl", "table", "t", "password", "s3cret!"));
        assertEquals("s3cret!", config.endpoint().password().value());
        assertFalse(config.endpoint().toString().contains("s3cret!"));
        assertFalse(config.endpoint().toString().contains("inurl"));
        assertFalse(config.toString().contains("s3cret!"));
    }
}
