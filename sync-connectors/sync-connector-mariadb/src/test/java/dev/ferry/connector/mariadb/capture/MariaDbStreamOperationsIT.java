package dev.ferry.connector.mariadb.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobEvent;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How a MariaDB stream behaves around its operations, against the real server: a table added to
 * {@code tables} on restart, and the target's connections killed mid-stream. The target is a
 * database of its own on the same server, so that only the stream's sessions are in it.
 */
class MariaDbStreamOperationsIT {

    private static final TestDatabase SOURCE = TestDatabase.MARIADB;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String first = TestDatabase.uniqueName("mopa");
    private final String second = TestDatabase.uniqueName("mopb");
    private final String job = TestDatabase.uniqueName("mops");
    private final String database = TestDatabase.uniqueName("ferry_t");
    private final TestDatabase target = new TestDatabase("MariaDB (target)", "jdbc:mariadb://127.0.0.1:3306/" + database,
            "root", "");
    private final List<SyncEngine> engines = new ArrayList<>();

    @BeforeEach
    void setUp() {
        SOURCE.assumeReachable();
        SOURCE.execute("CREATE TABLE " + first + " (id INT PRIMARY KEY, v INT NOT NULL, note VARCHAR(100))",
                "CREATE TABLE " + second + " (id INT PRIMARY KEY, v INT NOT NULL, note VARCHAR(100))",
                "INSERT INTO " + first + " SELECT seq, 0, CONCAT('first ', seq) FROM seq_1_to_500",
                "INSERT INTO " + second + " SELECT seq, 0, CONCAT('second ', seq) FROM seq_1_to_20",
                "CREATE DATABASE " + database);
    }

    @AfterEach
    void tearDown() {
        engines.forEach(SyncEngine::close);
        SOURCE.execute("DROP TABLE IF EXISTS " + first, "DROP TABLE IF EXISTS " + second,
                "DROP DATABASE IF EXISTS " + database);
    }

    private JobSpec spec(List<String> tables, JobSettings base) {
        Map<String, Object> source = SOURCE.options("tables", tables.stream().map(t -> "test." + t).toList(),
                "capture.startFrom", "snapshot");
        JobSettings settings = base.withConcurrency(2).withStream(new StreamSettings(5, 50));
        return new JobSpec(job, JobMode.STREAM, new ConnectorSpec("mariadb", source),
                new ConnectorSpec("mariadb", target.options()), settings);
    }

    private SyncEngine engine(StateStore state) {
        SyncEngine engine = SyncEngine.builder().stateStore(state).build();
        engines.add(engine);
        return engine;
    }

    private static List<String> rows(TestDatabase db, String table) {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v, note FROM " + table + " ORDER BY id")) {
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
            if (handle.status().isTerminal()) {
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

    private static void stop(JobHandle handle) {
        handle.stop();
        JobReport report = handle.await();
        assertEquals(JobStatus.STOPPED, report.status(), report.error());
    }

    @Test
    void aTableAddedOnRestartIsCopiedWhileTheOtherStreamsAndThenConvergesExactly() {
        StateStore state = new InMemoryStateStore();
        JobHandle handle = engine(state).submit(spec(List.of(first), JobSettings.DEFAULT));
        awaitConverged(handle, first);
        SOURCE.execute("UPDATE " + first + " SET v = 1 WHERE id <= 10");
        awaitConverged(handle, first);
        stop(handle);
        assertFalse(state.get(StreamRun.planKey(job)).orElseThrow().contains(second));
        assertTrue(rows(target, second).get(0).startsWith("unreadable"), "the second table is not streamed yet");
        SOURCE.execute("UPDATE " + second + " SET v = 3, note = 'while stopped' WHERE id = 5");

        JobHandle resumed = engine(state).submit(spec(List.of(first, second), JobSettings.DEFAULT));
        SOURCE.execute("INSERT INTO " + second + " VALUES (100, 1, 'inserted after joining')",
                "UPDATE " + second + " SET v = 2, note = 'updated after joining' WHERE id = 3",
                "DELETE FROM " + second + " WHERE id = 4",
                "UPDATE " + first + " SET v = 2 WHERE id = 11");
        awaitConverged(resumed, second);
        awaitConverged(resumed, first);
        // The copy may already show every change; the table has joined once the stream went back for it.
        await(resumed, "the table to join the stream", () -> state.get(StreamRun.joiningKey(job)).isEmpty());
        resumed.stop();
        JobReport report = resumed.await();
        assertEquals(JobStatus.STOPPED, report.status(), report.error());
        assertEquals(List.of(), report.warnings());
        assertTrue(report.stream().snapshotRows() > 0, "the joining table was copied");
        assertEquals(rows(SOURCE, second), rows(target, second));
        assertTrue(state.get(StreamRun.planKey(job)).orElseThrow().contains(second), "the stored plan gained the table");
        assertFalse(state.get(StreamRun.joiningKey(job)).isPresent(), "nothing left to join");
    }

    @Test
    void targetConnectionsKilledMidStreamAreRetriedAndTheTargetConvergesExactly() throws Exception {
        JobSettings retrying = JobSettings.DEFAULT.withRetry(new RetryPolicy(10, 50));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger rounds = new AtomicInteger();
        Thread writer = new Thread(() -> {
            while (writing.get()) {
                int r = rounds.incrementAndGet();
                SOURCE.execute("BEGIN", "UPDATE " + first + " SET v = v + 1, note = 'round " + r + "' WHERE id % 20 = " + r % 20,
                        "INSERT INTO " + first + " VALUES (" + (1000 + r) + ", " + r + ", 'new')",
                        "DELETE FROM " + first + " WHERE id = " + (r * 3), "COMMIT");
            }
        });
        try (LogTap log = new LogTap()) {
            JobHandle handle = engine(new InMemoryStateStore()).submit(spec(List.of(first), retrying));
            awaitConverged(handle, first);
            writer.start();
            int killed = 0;
            for (int kill = 0; kill < 5; kill++) {
                int before = rounds.get();
                await(handle, "more source transactions", () -> rounds.get() >= before + 20);
                killed += killTargetSessions();
            }
            writing.set(false);
            writer.join();
            assertTrue(killed >= 5, "target sessions were killed: " + killed);
            awaitConverged(handle, first);
            stop(handle);
            List<String> retries = log.lines("Job '" + job + "': applying ");
            assertFalse(retries.isEmpty(), "a failed apply is logged and retried:\n" + log.text());
            assertTrue(retries.get(0).contains("failed (attempt 1 of 10)") && retries.get(0).contains("trying again in"),
                    retries.get(0));
        } finally {
            writing.set(false);
        }
        assertEquals(rows(SOURCE, first), rows(target, first));
    }

    @Test
    void aStopWhileTheBinlogClientConnectsEndsTheStream() throws Exception {
        // A stop that lands while the reader is still setting up its binlog connection must not be
        // lost: the stream ends STOPPED instead of reading on forever. The stops are staggered over
        // the first milliseconds of STREAM so that some fall before the client exists, some during
        // its handshake and some after it.
        for (int attempt = 0; attempt < 12; attempt++) {
            CountDownLatch streaming = new CountDownLatch(1);
            SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).listener(event -> {
                if (event instanceof JobEvent.StageStarted started && started.stage() == Stage.STREAM) {
                    streaming.countDown();
                }
            }).build();
            engines.add(engine);
            Map<String, Object> source = SOURCE.options("tables", List.of("test." + first), "capture.startFrom", "latest");
            JobHandle handle = engine.submit(new JobSpec(job + "_" + attempt, JobMode.STREAM,
                    new ConnectorSpec("mariadb", source), new ConnectorSpec("mariadb", target.options()),
                    JobSettings.DEFAULT.withConcurrency(1)));
            assertTrue(streaming.await(60, TimeUnit.SECONDS), "the stream never started");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(attempt * 3L));
            handle.stop();
            JobReport report;
            try {
                report = handle.completion().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("attempt " + attempt + ": the stream did not end within 30 s of a stop " + attempt * 3
                        + " ms after it started streaming");
                return;
            }
            assertEquals(JobStatus.STOPPED, report.status(), report.error());
        }
    }

    /** KILLs every session in the target database (the stream's writers and pool), from outside it. */
    private int killTargetSessions() {
        List<Long> ids = new ArrayList<>();
        try (Connection c = SOURCE.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + database
                    + "' AND ID <> CONNECTION_ID()")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            int killed = 0;
            for (long id : ids) {
                try {
                    s.execute("KILL CONNECTION " + id);
                    killed++;
                } catch (SQLException e) {
                    // the session ended by itself in between
                }
            }
            return killed;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
