package dev.ferry.connector.postgresql.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PostgreSQL to PostgreSQL streaming against the real server: snapshot then stream with writes
 * during the copy, every kind of change, a key change, a transaction over two tables, TOAST
 * values, graceful stop and resume, a connection cut on the source, a lost slot, and sharded tables
 * selected by a regular expression merged into one target table.
 */
class PostgresStreamIT {

    private static final TestDatabase SOURCE = TestDatabase.POSTGRES;
    private static final TestDatabase TARGET = new TestDatabase("PostgreSQL (target)",
            "jdbc:postgresql://127.0.0.1:5432/root", "root", "");
    private static final long CONVERGE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String orders = TestDatabase.uniqueName("orders");
    private final String customers = TestDatabase.uniqueName("customers");
    private final String job = TestDatabase.uniqueName("pgstream");
    private final StateStore state = new InMemoryStateStore();

    @BeforeEach
    void setUp() {
        SOURCE.assumeReachable();
        SOURCE.execute("CREATE TABLE " + orders + " (id bigint PRIMARY KEY, customer int, amount numeric(10,2), "
                        + "note text, placed timestamptz, day date, big text)",
                "CREATE TABLE " + customers + " (id int PRIMARY KEY, email varchar(100), vip boolean)",
                "INSERT INTO " + orders + " SELECT g, g % 50, g * 1.25, 'note ' || g, "
                        + "timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', date '2024-01-01' + g % 365, "
                        + "CASE WHEN g % 100 = 0 THEN repeat(md5(g::text), 200) END FROM generate_series(1, 3000) g",
                "INSERT INTO " + customers + " SELECT g, 'c' || g || '@example.com', g % 3 = 0 FROM generate_series(1, 50) g");
    }

    @AfterEach
    void tearDown() {
        String slot = "ferry_" + job;
        SOURCE.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot + "'",
                "DROP PUBLICATION IF EXISTS " + slot,
                "DROP TABLE IF EXISTS " + orders, "DROP TABLE IF EXISTS " + customers);
        TARGET.execute("DROP TABLE IF EXISTS " + orders, "DROP TABLE IF EXISTS " + customers);
    }

    private JobSpec spec(String startFrom) {
        Map<String, Object> source = SOURCE.options("tables", List.of("public." + orders, "public." + customers),
                "capture.startFrom", startFrom, "capture.heartbeatIntervalMillis", 200L);
        JobSettings settings = JobSettings.DEFAULT.withConcurrency(2).withStream(new StreamSettings(5, 100));
        return new JobSpec(job, JobMode.STREAM, new ConnectorSpec("postgresql", source),
                new ConnectorSpec("postgresql", TARGET.options()), settings);
    }

    private SyncEngine engine() {
        return SyncEngine.builder().stateStore(state).build();
    }

    private static String checksum(TestDatabase db, String table) {
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x.id)), '') FROM "
                     + table + " x")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /** Waits until both tables of the target equal the source's, failing after a minute. */
    private void awaitConverged(JobHandle handle) {
        long deadline = System.nanoTime() + CONVERGE_NANOS;
        while (true) {
            if (checksum(SOURCE, orders).equals(checksum(TARGET, orders))
                    && checksum(SOURCE, customers).equals(checksum(TARGET, customers))) {
                return;
            }
            if (handle.status().isTerminal()) {
                fail("the stream ended before converging: " + handle.await().error());
            }
            if (System.nanoTime() > deadline) {
                fail("target did not converge: source " + checksum(SOURCE, orders) + " target " + checksum(TARGET, orders));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** Every kind of change the stream must carry, in several transactions. */
    private void writeChanges(int round) {
        int base = 10_000 + round * 100;
        SOURCE.execute(
                "INSERT INTO " + orders + " SELECT g, 7, g * 0.5, 'new', now(), current_date, NULL FROM generate_series("
                        + base + ", " + (base + 49) + ") g",
                "UPDATE " + orders + " SET amount = amount + 1, note = 'updated " + round + "' WHERE id % 97 = " + round % 97,
                "DELETE FROM " + orders + " WHERE id % 89 = " + round % 89,
                // a key change: delete of the old key and insert of the new on the target
                "UPDATE " + orders + " SET id = id + 1000000 WHERE id = " + (base + 1),
                // a TOAST value left unchanged by an update of another column
                "UPDATE " + orders + " SET note = 'toast kept " + round + "' WHERE big IS NOT NULL AND id % 200 = 0",
                // one transaction over both tables
                "BEGIN; UPDATE " + customers + " SET vip = NOT vip WHERE id = " + (round % 50 + 1) + "; INSERT INTO "
                        + orders + " VALUES (" + (base + 99) + ", " + (round % 50 + 1) + ", 1, 'tx', now(), NULL, NULL); COMMIT");
    }

    @Test
    void snapshotThenStreamConvergesThroughWritesDuringTheCopyAStopAndAResume() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger rounds = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (writing.get() && rounds.get() < 30) {
                writeChanges(rounds.getAndIncrement());
            }
        });
        try (SyncEngine engine = engine()) {
            JobHandle handle = engine.submit(spec("snapshot"));
            writer.start();
            writer.join();
            awaitConverged(handle);
            // The writes above may all land before the slot's snapshot; these surely come through the slot.
            writeChanges(35);
            awaitConverged(handle);
            handle.stop();
            JobReport report = handle.await();
            assertEquals(JobStatus.STOPPED, report.status(), report.error());
            assertNull(report.error());
            assertTrue(report.stream().snapshotRows() >= 3050, "the snapshot copied both tables: " + report.stream());
            assertTrue(report.stream().inserts() > 0 && report.stream().updates() > 0 && report.stream().deletes() > 0,
                    report.stream().toString());
        }
        assertTrue(state.get(StreamRun.checkpointKey(job)).isPresent());
        writeChanges(40);
        writeChanges(41);
        try (SyncEngine engine = engine()) {
            JobHandle handle = engine.submit(spec("snapshot"));
            awaitConverged(handle);
            handle.stop();
            JobReport report = handle.await();
            assertEquals(JobStatus.STOPPED, report.status(), report.error());
            assertEquals(0, report.stream().snapshotRows(), "a resumed stream does not copy again");
        }
        assertEquals(0L, SOURCE.queryLong("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'ferry_" + job
                + "' AND active"), "the slot is released when the stream stops");
    }

    @Test
    void aConnectionKilledOnTheSourceIsReopenedWithoutLosingChanges() throws Exception {
        try (SyncEngine engine = engine()) {
            JobHandle handle = engine.submit(spec("snapshot"));
            awaitStreaming();
            writeChanges(1);
            awaitConverged(handle);
            SOURCE.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'ferry_"
                    + job + "' AND active_pid IS NOT NULL");
            writeChanges(2);
            writeChanges(3);
            awaitConverged(handle);
            handle.stop();
            assertEquals(JobStatus.STOPPED, handle.await().status());
        }
    }

    @Test
    void aColumnAddedMidStreamIsAddedToTheTargetAndFilled() throws Exception {
        try (SyncEngine engine = engine()) {
            JobHandle handle = engine.submit(spec("snapshot"));
            awaitStreaming();
            writeChanges(1);
            awaitConverged(handle);
            SOURCE.execute("ALTER TABLE " + orders + " ADD COLUMN channel varchar(20)",
                    "UPDATE " + orders + " SET channel = 'web' WHERE id % 3 = 0",
                    "INSERT INTO " + orders + " (id, customer, channel) VALUES (555555, 1, 'shop')");
            writeChanges(2);
            awaitConverged(handle);
            handle.stop();
            assertEquals(JobStatus.STOPPED, handle.await().status());
        }
        assertEquals(SOURCE.queryLong("SELECT count(*) FROM " + orders + " WHERE channel = 'web'"),
                TARGET.queryLong("SELECT count(*) FROM " + orders + " WHERE channel = 'web'"));
    }

    @Test
    void aTablePatternCapturesEveryMatchingTableAndAPatternMatchingNothingIsRefused() throws Exception {
        String prefix = TestDatabase.uniqueName("pat");
        List<String> tables = List.of(prefix + "_a", prefix + "_b");
        SOURCE.execute("CREATE TABLE " + tables.get(0) + " (id int PRIMARY KEY, v text)",
                "CREATE TABLE " + tables.get(1) + " (id int PRIMARY KEY, v text)",
                "CREATE TABLE " + prefix + "x_c (id int PRIMARY KEY)",
                "INSERT INTO " + tables.get(0) + " VALUES (1, 'a')", "INSERT INTO " + tables.get(1) + " VALUES (2, 'b')");
        try {
            Map<String, Object> source = SOURCE.options("tables", List.of("public." + prefix + "_*"),
                    "capture.heartbeatIntervalMillis", 200L);
            JobSpec spec = new JobSpec(job, JobMode.STREAM, new ConnectorSpec("postgresql", source),
                    new ConnectorSpec("postgresql", TARGET.options()), JobSettings.DEFAULT.withConcurrency(1)
                    .withStream(new StreamSettings(5, 100)));
            try (SyncEngine engine = engine()) {
                JobHandle handle = engine.submit(spec);
                awaitStreaming();
                SOURCE.execute("INSERT INTO " + tables.get(1) + " VALUES (3, 'c')");
                long deadline = System.nanoTime() + CONVERGE_NANOS;
                while (TARGET.queryLong("SELECT count(*) FROM information_schema.tables WHERE table_name = '" + tables.get(1)
                        + "'") == 0 || TARGET.queryLong("SELECT count(*) FROM " + tables.get(1)) < 2) {
                    if (System.nanoTime() > deadline) {
                        fail("the pattern's tables did not arrive");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
                handle.stop();
                assertEquals(JobStatus.STOPPED, handle.await().status());
            }
            assertEquals(1, TARGET.queryLong("SELECT count(*) FROM " + tables.get(0)));
            assertEquals(0, TARGET.queryLong("SELECT count(*) FROM information_schema.tables WHERE table_name = '" + prefix
                    + "x_c'"), "'_' in a pattern is literal: " + prefix + "x_c does not match");
            Map<String, Object> none = SOURCE.options("tables", List.of("public." + prefix + "_nothing*"));
            try (SyncEngine engine = engine()) {
                JobReport report = engine.run(new JobSpec(job + "_none", JobMode.STREAM, new ConnectorSpec("postgresql", none),
                        new ConnectorSpec("postgresql", TARGET.options()), JobSettings.DEFAULT));
                assertEquals(JobStatus.FAILED, report.status());
                assertTrue(report.error().contains("pattern public." + prefix + "_nothing* matches none"), report.error());
            }
        } finally {
            SOURCE.execute("DROP TABLE IF EXISTS " + tables.get(0), "DROP TABLE IF EXISTS " + tables.get(1),
                    "DROP TABLE IF EXISTS " + prefix + "x_c");
            TARGET.execute("DROP TABLE IF EXISTS " + tables.get(0), "DROP TABLE IF EXISTS " + tables.get(1));
        }
    }

    @Test
    void aDroppedSlotFailsTheResumeAndSaysWhatWasLost() throws Exception {
        try (SyncEngine engine = engine()) {
            JobHandle handle = engine.submit(spec("latest"));
            awaitStreaming();
            handle.stop();
            assertEquals(JobStatus.STOPPED, handle.await().status());
        }
        SOURCE.execute("SELECT pg_drop_replication_slot('ferry_" + job + "')");
        try (SyncEngine engine = engine()) {
            JobReport report = engine.run(spec("latest"));
            assertEquals(JobStatus.FAILED, report.status());
            assertTrue(report.error().contains("replication slot 'ferry_" + job + "' no longer exists"), report.error());
            assertTrue(report.error().contains("snapshot"), report.error());
        }
    }

    /**
     * Sharded tables: orders_0..orders_2 (disjoint ids) selected by a regular expression, in a named
     * schema or as {@code ~}, the connection's current schema, and merged into one target table;
     * orders_x, which the expression does not match, is neither published nor copied.
     */
    @ParameterizedTest(name = "own schema: {0}")
    @ValueSource(booleans = {false, true})
    void aRegularExpressionMergesTheShardsIntoOneTargetTable(boolean ownSchema) throws Exception {
        try (ShardedTables shards = ShardedTables.create(SOURCE, TARGET, "shards")) {
            String rule = ownSchema ? ShardedTables.ownSchemaRule() : shards.rule();
            Map<String, Object> source = SOURCE.options("url", SOURCE.url() + (ownSchema ? "?currentSchema="
                    + shards.schema() : ""), "tables", List.of(rule), "capture.heartbeatIntervalMillis", 200L);
            try (SyncEngine engine = engine()) {
                shards.stream(engine, new JobSpec(job, JobMode.STREAM, new ConnectorSpec("postgresql", source),
                        new ConnectorSpec("postgresql", shards.targetOptions(rule)), JobSettings.DEFAULT.withConcurrency(2)
                        .withStream(new StreamSettings(5, 100))), this::awaitStreaming);
            }
            assertEquals(3L, SOURCE.queryLong("SELECT count(*) FROM pg_publication_tables WHERE pubname = 'ferry_" + job
                    + "' AND schemaname = '" + shards.schema() + "' AND tablename ~ '^orders_[0-9]+$'"));
            assertEquals(3L, SOURCE.queryLong("SELECT count(*) FROM pg_publication_tables WHERE pubname = 'ferry_" + job
                    + "'"), "the decoy is not published");
        }
    }

    /** Waits until the slot is active, i.e. the stream is reading. */
    private void awaitStreaming() {
        long deadline = System.nanoTime() + CONVERGE_NANOS;
        while (SOURCE.queryLong("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'ferry_" + job
                + "' AND active") == 0) {
            if (System.nanoTime() > deadline) {
                fail("the stream never started reading its slot");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

}
