package dev.ferry.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Source;
import dev.ferry.api.SourceFactory;
import dev.ferry.api.Target;
import dev.ferry.api.TargetFactory;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.testing.TestSource;
import dev.ferry.engine.testing.TestTarget;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

class ConnectorValidationTest {

    /** A connector with one key of every type, remembering the config it was given. */
    static final class KeyedConnector implements SourceFactory, TargetFactory {
        final AtomicReference<ConnectorConfig> seen = new AtomicReference<>();

        @Override
        public String name() {
            return "keyed";
        }

        @Override
        public String description() {
            return "every key type";
        }

        @Override
        public List<ConfigKey> sourceKeys() {
            return List.of(
                    ConfigKey.required("url", ConfigType.STRING, "where"),
                    ConfigKey.optional("password", ConfigType.PASSWORD, null, "secret"),
                    ConfigKey.optional("fetchSize", ConfigType.INT, 1000, "rows per fetch"),
                    ConfigKey.optional("rows", ConfigType.LONG, 5L, "row count"),
                    ConfigKey.optional("ratio", ConfigType.DOUBLE, 0.5, "a ratio"),
                    ConfigKey.optional("header", ConfigType.BOOLEAN, true, "has header"),
                    ConfigKey.optional("path", ConfigType.STRING_LIST, null, "files"),
                    ConfigKey.optional("columns", ConfigType.COLUMNS, null, "columns"),
                    ConfigKey.oneOf("mode", "insert", List.of("insert", "upsert"), "write mode"));
        }

        @Override
        public Source createSource(ConnectorConfig config) {
            seen.set(config);
            if ("bad".equals(config.getString("url"))) {
                throw new ConfigException(new Violation("source.url", "must start with jdbc:", "'bad'"));
            }
            return new TestSource(1, 1);
        }

        @Override
        public List<ConfigKey> targetKeys() {
            return List.of();
        }

        @Override
        public Target createTarget(ConnectorConfig config) {
            return new TestTarget();
        }
    }

    private final KeyedConnector connector = new KeyedConnector();

    private List<String> problems(Map<String, Object> source) {
        try (SyncEngine engine = SyncEngine.builder().connector(connector).build()) {
            ConfigException e = assertThrows(ConfigException.class, () -> engine.validate(
                    new JobSpec("j", new ConnectorSpec("keyed", source), new ConnectorSpec("keyed", Map.of()),
                            JobSettings.DEFAULT)));
            return e.violations().stream().map(Violation::message).toList();
        }
    }

    @Test
    void validKeysAreTypedAndDefaultsFilledIn() {
        try (SyncEngine engine = SyncEngine.builder().connector(connector).build()) {
            engine.validate(new JobSpec("j", new ConnectorSpec("keyed", Map.of(
                    "url", "jdbc:x", "password", "hunter2", "fetchSize", BigInteger.valueOf(50), "path", "a.csv",
                    "columns", List.of(Map.of("name", "id", "type", "int64", "nullable", false),
                            Map.of("name", "price", "type", "decimal", "precision", 10, "scale", 2)))),
                    new ConnectorSpec("keyed", Map.of()), JobSettings.DEFAULT));
        }
        ConnectorConfig c = connector.seen.get();
        assertEquals("jdbc:x", c.getString("url"));
        assertEquals("hunter2", c.getSecret("password").value());
        assertEquals("******", c.getSecret("password").toString());
        assertEquals(50, c.getInt("fetchSize"));
        assertEquals(5L, c.getLong("rows"));
        assertEquals(0.5, c.getDouble("ratio"));
        assertEquals(true, c.getBoolean("header"));
        assertEquals(List.of("a.csv"), c.getStringList("path"));
        assertEquals(List.of(new Column("id", DataType.INT64, false, 0, 0, ""),
                new Column("price", DataType.DECIMAL, true, 10, 2, "")), c.getColumns("columns"));
        assertEquals("insert", c.getString("mode"));
        assertTrue(c.isSet("url"));
        assertFalse(c.isSet("rows"));
        assertThrows(IllegalArgumentException.class, () -> c.getString("undeclared"));
        assertFalse(c.toString().contains("hunter2"));
    }

    @Test
    void everyKeyViolationIsCollected() {
        assertEquals(java.util.stream.Stream.of(
                "source.colour is not a key of connector 'keyed' (known keys: url, password, fetchSize, rows, ratio, header, path, columns, mode)",
                "source.password must be a string, got ******",
                "source.fetchSize must be an integer between -2147483648 and 2147483647, got 3000000000",
                "source.rows must be an integer between -9223372036854775808 and 9223372036854775807, got 2.5",
                "source.ratio must be a number, got 'half'",
                "source.header must be true or false, got 'yes'",
                "source.path must be a string or a non-empty list of strings, got []",
                "source.columns[0].type must be one of boolean, int64, decimal, float64, string, bytes, date, time, timestamp, timestamptz, json, null, got 'integer'",
                "source.columns[1].name must be a non-empty string, got null",
                "source.mode must be one of insert, upsert, got 'merge'",
                "source.url is required (string: where)").sorted().toList(),
                problems(new java.util.LinkedHashMap<>(Map.ofEntries(
                        Map.entry("colour", "red"),
                        Map.entry("password", 12345),
                        Map.entry("fetchSize", BigInteger.valueOf(3_000_000_000L)),
                        Map.entry("rows", new java.math.BigDecimal("2.5")),
                        Map.entry("ratio", "half"),
                        Map.entry("header", "yes"),
                        Map.entry("path", List.of()),
                        Map.entry("columns", List.of(Map.of("name", "id", "type", "integer"), Map.of("type", "int64"))),
                        Map.entry("mode", "merge")))).stream().sorted().toList());
    }

    @Test
    void factoryRulesAreMergedWithTheRest() {
        List<String> problems = problems(Map.of("url", "bad"));
        assertEquals(List.of("source.url must start with jdbc:, got 'bad'"), problems);
    }

    @Test
    void unknownConnectorsAndGroupsListWhatExists() {
        try (SyncEngine engine = SyncEngine.builder().connector(connector).build()) {
            ConfigException e = assertThrows(ConfigException.class, () -> engine.validate(new JobSpec("j",
                    new ConnectorSpec("nope", Map.of()), new ConnectorSpec("nada", Map.of()),
                    JobSettings.DEFAULT.withResourceGroup("etl"))));
            assertEquals(List.of(
                    "settings.resourceGroup must name a resource group of this engine (default), got 'etl'",
                    "source.connector must name a source connector (keyed), got 'nope'",
                    "target.connector must name a target connector (keyed), got 'nada'"),
                    e.violations().stream().map(Violation::message).toList());
        }
    }

    @Test
    void aConnectorThatOnlyReadsCannotBeATarget() {
        SourceFactory readOnly = Mockito.mock(SourceFactory.class);
        Mockito.when(readOnly.name()).thenReturn("ro");
        Mockito.when(readOnly.sourceKeys()).thenReturn(List.of());
        try (SyncEngine engine = SyncEngine.builder().connector(readOnly).connector(connector).build()) {
            ConfigException e = assertThrows(ConfigException.class, () -> engine.validate(new JobSpec("j",
                    new ConnectorSpec("keyed", Map.of("url", "u")), new ConnectorSpec("ro", Map.of()), JobSettings.DEFAULT)));
            assertEquals("invalid job: target.connector must name a target connector (keyed), got 'ro'", e.getMessage());
        }
    }

    @Test
    void passwordsNeverAppearInMessages() {
        List<String> problems = problems(Map.of("url", List.of("jdbc:x?user=a&password=hunter2"), "password", "s3cret!",
                "path", List.of(1, "uses s3cret! here")));
        String all = String.join("\n", problems);
        assertFalse(all.contains("hunter2"), all);
        assertFalse(all.contains("s3cret!"), all);
        assertTrue(all.contains("source.url must be a string, got ['jdbc:x?user=a&password=******']"), all);
        assertTrue(all.contains("source.path must be a string or a non-empty list of strings, got [1, 'uses ****** here']"), all);
    }

    @Test
    void aBrokenJobFileReportsItsConnectorProblemsInTheSamePass() {
        try (SyncEngine engine = SyncEngine.builder().connector(connector).build()) {
            ConfigException e = assertThrows(ConfigException.class, () -> engine.parseJob("""
                    {"name": "j", "source": {"connector": "keyed", "colour": 1},
                     "target": {"connector": "nope"}, "settings": {"concurrency": 0}}
                    """));
            assertEquals(List.of(
                    "settings.concurrency must be >= 1, got 0",
                    "source.colour is not a key of connector 'keyed' (known keys: url, password, fetchSize, rows, ratio, header, path, columns, mode)",
                    "source.url is required (string: where)",
                    "target.connector must name a target connector (keyed), got 'nope'"),
                    e.violations().stream().map(Violation::message).toList());
        }
    }
}
