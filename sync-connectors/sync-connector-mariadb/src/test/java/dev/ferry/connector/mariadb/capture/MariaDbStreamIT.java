package dev.ferry.connector.mariadb.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.StreamSettings;
import dev.ferry.api.state.StateStore;
import dev.ferry.connector.jdbc.testing.ShardedTables;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.JobHandle;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.runtime.StreamRun;
import dev.ferry.engine.state.InMemoryStateStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MariaDB binlog streaming against the real servers: into PostgreSQL (snapshot with writes during
 * the copy, every kind of change, a key change, a transaction over two tables, DATETIME and
 * TIMESTAMP unshifted, stop and resume, a purged position) and into MariaDB (a table with a second
 * unique key, where an upsert must not update the wrong row; sharded tables selected by a regular
 * expression merged into one target table).
 */
class MariaDbStreamIT {

    private static final TestDatabase SOURCE = TestDatabase.MARIADB;
    private static final TestDatabase PG = new TestDatabase("PostgreSQL (target)", "jdbc:postgresql://127.0.0.1:5432/root",
            "root", "");
    private static final TestDatabase MARIADB_TARGET = new TestDatabase("MariaDB (target)",
            "jdbc:mariadb://127.0.0.1:3306/ferry_target", "root", "");

    private final String orders = TestDatabase.uniqueName("morders");
    private final String people = TestDatabase.uniqueName("people");
    private final String job = TestDatabase.uniqueName("mstream");
    private final StateStore state = new InMemoryStateStore();

    @BeforeEach
    void setUp() {
        SOURCE.assumeReachable();
        SOURCE.execute("CREATE TABLE " + orders + " (id BIGINT PRIMARY KEY, customer INT, amount DECIMAL(10,2), "
                        + "note VARCHAR(200), placed DATETIME(6), seen TIMESTAMP(6) NULL, flag TINYINT(1))",
                "CREATE TABLE " + people + " (id INT PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE, name VARCHAR(50))",
                "CREATE DATABASE IF NOT EXISTS ferry_target");
        StringBuilder insert = new StringBuilder("INSERT INTO " + orders + " VALUES ");
        for (int i = 1; i <= 2000; i++) {
            insert.append(i == 1 ? "" : ",").append("(").append(i).append(", ").append(i % 40).append(", ")
                    .append(i).append(".25, 'n").append(i).append("', '2024-03-10 02:30:00.123456', '2024-03-10 02:30:00.5', ")
                    .append(i % 2).append(")");
        }
        SOURCE.execute(insert.toString(), "INSERT INTO " + people + " VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B'), (3, 'c@x', 'C')");
    }

    @AfterEach
    void tearDown() {
        SOURCE.execute("DROP TABLE IF EXISTS " + orders, "DROP TABLE IF EXISTS " + people);
        MARIADB_TARGET.execute("DROP TABLE IF EXISTS " + orders, "DROP TABLE IF EXISTS " + people);
        try {
            PG.execute("DROP TABLE IF EXISTS " + orders, "DROP TABLE IF EXISTS " + people);
        } catch (IllegalStateException ignored) {
            // PostgreSQL is checked in the test that uses it
        }
    }

    private JobSpec spec(TestDatabase target, String startFrom) {
        Map<String, Object> source = SOURCE.options("tables", List.of("test." + orders, "test." + people),
                "capture.startFrom", startFrom);
        JobSettings settings = JobSettings.DEFAULT.withConcurrency(2).withStream(new StreamSettings(5, 100));
        String connector = target == PG ? "postgresql" : "mariadb";
        return new JobSpec(job, JobMode.STREAM, new ConnectorSpec("mariadb", source), new ConnectorSpec(connector,
                target.options()), settings);
    }

    /** The rows of a table as text, the same way on both servers. */
    private static List<String> rows(TestDatabase db, String table, String columns) {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + columns + " FROM " + table + " ORDER BY id")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        } catch (SQLException e) {
            rows.add("unreadable: " + e.getMessage());
        }
        return rows;
    }

    private static final String ORDER_COLUMNS_MARIADB = "id, customer, amount, note, "
            + "DATE_FORMAT(placed, '%Y-%m-%d %H:%i:%s.%f'), DATE_FORMAT(CONVERT_TZ(seen, @@session.time_zone, '+00:00'), "
            + "'%Y-%m-%d %H:%i:%s.%f'), flag <> 0";
    private static final String ORDER_COLUMNS_PG = "id, customer, amount, note, to_char(placed, 'YYYY-MM-DD HH24:MI:SS.US'), "
            + "to_char(seen AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), CASE WHEN flag THEN 1 ELSE 0 END";

    private void awaitConverged(JobHandle handle, TestDatabase target, String orderColumns) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<String> expectedOrders = rows(SOURCE, orders, ORDER_COLUMNS_MARIADB);
            List<String> expectedPeople = rows(SOURCE, people, "id, email, name");
            List<String> actualOrders = rows(target, orders, orderColumns);
            if (expectedOrders.equals(actualOrders) && expectedPeople.equals(rows(target, people, "id, email, name"))) {
                return;
            }
            if (handle.status().isTerminal()) {
                fail("the stream ended before converging: " + handle.await().error());
            }
            if (System.nanoTime() > deadline) {
                assertEquals(expectedOrders.size(), actualOrders.size(), "row counts");
                for (int i = 0; i < expectedOrders.size(); i++) {
                    assertEquals(expectedOrders.get(i), actualOrders.get(i));
                }
                fail("people differ: " + expectedPeople + " vs " + rows(target, people, "id, email, name"));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private void writeChanges(int round) {
        int base = 10_000 + round * 100;
        StringBuilder insert = new StringBuilder("INSERT INTO " + orders + " VALUES ");
        for (int i = 0; i < 20; i++) {
            insert.append(i == 0 ? "" : ",").append("(").append(base + i).append(", 3, 9.99, 'new', '2024-11-03 01:30:00', "
                    + "UTC_TIMESTAMP(6), 1)");
        }
        SOURCE.execute(insert.toString(),
                "UPDATE " + orders + " SET amount = amount + 1, note = CONCAT('u', " + round + ") WHERE id % 37 = " + round % 37,
                "DELETE FROM " + orders + " WHERE id % 41 = " + round % 41,
                "UPDATE " + orders + " SET id = id + 1000000 WHERE id = " + (base + 1),
                "BEGIN",
                "UPDATE " + people + " SET name = CONCAT(name, '" + round + "') WHERE id = 1",
                "INSERT INTO " + orders + " VALUES (" + (base + 99) + ", 1, 1, 'tx', NOW(6), NULL, 0)",
                "COMMIT");
    }

    @Test
    void snapshotThenStreamIntoPostgresqlConvergesThroughAStopAndResume() throws Exception {
        PG.assumeReachable();
        Thread writer = new Thread(() -> {
            for (int round = 0; round < 20; round++) {
                writeChanges(round);
            }
        });
        try (SyncEngine engine = SyncEngine.builder().stateStore(state).build()) {
            JobHandle handle = engine.submit(spec(PG, "snapshot"));
            writer.start();
            writer.join();
            awaitConverged(handle, PG, ORDER_COLUMNS_PG);
            // The writes above may all land before or during the copy; these surely come through the binlog.
            writeChanges(25);
            awaitConverged(handle, PG, ORDER_COLUMNS_PG);
            handle.stop();
            JobReport report = handle.await();
            assertEquals(JobStatus.STOPPED, report.status(), report.error());
            assertTrue(report.stream().snapshotRows() > 0, "the tables were copied: " + report.stream());
            assertTrue(report.stream().deletes() > 0 && report.stream().updates() > 0, report.stream().toString());
        }
        String checkpoint = state.get(StreamRun.checkpointKey(job)).orElseThrow();
        assertTrue(checkpoint.matches(".*mariadb-bin\\.\\d+:\\d+;gtid=0-1-\\d+.*"), "a checkpoint carries the GTID position: "
                + checkpoint);
        writeChanges(30);
        try (SyncEngine engine = SyncEngine.builder().stateStore(state).build()) {
            JobHandle handle = engine.submit(spec(PG, "snapshot"));
            awaitConverged(handle, PG, ORDER_COLUMNS_PG);
            handle.stop();
            JobReport report = handle.await();
            assertEquals(JobStatus.STOPPED, report.status(), report.error());
            assertEquals(0, report.stream().snapshotRows());
        }
        // A position the server no longer has fails the resume and says a new snapshot is needed.
        state.put(StreamRun.checkpointKey(job), "{\"position\":\"mariadb-bin.000000:4\",\"commitMicros\":0}");
        try (SyncEngine engine = SyncEngine.builder().stateStore(state).build()) {
            JobReport report = engine.run(spec(PG, "snapshot"));
            assertEquals(JobStatus.FAILED, report.status());
            assertTrue(report.error().contains("mariadb-bin.000000:4 is no longer on the server"), report.error());
            assertTrue(report.error().contains("snapshot"), report.error());
        }
    }

    @Test
    void intoMariadbASecondUniqueKeyNeverUpdatesTheWrongRow() throws Exception {
        try (SyncEngine engine = SyncEngine.builder().stateStore(state).build()) {
            JobHandle handle = engine.submit(spec(MARIADB_TARGET, "snapshot"));
            awaitConverged(handle, MARIADB_TARGET, ORDER_COLUMNS_MARIADB);
            // Swap two e-mails through a third value: applying the rows by key must not hit the other row.
            SOURCE.execute("BEGIN", "UPDATE " + people + " SET email = 'tmp@x' WHERE id = 1",
                    "UPDATE " + people + " SET email = 'a@x' WHERE id = 2", "UPDATE " + people + " SET email = 'b@x' WHERE id = 1",
                    "COMMIT", "INSERT INTO " + people + " VALUES (4, 'd@x', 'D')", "UPDATE " + people + " SET id = 5 WHERE id = 4");
            awaitConverged(handle, MARIADB_TARGET, ORDER_COLUMNS_MARIADB);
            handle.stop();
            assertEquals(JobStatus.STOPPED, handle.await().status());
        }
        assertEquals(List.of("1|b@x|A", "2|a@x|B", "3|c@x|C", "5|d@x|D"), rows(MARIADB_TARGET, people, "id, email, name"));
    }

    @Test
    void aKilledBinlogConnectionIsOpenedAgainFromTheLastCommit() throws Exception {
        List<Long> others = binlogDumps();
        try (SyncEngine engine = SyncEngine.builder().stateStore(state).build()) {
            JobHandle handle = engine.submit(spec(MARIADB_TARGET, "snapshot"));
            awaitConverged(handle, MARIADB_TARGET, ORDER_COLUMNS_MARIADB);
            writeChanges(1);
            awaitConverged(handle, MARIADB_TARGET, ORDER_COLUMNS_MARIADB);
            // Only this stream's connection: others (other jobs on the server) were there before it started.
            List<Long> ours = binlogDumps();
            ours.removeAll(others);
            assertEquals(1, ours.size(), "this stream's binlog connection: " + ours);
            SOURCE.execute("KILL " + ours.get(0));
            writeChanges(2);
            writeChanges(3);
            awaitConverged(handle, MARIADB_TARGET, ORDER_COLUMNS_MARIADB);
            handle.stop();
            assertEquals(JobStatus.STOPPED, handle.await().status());
        }
    }

    /**
     * Sharded tables: orders_0..orders_2 (disjoint ids) selected by a regular expression, in a named
     * database or as {@code ~}, the URL's database, and merged into one target table; orders_x,
     * which the expression does not match, stays out.
     */
    @ParameterizedTest(name = "own database: {0}")
    @ValueSource(booleans = {false, true})
    void aRegularExpressionMergesTheShardsIntoOneTargetTable(boolean ownSchema) throws Exception {
        try (ShardedTables shards = ShardedTables.create(SOURCE, MARIADB_TARGET, "shards")) {
            String rule = ownSchema ? ShardedTables.ownSchemaRule() : shards.rule();
            Map<String, Object> source = SOURCE.options("url", ownSchema ? "jdbc:mariadb://127.0.0.1:3306/" + shards.schema()
                    : SOURCE.url(), "tables", List.of(rule));
            try (SyncEngine engine = SyncEngine.builder().stateStore(state).build()) {
                shards.stream(engine, new JobSpec(job, JobMode.STREAM, new ConnectorSpec("mariadb", source),
                        new ConnectorSpec("mariadb", shards.targetOptions(rule)), JobSettings.DEFAULT.withConcurrency(2)
                        .withStream(new StreamSettings(5, 100))), () -> { });
            }
        }
    }

    private static List<Long> binlogDumps() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = SOURCE.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    @Test
    void badCaptureSettingsAreReportedTogetherWithoutConnecting() {
        Map<String, Object> source = SOURCE.options("tables", List.of("orders", "test.x", "test.x"),
                "capture.startFrom", "yesterday", "capture.serverId", 0L);
        JobSpec bad = new JobSpec("bad", JobMode.STREAM, new ConnectorSpec("mariadb", source),
                new ConnectorSpec("mariadb", MARIADB_TARGET.options("tableMapping", List.of("nodot"))), JobSettings.DEFAULT);
        try (SyncEngine engine = SyncEngine.builder().build()) {
            ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> engine.validate(bad));
            String message = e.getMessage();
            for (String expected : List.of("source.tables must name each table as database.table, got 'orders'",
                    "source.tables must name each table once", "source.capture.startFrom must be snapshot, latest or a "
                            + "position such as mariadb-bin.000003:4521", "source.capture.serverId must be between 1 and 4294967295",
                    "target.tableMapping entries must be written schema.table=target")) {
                assertTrue(message.contains(expected), expected + " missing from: " + message);
            }
        }
    }
}
