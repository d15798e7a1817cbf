package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.StageState;
import dev.ferry.api.task.TaskState;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.TaskHandle;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Incremental Merge's schedule in a running task, on embedded H2 and DuckDB, with a clock the
 * test moves: nothing is merged before the merge time of the next day; once the clock passes it,
 * the runner merges the day by itself, and the partition equals the source.
 */
class MergeScheduleRunTest {

    @TempDir
    Path dir;

    @Test
    void theRunnerMergesADayOnceItsMergeTimeHasCome() throws Exception {
        String source = "jdbc:h2:mem:ferry_schedule_" + Long.toHexString(System.nanoTime()) + ";DB_CLOSE_DELAY=-1";
        String warehouse = "jdbc:duckdb:" + dir.resolve("w.duckdb").toString().replace('\\', '/');
        MovableClock clock = new MovableClock();
        try (Connection c = DriverManager.getConnection(source, "sa", "");
             SyncEngine engine = SyncEngine.builder().ticker(clock).build()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA \"app\"");
                s.execute("CREATE TABLE \"app\".\"items\" (\"id\" BIGINT PRIMARY KEY, \"v\" INT)");
                s.execute("INSERT INTO \"app\".\"items\" SELECT X, X FROM SYSTEM_RANGE(1, 300)");
            }
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            TaskHandle task = engine.tasks().start("""
                    {"name": "sched", "source": {"connector": "h2", "url": "%s", "username": "sa", "tables": ["app.items"]},
                     "target": {"connector": "duckdb", "url": "%s", "kind": "partitioned", "schema": "main",
                                "merge": {"at": "00:30", "zone": "UTC"}},
                     "settings": {"concurrency": 1, "stream": {"checkpointIntervalMillis": 100}}}
                    """.formatted(source, warehouse));
            TaskDemo.await(task, status -> TaskDemo.streaming(status, 1));
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE \"app\".\"items\" SET \"v\" = \"v\" + 1000 WHERE \"id\" <= 10");
                s.execute("DELETE FROM \"app\".\"items\" WHERE \"id\" > 290");
                s.execute("INSERT INTO \"app\".\"items\" VALUES (1000, 1)");
            }
            awaitLogged(warehouse);

            // One minute before the next day's merge time: not due.
            clock.offset.set(Duration.between(Instant.now(), today.plusDays(1).atTime(0, 29).toInstant(ZoneOffset.UTC)));
            Instant notYet = Instant.now().plusSeconds(3);
            while (Instant.now().isBefore(notYet)) {
                assertEquals(Optional.empty(), engine.tasks().mergeOf("sched", today), "merged before its time");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }

            // Past it: the runner merges the day by itself.
            clock.offset.set(Duration.between(Instant.now(), today.plusDays(1).atTime(0, 31).toInstant(ZoneOffset.UTC)));
            MergeInstance merged = awaitMerged(engine, "sched", today);
            assertEquals(StageState.DONE, merged.status(), String.valueOf(merged.error()));
            assertEquals(291, merged.rows());
            assertEquals(rows(DriverManager.getConnection(source, "sa", ""), "SELECT COUNT(*), SUM(\"id\" * 7 + \"v\") FROM "
                    + "\"app\".\"items\""), rows(DriverManager.getConnection(warehouse), "SELECT COUNT(*), SUM(id * 7 + v) "
                    + "FROM main.items WHERE ds = '" + today.toString().replace("-", "") + "'"));
            task.stop();
            assertEquals(TaskState.STOPPED, task.await().status());
        } finally {
            Demo.closeDatabase(source);
        }
    }

    static MergeInstance awaitMerged(SyncEngine engine, String task, LocalDate date) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Optional<MergeInstance> merge = engine.tasks().mergeOf(task, date)
                    .filter(m -> m.status() != StageState.RUNNING);
            if (merge.isPresent()) {
                return merge.get();
            }
            assertTrue(System.nanoTime() < deadline, "the runner did not merge " + date);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    static void awaitLogged(String warehouse) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!rows(DriverManager.getConnection(warehouse), "SELECT COUNT(*), 0 FROM main.items_log WHERE id = 1000")
                .equals("1/0")) {
            assertTrue(System.nanoTime() < deadline, "the changes were not logged");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    static String rows(Connection c, String sql) throws SQLException {
        try (c; Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1) + "/" + rs.getLong(2);
        }
    }
}
