package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 20-table MariaDB database synchronized to PostgreSQL by a task, operated with the packaged
 * {@code sync.jar} while an application writes throughout: it streams; an edit adds two tables and
 * removes one while it runs; it is killed with kill -9 and started again; its binlog is purged
 * while it is stopped, so the next start fails and says to rerun; the rerun copies everything again
 * and the next start converges. A full-only task ({@code realtime: false}) copies and ends SUCCESS.
 */
class MariaDbTaskIT {

    private static final String SERVER = "jdbc:mariadb://127.0.0.1:3306/test";
    private static final String TARGET = StreamJar.POSTGRES_TARGET;
    private static final int TABLES = 20;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final String task = StreamJar.uniqueName("mtask");
    private final String database = task;
    private TaskHarness harness;

    private String table(int i) {
        return database + ".t_" + i;
    }

    @BeforeEach
    void setUp() {
        StreamJar.assumeReachable(SERVER);
        StreamJar.assumeReachable(TARGET);
        StreamJar.execute(SERVER, "CREATE DATABASE " + database);
        for (int i = 0; i < TABLES; i++) {
            StreamJar.execute(SERVER, "CREATE TABLE " + table(i) + " (id bigint PRIMARY KEY, v int NOT NULL, note text)",
                    "INSERT INTO " + table(i) + " SELECT seq, seq % 7, concat('row ', seq) FROM seq_1_to_" + (300 + 50 * i));
        }
        StreamJar.execute(TARGET, "CREATE SCHEMA " + database);
        harness = new TaskHarness(dir, task);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
        StreamJar.execute(SERVER, "DROP DATABASE IF EXISTS " + database);
        StreamJar.execute(TARGET, "DROP SCHEMA IF EXISTS " + database + " CASCADE");
    }

    private Path taskFile(String name, String taskName, boolean realtime, String prefix) throws Exception {
        return taskFile(name, taskName, realtime, prefix, IntStream.range(0, TABLES).boxed().toList());
    }

    private Path taskFile(String name, String taskName, boolean realtime, String prefix, List<Integer> synced)
            throws Exception {
        // t_1 is copied in ranges of its own column v rather than of its key.
        String tables = String.join(", ", synced.stream().map(i -> i == 1
                ? "{\"name\": \"" + table(i) + "\", \"splitPk\": \"v\"}" : "\"" + table(i) + "\"").toList());
        Path file = dir.resolve(name);
        Files.writeString(file, """
                {"name": "%s",
                 "source": {"connector": "mariadb", "url": "%s", "username": "root", "tables": [%s]},
                 "target": {"connector": "postgresql", "url": "%s", "username": "root", "kind": "upsert",
                            "schema": "%s"%s},
                 "realtime": %s,
                 "settings": {"concurrency": 2, "stream": {"checkpointIntervalMillis": 200}}}
                """.formatted(taskName, SERVER, tables, TARGET, database,
                        prefix.isEmpty() ? "" : ", \"tablePrefix\": \"" + prefix + "\"", realtime));
        return file;
    }

    private void startWriter() {
        harness.startApplication(r -> {
            try (Connection c = DriverManager.getConnection(SERVER, "root", ""); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                String t = table(r % TABLES);
                s.execute("UPDATE " + t + " SET v = v + 1 WHERE id % 11 = " + (r % 11));
                s.execute("INSERT INTO " + t + " VALUES (" + (100_000 + r) + ", " + r + ", 'new " + r + "')");
                s.execute("DELETE FROM " + t + " WHERE id = " + (r % 200 + 1));
                c.commit();
            }
        });
    }

    private List<String> tables() {
        return tables(IntStream.range(0, TABLES).boxed().toList());
    }

    private List<String> tables(List<Integer> synced) {
        return synced.stream().map(this::table).toList();
    }

    /**
     * Purges every binlog file but a new current one; the server keeps a file a replica connection
     * still reads (the stopped stream's dump thread may not have noticed yet), so it tries again.
     */
    private static void purgeBinlogs() throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        StreamJar.execute(SERVER, "FLUSH BINARY LOGS");
        String current = currentBinlog();
        while (true) {
            StreamJar.execute(SERVER, "PURGE BINARY LOGS TO '" + current + "'");
            if (oldestBinlog().equals(current)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("binlogs before " + current + " could not be purged; oldest " + oldestBinlog());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private static String oldestBinlog() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String currentBinlog() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void editedKilledAndPurgedItFailsWithTheRerunHintAndARerunConvergesAgain() throws Exception {
        startWriter();
        List<Integer> first = IntStream.range(0, 18).boxed().toList();
        List<Integer> second = IntStream.range(1, 20).boxed().toList();
        Process runner = harness.start(taskFile("v1.json", task, true, "", first));
        harness.awaitStreaming(runner, 1);
        harness.awaitRounds(40);
        harness.awaitConverged(runner, SERVER, TARGET, tables(first));

        // Edit while running: t_18 and t_19 join, t_0 leaves.
        Path file = taskFile("task.json", task, true, "", second);
        assertEquals(0, harness.cli("task", "edit", file.toString()).exitCode());
        harness.awaitStreaming(runner, 2);
        harness.awaitRounds(40);
        harness.awaitConverged(runner, SERVER, TARGET, tables(second));

        // kill -9 mid-stream; the next start takes over at once.
        runner.destroyForcibly();
        assertTrue(runner.waitFor(30, TimeUnit.SECONDS));
        harness.awaitRounds(40);
        runner = harness.start(file);
        harness.awaitStreaming(runner, 2);
        harness.awaitRounds(20);
        harness.awaitConverged(runner, SERVER, TARGET, tables(second));
        assertEquals(0, harness.cli("task", "stop", task).exitCode());
        assertTrue(runner.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, runner.exitValue(), harness.runnerOutput());

        // The binlog the checkpoint points into is purged while the task is stopped.
        harness.awaitRounds(30);
        purgeBinlogs();
        harness.awaitRounds(30);
        runner = harness.start(file);
        assertTrue(runner.waitFor(120, TimeUnit.SECONDS));
        String failed = harness.runnerOutput();
        assertEquals(1, runner.exitValue(), failed);
        assertTrue(failed.contains("task rerun " + task), failed);
        JsonNode status = harness.status();
        assertEquals("FAILED", status.get("status").asText());
        assertTrue(status.get("error").asText().contains("task rerun " + task), status.toString());
        assertTrue(status.get("error").asText().contains("mariadb-bin"), "names the lost position: " + status);

        StreamJar.Ran rerun = harness.cli("task", "rerun", task);
        assertEquals(0, rerun.exitCode(), rerun.output());
        runner = harness.start(file);
        harness.awaitStreaming(runner, 2);
        harness.awaitRounds(40);
        harness.awaitConverged(runner, SERVER, TARGET, tables(second));
        harness.stopApplication();
        harness.awaitConverged(runner, SERVER, TARGET, tables(second));
        runner.destroy();
        assertTrue(runner.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, runner.exitValue());
    }

    @Test
    void aFullOnlyTaskCopiesEveryTableAndEndsSuccess() throws Exception {
        String full = task + "_full";
        Process runner = harness.start(taskFile("full.json", full, false, "full_"));
        assertTrue(runner.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, runner.exitValue(), harness.runnerOutput());
        assertTrue(harness.runnerOutput().contains("SUCCESS"), harness.runnerOutput());
        for (int i = 0; i < TABLES; i++) {
            assertEquals(TaskHarness.rows(SERVER, table(i)), TaskHarness.rows(TARGET, database + ".full_t_" + i), table(i));
        }
        StreamJar.Ran status = harness.cli("task", "status", full);
        assertTrue(status.output().contains("SUCCESS"), status.output());
    }
}
