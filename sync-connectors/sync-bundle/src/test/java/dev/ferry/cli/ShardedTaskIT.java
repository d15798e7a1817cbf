package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sharded source: two MariaDB databases, each with its physical {@code orders_N} tables, merged
 * into one PostgreSQL table by a task with one stream per shard, while an application writes to
 * both; a decoy table the expression does not match stays out; a rerun and a backfill are refused.
 * Into a partitioned target, both shards fill one partition together and their changes (positions
 * of two binlogs) merge into it.
 */
class ShardedTaskIT {

    private static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/";
    private static final String TARGET = StreamJar.POSTGRES_TARGET;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final String task = StreamJar.uniqueName("shtask");
    private final String shardA = task + "_a";
    private final String shardB = task + "_b";
    private TaskHarness harness;

    @BeforeEach
    void setUp() {
        StreamJar.assumeReachable(SERVER + "test");
        StreamJar.assumeReachable(TARGET);
        for (String[] shard : new String[][] {{shardA, "orders_0", "1"}, {shardB, "orders_1", "1000001"}}) {
            StreamJar.execute(SERVER + "test", "CREATE DATABASE " + shard[0]);
            String table = shard[0] + "." + shard[1];
            StreamJar.execute(SERVER + "test", "CREATE TABLE " + table + " (id bigint PRIMARY KEY, v int NOT NULL, note text)",
                    "INSERT INTO " + table + " SELECT seq, seq % 7, concat('row ', seq) FROM seq_" + shard[2] + "_to_"
                            + (Long.parseLong(shard[2]) + 499));
        }
        StreamJar.execute(SERVER + "test", "CREATE TABLE " + shardA + ".orders_x (id bigint PRIMARY KEY, v int, note text)",
                "INSERT INTO " + shardA + ".orders_x VALUES (1, 1, 'decoy')");
        StreamJar.execute(TARGET, "CREATE SCHEMA " + task);
        harness = new TaskHarness(dir, task);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
        StreamJar.execute(SERVER + "test", "DROP DATABASE IF EXISTS " + shardA, "DROP DATABASE IF EXISTS " + shardB);
        StreamJar.execute(TARGET, "DROP SCHEMA IF EXISTS " + task + " CASCADE");
    }

    private String union() {
        return "(SELECT id, v, note FROM " + shardA + ".orders_0 UNION ALL SELECT id, v, note FROM " + shardB
                + ".orders_1) u";
    }

    /** The task of both shards into the test's schema, with {@code targetKeys} added to its target block. */
    private Path taskFile(String name, String targetKeys) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                {"name": "%s",
                 "source": {"connector": "mariadb", "username": "root",
                            "shards": [{"url": "%s%s"}, {"url": "%s%s"}],
                            "tables": [{"name": "orders", "physical": "orders_[0-9]+"}]},
                 "target": {"connector": "postgresql", "url": "%s", "username": "root", "schema": "%s"%s},
                 "settings": {"concurrency": 2, "stream": {"checkpointIntervalMillis": 200}}}
                """.formatted(task, SERVER, shardA, SERVER, shardB, TARGET, task, targetKeys));
        return file;
    }

    @Test
    void twoShardsMergeIntoOneTargetTableAndRerunAndBackfillAreRefused() throws Exception {
        Path file = taskFile("task.json", "");
        harness.startApplication(r -> {
            String shard = r % 2 == 0 ? shardA + ".orders_0" : shardB + ".orders_1";
            long base = r % 2 == 0 ? 0 : 1_000_000;
            try (Connection c = DriverManager.getConnection(SERVER + "test", "root", ""); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("UPDATE " + shard + " SET v = v + 1 WHERE id % 7 = " + (r % 7));
                s.execute("INSERT INTO " + shard + " VALUES (" + (base + 100_000 + r) + ", " + r + ", 'new')");
                s.execute("DELETE FROM " + shard + " WHERE id = " + (base + r % 300 + 1));
                c.commit();
            }
        });
        Process runner = harness.start(file);
        JsonNode status = harness.awaitStreaming(runner, 1);
        List<String> tables = new ArrayList<>();
        TaskHarness.stage(status, "FULL_INITIALIZATION").get("tables").forEach(t -> tables.add(t.get("table").asText()));
        assertEquals(List.of("shard0/" + shardA + ".orders_0", "shard1/" + shardB + ".orders_1"), tables,
                "one entry per physical table, by shard; the decoy is not captured");
        harness.awaitRounds(60);
        assertConverged(runner);

        StreamJar.Ran rerun = harness.cli("task", "rerun", task);
        assertEquals(2, rerun.exitCode(), rerun.output());
        assertTrue(rerun.output().contains("sharded"), rerun.output());
        StreamJar.Ran backfill = harness.cli("task", "backfill", task, "--date", "2026-01-01");
        assertEquals(2, backfill.exitCode(), backfill.output());
        assertTrue(backfill.output().contains("cannot be backfilled: its source is sharded"), backfill.output());

        harness.stopApplication();
        assertConverged(runner);
        assertEquals(0, harness.cli("task", "stop", task).exitCode());
        assertTrue(runner.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, runner.exitValue(), harness.runnerOutput());
    }

    @Test
    void twoShardsFillOnePartitionTogetherAndTheirChangesMergeIntoIt() throws Exception {
        Path file = taskFile("partitioned.json", ", \"kind\": \"partitioned\", \"merge\": {\"zone\": \"UTC\"}");
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        String ds = today.replace("-", "");
        Process runner = harness.start(file);
        harness.awaitStreaming(runner, 1);
        assertEquals(TaskHarness.rows(SERVER + "test", union()), TaskHarness.rows(TARGET, "(SELECT id, v, note FROM "
                + task + ".orders WHERE ds = '" + ds + "') p"), "both shards' rows in the initialization's partition");

        // Changes on both shards, from two servers' positions, into one change log.
        for (String[] shard : new String[][] {{shardA + ".orders_0", "0"}, {shardB + ".orders_1", "1000000"}}) {
            long base = Long.parseLong(shard[1]);
            StreamJar.execute(SERVER + "test", "UPDATE " + shard[0] + " SET v = v + 100 WHERE id % 5 = 0",
                    "DELETE FROM " + shard[0] + " WHERE id = " + (base + 7),
                    "UPDATE " + shard[0] + " SET id = " + (base + 900_000) + " WHERE id = " + (base + 8),
                    "INSERT INTO " + shard[0] + " VALUES (" + (base + 999_999) + ", 1, 'last')");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (StreamJar.queryLong(TARGET, "SELECT count(*) FROM " + task + ".orders_log WHERE id IN (999999, 1999999)")
                < 2) {
            assertTrue(runner.isAlive() && System.nanoTime() < deadline, "both shards' changes logged\n"
                    + harness.runnerOutput());
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        assertEquals(0, harness.cli("task", "stop", task).exitCode());
        assertTrue(runner.waitFor(60, TimeUnit.SECONDS));

        StreamJar.Ran merge = harness.cli("task", "merge", task, "--date", today);
        assertEquals(0, merge.exitCode(), merge.output());
        assertEquals(TaskHarness.rows(SERVER + "test", union()), TaskHarness.rows(TARGET, "(SELECT id, v, note FROM "
                + task + ".orders WHERE ds = '" + ds + "') p"), "the merged partition equals both shards");
        StreamJar.Ran backfill = harness.cli("task", "backfill", task, "--date", today);
        assertEquals(2, backfill.exitCode(), backfill.output());
        assertTrue(backfill.output().contains("cannot be backfilled: its source is sharded"), backfill.output());
    }

    /** Holds the application until the target table equals the union of both shards. */
    private void assertConverged(Process runner) {
        harness.paused.set(true);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!TaskHarness.rows(SERVER + "test", union()).equals(TaskHarness.rows(TARGET, task + ".orders"))) {
                if (!runner.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("no convergence: shards " + TaskHarness.rows(SERVER + "test", union())
                            + ", target " + TaskHarness.rows(TARGET, task + ".orders") + "\n" + harness.runnerOutput());
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        } finally {
            harness.paused.set(false);
        }
    }
}
