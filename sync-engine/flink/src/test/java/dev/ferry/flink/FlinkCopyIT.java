package dev.ferry.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.SyncEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch jobs on a Flink MiniCluster against the real databases: the same job files as local runs,
 * the same target rows and the same report counts, through failures and cancellation.
 */
class FlinkCopyIT {

    private static final TestDatabase PG = TestDatabase.POSTGRES;
    private static final TestDatabase MDB = TestDatabase.MARIADB;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Map<String, Object>> CSV_COLUMNS = List.of(
            Map.of("name", "id", "type", "int64"),
            Map.of("name", "amount", "type", "decimal"),
            Map.of("name", "day", "type", "date"));
    private final List<Runnable> cleanup = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void reachable() {
        PG.assumeReachable();
        MDB.assumeReachable();
    }

    @AfterEach
    void drop() {
        cleanup.forEach(Runnable::run);
    }

    private String table(TestDatabase db, String prefix, String columns) {
        String name = TestDatabase.uniqueName(prefix);
        cleanup.add(() -> db.execute("DROP TABLE IF EXISTS " + name));
        db.execute("CREATE TABLE " + name + " (" + columns + ")");
        return name;
    }

    /** A job file's text, as a user would write it. */
    static String jobFile(String name, String sourceConnector, Map<String, Object> source, String targetConnector,
                          Map<String, Object> target, Map<String, Object> settings) throws Exception {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("name", name);
        Map<String, Object> s = new LinkedHashMap<>(source);
        s.put("connector", sourceConnector);
        Map<String, Object> t = new LinkedHashMap<>(target);
        t.put("connector", targetConnector);
        job.put("source", s);
        job.put("target", t);
        job.put("settings", settings);
        return JSON.writeValueAsString(job);
    }

    static JobSpec parse(String file) {
        try (SyncEngine engine = SyncEngine.builder().build()) {
            return engine.parseJob(file);
        }
    }

    static JobReport runLocally(String file) {
        try (SyncEngine engine = SyncEngine.builder().build()) {
            return engine.run(engine.parseJob(file));
        }
    }

    private static String checksum(TestDatabase db, String table) {
        return db.rows("SELECT count(*), count(DISTINCT id), sum(id), sum(length(name)), sum(amount) FROM " + table)
                .get(0);
    }

    @Test
    void postgresToMariadbWithSplitPkAtParallelismFour() throws Exception {
        String src = table(PG, "flink_src", "id bigint PRIMARY KEY, name text, amount numeric(12,2)");
        String dst = table(MDB, "flink_dst", "id bigint PRIMARY KEY, name varchar(40), amount decimal(12,2)");
        PG.execute("INSERT INTO " + src + " SELECT g, 'n' || g, g / 3.0 FROM generate_series(1, 50000) g");
        copiesEveryRowAtParallelismFour(PG, "postgresql", src, MDB, "mariadb", dst, 50000, 16);
    }

    @Test
    void mariadbToPostgresWithSplitPkAtParallelismFour() throws Exception {
        String src = table(MDB, "flink_src", "id bigint PRIMARY KEY, name varchar(40), amount decimal(12,2)");
        String dst = table(PG, "flink_dst", "id bigint PRIMARY KEY, name text, amount numeric(12,2)");
        MDB.execute("INSERT INTO " + src + " SELECT seq, CONCAT('n', seq), seq / 3 FROM seq_1_to_40000");
        copiesEveryRowAtParallelismFour(MDB, "mariadb", src, PG, "postgresql", dst, 40000, 12);
    }

    private static void copiesEveryRowAtParallelismFour(TestDatabase from, String sourceConnector, String src,
                                                        TestDatabase to, String targetConnector, String dst, long rows,
                                                        int splits) throws Exception {
        JobSpec spec = parse(jobFile(sourceConnector + "-to-" + targetConnector, sourceConnector, from.options("table",
                src, "splitPk", "id", "splitCount", splits), targetConnector, to.options("table", dst),
                Map.of("concurrency", 4)));

        JobReport report = FlinkRunner.builder().local().build().run(spec);

        assertEquals(JobStatus.SUCCESS, report.status(), report.error());
        assertEquals(rows, report.recordsRead());
        assertEquals(rows, report.recordsWritten());
        assertEquals(splits, report.splits().size());
        assertEquals(4, report.concurrency().actual());
        assertEquals(checksum(from, src), checksum(to, dst));
    }

    /** A job file that says {@code settings.runner} runs on Flink through the engine, as embedders submit jobs. */
    @Test
    void aJobFileWithSettingsRunnerRunsOnFlinkThroughTheEngine() throws Exception {
        String src = table(PG, "flink_src", "id bigint PRIMARY KEY, name text, amount numeric(12,2)");
        String dst = table(PG, "flink_dst", "id bigint PRIMARY KEY, name text, amount numeric(12,2)");
        PG.execute("INSERT INTO " + src + " SELECT g, 'n' || g, g / 3.0 FROM generate_series(1, 20000) g");
        String file = jobFile("settings-runner", "postgresql", PG.options("table", src, "splitPk", "id"), "postgresql",
                PG.options("table", dst), Map.of("concurrency", 2, "runner", "flink-local"));

        try (SyncEngine engine = SyncEngine.builder().build()) {
            JobSpec spec = engine.parseJob(file);
            dev.ferry.api.error.ConfigException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.ferry.api.error.ConfigException.class, () -> engine.submitResumable(spec));
            assertTrue(refused.getMessage().contains("settings.runner"), refused.getMessage());

            JobReport report = engine.run(spec);

            assertEquals(JobStatus.SUCCESS, report.status(), report.error());
            assertEquals("flink", report.resourceGroup(), "the job ran on Flink, not on the engine's channels");
            assertEquals(20000, report.recordsWritten());
        }
        assertEquals(checksum(PG, src), checksum(PG, dst));
    }

    /**
     * Files are the splits; dirty rows are counted on the read side (a value that is not a number)
     * and on the write side (a row the target's check refuses); the local run of the same job file
     * gives the same rows and the same counts.
     */
    @Test
    void filesByFileWithDirtyRowsGiveTheSameRowsAndCountsAsALocalRun() throws Exception {
        for (int f = 0; f < 6; f++) {
            StringBuilder csv = new StringBuilder("id,amount,day\n");
            for (int r = 0; r < 500; r++) {
                int id = f * 1000 + r;
                csv.append(id).append(',').append(r == 7 ? "-1" : id + ".25").append(",2024-01-")
                        .append(String.format("%02d", r % 28 + 1)).append('\n');
            }
            if (f % 2 == 0) {
                csv.append("not-a-number,1.00,2024-02-01\n");
            }
            Files.writeString(dir.resolve("in-" + f + ".csv"), csv.toString());
        }
        String columns = "id bigint PRIMARY KEY, amount numeric(12,2) CHECK (amount >= 0), day date";
        String local = table(PG, "flink_files_local", columns);
        String onFlink = table(PG, "flink_files_flink", columns);
        Map<String, Object> source = Map.of("path", dir + "/in-*.csv", "columns", CSV_COLUMNS);
        Map<String, Object> settings = Map.of("concurrency", 3, "dirtyData", Map.of("maxRecords", 20));

        JobReport localReport = runLocally(jobFile("files", "csv", source, "postgresql", PG.options("table", local),
                settings));
        JobReport flinkReport = FlinkRunner.builder().local().build().run(parse(jobFile("files", "csv", source,
                "postgresql", PG.options("table", onFlink), settings)));

        assertEquals(JobStatus.SUCCESS, localReport.status(), localReport.error());
        assertEquals(JobStatus.SUCCESS, flinkReport.status(), flinkReport.error());
        assertEquals(6 * 500 + 3, flinkReport.recordsRead());
        assertEquals(6 + 3, flinkReport.dirtyRecords(), "3 unreadable ids and 6 refused amounts");
        assertEquals(6 * 500 - 6, flinkReport.recordsWritten());
        assertEquals(6, flinkReport.splits().size());
        assertEquals(localReport.recordsRead(), flinkReport.recordsRead());
        assertEquals(localReport.recordsWritten(), flinkReport.recordsWritten());
        assertEquals(localReport.dirtyRecords(), flinkReport.dirtyRecords());
        assertEquals(localReport.bytes(), flinkReport.bytes());
        assertEquals(localReport.splits().stream().mapToLong(JobReport.SplitReport::records).sum(),
                flinkReport.splits().stream().mapToLong(JobReport.SplitReport::records).sum());
        assertEquals(PG.rows("SELECT id, amount, day FROM " + local + " ORDER BY id"),
                PG.rows("SELECT id, amount, day FROM " + onFlink + " ORDER BY id"));
        assertTrue(flinkReport.dirtySamples().stream().anyMatch(d -> d.side().equals("write")),
                flinkReport.dirtySamples().toString());
        assertTrue(flinkReport.dirtySamples().stream().anyMatch(d -> d.side().equals("read")),
                flinkReport.dirtySamples().toString());
    }

    @Test
    void dirtyRowsBeyondTheLimitFailTheJobWithoutRestarts() throws Exception {
        StringBuilder csv = new StringBuilder("id,amount,day\n");
        for (int r = 0; r < 100; r++) {
            csv.append(r % 10 == 0 ? "bad" : Integer.toString(r)).append(",1.00,2024-01-01\n");
        }
        Files.writeString(dir.resolve("dirty.csv"), csv.toString());
        String dst = table(PG, "flink_dirty", "id bigint PRIMARY KEY, amount numeric(12,2), day date");

        JobReport report = FlinkRunner.builder().local().build().run(parse(jobFile("dirty", "csv",
                Map.of("path", dir + "/dirty.csv", "columns", CSV_COLUMNS), "postgresql", PG.options("table", dst),
                Map.of("concurrency", 2, "dirtyData", Map.of("maxRecords", 5)))));

        assertEquals(JobStatus.FAILED, report.status());
        assertTrue(report.error().contains("settings.dirtyData.maxRecords (5)"), report.error());
        assertEquals(dev.ferry.api.job.Stage.SYNC, report.failedStage());
        assertTrue(report.dirtyRecords() > 5, "the report counts the dirty records that failed the job: "
                + report.dirtyRecords());
        assertTrue(report.recordsRead() >= report.dirtyRecords(), report.toString());
        assertTrue(report.dirtySamples().stream().allMatch(d -> d.side().equals("read")), report.dirtySamples()
                .toString());
    }

    /**
     * The job's rate limit is one budget for all parallel readers: 60,000 rows at 20,000 records/s
     * take at least about three seconds at parallelism 3 (a reader each with the whole budget would
     * take one). A lower bound only, which load cannot break.
     */
    @Test
    void theRateLimitIsOneBudgetForEveryParallelReader() throws Exception {
        String src = table(PG, "flink_src", "id bigint PRIMARY KEY, name text, amount numeric(12,2)");
        String dst = table(PG, "flink_dst", "id bigint PRIMARY KEY, name text, amount numeric(12,2)");
        PG.execute("INSERT INTO " + src + " SELECT g, 'n' || g, g / 3.0 FROM generate_series(1, 60000) g");
        JobSpec spec = parse(jobFile("rate", "postgresql", PG.options("table", src, "splitPk", "id", "splitCount", 6),
                "postgresql", PG.options("table", dst), Map.of("concurrency", 3,
                        "rateLimit", Map.of("recordsPerSecond", 20000))));

        JobReport report = FlinkRunner.builder().local().build().run(spec);

        assertEquals(JobStatus.SUCCESS, report.status(), report.error());
        long syncMillis = report.stages().stream().filter(s -> s.name() == dev.ferry.api.job.Stage.SYNC)
                .mapToLong(JobReport.StageTiming::durationMillis).sum();
        assertTrue(syncMillis >= 2400, "60,000 rows at 20,000/s took " + syncMillis + " ms");
        assertEquals(60000, report.recordsWritten());
    }

    /** Planning fails on the JobManager: the job fails without restarts, and the report names PRE and why. */
    @Test
    void aSourceTableThatDoesNotExistFailsTheJobInPre() throws Exception {
        String missing = TestDatabase.uniqueName("flink_missing");
        String dst = table(PG, "flink_dst", "id bigint PRIMARY KEY, name text");
        JobSpec spec = parse(jobFile("missing-table", "postgresql", PG.options("table", missing, "splitPk", "id"),
                "postgresql", PG.options("table", dst), Map.of("concurrency", 2)));

        JobReport report = FlinkRunner.builder().local().build().run(spec);

        assertEquals(JobStatus.FAILED, report.status());
        assertEquals(dev.ferry.api.job.Stage.PRE, report.failedStage(), report.error());
        assertTrue(report.error().contains(missing), report.error());
    }

    /**
     * A reader's connection is killed in the middle of a split: Flink restarts that task, the
     * enumerator hands out again only the splits the target's ledger does not hold, and the target
     * (no primary key, so a duplicate would stay) ends with every row once.
     */
    @Test
    void aReaderKilledMidSplitIsRestartedAndTheTargetHasNoDuplicatesAndNoGaps() throws Exception {
        String src = table(PG, "flink_kill_src", "id bigint PRIMARY KEY, name text, amount numeric(12,2)");
        String dst = table(PG, "flink_kill_dst", "id bigint, name text, amount numeric(12,2)");
        PG.execute("INSERT INTO " + src + " SELECT g, 'n' || g, g / 3.0 FROM generate_series(1, 200000) g");
        JobSpec spec = parse(jobFile("kill-reader", "postgresql", PG.options("table", src, "splitPk", "id",
                "splitCount", 8), "postgresql", PG.options("table", dst), Map.of("concurrency", 2,
                "rateLimit", Map.of("recordsPerSecond", 40000), "retry", Map.of("maxAttempts", 4, "backoffMillis", 100))));

        FlinkRun run = FlinkRunner.builder().local().build().submit(spec);
        awaitRows(dst, 20000);
        List<String> killed = PG.rows("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
                + "pg_backend_pid() AND state <> 'idle' AND query ILIKE '%from%" + src + "%' AND query NOT ILIKE "
                + "'%pg_terminate_backend%' LIMIT 1");
        JobReport report = run.await();

        assertEquals(List.of("t"), killed, "one reader's connection was killed mid-split");
        assertEquals(JobStatus.SUCCESS, report.status(), report.error());
        assertEquals("200000|200000", PG.rows("SELECT count(*), count(DISTINCT id) FROM " + dst).get(0));
        assertEquals(checksum(PG, src), checksum(PG, dst));
    }

    @Test
    void aJobCancelledFromFlinkEndsCancelled() throws Exception {
        String src = table(PG, "flink_cancel_src", "id bigint PRIMARY KEY, name text, amount numeric(12,2)");
        String dst = table(PG, "flink_cancel_dst", "id bigint, name text, amount numeric(12,2)");
        PG.execute("INSERT INTO " + src + " SELECT g, 'n' || g, g / 3.0 FROM generate_series(1, 100000) g");
        JobSpec spec = parse(jobFile("cancel", "postgresql", PG.options("table", src, "splitPk", "id"), "postgresql",
                PG.options("table", dst), Map.of("concurrency", 2, "rateLimit", Map.of("recordsPerSecond", 5000))));

        org.apache.flink.configuration.Configuration heartbeats = new org.apache.flink.configuration.Configuration();
        heartbeats.set(org.apache.flink.configuration.HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofMillis(300));
        FlinkRun run = FlinkRunner.builder().local().configuration(heartbeats).build().submit(spec);
        awaitRows(dst, 1000);
        // While it runs, progress shows the records the tasks passed on, as Flink collects them.
        long progressDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (run.progress().recordsRead() == 0) {
            assertTrue(System.nanoTime() < progressDeadline, "no progress was reported while the job ran");
            Thread.sleep(50);
        }
        run.cancel();
        JobReport report = run.await();

        assertEquals(JobStatus.CANCELLED, report.status(), report.error());
        assertTrue(PG.queryLong("SELECT count(*) FROM " + dst) < 100000, "cancelled before the end");
        // The enumerator closes as the job ends: the ledger entries of the splits committed go with it.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (PG.queryLong("SELECT count(*) FROM ferry_split_ledger WHERE split_id LIKE '" + src + "[%'") > 0) {
            assertTrue(System.nanoTime() < deadline, "the cancelled run's ledger entries were not removed");
            Thread.sleep(20);
        }
    }

    /** Waits (polling the database, which has no event to wait on) until the target holds {@code rows}. */
    private static void awaitRows(String table, long rows) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (PG.queryLong("SELECT count(*) FROM " + table) < rows) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(table + " did not reach " + rows + " rows in 60 s");
            }
            Thread.sleep(20);
        }
    }
}
