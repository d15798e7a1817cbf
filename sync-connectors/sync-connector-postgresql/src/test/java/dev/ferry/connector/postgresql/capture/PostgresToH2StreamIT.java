package dev.ferry.connector.postgresql.capture;

import static dev.ferry.connector.jdbc.testing.RowValues.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.StreamSettings;
import dev.ferry.connector.jdbc.testing.RowValues;
import dev.ferry.connector.jdbc.testing.RowValues.Col;
import dev.ferry.connector.jdbc.testing.RowValues.Kind;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.JobHandle;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.state.InMemoryStateStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL streamed into an embedded H2 database that the stream creates its tables in: a
 * snapshot, then inserts with edge values and nulls, updates of every column, an update that
 * leaves a TOAST value unchanged, deletes, key changes (also of a composite key under REPLICA
 * IDENTITY FULL) and several changes of one key in one transaction; the target must equal the
 * source value by value.
 */
class PostgresToH2StreamIT {

    private static final TestDatabase SOURCE = TestDatabase.POSTGRES;

    private final String items = TestDatabase.uniqueName("h2items");
    private final String stock = TestDatabase.uniqueName("h2stock");
    private final String job = TestDatabase.uniqueName("pgh2");
    private final TestDatabase target = TestDatabase.h2(TestDatabase.uniqueName("target"));

    private static final List<Col> ITEM_COLUMNS = List.of(col("id", Kind.INT), col("qty", Kind.INT),
            col("price", Kind.DECIMAL), col("ratio", Kind.FLOAT), col("note", Kind.TEXT), col("label", Kind.TEXT),
            col("ok", Kind.BOOL), col("data", Kind.BYTES), col("day", Kind.DATE), col("at_time", Kind.TIME),
            col("at", Kind.TIMESTAMP), col("atz", Kind.INSTANT), col("doc", Kind.JSON), col("u", Kind.TEXT),
            col("big", Kind.TEXT));
    private static final List<Col> STOCK_COLUMNS = List.of(col("tenant", Kind.INT), col("code", Kind.TEXT),
            col("qty", Kind.INT), col("memo", Kind.TEXT));

    @BeforeEach
    void setUp() {
        SOURCE.assumeReachable();
        SOURCE.execute("CREATE TABLE " + items + " (id bigint PRIMARY KEY, qty int, price numeric(12,3), ratio float8, "
                        + "note text, label varchar(20), ok boolean, data bytea, day date, at_time time, at timestamp, "
                        + "atz timestamptz, doc jsonb, u uuid, big text)",
                // stored out of line and uncompressed, so that an update of another column leaves it unchanged in the WAL
                "ALTER TABLE " + items + " ALTER COLUMN big SET STORAGE EXTERNAL",
                "INSERT INTO " + items + " SELECT g, g * 10, g * 1.125, g / 3.0, 'note ' || g, 'label ' || g, g % 2 = 0, "
                        + "decode(md5(g::text), 'hex'), date '2024-01-01' + g, time '08:00' + g * interval '1 minute', "
                        + "timestamp '2024-01-01 00:00:00' + g * interval '1 hour', "
                        + "timestamptz '2024-01-01 00:00:00+00' + g * interval '90 minutes', "
                        + "jsonb_build_object('g', g, 'tags', jsonb_build_array('a', g)), md5(g::text)::uuid, "
                        + "CASE WHEN g % 10 = 0 THEN repeat(md5(g::text), 200) END FROM generate_series(1, 40) g",
                "CREATE TABLE " + stock + " (tenant int, code varchar(10), qty int NOT NULL, memo text, "
                        + "PRIMARY KEY (tenant, code))",
                "ALTER TABLE " + stock + " REPLICA IDENTITY FULL",
                "INSERT INTO " + stock + " SELECT g % 3, 'c' || g, g, NULL FROM generate_series(1, 12) g");
    }

    @AfterEach
    void tearDown() {
        PgSlots.drop(SOURCE, "ferry_" + job, "ferry_" + job);
        SOURCE.execute("DROP TABLE IF EXISTS " + items, "DROP TABLE IF EXISTS " + stock);
        target.execute("SHUTDOWN");
    }

    private JobSpec spec() {
        Map<String, Object> source = SOURCE.options("tables", List.of("public." + items, "public." + stock),
                "capture.startFrom", "snapshot", "capture.heartbeatIntervalMillis", 200L);
        JobSettings settings = JobSettings.DEFAULT.withConcurrency(2).withStream(new StreamSettings(5, 100));
        return new JobSpec(job, JobMode.STREAM, new ConnectorSpec("postgresql", source),
                new ConnectorSpec("h2", target.options()), settings);
    }

    private List<List<String>> sourceItems() {
        return RowValues.read(SOURCE, items, "id", ITEM_COLUMNS, "SET TIME ZONE 'UTC'");
    }

    private List<List<String>> targetItems() {
        return RowValues.read(target, "\"" + items + "\"", "\"id\"", quoted(ITEM_COLUMNS));
    }

    private List<List<String>> sourceStock() {
        return RowValues.read(SOURCE, stock, "tenant, code", STOCK_COLUMNS);
    }

    private List<List<String>> targetStock() {
        return RowValues.read(target, "\"" + stock + "\"", "\"tenant\", \"code\"", quoted(STOCK_COLUMNS));
    }

    /** H2 folds unquoted names to upper case; the stream created the tables with the source's names. */
    private static List<Col> quoted(List<Col> columns) {
        return columns.stream().map(c -> col("\"" + c.name() + "\"", c.kind())).toList();
    }

    private void awaitConverged(JobHandle handle) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!sourceItems().equals(targetItems()) || !sourceStock().equals(targetStock())) {
            if (handle.status().isTerminal()) {
                fail("the stream ended before converging: " + handle.await().error());
            }
            if (System.nanoTime() > deadline) {
                RowValues.assertSameRows(ITEM_COLUMNS, sourceItems(), targetItems());
                RowValues.assertSameRows(STOCK_COLUMNS, sourceStock(), targetStock());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void everyKindOfChangeLandsInH2ValueByValue() {
        try (SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).build()) {
            JobHandle handle = engine.submit(spec());
            awaitConverged(handle);
            SOURCE.execute(
                    // edge values, and a row of nulls
                    "INSERT INTO " + items + " VALUES (1000, -2147483648, -999999999.999, 'NaN', 'ünïcödé ✓ 😀 \"q\" \\ ''s'"
                            + " || E'\\n\\ttab', 'ééééééééééééééééééé€', false, '\\x00ff00'::bytea, '0001-01-01', '00:00:00', "
                            + "'0001-01-01 00:00:00', '1900-01-01 00:00:00+00', '{\"a\": [1, 2.5, \"x\"], \"b\": {\"c\": null}}', "
                            + "'00000000-0000-0000-0000-000000000000', repeat('x', 5000))",
                    "INSERT INTO " + items + " VALUES (1001, 2147483647, 999999999.999, 'Infinity', '', '', true, ''::bytea, "
                            + "'9999-12-31', '23:59:59.999999', '9999-12-31 23:59:59.999999', "
                            + "'2024-03-10 02:30:00.123456+05:45', '[]', 'ffffffff-ffff-ffff-ffff-ffffffffffff', NULL)",
                    "INSERT INTO " + items + " VALUES (1002, 0, 0, '-Infinity', NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                            + "NULL, 'null', NULL, NULL)",
                    "INSERT INTO " + items + " (id, ratio, doc) VALUES (1003, 1.7976931348623157e308, '\"just a string\"')",
                    "INSERT INTO " + items + " (id, ratio) VALUES (1004, 4.9e-324)",
                    "INSERT INTO " + items + " (id) VALUES (1005)",
                    // every column of some rows
                    "UPDATE " + items + " SET qty = -qty, price = -price, ratio = ratio * 2, note = note || ' changed', "
                            + "label = NULL, ok = NOT ok, data = '\\xdeadbeef', day = day - 1000, at_time = '12:34:56.5', "
                            + "at = at - interval '100 years', atz = atz + interval '1 second', doc = '{\"changed\": true}', "
                            + "u = NULL, big = 'small now' WHERE id BETWEEN 1 AND 5",
                    // only another column of rows holding a TOAST value: the value is unchanged in the WAL
                    "UPDATE " + items + " SET qty = 777 WHERE id IN (10, 20, 30)",
                    "UPDATE " + items + " SET big = repeat('y', 6000) WHERE id = 40",
                    "DELETE FROM " + items + " WHERE id IN (6, 7, 1005)",
                    // key changes: a delete of the old key and an insert of the new
                    "UPDATE " + items + " SET id = 2000 WHERE id = 8",
                    "UPDATE " + items + " SET id = 6, note = 'moved onto a deleted key' WHERE id = 11",
                    // several changes of the same keys in one transaction
                    "BEGIN; INSERT INTO " + items + " (id, qty) VALUES (3000, 1); UPDATE " + items + " SET qty = 2 WHERE id = 3000; "
                            + "DELETE FROM " + items + " WHERE id = 3000; INSERT INTO " + items + " (id, qty) VALUES (3001, 1); "
                            + "UPDATE " + items + " SET qty = 3, note = 'last' WHERE id = 3001; UPDATE " + items
                            + " SET id = 3002 WHERE id = 3001; UPDATE " + stock + " SET qty = qty + 100; COMMIT",
                    // a composite key: a change of one part of it, with full old rows
                    "UPDATE " + stock + " SET code = 'moved', memo = 'key part changed' WHERE tenant = 1 AND code = 'c1'",
                    "DELETE FROM " + stock + " WHERE tenant = 2",
                    "INSERT INTO " + stock + " VALUES (2, 'c2', 5, 'back again')");
            awaitConverged(handle);
            handle.stop();
            JobReport report = handle.await();
            assertEquals(JobStatus.STOPPED, report.status(), report.error());
            assertEquals(0, report.dirtyRecords(), report.dirtySamples().toString());
            assertTrue(report.stream().inserts() > 0 && report.stream().updates() > 0 && report.stream().deletes() > 0,
                    report.stream().toString());
        }
        RowValues.assertSameRows(ITEM_COLUMNS, sourceItems(), targetItems());
        RowValues.assertSameRows(STOCK_COLUMNS, sourceStock(), targetStock());
        assertTrue(targetItems().stream().anyMatch(row -> row.get(0).equals("6")
                && row.get(4).equals("moved onto a deleted key")), targetItems().toString());
    }
}
