package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's runner killed with SIGKILL in the middle of its Full Initialization, while an
 * application writes: the next start copies neither the tables nor the splits of the big table
 * that were written before the kill, and the target converges on the source row for row.
 */
class InitializationCrashIT {

    private static final String SOURCE = StreamJar.POSTGRES_SOURCE;
    private static final String TARGET_SERVER = "jdbc:mariadb://127.0.0.1:3306/test";
    private static final int SMALL = 4;
    private static final int BIG_ROWS = 120_000;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private final String task = StreamJar.uniqueName("init");
    private final String schema = task;
    private TaskHarness harness;

    @BeforeEach
    void setUp() {
        Map<String, Integer> rows = new LinkedHashMap<>();
        tables().forEach(table -> rows.put(table, table.equals("x_big") ? BIG_ROWS : 2_000));
        harness = TaskHarness.postgresToMariaDb(dir, task, TARGET_SERVER, rows);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** Tables are copied in the order of their names: the small ones first, done when the big one is half way. */
    private static List<String> tables() {
        List<String> tables = new ArrayList<>();
        for (int i = 0; i < SMALL; i++) {
            tables.add("small_" + i);
        }
        tables.add("x_big");
        return tables;
    }

    private List<String> qualified() {
        return tables().stream().map(t -> schema + "." + t).toList();
    }

    @Test
    void aRunnerKilledMidCopyResumesWithTheTablesAndSplitsItHadNotWritten() throws Exception {
        Path file = dir.resolve("task.json");
        Files.writeString(file, """
                {"name": "%s",
                 "source": {"connector": "postgresql", "url": "%s", "username": "root",
                            "tables": [%s], "capture": {"heartbeatIntervalMillis": 200}},
                 "target": {"connector": "mariadb", "url": "%s", "username": "root", "kind": "upsert", "schema": "%s"},
                 "realtime": true,
                 "settings": {"concurrency": 2, "rateLimit": {"recordsPerSecond": 12000},
                              "stream": {"checkpointIntervalMillis": 200}}}
                """.formatted(task, SOURCE, String.join(", ", qualified().stream().map(t -> "\"" + t + "\"").toList()),
                TARGET_SERVER, schema));
        harness.startApplication(r -> {
            String t = qualified().get(r % qualified().size());
            StreamJar.execute(SOURCE, "BEGIN; UPDATE " + t + " SET v = v + 1 WHERE id % 97 = " + (r % 97)
                    + "; INSERT INTO " + t + " VALUES (" + (1_000_000 + r) + ", " + r + ", 'new " + r + "'); DELETE FROM "
                    + t + " WHERE id = " + (r % 1500 + 1) + "; COMMIT");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        });

        // Killed once several splits of the big table are committed (each split commits on its own).
        Process runner = harness.start(file);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (count(schema + ".x_big") < BIG_ROWS * 2 / 5) {
            if (!runner.isAlive() || System.nanoTime() > deadline) {
                fail("the big table's copy did not get under way: " + count(schema + ".x_big") + " rows\n"
                        + harness.runnerOutput());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        runner.destroyForcibly();
        assertTrue(runner.waitFor(30, TimeUnit.SECONDS));
        String killed = harness.runnerOutput();
        assertTrue(!killed.contains("Full Initialization of " + schema + ".x_big done"), "killed too late:\n" + killed);

        runner = harness.start(file);
        harness.awaitStreaming(runner, 1);
        String log = harness.runnerOutput();
        for (int i = 0; i < SMALL; i++) {
            assertTrue(log.contains(schema + ".small_" + i + " was copied by an earlier start"), log);
        }
        Matcher resumed = Pattern.compile(Pattern.quote(schema + ".x_big") + " resumes its copy: (\\d+) of (\\d+) split")
                .matcher(log);
        assertTrue(resumed.find(), log);
        int written = Integer.parseInt(resumed.group(1));
        int planned = Integer.parseInt(resumed.group(2));
        assertTrue(written >= 1 && written < planned, resumed.group());

        harness.awaitRounds(20);
        harness.awaitConverged(runner, SOURCE, TARGET_SERVER, qualified());
        harness.stopApplication();
        harness.awaitConverged(runner, SOURCE, TARGET_SERVER, qualified());
        for (String table : qualified()) {
            assertEquals(TaskHarness.rows(SOURCE, table), TaskHarness.rows(TARGET_SERVER, table), table);
        }
    }

    private static long count(String table) {
        try (Connection c = DriverManager.getConnection(TARGET_SERVER, "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return 0; // not created yet
        }
    }
}
