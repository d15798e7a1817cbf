package dev.ferry.cli;

import static dev.ferry.cli.MergeScheduleRunTest.awaitMerged;
import static dev.ferry.cli.MergeScheduleRunTest.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.StageState;
import dev.ferry.api.task.TaskState;
import dev.ferry.api.task.TaskStatus;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.TaskHandle;
import dev.ferry.engine.state.InMemoryStateStore;
import dev.ferry.engine.task.TaskStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which Business Date a partitioned task's writes go to, on embedded H2 and DuckDB with a clock the
 * test moves: a table an Edit adds is copied into the partition of the day the Edit copies it and
 * merges build on that; a rerun, a merge and a backfill of a date that another operation writes are
 * refused, or wait for it when asked to and then write; the task's extra columns are filled by each.
 */
class PartitionDatesRunTest {

    private static final String OTHER = "1@elsewhere#1 backfill";

    @TempDir
    Path dir;

    @Test
    void aTableAnEditAddsIsCopiedIntoTheDayOfItsCopyAndMergedFromThere() throws Exception {
        String source = h2("edit");
        String warehouse = duckdb();
        MovableClock clock = new MovableClock();
        // Changes belong to the day of their (real) commit time: the Edit's day is the real today.
        LocalDate d0 = LocalDate.now(ZoneOffset.UTC).minusDays(2);
        clock.set(d0.atTime(12, 0).toInstant(ZoneOffset.UTC));
        try (Connection c = DriverManager.getConnection(source, "sa", "");
             SyncEngine engine = SyncEngine.builder().ticker(clock).build()) {
            execute(c, "CREATE SCHEMA \"app\"",
                    "CREATE TABLE \"app\".\"items\" (\"id\" BIGINT PRIMARY KEY, \"v\" INT)",
                    "INSERT INTO \"app\".\"items\" SELECT X, X FROM SYSTEM_RANGE(1, 300)",
                    "CREATE TABLE \"app\".\"extra\" (\"id\" BIGINT PRIMARY KEY, \"v\" INT)",
                    "INSERT INTO \"app\".\"extra\" SELECT X, X * 3 FROM SYSTEM_RANGE(1, 50)");
            TaskHandle task = engine.tasks().start(taskJson("dates", source, warehouse, "\"app.items\""));
            TaskDemo.await(task, status -> TaskDemo.streaming(status, 1));

            // Two days later the runner has merged both past days.
            LocalDate d2 = d0.plusDays(2);
            clock.set(d2.atTime(0, 31).toInstant(ZoneOffset.UTC));
            assertEquals(StageState.DONE, awaitMerged(engine, "dates", d0.plusDays(1)).status());

            // The Edit copies the new table into today's partition, not the task's first date.
            engine.tasks().edit(taskJson("dates", source, warehouse, "\"app.items\", \"app.extra\""));
            TaskDemo.await(task, status -> TaskDemo.streaming(status, 2));
            assertEquals(sum(source, "\"app\".\"extra\""), partition(warehouse, "extra", d2));
            assertEquals("0/0", rows(DriverManager.getConnection(warehouse),
                    "SELECT COUNT(*), 0 FROM main.extra WHERE ds <> '" + ds(d2) + "'"));

            execute(c, "UPDATE \"app\".\"extra\" SET \"v\" = \"v\" + 1000 WHERE \"id\" <= 5",
                    "DELETE FROM \"app\".\"extra\" WHERE \"id\" > 45",
                    "UPDATE \"app\".\"items\" SET \"v\" = 0 WHERE \"id\" <= 3",
                    "INSERT INTO \"app\".\"extra\" VALUES (1000, 1)");
            awaitTrue(() -> logged(warehouse, "extra_log", 1000), "the changes to the added table were logged");

            // The next night: items builds on the day before, extra on its own copy.
            clock.set(d2.plusDays(1).atTime(0, 31).toInstant(ZoneOffset.UTC));
            MergeInstance merged = awaitMerged(engine, "dates", d2);
            assertEquals(StageState.DONE, merged.status(), String.valueOf(merged.error()));
            assertEquals(sum(source, "\"app\".\"extra\""), partition(warehouse, "extra", d2));
            assertEquals(sum(source, "\"app\".\"items\""), partition(warehouse, "items", d2));

            // The day before the table joined is merged again without it.
            Instant asked = clock.now();
            engine.tasks().merge("dates", d0.plusDays(1));
            MergeInstance again = awaitEnded(() -> engine.tasks().mergeOf("dates", d0.plusDays(1)), asked);
            assertEquals(StageState.DONE, again.status(), String.valueOf(again.error()));
            assertEquals(300, again.rows());
            task.stop();
            assertEquals(TaskState.STOPPED, task.await().status());
        } finally {
            Demo.closeDatabase(source);
        }
    }

    @Test
    void aRerunAMergeAndABackfillOfADateAnotherOperationWritesAreRefusedOrWait() throws Exception {
        String source = h2("guard");
        String warehouse = duckdb();
        MovableClock clock = new MovableClock();
        LocalDate today = LocalDate.now(ZoneOffset.UTC).minusDays(3);
        clock.set(today.atTime(12, 0).toInstant(ZoneOffset.UTC));
        InMemoryStateStore state = new InMemoryStateStore();
        TaskStore other = new TaskStore(state, clock);
        try (Connection c = DriverManager.getConnection(source, "sa", "");
             SyncEngine engine = SyncEngine.builder().ticker(clock).stateStore(state).build()) {
            execute(c, "CREATE SCHEMA \"app\"",
                    "CREATE TABLE \"app\".\"items\" (\"id\" BIGINT PRIMARY KEY, \"v\" INT)",
                    "INSERT INTO \"app\".\"items\" SELECT X, X FROM SYSTEM_RANGE(1, 200)");
            TaskHandle task = engine.tasks().start(taskJson("guard", source, warehouse, "\"app.items\""));
            TaskDemo.await(task, status -> TaskDemo.streaming(status, 1));
            task.stop();
            assertEquals(TaskState.STOPPED, task.await().status());
            execute(c, "INSERT INTO \"app\".\"items\" VALUES (5000, 5)");

            // Another process backfills today: a rerun, which writes today's partitions, is refused.
            other.lockDate("guard", today, OTHER, Duration.ofMinutes(5));
            SyncException refused = assertThrows(SyncException.class, () -> engine.tasks().rerun("guard"));
            assertTrue(refused.getMessage().startsWith("Business Date " + today + " of task 'guard' is being written by "
                    + OTHER), refused.getMessage());

            // Asked to wait, it waits for the date, then copies.
            CompletableFuture<Optional<TaskStatus>> rerun = CompletableFuture.supplyAsync(
                    () -> engine.tasks().rerun("guard", true));
            awaitTrue(() -> waitingForItsDate(other, "guard"), "the rerun waits for its Business Date");
            assertEquals(sum(source, "\"app\".\"items\" WHERE \"id\" < 5000"), partition(warehouse, "items", today));
            assertTrue(!rerun.isDone(), "the rerun did not wait");
            other.unlockDate("guard", today, OTHER);
            TaskStatus reran = rerun.get(60, TimeUnit.SECONDS).orElseThrow();
            assertEquals(TaskState.STOPPED, reran.status(), String.valueOf(reran.error()));
            assertEquals(sum(source, "\"app\".\"items\""), partition(warehouse, "items", today));

            // A backfill of the next day is refused while held, and records its outcome once done.
            LocalDate next = today.plusDays(1);
            other.lockDate("guard", next, OTHER, Duration.ofMinutes(5));
            assertThrows(SyncException.class, () -> engine.tasks().backfill("guard", next, Set.of()));
            other.unlockDate("guard", next, OTHER);
            JobReport backfilled = engine.tasks().backfill("guard", next, Set.of()).orElseThrow();
            assertEquals(JobStatus.SUCCESS, backfilled.status());
            MergeInstance recorded = engine.tasks().backfillOf("guard", next).orElseThrow();
            assertEquals(StageState.DONE, recorded.status());
            assertEquals(201, recorded.rows());

            // A merge of the day after waits for the date when asked to, then builds on the backfill.
            LocalDate after = next.plusDays(1);
            other.lockDate("guard", after, OTHER, Duration.ofMinutes(5));
            assertThrows(SyncException.class, () -> engine.tasks().merge("guard", after));
            CompletableFuture<Optional<MergeInstance>> merge = CompletableFuture.supplyAsync(
                    () -> engine.tasks().merge("guard", after, true));
            awaitTrue(() -> parked(merge), "the merge waits for its Business Date");
            assertEquals(Optional.empty(), engine.tasks().mergeOf("guard", after));
            other.unlockDate("guard", after, OTHER);
            MergeInstance merged = merge.get(60, TimeUnit.SECONDS).orElseThrow();
            assertEquals(StageState.DONE, merged.status(), String.valueOf(merged.error()));
            assertEquals(sum(source, "\"app\".\"items\""), partition(warehouse, "items", after));

            // A runner whose copy waits for its date stops when asked, as stopped rather than failed.
            execute(c, "CREATE TABLE \"app\".\"more\" (\"id\" BIGINT PRIMARY KEY, \"v\" INT)");
            other.lockDate("guard", today, OTHER, Duration.ofMinutes(5));
            TaskHandle waiting = engine.tasks().start(taskJson("guard", source, warehouse, "\"app.items\", \"app.more\""));
            awaitTrue(() -> waitingForItsDate(other, "guard"), "the Edit's copy waits for its Business Date");
            waiting.stop();
            assertEquals(TaskState.STOPPED, waiting.await().status());
            other.unlockDate("guard", today, OTHER);

            // The task's extra columns hold the constant and each partition's own date, whoever wrote it.
            for (LocalDate date : new LocalDate[] {today, next, after}) {
                assertEquals("201/201", rows(DriverManager.getConnection(warehouse), "SELECT COUNT(*), COUNT(*) FILTER "
                        + "(WHERE origin = 'shop' AND biz = '" + date + "') FROM main.items WHERE ds = '" + ds(date) + "'"));
            }
        } finally {
            Demo.closeDatabase(source);
        }
    }

    /** Whether the rerun has chosen its date and is parked in the wait for it. */
    private static boolean waitingForItsDate(TaskStore tasks, String task) {
        return tasks.copyDate(task).isPresent() && Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getState() == Thread.State.TIMED_WAITING && isWaitingForDate(t));
    }

    private static boolean parked(CompletableFuture<?> operation) {
        return !operation.isDone() && Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getState() == Thread.State.TIMED_WAITING && isWaitingForDate(t));
    }

    private static boolean isWaitingForDate(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals("dev.ferry.engine.task.DateHold") && frame.getMethodName().equals("take")) {
                return true;
            }
        }
        return false;
    }

    private static String taskJson(String name, String source, String warehouse, String tables) {
        return """
                {"name": "%s", "source": {"connector": "h2", "url": "%s", "username": "sa", "tables": [%s]},
                 "target": {"connector": "duckdb", "url": "%s", "kind": "partitioned", "schema": "main",
                            "merge": {"at": "00:30", "zone": "UTC"},
                            "constantColumns": ["origin=shop"], "businessDateColumns": ["biz=yyyy-MM-dd"]},
                 "settings": {"concurrency": 1, "stream": {"checkpointIntervalMillis": 100}}}
                """.formatted(name, source, tables, warehouse);
    }

    private String duckdb() {
        return "jdbc:duckdb:" + dir.resolve("w.duckdb").toString().replace('\\', '/');
    }

    private static String h2(String name) {
        return "jdbc:h2:mem:ferry_" + name + "_" + Long.toHexString(System.nanoTime()) + ";DB_CLOSE_DELAY=-1";
    }

    private static String ds(LocalDate date) {
        return date.toString().replace("-", "");
    }

    private static String sum(String source, String from) throws SQLException {
        return rows(DriverManager.getConnection(source, "sa", ""), "SELECT COUNT(*), SUM(\"id\" * 7 + \"v\") FROM " + from);
    }

    private static String partition(String warehouse, String table, LocalDate date) throws SQLException {
        return rows(DriverManager.getConnection(warehouse), "SELECT COUNT(*), SUM(id * 7 + v) FROM main." + table
                + " WHERE ds = '" + ds(date) + "'");
    }

    private static boolean logged(String warehouse, String log, long id) {
        try {
            return rows(DriverManager.getConnection(warehouse), "SELECT COUNT(*), 0 FROM main." + log + " WHERE id = " + id)
                    .equals("1/0");
        } catch (SQLException e) {
            return false; // not created yet
        }
    }

    private static void execute(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static MergeInstance awaitEnded(Supplier<Optional<MergeInstance>> lookup, Instant asked) {
        Optional<MergeInstance>[] last = new Optional[1];
        awaitTrue(() -> {
            last[0] = lookup.get().filter(m -> !m.startedAt().isBefore(asked) && m.status() != StageState.RUNNING);
            return last[0].isPresent();
        }, "the operation ended");
        return last[0].get();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not reached in time: " + what);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
