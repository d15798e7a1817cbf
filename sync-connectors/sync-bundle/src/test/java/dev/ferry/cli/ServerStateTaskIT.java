package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.engine.state.JdbcStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task whose state lives in PostgreSQL ({@code --state jdbc:postgresql://…}) instead of a
 * directory, two PostgreSQL tables to MariaDB: started, watched and stopped from other processes,
 * started again without a second Full Initialization, a second runner refused.
 */
class ServerStateTaskIT {

    private static final String SOURCE = StreamJar.POSTGRES_SOURCE;
    private static final String TARGET = "jdbc:mariadb://127.0.0.1:3306/test";
    private static final String STATE = StreamJar.POSTGRES_SOURCE + "?user=root";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private final String task = StreamJar.uniqueName("pgstate");
    private TaskHarness harness;

    @BeforeEach
    void setUp() {
        harness = TaskHarness.postgresToMariaDb(dir, task, TARGET, Map.of("t_a", 300, "t_b", 500)).stateAt(STATE);
    }

    /** Removes every key of the task from the shared table, which other processes may use. */
    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
        StreamJar.execute(STATE, "DELETE FROM " + JdbcStateStore.TABLE + " WHERE position('" + task + "' in state_key) > 0");
    }

    private List<String> tables() {
        return List.of(task + ".t_a", task + ".t_b");
    }

    @Test
    void aTaskKeepsItsStateInPostgresqlAcrossProcesses() throws Exception {
        Path file = dir.resolve("task.json");
        Files.writeString(file, """
                {"name": "%s",
                 "source": {"connector": "postgresql", "url": "%s", "username": "root",
                            "tables": ["%s.t_a", "%s.t_b"], "capture": {"heartbeatIntervalMillis": 200}},
                 "target": {"connector": "mariadb", "url": "%s", "username": "root", "kind": "upsert", "schema": "%s"},
                 "realtime": true,
                 "settings": {"stream": {"checkpointIntervalMillis": 200}}}
                """.formatted(task, SOURCE, task, task, TARGET, task));
        Process runner = harness.start(file);
        JsonNode status = harness.awaitStreaming(runner, 1);
        assertEquals(2, TaskHarness.stage(status, "FULL_INITIALIZATION").get("tables").size(), status.toString());
        StreamJar.execute(SOURCE, "UPDATE " + task + ".t_a SET v = v + 100 WHERE id <= 10");
        harness.awaitConverged(runner, SOURCE, TARGET, tables());
        assertEquals(1, StreamJar.queryLong(STATE, "SELECT count(*) FROM " + JdbcStateStore.TABLE
                + " WHERE state_key = 'task/" + task + "/lease'"), "the lease is in the server's table");

        // Stop from another process; a target row deleted meanwhile stays deleted unless the copy runs again.
        StreamJar.Ran stop = harness.cli("task", "stop", task);
        assertEquals(0, stop.exitCode(), stop.output());
        assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the runner stops");
        assertEquals(0, runner.exitValue(), harness.runnerOutput());
        assertTrue(harness.runnerOutput().contains("Full Initialization of " + task + ".t_b done"), harness.runnerOutput());
        assertEquals("STOPPED", harness.status().get("status").asText());
        StreamJar.execute(TARGET, "DELETE FROM " + task + ".t_b WHERE id = 1");
        StreamJar.execute(SOURCE, "UPDATE " + task + ".t_b SET v = v + 100 WHERE id BETWEEN 2 AND 20");

        runner = harness.start(file);
        harness.awaitStreaming(runner, 1);
        String copyOfB = TaskHarness.rows(SOURCE, "(SELECT * FROM " + task + ".t_b WHERE id > 1) b");
        awaitRows(runner, "(SELECT * FROM " + task + ".t_b WHERE id > 1) b", copyOfB);
        assertEquals(0, StreamJar.queryLong(TARGET, "SELECT count(*) FROM " + task + ".t_b WHERE id = 1"),
                "no new Full Initialization brought the deleted row back");
        assertFalse(harness.runnerOutput().contains("Full Initialization of"), harness.runnerOutput());

        StreamJar.Ran refused = harness.cli("task", "start", file.toString());
        assertEquals(2, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("is already run by " + runner.pid() + "@"), refused.output());

        assertEquals(0, harness.cli("task", "stop", task).exitCode());
        assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the runner stops");
        assertEquals(0, runner.exitValue(), harness.runnerOutput());
    }

    /** Waits until the target's rows of {@code query} hash to {@code expected}, the source's. */
    private void awaitRows(Process runner, String query, String expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!TaskHarness.rows(TARGET, query).equals(expected)) {
            assertTrue(runner.isAlive() && System.nanoTime() < deadline, "target " + TaskHarness.rows(TARGET, query)
                    + ", source " + expected + "\n" + harness.runnerOutput());
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
