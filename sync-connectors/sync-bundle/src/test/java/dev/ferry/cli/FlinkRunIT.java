package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code run JOB.json --runner flink|flink-local}: a PostgreSQL table copied with {@code splitPk}
 * into another PostgreSQL database by Flink, with the summary, report and exit code of a local run.
 * The cluster is a MiniCluster of this JVM reached through its REST endpoint; the command runs in
 * this JVM ({@link Main#run}) with Flink on its class path, and as a user runs it: the packaged
 * {@code sync.jar} with {@code FLINK_HOME}, shipping itself to the cluster, stopped by SIGTERM.
 */
class FlinkRunIT {

    private static final int ROWS = 40_000;
    private static final int SPLITS = 8;
    private static final Pattern FLINK_JOB = Pattern.compile("as Flink job ([0-9a-f]{32})");

    /**
     * A cluster with a REST endpoint, started as such rather than through flink-test-utils'
     * extension, whose test context would stop the command from creating its own environment.
     */
    private static MiniCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf).setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(4).build());
        cluster.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @TempDir
    Path dir;

    private final List<Runnable> cleanup = new ArrayList<>();

    @AfterEach
    void dropWhatWasCreated() {
        cleanup.forEach(Runnable::run);
    }

    private static String master() throws Exception {
        return "localhost:" + cluster.getRestAddress().get().getPort();
    }

    /** A source table of {@link #ROWS} rows and an empty target table of the same name. */
    private String tables() {
        StreamJar.assumeReachable(StreamJar.POSTGRES_SOURCE);
        StreamJar.assumeReachable(StreamJar.POSTGRES_TARGET);
        String table = StreamJar.uniqueName("flink_cli");
        cleanup.add(() -> StreamJar.execute(StreamJar.POSTGRES_SOURCE, "DROP TABLE IF EXISTS " + table));
        cleanup.add(() -> StreamJar.execute(StreamJar.POSTGRES_TARGET, "DROP TABLE IF EXISTS " + table));
        StreamJar.execute(StreamJar.POSTGRES_SOURCE,
                "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name TEXT NOT NULL, amount NUMERIC(12,2))",
                "INSERT INTO " + table + " SELECT g, 'name ' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE g / 7.0 END "
                        + "FROM generate_series(1, " + ROWS + ") g");
        StreamJar.execute(StreamJar.POSTGRES_TARGET,
                "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name TEXT NOT NULL, amount NUMERIC(12,2))");
        return table;
    }

    /** The job file copying {@code table}; {@code settings} is its settings block. */
    private Path job(String table, String settings) throws Exception {
        return Files.writeString(dir.resolve("job.json"), """
                {"name": "%s",
                 "source": {"connector": "postgresql", "url": "%s", "username": "root", "table": "%s",
                            "splitPk": "id", "splitCount": %d},
                 "target": {"connector": "postgresql", "url": "%s", "username": "root", "table": "%s"},
                 "settings": %s}
                """.formatted(table, StreamJar.POSTGRES_SOURCE, table, SPLITS, StreamJar.POSTGRES_TARGET, table,
                settings));
    }

    /** An order-independent checksum of every value of the table. */
    private static long checksum(String url, String table) {
        return StreamJar.queryLong(url, "SELECT coalesce(sum(('x' || substr(md5(id || '|' || name || '|' || "
                + "coalesce(amount::text, 'null')), 1, 8))::bit(32)::bigint), 0) FROM " + table);
    }

    /** Every row copied once, the summary printed and the report written as a local run does. */
    private static void assertCopied(String table, String output, Path report) throws Exception {
        assertEquals(ROWS, StreamJar.queryLong(StreamJar.POSTGRES_TARGET, "SELECT count(*) FROM " + table));
        assertEquals(checksum(StreamJar.POSTGRES_SOURCE, table), checksum(StreamJar.POSTGRES_TARGET, table));
        assertTrue(output.lines().anyMatch(line -> line.strip().equals("Dirty data: 0R")), output);
        assertTrue(output.contains("Records written : 40,000"), output);
        assertTrue(output.contains("Report written to " + report), output);
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertEquals("SUCCESS", json.get("status").asText());
        assertEquals(ROWS, json.get("recordsRead").asLong());
        assertEquals(ROWS, json.get("recordsWritten").asLong());
        assertEquals(0, json.get("dirtyRecords").asLong());
        assertEquals(SPLITS, json.get("splits").size(), json.toPrettyString());
        long splitRecords = 0;
        for (JsonNode split : json.get("splits")) {
            splitRecords += split.get("records").asLong();
        }
        assertEquals(ROWS, splitRecords);
        assertEquals(4, json.get("concurrency").get("actual").asInt());
    }

    @ParameterizedTest(name = "--runner {0}")
    @ValueSource(strings = {"flink", "flink-local"})
    void aSplitCopyRunsOnFlinkAndReportsLikeALocalRun(String runner) throws Exception {
        String table = tables();
        Path report = dir.resolve("report.json");
        List<String> args = new ArrayList<>(List.of("run", job(table, "{\"concurrency\": 4}").toString(), "--runner",
                runner, "--report", report.toString()));
        if (runner.equals("flink")) {
            args.addAll(List.of("--flink-master", master()));
        }
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

        int exitCode = Main.run(args.toArray(String[]::new), new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));

        String out = outBytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, exitCode, out + errBytes.toString(StandardCharsets.UTF_8));
        String where = runner.equals("flink") ? "the Flink cluster at " + master() : "a Flink MiniCluster in this process";
        assertTrue(out.contains("Job '" + table + "' runs on " + where + " as Flink job "), out);
        assertCopied(table, out, report);
    }

    /** Without the flags, the job file's settings.runner sends the job to the cluster it names. */
    @Test
    void aJobFileWithSettingsRunnerRunsOnFlinkWithoutTheFlags() throws Exception {
        String table = tables();
        Path report = dir.resolve("report.json");
        Path file = job(table, "{\"concurrency\": 4, \"runner\": \"flink\", \"flinkMaster\": \"" + master() + "\"}");
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

        int exitCode = Main.run(new String[] {"run", file.toString(), "--report", report.toString()},
                new PrintStream(outBytes, true, StandardCharsets.UTF_8), new PrintStream(errBytes, true,
                        StandardCharsets.UTF_8));

        String out = outBytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, exitCode, out + errBytes.toString(StandardCharsets.UTF_8));
        assertTrue(out.contains("Job '" + table + "' runs on the Flink cluster at " + master() + " as Flink job "), out);
        assertCopied(table, out, report);
    }

    /**
     * A Flink distribution's stand-in: a lib/ of this test's jars (Flink and what it needs) that
     * holds a flink-dist-2.x jar, as FLINK_HOME names it.
     */
    private Path flinkHome() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("flink/lib"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(jar) && !entry.contains(File.separator + "target"
                    + File.separator)) {
                Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        Path flinkJar = Path.of(StreamExecutionEnvironment.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        Files.createSymbolicLink(lib.resolve("flink-dist-2.3.0.jar"), flinkJar);
        return lib.getParent();
    }

    /** Starts {@code FLINK_HOME=… java -jar sync.jar run JOB --runner flink --flink-master … --report …}. */
    private Process syncJarOnTheCluster(Path job, Path report, Path log) throws Exception {
        return StreamJar.sync(log, Map.of("FLINK_HOME", flinkHome().toString()), "run", job.toString(), "--runner",
                "flink", "--flink-master", master(), "--report", report.toString());
    }

    @Test
    void syncJarFindsFlinkThroughFlinkHomeAndShipsItselfToTheCluster() throws Exception {
        String table = tables();
        Path report = dir.resolve("report.json");
        Path log = dir.resolve("sync.log");
        Process sync = syncJarOnTheCluster(job(table, "{\"concurrency\": 4}"), report, log);
        assertTrue(sync.waitFor(180, TimeUnit.SECONDS), "sync did not end:\n" + Files.readString(log));
        String output = Files.readString(log);
        assertEquals(0, sync.exitValue(), output);
        assertCopied(table, output, report);
    }

    @Test
    void sigtermCancelsTheFlinkJob() throws Exception {
        String table = tables();
        // the ledger entries of a cancelled job's committed splits go when its enumerator closes; in case it did not
        cleanup.add(() -> StreamJar.execute(StreamJar.POSTGRES_TARGET, "DO $$ BEGIN IF to_regclass('ferry_split_ledger') "
                + "IS NOT NULL THEN DELETE FROM ferry_split_ledger WHERE split_id LIKE '" + table + "[%'; END IF; END $$"));
        Path report = dir.resolve("report.json");
        Path log = dir.resolve("sync.log");
        Process sync = syncJarOnTheCluster(job(table, "{\"concurrency\": 2, \"rateLimit\": {\"recordsPerSecond\": "
                + "2000}}"), report, log);
        StreamJar.await(sync, log, 120, "rows in the target", () ->
                StreamJar.queryLong(StreamJar.POSTGRES_TARGET, "SELECT count(*) FROM " + table) > 0);
        Matcher flinkJob = FLINK_JOB.matcher(Files.readString(log));
        assertTrue(flinkJob.find(), Files.readString(log));

        sync.destroy();

        assertTrue(sync.waitFor(60, TimeUnit.SECONDS), "sync did not end:\n" + Files.readString(log));
        String output = Files.readString(log);
        assertEquals(1, sync.exitValue(), output);
        assertEquals(JobStatus.CANCELED, cluster.getJobStatus(JobID.fromHexString(flinkJob.group(1))).get(), output);
        assertTrue(output.contains("Job '" + table + "' CANCELLED"), output);
        assertEquals("CANCELLED", new ObjectMapper().readTree(report.toFile()).get("status").asText());
        assertTrue(StreamJar.queryLong(StreamJar.POSTGRES_TARGET, "SELECT count(*) FROM " + table) < ROWS,
                "the copy stopped before its end");
    }
}
