package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.api.change.Partitioning;
import dev.ferry.api.error.ConfigException;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.config.ConnectorConfigs;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The keys of a {@code partitioned} change target: defaults, every violation at once, and dialects that cannot. */
class PartitionedConfigTest {

    private static final TestDatabase H2 = TestDatabase.h2("partitioned_config_test");

    /** A dialect that can keep partitions (with SQL no test here runs), to read the keys without a database. */
    private static final Dialect PARTITIONING_H2 = new GenericDialect() {
        @Override
        public String name() {
            return "partitioning";
        }

        @Override
        public Optional<PartitionSql> partitions() {
            return Optional.of((PartitionSql) Proxy.newProxyInstance(PartitionSql.class.getClassLoader(),
                    new Class<?>[] {PartitionSql.class}, (proxy, method, arguments) -> {
                        throw new UnsupportedOperationException(method.getName());
                    }));
        }
    };

    private static JdbcChangeTargetConfig config(Dialect dialect, Object... keysAndValues) {
        Map<String, Object> values = H2.options(keysAndValues);
        return JdbcChangeTargetConfig.from(ConnectorConfigs.validate("h2", "target", JdbcChangeTargetConfig.keys(), values),
                dialect);
    }

    @Test
    void aTargetIsNotPartitionedUnlessAsked() {
        JdbcChangeTargetConfig config = config(new H2Dialect());
        assertFalse(config.partitioned());
        assertNull(config.partitions());
    }

    @Test
    void theKeysDefaultToDsInYyyyMmDdInUtcWithLogTablesEndingInLog() {
        PartitionLayout settings = config(PARTITIONING_H2, "partitioned", true).partitions();
        assertEquals(new Partitioning("ds", "yyyyMMdd", ZoneId.of("UTC")), settings.partitioning());
        assertNull(settings.snapshotDate());
        assertEquals(new TableName("s", "orders_log"), settings.logOf(new TableName("s", "orders")));
        Clock lateInUtc = Clock.fixed(Instant.parse("2024-03-01T23:30:00Z"), ZoneOffset.UTC);
        assertEquals(LocalDate.of(2024, 3, 1), settings.snapshotDateOr(lateInUtc));
        PartitionLayout shanghai = config(PARTITIONING_H2, "partitioned", true, "partitionZone", "Asia/Shanghai",
                "partitionColumn", "biz_date", "partitionFormat", "yyyy-MM-dd", "logSuffix", "_changes").partitions();
        assertEquals(LocalDate.of(2024, 3, 2), shanghai.snapshotDateOr(lateInUtc), "today in the partition zone");
        assertEquals("2024-03-02", shanghai.partitioning().value(LocalDate.of(2024, 3, 2)));
        assertEquals(new TableName(null, "orders_changes"), shanghai.logOf(new TableName(null, "orders")));
        assertEquals(LocalDate.of(2023, 12, 31), config(PARTITIONING_H2, "partitioned", true, "partitionDate",
                "2023-12-31").partitions().snapshotDate());
    }

    @Test
    void everyBadKeyIsReportedWithItsValueAndRule() {
        ConfigException e = assertThrows(ConfigException.class, () -> config(new H2Dialect(), "partitioned", true,
                "partitionColumn", " ", "partitionZone", "Mars/Olympus", "partitionFormat", "yyyyMM",
                "partitionDate", "20240101", "logSuffix", ""));
        assertEquals("""
                invalid job (6 problems):
                  - target.partitioned must be false on h2: its change target cannot keep tables partitioned by Business Date (postgresql and duckdb can), got true
                  - target.partitionColumn must name a column, got ' '
                  - target.partitionZone must be a time zone id such as UTC or Asia/Shanghai, got 'Mars/Olympus'
                  - target.partitionFormat must be a date pattern that keeps the whole date, such as yyyyMMdd, got 'yyyyMM'
                  - target.partitionDate must be a date written yyyy-MM-dd, got '20240101'
                  - target.logSuffix must not be empty (the change log needs a name of its own), got ''""",
                e.getMessage());
    }

    @Test
    void theKeysAreIgnoredWhenNotPartitioned() {
        JdbcChangeTargetConfig config = config(new H2Dialect(), "partitionZone", "Mars/Olympus");
        assertFalse(config.partitioned());
    }

    @Test
    void theFactoryMakesAPartitionedTargetOnlyWhenAsked() {
        assertEquals(JdbcChangeTarget.class, new H2Connector().createChangeTarget(ConnectorConfigs.validate("h2", "target",
                JdbcChangeTargetConfig.keys(), H2.options())).getClass());
        ConfigException e = assertThrows(ConfigException.class, () -> new H2Connector().createChangeTarget(
                ConnectorConfigs.validate("h2", "target", JdbcChangeTargetConfig.keys(), H2.options("partitioned", true))));
        assertEquals("invalid job: target.partitioned must be false on h2: its change target cannot keep tables "
                + "partitioned by Business Date (postgresql and duckdb can), got true", e.getMessage());
    }
}
