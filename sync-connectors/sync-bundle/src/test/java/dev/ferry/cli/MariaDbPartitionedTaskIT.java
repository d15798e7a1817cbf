package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MariaDB database into declaratively partitioned PostgreSQL tables, operated with the packaged
 * {@code sync.jar}: a merge asked of the running runner builds the day's partition equal to the
 * source; then a backfill and a merge of the same Business Date started at the same moment by two
 * processes never write it together (one is refused naming the other, or they run one after the
 * other) and leave it equal to the source.
 */
class MariaDbPartitionedTaskIT {

    private static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/test";
    private static final String TARGET = StreamJar.POSTGRES_SOURCE;
    /** UTC-10: behind UTC's date for part of the day. */
    private static final ZoneId ZONE = ZoneId.of("Pacific/Honolulu");
    private static final List<String> TABLES = List.of("accounts", "payments");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final String task = StreamJar.uniqueName("mdw");
    private TaskHarness harness;

    @BeforeEach
    void setUp() {
        StreamJar.assumeReachable(SERVER);
        StreamJar.assumeReachable(TARGET);
        StreamJar.execute(SERVER, "CREATE DATABASE " + task);
        for (String table : TABLES) {
            StreamJar.execute(SERVER, "CREATE TABLE " + task + "." + table + " (id bigint PRIMARY KEY, v int NOT NULL, "
                    + "note text)", "INSERT INTO " + task + "." + table + " SELECT seq, seq % 7, concat('row ', seq) FROM "
                    + "seq_1_to_2000");
        }
        StreamJar.execute(TARGET, "CREATE SCHEMA " + task);
        harness = new TaskHarness(dir, task).dropAfterwards(SERVER, "DROP DATABASE IF EXISTS " + task)
                .dropAfterwards(TARGET, "DROP SCHEMA IF EXISTS " + task + " CASCADE");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void mergesAndABackfillOfOneDateNeverWriteItTogether() throws Exception {
        Path file = dir.resolve("mdw.json");
        Files.writeString(file, """
                {"name": "%s",
                 "source": {"connector": "mariadb", "url": "%s", "username": "root", "tables": ["%s.accounts", "%s.payments"]},
                 "target": {"connector": "postgresql", "url": "%s", "username": "root", "kind": "partitioned",
                            "schema": "%s", "partition": {"column": "biz_date", "format": "yyyy-MM-dd"},
                            "merge": {"zone": "%s"}},
                 "settings": {"concurrency": 2, "stream": {"checkpointIntervalMillis": 200}}}
                """.formatted(task, SERVER, task, task, TARGET, task, ZONE.getId()));
        LocalDate day0 = LocalDate.now(ZONE);
        Process runner = harness.start(file);
        harness.awaitStreaming(runner, 1);
        harness.startApplication(r -> {
            try (Connection c = DriverManager.getConnection(SERVER, "root", ""); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                String t = task + "." + TABLES.get(r % 2);
                s.execute("UPDATE " + t + " SET v = v + 1 WHERE id % 40 = " + (r % 40));
                s.execute("INSERT INTO " + t + " VALUES (" + (100_000 + r) + ", " + r + ", 'new " + r + "')");
                s.execute("DELETE FROM " + t + " WHERE id = " + (r % 300 + 1));
                s.execute("UPDATE " + t + " SET id = " + (200_000 + r) + " WHERE id = " + (r % 300 + 301));
                c.commit();
            }
        });
        harness.awaitRounds(50);
        harness.stopApplication();
        StreamJar.execute(SERVER, "INSERT INTO " + task + ".accounts VALUES (999999, 0, 'last')");
        awaitLogged(runner);

        // The running runner merges the day on request; --wait returns with the outcome.
        StreamJar.Ran merge = harness.cli("task", "merge", task, "--date", day0.toString(), "--wait");
        assertEquals(0, merge.exitCode(), merge.output());
        assertTrue(merge.output().contains("Incremental Merge of " + day0 + ": DONE"), merge.output());
        for (String table : TABLES) {
            assertEquals(TaskHarness.rows(SERVER, task + "." + table), partitionRows(table, day0), table);
        }

        // A backfill and a merge of the next date at once, from two processes, the task stopped.
        assertEquals(0, harness.cli("task", "stop", task).exitCode());
        assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the runner stops");
        LocalDate day1 = day0.plusDays(1);
        Process backfill = StreamJar.sync(dir.resolve("backfill.log"), "task", "backfill", task, "--date",
                day1.toString(), "--state", dir.resolve("state").toString());
        Process mergeNext = StreamJar.sync(dir.resolve("merge.log"), "task", "merge", task, "--date", day1.toString(),
                "--state", dir.resolve("state").toString());
        assertTrue(backfill.waitFor(120, TimeUnit.SECONDS) && mergeNext.waitFor(120, TimeUnit.SECONDS));
        String outputs = Files.readString(dir.resolve("backfill.log")) + Files.readString(dir.resolve("merge.log"));
        int refused = (backfill.exitValue() == 2 ? 1 : 0) + (mergeNext.exitValue() == 2 ? 1 : 0);
        assertTrue(List.of(0, 2).contains(backfill.exitValue()) && List.of(0, 2).contains(mergeNext.exitValue())
                && refused <= 1, outputs);
        if (refused == 1) {
            assertTrue(outputs.contains("of task '" + task + "' is being written by"), outputs);
        }
        for (String table : TABLES) {
            assertEquals(TaskHarness.rows(SERVER, task + "." + table), partitionRows(table, day1), table);
        }
    }

    /** Waits until the change log of accounts holds the last transaction, while the runner runs. */
    private void awaitLogged(Process runner) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (StreamJar.queryLong(TARGET, "SELECT count(*) FROM " + task + ".accounts_log WHERE id = 999999") == 0) {
            if (!runner.isAlive() || System.nanoTime() > deadline) {
                fail("the last transaction was not logged\n" + harness.runnerOutput());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** One date's partition of a table, as {@link TaskHarness#rows} shows a table. */
    private String partitionRows(String table, LocalDate date) {
        String value = date.format(DateTimeFormatter.ISO_LOCAL_DATE);
        StreamJar.execute(TARGET, "DROP VIEW IF EXISTS " + task + "." + table + "_day",
                "CREATE VIEW " + task + "." + table + "_day AS SELECT id, v, note FROM " + task + "." + table
                        + " WHERE biz_date = '" + value + "'");
        return TaskHarness.rows(TARGET, task + "." + table + "_day");
    }
}
