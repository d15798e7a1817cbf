package dev.ferry.connector.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.job.JobReport;
import dev.ferry.connector.jdbc.testing.RowValues;
import dev.ferry.connector.jdbc.testing.RowValues.Col;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.SyncEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole jobs read from JSON job files and run by {@link SyncEngine}: H2 into DuckDB and back. */
class DuckDbEndToEndTest {

    @TempDir
    Path dir;

    private static final List<Col> ORDERS = List.of(RowValues.col("id", RowValues.Kind.INT),
            RowValues.col("customer", RowValues.Kind.TEXT), RowValues.col("amount", RowValues.Kind.DECIMAL),
            RowValues.col("rate", RowValues.Kind.FLOAT), RowValues.col("paid", RowValues.Kind.BOOL),
            RowValues.col("shipped", RowValues.Kind.DATE), RowValues.col("slot", RowValues.Kind.TIME),
            RowValues.col("created", RowValues.Kind.TIMESTAMP), RowValues.col("zoned", RowValues.Kind.INSTANT),
            RowValues.col("raw", RowValues.Kind.BYTES));

    private static final String ORDERS_DDL = "id BIGINT PRIMARY KEY, customer VARCHAR(64), amount DECIMAL(12,2), "
            + "rate DOUBLE PRECISION, paid BOOLEAN, shipped DATE, slot TIME, created TIMESTAMP, zoned TIMESTAMP WITH TIME ZONE, "
            + "raw VARBINARY(8)";

    private static TestDatabase h2(String name) {
        return TestDatabase.h2(TestDatabase.uniqueName(name));
    }

    private static void fillOrders(TestDatabase h2, int rows) {
        h2.execute("CREATE TABLE orders (" + ORDERS_DDL + ")",
                "INSERT INTO orders SELECT X, CASE WHEN MOD(X, 10) = 0 THEN NULL ELSE 'c' || X || ' é\t''' END, X / 100.0, "
                        + "X * 1.5, MOD(X, 2) = 0, DATEADD('DAY', X, DATE '2000-01-01'), DATEADD('SECOND', X, TIME '00:00:00'), "
                        + "DATEADD('SECOND', X, TIMESTAMP '2026-01-01 00:00:00'), "
                        + "DATEADD('SECOND', X, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+03:00'), "
                        + "CAST(X AS VARBINARY(8)) FROM SYSTEM_RANGE(1, " + rows + ")");
    }

    private JobReport run(String json) throws Exception {
        Path file = dir.resolve("job.json");
        Files.writeString(file, json);
        try (SyncEngine engine = SyncEngine.builder().build()) {
            return engine.run(engine.parseJob(file));
        }
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Test
    void h2ToDuckDbCreatesTheTableAndCopiesEveryValueInParallel() throws Exception {
        TestDatabase h2 = h2("e2e_to_duckdb");
        fillOrders(h2, 20_000);
        TestDatabase duck = DuckDbFiles.file(dir, "warehouse");
        JobReport report = run("""
                {"name": "h2-to-duckdb",
                 "source": {"connector": "h2", "url": "%s", "username": "sa", "table": "orders", "splitPk": "id"},
                 "target": {"connector": "duckdb", "url": "%s", "table": "orders", "createTable": true},
                 "settings": {"concurrency": 4}}
                """.formatted(json(h2.url()), json(duck.url())));
        assertTrue(report.isSuccess(), report.error());
        assertEquals(20_000, report.recordsWritten());
        assertTrue(report.splits().size() > 4, report.splits().toString());
        RowValues.assertSameRows(ORDERS, RowValues.read(h2, "orders", "id", ORDERS), RowValues.read(duck, "orders", "id", ORDERS));
    }

    @Test
    void duckDbToH2UpsertsIntoAnExistingTable() throws Exception {
        TestDatabase duck = DuckDbFiles.file(dir, "source");
        duck.execute("CREATE TABLE orders (" + ORDERS_DDL.replace("VARBINARY(8)", "BLOB") + ")",
                "INSERT INTO orders SELECT range, 'c' || range, range / 100, range * 1.5, range % 2 = 0, "
                        + "DATE '2000-01-01' + range::INTEGER, TIME '00:00:00' + INTERVAL (range) SECOND, "
                        + "TIMESTAMP '2026-01-01' + INTERVAL (range) SECOND, TIMESTAMPTZ '2026-01-01 00:00:00+03' + INTERVAL (range) SECOND, "
                        + "encode('x' || range) FROM range(1, 5001)");
        TestDatabase h2 = h2("e2e_from_duckdb");
        h2.execute("CREATE TABLE orders (" + ORDERS_DDL.replace("VARBINARY(8)", "VARBINARY(16)") + ")",
                "INSERT INTO orders (id, customer) VALUES (1, 'stale'), (9999, 'kept')");
        JobReport report = run("""
                {"name": "duckdb-to-h2",
                 "source": {"connector": "duckdb", "url": "%s", "table": "orders", "splitPk": "id"},
                 "target": {"connector": "h2", "url": "%s", "username": "sa", "table": "orders", "writeMode": "upsert"},
                 "settings": {"concurrency": 3}}
                """.formatted(json(duck.url()), json(h2.url())));
        assertTrue(report.isSuccess(), report.error());
        assertEquals(5000, report.recordsWritten());
        RowValues.assertSameRows(ORDERS, RowValues.read(duck, "orders", "id", ORDERS),
                RowValues.read(h2, "orders", "id", ORDERS).subList(0, 5000));
        assertEquals(List.of("9999|kept"), h2.rows("SELECT id, customer FROM orders WHERE id > 5000"));
    }

    @Test
    void everySplitOfAnUnnamedInMemoryTargetLandsInOneDatabase() throws Exception {
        TestDatabase h2 = h2("e2e_to_memory");
        fillOrders(h2, 10_000);
        JobReport report = run("""
                {"name": "h2-to-memory",
                 "source": {"connector": "h2", "url": "%s", "username": "sa", "table": "orders", "splitPk": "id"},
                 "target": {"connector": "duckdb", "url": "jdbc:duckdb:", "table": "gen", "createTable": true,
                            "postSql": "SELECT CAST(error('rows: ' || n) AS INT) FROM (SELECT count(*) AS n FROM gen) WHERE n <> 10000"},
                 "settings": {"concurrency": 4}}
                """.formatted(json(h2.url())));
        assertTrue(report.isSuccess(), report.error());
        assertEquals(10_000, report.recordsWritten());
    }

    @Test
    void badConfigurationNamesEveryKeyValueAndRuleAndNeverThePassword() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, """
                {"name": "bad",
                 "source": {"connector": "duckdb", "url": "jdbc:duckdb:", "table": "t"},
                 "target": {"connector": "duckdb", "url": "jdbc:postgresql://db/x?password=hunter2secret",
                            "password": "hunter2secret", "table": "t", "writeMode": "merge", "batchSize": 0,
                            "appender": "fast", "pathh": "x.duckdb"}}
                """);
        ConfigException error;
        try (SyncEngine engine = SyncEngine.builder().build()) {
            error = assertThrows(ConfigException.class, () -> engine.run(engine.parseJob(file)));
        }
        String message = error.getMessage();
        assertFalse(message.contains("hunter2secret"), message);
        for (String expected : List.of("target.pathh", "target.writeMode", "'merge'", "target.appender", "'fast'")) {
            assertTrue(message.contains(expected), expected + " missing from: " + message);
        }
    }
}
