package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole-database task from a 20-table PostgreSQL schema to MariaDB, operated with the packaged
 * {@code sync.jar} while an application writes throughout: start; edit (two tables added, one
 * removed) while running; stop from another process and start again; kill -9 and start again; a
 * second runner refused; rerun after target rows were deleted and a target column dropped. After
 * each step every synchronized table equals its source, row for row.
 */
class TaskIT {

    private static final String SOURCE = StreamJar.POSTGRES_SOURCE;
    private static final String TARGET_SERVER = "jdbc:mariadb://127.0.0.1:3306/test";
    private static final int TABLES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private final String task = StreamJar.uniqueName("task");
    private final String schema = task;
    private TaskHarness harness;

    private static String table(int i) {
        return String.format("t_%02d", i);
    }

    @BeforeEach
    void setUp() {
        Map<String, Integer> rows = new LinkedHashMap<>();
        for (int i = 0; i < TABLES; i++) {
            rows.put(table(i), 200 + 40 * i);
        }
        harness = TaskHarness.postgresToMariaDb(dir, task, TARGET_SERVER, rows);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    private Path taskFile(String name, List<Integer> tables) throws Exception {
        List<String> names = tables.stream().map(i -> "\"" + schema + "." + table(i) + "\"").toList();
        Path file = dir.resolve(name);
        Files.writeString(file, """
                {"name": "%s",
                 "source": {"connector": "postgresql", "url": "%s", "username": "root", "tables": [%s],
                            "capture": {"heartbeatIntervalMillis": 200}},
                 "target": {"connector": "mariadb", "url": "%s", "username": "root", "kind": "upsert", "schema": "%s"},
                 "realtime": true,
                 "settings": {"concurrency": 2, "stream": {"checkpointIntervalMillis": 200}}}
                """.formatted(task, SOURCE, String.join(", ", names), TARGET_SERVER, schema));
        return file;
    }

    /** Increments are not idempotent on their own: a change applied twice would show in v. */
    private void startWriter() {
        harness.startApplication(r -> {
            String t = schema + "." + table(r % TABLES);
            StreamJar.execute(SOURCE, "BEGIN; UPDATE " + t + " SET v = v + 1 WHERE id % 13 = " + (r % 13)
                    + "; INSERT INTO " + t + " VALUES (" + (100_000 + r) + ", " + r + ", 'new " + r + "'); DELETE FROM "
                    + t + " WHERE id = " + (r % 150 + 1) + "; COMMIT");
        });
    }

    private List<String> names(List<Integer> tables) {
        return tables.stream().map(i -> schema + "." + table(i)).toList();
    }

    @Test
    void aTaskIsStartedEditedStoppedKilledAndRerunWhileTheApplicationWritesAndTheTargetAlwaysConverges() throws Exception {
        List<Integer> first = IntStream.range(0, 18).boxed().toList();
        List<Integer> second = IntStream.range(1, 20).boxed().toList();
        startWriter();

        // Start: 18 tables migrated, copied, then streamed.
        Process runner = harness.start(taskFile("v1.json", first));
        JsonNode status = harness.awaitStreaming(runner, 1);
        assertEquals(18, TaskHarness.stage(status, "FULL_INITIALIZATION").get("tables").size(), status.toString());
        assertEquals("SKIPPED", TaskHarness.stage(status, "INCREMENTAL_MERGE").get("status").asText());
        harness.awaitRounds(40);
        harness.awaitConverged(runner, SOURCE, TARGET_SERVER, names(first));

        // Edit while running: t_18 and t_19 join, t_00 leaves; the others keep their data.
        StreamJar.Ran edit = harness.cli("task", "edit", taskFile("v2.json", second).toString());
        assertEquals(0, edit.exitCode(), edit.output());
        status = harness.awaitStreaming(runner, 2);
        assertEquals(19, TaskHarness.stage(status, "REALTIME").get("tables").size(), status.toString());
        // The other tables streamed while the added ones were copied.
        String log = harness.runnerOutput();
        int streamingWhileCopying = log.indexOf("are copied");
        int copied = log.indexOf("Full Initialization of " + schema + "." + table(19) + " done");
        assertTrue(streamingWhileCopying > 0 && copied > streamingWhileCopying, log);
        harness.awaitRounds(40);
        harness.awaitConverged(runner, SOURCE, TARGET_SERVER, names(second));
        String removedBefore = TaskHarness.rows(TARGET_SERVER, schema + "." + table(0));
        harness.awaitRounds(60);
        harness.awaitConverged(runner, SOURCE, TARGET_SERVER, names(second));
        assertEquals(removedBefore, TaskHarness.rows(TARGET_SERVER, schema + "." + table(0)), "a removed table is no longer synced");

        // Stop from another process; the application goes on; start again resumes without a new copy.
        StreamJar.Ran stop = harness.cli("task", "stop", task);
        assertEquals(0, stop.exitCode(), stop.output());
        assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the runner stops");
        assertEquals(0, runner.exitValue());
        assertEquals("STOPPED", harness.status().get("status").asText());
        harness.awaitRounds(50);
        runner = harness.start(dir.resolve("v2.json"));
        harness.awaitStreaming(runner, 2);
        harness.awaitConverged(runner, SOURCE, TARGET_SERVER, names(second));

        // A second runner is refused, naming the holder.
        StreamJar.Ran refused = harness.cli("task", "start", dir.resolve("v2.json").toString());
        assertEquals(2, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("is already run by"), refused.output());

        // kill -9 mid-stream; the next start takes over at once and converges.
        harness.awaitRounds(30);
        runner.destroyForcibly();
        assertTrue(runner.waitFor(30, TimeUnit.SECONDS));
        harness.awaitRounds(50);
        runner = harness.start(dir.resolve("v2.json"));
        harness.awaitStreaming(runner, 2);
        harness.awaitConverged(runner, SOURCE, TARGET_SERVER, names(second));
        String history = harness.cli("task", "status", task).output();
        assertTrue(history.contains("ended without letting go of the task (killed?)"), "the killed run is in the "
                + "history: " + history);

        // Rerun of the running task after target rows were deleted: it copies every table again in place.
        StreamJar.execute(TARGET_SERVER, "DELETE FROM " + schema + "." + table(5) + " WHERE id < 100");
        StreamJar.Ran rerun = harness.cli("task", "rerun", task, "--wait");
        assertEquals(0, rerun.exitCode(), rerun.output());
        harness.awaitRounds(30);
        harness.awaitConverged(runner, SOURCE, TARGET_SERVER, names(second));

        // Rerun of the stopped task after a target column was dropped and rows deleted: in the
        // foreground, then the next start streams from where the rerun left off.
        assertEquals(0, harness.cli("task", "stop", task).exitCode());
        assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the runner stops");
        StreamJar.execute(TARGET_SERVER, "ALTER TABLE " + schema + "." + table(6) + " DROP COLUMN note",
                "DELETE FROM " + schema + "." + table(7) + " WHERE id % 2 = 0");
        rerun = harness.cli("task", "rerun", task);
        assertEquals(0, rerun.exitCode(), rerun.output());
        assertTrue(rerun.output().contains("STOPPED"), rerun.output());
        harness.awaitRounds(30);
        runner = harness.start(dir.resolve("v2.json"));
        harness.awaitStreaming(runner, 2);
        harness.awaitConverged(runner, SOURCE, TARGET_SERVER, names(second));

        // SIGTERM: stopped, exit 0.
        harness.stopApplication();
        harness.awaitConverged(runner, SOURCE, TARGET_SERVER, names(second));
        runner.destroy();
        assertTrue(runner.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, runner.exitValue());
        for (int i : second) {
            assertEquals(TaskHarness.rows(SOURCE, schema + "." + table(i)), TaskHarness.rows(TARGET_SERVER, schema + "." + table(i)), table(i));
        }
    }
}
