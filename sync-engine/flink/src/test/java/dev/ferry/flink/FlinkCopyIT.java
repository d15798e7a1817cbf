package dev.ferry.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.SyncEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batch jobs on a Flink MiniCluster against the real databases. */
class FlinkCopyIT {

    private static final TestDatabase PG = TestDatabase.POSTGRES;
    private static final TestDatabase MDB = TestDatabase.MARIADB;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Runnable> cleanup = new ArrayList<>();

    @BeforeEach
    void reachable() {
        PG.assumeReachable();
        MDB.assumeReachable();
    }

    @AfterEach
    void drop() {
        cleanup.forEach(Runnable::run);
    }

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

    @Test
    void postgresToMariadbWithSplitPkAtParallelismFour() throws Exception {
        String src = TestDatabase.uniqueName("flink_src");
        String dst = TestDatabase.uniqueName("flink_dst");
        cleanup.add(() -> PG.execute("DROP TABLE IF EXISTS " + src));
        cleanup.add(() -> MDB.execute("DROP TABLE IF EXISTS " + dst));
        PG.execute("CREATE TABLE " + src + " (id bigint PRIMARY KEY, name text, amount numeric(12,2))",
                "INSERT INTO " + src + " SELECT g, 'n' || g, g / 3.0 FROM generate_series(1, 50000) g");
        MDB.execute("CREATE TABLE " + dst + " (id bigint PRIMARY KEY, name varchar(40), amount decimal(12,2))");
        String file = jobFile("pg-to-mariadb", "postgresql", PG.options("table", src, "splitPk", "id", "splitCount", 16),
                "mariadb", MDB.options("table", dst), Map.of("concurrency", 4));
        JobSpec spec;
        try (SyncEngine engine = SyncEngine.builder().build()) {
            spec = engine.parseJob(file);
        }
        JobReport report = FlinkRunner.builder().local().build().run(spec);
        assertEquals(JobStatus.SUCCESS, report.status(), report.error());
        assertEquals(50000, report.recordsRead());
        assertEquals(50000, report.recordsWritten());
        assertEquals(50000, MDB.queryLong("SELECT count(*) FROM " + dst));
        assertEquals(PG.queryLong("SELECT sum(id * 7 + length(name)) FROM " + src),
                MDB.queryLong("SELECT sum(id * 7 + length(name)) FROM " + dst));
    }
}
