package dev.ferry.connector.postgresql.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.RetryPolicy;
import dev.ferry.api.job.Stage;
import dev.ferry.api.job.StreamSettings;
import dev.ferry.api.state.StateStore;
import dev.ferry.connector.jdbc.testing.LogTap;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a PostgreSQL stream behaves around its operations, against the real server: a table added
 * to {@code tables} on restart, the target's connections killed mid-stream, heartbeats moving an
 * idle slot while other tables are busy, a start position older than the slot, and a second
 * runner of the same stream.
 */
class PostgresStreamOperationsIT {

    private static final TestDatabase SOURCE = TestDatabase.POSTGRES;
    private static final String TARGET_URL = "jdbc:postgresql://127.0.0.1:5432/root";
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String first = TestDatabase.uniqueName("opa");
    private final String second = TestDatabase.uniqueName("opb");
    private final String job = TestDatabase.uniqueName("pgops");
    private final String slot = "ferry_" + job;
    /** The target's sessions carry this application name, so that only they are killed. */
    private final String application = TestDatabase.uniqueName("ferrytarget");
    private final TestDatabase streamTarget = new TestDatabase("PostgreSQL (target)", TARGET_URL + "?ApplicationName="
            + application, "root", "");
    /** The tests' own view of the target. */
    private final TestDatabase target = new TestDatabase("PostgreSQL (target)", TARGET_URL, "root", "");
    private final List<SyncEngine> engines = new ArrayList<>();

    @BeforeEach
    void setUp() {
        SOURCE.assumeReachable();
        SOURCE.execute("CREATE TABLE " + first + " (id int PRIMARY KEY, v int NOT NULL, note text)",
                "CREATE TABLE " + second + " (id int PRIMARY KEY, v int NOT NULL, note text)",
                "INSERT INTO " + first + " SELECT g, 0, 'first ' || g FROM generate_series(1, 500) g",
                "INSERT INTO " + second + " SELECT g, 0, 'second ' || g FROM generate_series(1, 20) g");
    }

    @AfterEach
    void tearDown() {
        engines.forEach(SyncEngine::close);
        PgSlots.drop(SOURCE, slot, slot);
        SOURCE.execute("DROP TABLE IF EXISTS " + first, "DROP TABLE IF EXISTS " + second);
        target.execute("DROP TABLE IF EXISTS " + first, "DROP TABLE IF EXISTS " + second);
    }

    private JobSpec spec(List<String> tables, String startFrom) {
        return spec(tables, startFrom, JobSettings.DEFAULT);
    }

    private JobSpec spec(List<String> tables, String startFrom, JobSettings base) {
        Map<String, Object> source = SOURCE.options("tables", tables.stream().map(t -> "public." + t).toList(),
                "capture.startFrom", startFrom, "capture.heartbeatIntervalMillis", 100L);
        JobSettings settings = base.withConcurrency(2).withStream(new StreamSettings(5, 50));
        return new JobSpec(job, JobMode.STREAM, new ConnectorSpec("postgresql", source),
                new ConnectorSpec("postgresql", streamTarget.options()), settings);
    }

    private SyncEngine engine(StateStore state) {
        SyncEngine engine = SyncEngine.builder().stateStore(state).build();
        engines.add(engine);
        return engine;
    }

    private static List<String> rows(TestDatabase db, String table) {
        return rows(db, table, "true");
    }

    private static List<String> rows(TestDatabase db, String table, String where) {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v, note FROM " + table + " WHERE " + where + " ORDER BY id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + "|" + rs.getInt(2) + "|" + rs.getString(3));
            }
        } catch (SQLException e) {
            rows.add("unreadable: " + e.getMessage());
        }
        return rows;
    }

    private static void await(JobHandle handle, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.getAsBoolean()) {
            if (handle != null && handle.status().isTerminal()) {
                fail("the stream ended before " + what + ": " + handle.await().error());
            }
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + TimeUnit.NANOSECONDS.toSeconds(DEADLINE_NANOS) + " s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private void awaitConverged(JobHandle handle, String table) {
        await(handle, "convergence of " + table, () -> rows(SOURCE, table).equals(rows(target, table)));
    }

    private void awaitSlotActive(JobHandle handle) {
        await(handle, "an active slot", () -> SOURCE.queryLong("SELECT count(*) FROM pg_replication_slots WHERE "
                + "slot_name = '" + slot + "' AND active") == 1);
    }

    private long confirmedFlush() {
        return SOURCE.queryLong("SELECT confirmed_flush_lsn - '0/0' FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
    }

    private static String lsnText(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    private static void stop(JobHandle handle) {
        handle.stop();
        JobReport report = handle.await();
        assertEquals(JobStatus.STOPPED, report.status(), report.error());
    }

    @Test
    void aTableAddedOnRestartIsCopiedWhileTheOtherStreamsAndThenConvergesExactly() {
        StateStore state = new InMemoryStateStore();
        JobHandle handle = engine(state).submit(spec(List.of(first), "snapshot"));
        awaitConverged(handle, first);
        SOURCE.execute("UPDATE " + first + " SET v = 1 WHERE id <= 10");
        awaitConverged(handle, first);
        stop(handle);
        assertEquals(List.of("public." + first), publicationTables());
        assertTrue(rows(target, second).get(0).startsWith("unreadable"), "the second table is not streamed yet");
        // Written while the stream is stopped and before the table joins it: the copy carries it.
        SOURCE.execute("UPDATE " + second + " SET v = 3, note = 'while stopped' WHERE id = 5");

        handle = engine(state).submit(spec(List.of(first, second), "snapshot"));
        SOURCE.execute("INSERT INTO " + second + " VALUES (100, 1, 'inserted after joining')",
                "UPDATE " + second + " SET v = 2, note = 'updated after joining' WHERE id = 3",
                "DELETE FROM " + second + " WHERE id = 4",
                "UPDATE " + first + " SET v = 2 WHERE id = 11");
        awaitConverged(handle, second);
        awaitConverged(handle, first);
        // The copy may already show every change; the table has joined once the stream went back for it.
        await(handle, "the table to join the stream", () -> state.get(StreamRun.joiningKey(job)).isEmpty());
        handle.stop();
        JobReport report = handle.await();
        assertEquals(JobStatus.STOPPED, report.status(), report.error());
        assertEquals(List.of("public." + first, "public." + second), publicationTables());
        assertEquals(List.of(), report.warnings());
        assertTrue(report.stream().snapshotRows() > 0, "the joining table was copied");
        assertEquals(rows(SOURCE, second), rows(target, second));
        assertTrue(state.get(StreamRun.checkpointKey(job)).isPresent());
        assertFalse(state.get(StreamRun.joiningKey(job)).isPresent(), "nothing left to join");
    }

    private List<String> publicationTables() {
        List<String> tables = new ArrayList<>();
        try (Connection c = SOURCE.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE "
                     + "pubname = '" + slot + "' ORDER BY tablename")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return tables;
    }

    @Test
    void targetConnectionsKilledMidStreamAreRetriedAndTheTargetConvergesExactly() throws Exception {
        JobSettings retrying = JobSettings.DEFAULT.withRetry(new RetryPolicy(10, 50));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger rounds = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                int r = rounds.incrementAndGet();
                SOURCE.execute("BEGIN; UPDATE " + first + " SET v = v + 1, note = 'round " + r + "' WHERE id % 20 = " + r % 20
                        + "; INSERT INTO " + first + " VALUES (" + (1000 + r) + ", " + r + ", 'new'); DELETE FROM " + first
                        + " WHERE id = " + (r * 3) + "; COMMIT");
            }
        });
        try (LogTap log = new LogTap()) {
            JobHandle handle = engine(new InMemoryStateStore()).submit(spec(List.of(first), "snapshot", retrying));
            awaitConverged(handle, first);
            writer.start();
            int killed = 0;
            for (int kill = 0; kill < 5; kill++) {
                int before = rounds.get();
                await(handle, "more source transactions", () -> rounds.get() >= before + 20);
                killed += (int) SOURCE.queryLong("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                        + "application_name = '" + application + "'");
            }
            writing.set(false);
            writer.join();
            // A kill finds no session when the writer has not reconnected yet; one kill is enough to prove the retry.
            assertTrue(killed >= 1, "target sessions were killed: " + killed);
            awaitConverged(handle, first);
            stop(handle);
            List<String> retries = log.lines("Job '" + job + "': applying ");
            assertFalse(retries.isEmpty(), "a failed apply is logged and retried:\n" + log.text());
            assertTrue(retries.get(0).contains("failed (attempt 1 of 10)") && retries.get(0).contains("trying again in"),
                    retries.get(0));
        }
        assertEquals(rows(SOURCE, first), rows(target, first));
    }

    @Test
    void heartbeatsMoveTheSlotOfAnIdleStreamWhileOtherTablesAreWritten() {
        JobHandle handle = engine(new InMemoryStateStore()).submit(spec(List.of(first), "latest"));
        awaitSlotActive(handle);
        long created = confirmedFlush();
        // Only the table outside the stream is written: the slot sees nothing it publishes.
        for (int i = 0; i < 20; i++) {
            SOURCE.execute("UPDATE " + second + " SET v = v + 1");
        }
        long written = SOURCE.queryLong("SELECT pg_current_wal_lsn() - '0/0'");
        assertTrue(written > created);
        await(handle, "the slot's confirmed flush position past the other table's writes (" + lsnText(written) + ")",
                () -> confirmedFlush() >= written);
        stop(handle);
        assertEquals(0, handle.await().stream().inserts() + handle.await().stream().updates());
    }

    @Test
    void aStartPositionOlderThanTheSlotFailsAndSaysANewSnapshotIsNeeded() {
        JobHandle handle = engine(new InMemoryStateStore()).submit(spec(List.of(first), "latest"));
        awaitSlotActive(handle);
        long created = confirmedFlush();
        SOURCE.execute("UPDATE " + first + " SET v = 5 WHERE id <= 100");
        await(handle, "a moving slot", () -> confirmedFlush() > created);
        stop(handle);
        long kept = confirmedFlush();

        // The job's state is gone; the slot is still there and keeps changes from 'kept' on.
        String older = lsnText(created);
        JobReport report = engine(new InMemoryStateStore()).run(spec(List.of(first), older));
        assertEquals(JobStatus.FAILED, report.status());
        assertEquals(Stage.PRE, report.failedStage());
        assertTrue(report.error().contains("position " + older + " is older than replication slot '" + slot + "'"),
                report.error());
        assertTrue(report.error().contains(lsnText(kept)), report.error());
        assertTrue(report.error().contains("A new snapshot is needed"), report.error());
        assertEquals(kept, confirmedFlush(), "the failed start left the slot alone");

        // The position the slot keeps is accepted, and what follows it is applied.
        handle = engine(new InMemoryStateStore()).submit(spec(List.of(first), lsnText(kept)));
        awaitSlotActive(handle);
        SOURCE.execute("UPDATE " + first + " SET v = 6 WHERE id <= 100");
        await(handle, "the changes after the accepted position", () -> rows(target, first).equals(
                rows(SOURCE, first, "id <= 100")));
        stop(handle);
        assertTrue(rows(target, first).stream().allMatch(row -> row.contains("|6|")), rows(target, first).toString());
    }

    @Test
    void aSecondRunnerOfTheSameStreamIsRefusedAndTheFirstKeepsGoing() {
        StateStore shared = new InMemoryStateStore();
        JobHandle running = engine(shared).submit(spec(List.of(first), "snapshot"));
        awaitConverged(running, first);
        awaitSlotActive(running);

        JobReport refused = engine(shared).run(spec(List.of(first), "snapshot"));
        assertEquals(JobStatus.FAILED, refused.status());
        assertTrue(refused.error().contains("replication slot '" + slot + "' is in use by another process"),
                refused.error());
        assertTrue(refused.error().contains("another runner of job '" + job + "'"), refused.error());

        SOURCE.execute("UPDATE " + first + " SET v = 9, note = 'after the refusal' WHERE id % 7 = 0");
        awaitConverged(running, first);
        stop(running);
    }
}
