package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.job.Runner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int sync(String... args) {
        return Main.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private Path job(String json) throws Exception {
        Path file = dir.resolve("job.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void runSucceedsWithExitZeroAndWritesTheReport() throws Exception {
        Path out = dir.resolve("out");
        Path job = job("""
                {"name": "gen-to-csv",
                 "source": {"connector": "generator", "rows": 20000},
                 "target": {"connector": "csv", "path": "%s/"},
                 "settings": {"concurrency": 2}}
                """.formatted(out.toString().replace("\\", "/")));
        Path report = dir.resolve("report.json");
        assertEquals(0, sync("run", job.toString(), "--report", report.toString()), err());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("SUCCESS", json.get("status").asText());
        assertEquals(20000, json.get("recordsWritten").asLong());
        assertEquals(2, json.get("concurrency").get("actual").asInt());
        long lines = 0;
        try (var files = Files.list(out)) {
            for (Path p : files.toList()) {
                lines += Files.readAllLines(p).size() - 1;
            }
        }
        assertEquals(20000, lines, "every generated row is in the csv parts (minus headers)");
    }

    @Test
    void failedJobExitsOneAndNamesStageAndError() throws Exception {
        Path job = job("""
                {"name": "missing-input",
                 "source": {"connector": "csv", "path": "%s/nothing-here/*.csv"},
                 "target": {"connector": "blackhole"}}
                """.formatted(dir.toString().replace("\\", "/")));
        Path report = dir.resolve("r.json");
        assertEquals(1, sync("run", job.toString(), "--report", report.toString()));
        assertTrue(err().contains("Job 'missing-input' FAILED in stage PRE: "), err());
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("FAILED", json.get("status").asText());
        assertEquals("PRE", json.get("failedStage").asText());
        assertFalse(json.get("error").asText().isBlank());
    }

    @Test
    void invalidJobFileExitsTwoListingEveryProblem() throws Exception {
        Path job = job("""
                {"name": "bad",
                 "source": {"connector": "generator", "rows": -1, "colour": "blue"},
                 "target": {"connector": "nope"},
                 "settings": {"concurrency": 0}}
                """);
        assertEquals(2, sync("run", job.toString()));
        String err = err();
        assertTrue(err.contains("settings.concurrency must be >= 1, got 0"), err);
        assertTrue(err.contains("target.connector must name a target connector"), err);
        assertTrue(err.contains("source.colour is not a key of connector 'generator'"), err);
    }

    @Test
    void runWithStateRefusesConnectorsThatCannotResumeExactly() throws Exception {
        Path out = dir.resolve("out");
        Path job = job("""
                {"name": "gen-to-csv",
                 "source": {"connector": "generator", "rows": 1000},
                 "target": {"connector": "csv", "path": "%s/"}}
                """.formatted(out.toString().replace("\\", "/")));
        assertEquals(2, sync("run", job.toString(), "--state", dir.resolve("state").toString()));
        String err = err();
        assertTrue(err.contains("source.connector must plan splits that a later run can read again to run with its "
                + "progress kept (--state); run the job without it, got 'generator'"), err);
        assertTrue(err.contains("target.connector must record each split in the split's own commit to run with its "
                + "progress kept (--state), or a split committed just before a crash would be written twice; run the "
                + "job without it, got 'csv'"), err);
        assertFalse(Files.exists(out), "nothing was written");
    }

    @Test
    void runWithStateOfAJobThatFinishedCopiesEverythingAgain() throws Exception {
        String source = "jdbc:h2:file:" + dir.resolve("source").toString().replace("\\", "/");
        String target = "jdbc:h2:file:" + dir.resolve("target").toString().replace("\\", "/");
        h2(source, "CREATE TABLE items (id BIGINT PRIMARY KEY, v BIGINT)",
                "INSERT INTO items SELECT x, x * 3 FROM SYSTEM_RANGE(1, 1000)");
        h2(target, "CREATE TABLE items (id BIGINT, v BIGINT)");
        Path job = job("""
                {"name": "items",
                 "source": {"connector": "h2", "url": "%s", "username": "sa", "table": "items", "splitPk": "id",
                            "splitCount": 4},
                 "target": {"connector": "h2", "url": "%s", "username": "sa", "table": "items",
                            "truncateBeforeWrite": true}}
                """.formatted(source, target));
        String state = dir.resolve("state").toString();
        for (int run = 1; run <= 2; run++) {
            Path report = dir.resolve("report" + run + ".json");
            assertEquals(0, sync("run", job.toString(), "--state", state, "--report", report.toString()), err());
            JsonNode json = new ObjectMapper().readTree(report.toFile());
            assertEquals(1000, json.get("recordsWritten").asLong(), "run " + run);
            assertEquals(0, json.get("resumedSplits").asLong(), "run " + run);
            assertEquals(0, json.get("resumedRecords").asLong(), "run " + run);
        }
        assertEquals(1000, h2Long(target, "SELECT COUNT(DISTINCT id) FROM items"));
        assertEquals(1000, h2Long(target, "SELECT COUNT(*) FROM items"));
        assertEquals(0, h2Long(target, "SELECT COUNT(*) FROM \"ferry_split_ledger\""), "finished runs leave no entries");
    }

    private static void h2(String url, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static long h2Long(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void validateChecksWithoutRunning() throws Exception {
        Path valid = job("""
                {"name": "ok", "source": {"connector": "generator", "rows": 5}, "target": {"connector": "blackhole"}}
                """);
        assertEquals(0, sync("validate", valid.toString()), err());
        assertTrue(out().contains("Job 'ok' is valid: generator -> blackhole"), out());
        assertEquals(2, sync("validate", dir.resolve("absent.json").toString()));
        assertTrue(err().contains("job file must exist"), err());
    }

    @Test
    void connectorsListsEveryConnectorWithItsKeys() {
        assertEquals(0, sync("connectors"));
        String out = out();
        for (String name : new String[] {"generator", "blackhole", "csv", "jsonl"}) {
            assertTrue(out.contains(name + " ("), out);
        }
        assertTrue(out.contains("rows"), out);
    }

    @Test
    void commandLineMistakesExitTwo() {
        assertEquals(2, sync());
        assertEquals(2, sync("launch"));
        assertTrue(err().contains("unknown command 'launch'"));
        assertEquals(2, sync("run"));
        assertEquals(2, sync("run", "a.json", "--report"));
        assertEquals(2, sync("demo", "--rows", "many"));
        assertTrue(err().contains("--rows must be an integer, got 'many'"), err());
        assertEquals(0, sync("--help"));
    }

    // ---------------------------------------------------------------- run --runner (jobs on Flink run in FlinkRunIT)
    // What is refused before any job runs (exit 2, naming the flag, the value and the rule), and the
    // jobs the Flink runners refuse; nothing here connects to a database or a cluster.

    /** A batch job between two PostgreSQL tables on a port where nothing listens. */
    private String pgJob(String settings) throws Exception {
        Path file = dir.resolve("pg-copy.json");
        Files.writeString(file, """
                {"name": "pg-copy",
                 "source": {"connector": "postgresql", "url": "jdbc:postgresql://127.0.0.1:1/test", "username": "root",
                            "password": "s3cret-pw", "table": "a", "splitPk": "id"},
                 "target": {"connector": "postgresql", "url": "jdbc:postgresql://127.0.0.1:1/test", "username": "root",
                            "table": "b"},
                 "settings": %s}
                """.formatted(settings));
        return file.toString();
    }

    @Test
    void theRunnerDefaultsToLocalAndTakesAMasterOnlyForFlink() {
        assertEquals(Runner.LOCAL, RunnerOption.of(null, null).runner());
        assertEquals(new Runner(Runner.Kind.FLINK_LOCAL, null), RunnerOption.of("flink-local", null).runner());
        Runner remote = RunnerOption.of("flink", "jobmanager:8081").runner();
        assertEquals("jobmanager", remote.host());
        assertEquals(8081, remote.port());
        Runner v6 = RunnerOption.of("flink", "[::1]:8081").runner();
        assertEquals("::1", v6.host());
        assertEquals(8081, v6.port());
        assertFalse(RunnerOption.of("local", null).onFlink());
        assertTrue(RunnerOption.of("flink-local", null).onFlink());
        assertEquals("the Flink cluster at jobmanager:8081", RunnerOption.of("flink", "jobmanager:8081").where());
    }

    @Test
    void anUnknownRunnerIsRefused() throws Exception {
        assertEquals(2, sync("run", pgJob("{}"), "--runner", "spark"));
        assertTrue(err().startsWith("--runner must be one of local, flink, flink-local, got 'spark'"), err());
    }

    @Test
    void flinkNeedsItsMaster() throws Exception {
        assertEquals(2, sync("run", pgJob("{}"), "--runner", "flink"));
        assertTrue(err().startsWith("--runner flink needs --flink-master HOST:PORT, the REST endpoint of the cluster's "
                + "JobManager (its rest.address and rest.port, e.g. jobmanager:8081)"), err());
    }

    @Test
    void aMasterWithoutTheFlinkRunnerIsRefused() throws Exception {
        assertEquals(2, sync("run", pgJob("{}"), "--flink-master", "jm:8081"));
        assertTrue(err().startsWith("--flink-master names the cluster of --runner flink only, got 'jm:8081' with "
                + "--runner local (the default)"), err());
        errBytes.reset();
        assertEquals(2, sync("run", pgJob("{}"), "--runner", "flink-local", "--flink-master", "jm:8081"));
        assertTrue(err().startsWith("--flink-master names the cluster of --runner flink only, got 'jm:8081' with "
                + "--runner flink-local" + System.lineSeparator()), err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jm", "jm:", ":8081", "http://jm:8081"})
    void aMasterThatIsNotHostColonPortIsRefused(String master) throws Exception {
        assertEquals(2, sync("run", pgJob("{}"), "--runner", "flink", "--flink-master", master));
        assertTrue(err().startsWith("--flink-master must be HOST:PORT, the REST endpoint of the cluster's JobManager "
                + "(e.g. jobmanager:8081), got '" + master + "'"), err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jm:0", "jm:65536", "jm:rest", "jm:-1"})
    void aMasterWithABadPortIsRefused(String master) throws Exception {
        assertEquals(2, sync("run", pgJob("{}"), "--runner", "flink", "--flink-master", master));
        assertTrue(err().startsWith("--flink-master must end in a port from 1 to 65535 (HOST:PORT), got '" + master
                + "'"), err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"flink", "flink-local"})
    void stateIsRefusedOnFlinkSayingWhatToDo(String runner) throws Exception {
        String[] args = runner.equals("flink")
                ? new String[] {"run", pgJob("{}"), "--runner", runner, "--flink-master", "jm:8081", "--state", "st"}
                : new String[] {"run", pgJob("{}"), "--runner", runner, "--state", "st"};
        assertEquals(2, sync(args));
        assertTrue(err().startsWith("--state cannot be used with --runner " + runner + ": the Flink runner keeps no "
                + "progress across runs, so a failed run cannot be resumed (within a run, Flink copies again only the "
                + "splits of a failed task that a JDBC target had not committed); run without --state, or with "
                + "--runner local to resume a crashed or failed run from its committed splits"), err());
        assertFalse(Files.exists(dir.resolve("st")), "no state was opened");
    }

    @Test
    void aJobWhoseConnectorsCannotRunOnFlinkIsRefused() throws Exception {
        Path file = dir.resolve("gen.json");
        Files.writeString(file, """
                {"name": "gen", "source": {"connector": "generator", "rows": 10}, "target": {"connector": "blackhole"}}
                """);
        assertEquals(2, sync("run", file.toString(), "--runner", "flink-local"));
        assertTrue(err().contains("source.connector must name a connector whose sources can be planned in one process "
                + "and attached in others to run on Flink; run the job locally instead, got 'generator'"), err());
    }

    @Test
    void aStreamingJobIsRefusedOnFlink() throws Exception {
        Path file = dir.resolve("stream.json");
        Files.writeString(file, """
                {"name": "pg-stream", "mode": "stream",
                 "source": {"connector": "postgresql", "url": "jdbc:postgresql://127.0.0.1:1/test", "username": "root",
                            "tables": ["public.a"]},
                 "target": {"connector": "postgresql", "url": "jdbc:postgresql://127.0.0.1:1/root", "username": "root"}}
                """);
        assertEquals(2, sync("run", file.toString(), "--runner", "flink-local"));
        assertTrue(err().contains("mode must be batch to run on Flink; streaming jobs run locally, got 'stream'"),
                err());
    }

    @Test
    void verifyingOnFlinkIsRefusedWithoutThePassword() throws Exception {
        assertEquals(2, sync("run", pgJob("{\"verify\": true}"), "--runner", "flink-local"));
        assertTrue(err().contains("settings.verify is not supported on Flink yet; run `sync.jar verify JOB.json` "
                + "after the job, got true"), err());
        assertFalse(err().contains("s3cret-pw"), err());
    }

    // ---------------------------------------------------------------- task verbs (operations run in the task ITs)

    private String state() {
        return dir.resolve("state").toString();
    }

    @Test
    void anInvalidTaskFileExitsTwoListingEveryProblemWithThePasswordMasked() throws Exception {
        Path file = dir.resolve("shop.json");
        Files.writeString(file, """
                {"name": "shop", "colour": "blue",
                 "source": {"connector": "postgresql", "url": "jdbc:postgresql://127.0.0.1:1/db", "username": "u",
                            "password": "s3cret-pw", "tables": ["public.orders"], "shade": 1},
                 "target": {"connector": "mariadb", "url": "jdbc:mariadb://127.0.0.1:1/db", "kind": "mirror"},
                 "realtime": "yes"}
                """);
        assertEquals(2, sync("task", "start", file.toString(), "--state", state()));
        String err = err();
        assertTrue(err.startsWith("invalid task ("), err);
        assertTrue(err.contains("colour"), err);
        assertTrue(err.contains("target.kind must be upsert or partitioned"), err);
        assertTrue(err.contains("realtime"), err);
        assertTrue(err.contains("source.shade"), err);
        assertFalse(err.contains("s3cret-pw"), "the password never shows: " + err);
        assertEquals(0, sync("task", "list", "--state", state()));
        assertEquals("", outBytes.toString(StandardCharsets.UTF_8), "nothing was committed");
    }

    @Test
    void operationsOnAnUnknownTaskExitTwoNamingIt() {
        assertEquals(2, sync("task", "status", "nosuch", "--state", state()));
        assertTrue(err().contains("'nosuch'"), err());
        assertEquals(2, sync("task", "rerun", "nosuch", "--state", state()));
        assertEquals(2, sync("task", "stop", "nosuch", "--state", state()));
        assertEquals(2, sync("task", "merge", "nosuch", "--date", "2026-12-01", "--state", state()));
        assertTrue(err().contains("'nosuch'"), err());
        assertEquals(2, sync("task", "backfill", "nosuch", "--date", "2026-12-01", "--state", state()));
        assertTrue(err().contains("'nosuch'"), err());
    }

    @Test
    void taskCommandLineMistakesExitTwo() {
        assertEquals(2, sync("task"));
        assertTrue(err().contains("task needs a verb"), err());
        assertEquals(2, sync("task", "launch", "--state", state()));
        assertTrue(err().contains("unknown task verb 'launch'"), err());
        assertEquals(2, sync("task", "start", "--state", state()));
        assertEquals(2, sync("task", "status", "a", "b", "--state", state()));
        assertEquals(2, sync("task", "merge", "shop", "--state", state()));
        assertTrue(err().contains("task merge needs --date YYYY-MM-DD"), err());
        assertEquals(2, sync("task", "backfill", "shop", "--date", "1 Dec", "--state", state()));
        assertTrue(err().contains("--date must be a date YYYY-MM-DD, got '1 Dec'"), err());
    }
}
