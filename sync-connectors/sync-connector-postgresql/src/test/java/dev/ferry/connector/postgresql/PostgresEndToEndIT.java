package dev.ferry.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.RetryPolicy;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.SyncEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole jobs through {@link SyncEngine} into PostgreSQL: from PostgreSQL, H2 and CSV. */
class PostgresEndToEndIT {

    private static final TestDatabase PG = TestDatabase.POSTGRES;
    private final List<String> tables = new ArrayList<>();

    @BeforeEach
    void reachable() {
        PG.assumeReachable();
    }

    @AfterEach
    void drop() {
        for (String table : tables) {
            PG.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    private String table(String prefix, String columns) {
        String name = TestDatabase.uniqueName(prefix);
        tables.add(name);
        PG.execute("CREATE TABLE " + name + " (" + columns + ")");
        return name;
    }

    private static final String TYPES = "id bigint primary key, i int, n numeric(12,3), f double precision, "
            + "s varchar(40), t text, b boolean, d date, tm time, ts timestamp, tz timestamptz, by bytea, j jsonb, u uuid";

    private static String checksum(String table) {
        return "SELECT md5(string_agg(x::text, '|' ORDER BY x.id)) FROM " + table + " x";
    }

    private String md5(String table) {
        try (var c = PG.connect(); var s = c.createStatement(); var rs = s.executeQuery(checksum(table))) {
            rs.next();
            return rs.getString(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void postgresToPostgresCopiesEveryTypeInParallel() {
        String src = table("e2e_src", TYPES);
        String dst = table("e2e_dst", TYPES);
        PG.execute("INSERT INTO " + src + " SELECT n, n::int % 1000, n / 7.0, n * 1.5, 'row ' || n || E'\\t\\\\x', "
                + "repeat('é', (n % 5)::int) || E'\\n', n % 2 = 0, DATE '2020-01-01' + (n % 1000)::int, "
                + "TIME '10:00' + n * INTERVAL '1 second', TIMESTAMP '2020-01-01' + n * INTERVAL '1 minute', "
                + "TIMESTAMPTZ '2020-01-01 00:00+05' + n * INTERVAL '1 minute', decode(lpad(to_hex(n), 8, '0'), 'hex'), "
                + "jsonb_build_object('n', n, 's', 'x\"y'), md5(n::text)::uuid FROM generate_series(1, 20000) n",
                "INSERT INTO " + src + " (id) VALUES (0)");
        try (SyncEngine engine = SyncEngine.builder().build()) {
            JobReport report = engine.newJob("pg-to-pg")
                    .source("postgresql", PG.options("table", src, "splitPk", "id"))
                    .target("postgresql", PG.options("table", dst))
                    .concurrency(4)
                    .run();
            assertTrue(report.isSuccess(), report.error());
            assertEquals(20_001, report.recordsWritten());
            assertTrue(report.splits().size() > 4, report.splits().toString());
        }
        assertEquals(md5(src), md5(dst));
    }

    @Test
    void h2ToPostgres() throws Exception {
        String url = "jdbc:h2:mem:e2e_h2_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        try (var c = java.sql.DriverManager.getConnection(url, "sa", ""); var s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(64), amount DECIMAL(12,2), "
                    + "created TIMESTAMP, zoned TIMESTAMP WITH TIME ZONE)");
            s.execute("INSERT INTO orders SELECT X, 'c' || X, X / 100.0, DATEADD('SECOND', X, TIMESTAMP '2026-01-01 00:00:00'), "
                    + "DATEADD('SECOND', X, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+03:00') FROM SYSTEM_RANGE(1, 5000)");
            String dst = table("e2e_h2dst", "id bigint primary key, customer varchar(64), amount numeric(12,2), "
                    + "created timestamp, zoned timestamptz");
            try (SyncEngine engine = SyncEngine.builder().build()) {
                JobReport report = engine.newJob("h2-to-pg")
                        .source("h2", Map.of("url", url, "username", "sa", "table", "orders", "splitPk", "id"))
                        .target("postgresql", PG.options("table", dst))
                        .concurrency(3)
                        .run();
                assertTrue(report.isSuccess(), report.error());
            }
            assertEquals(5000, PG.queryLong("SELECT COUNT(*) FROM " + dst));
            assertEquals(5000 * 5001 / 2, PG.queryLong("SELECT SUM(amount * 100) FROM " + dst));
            assertEquals(1, PG.queryLong("SELECT COUNT(*) FROM " + dst + " WHERE id = 1 AND created = TIMESTAMP "
                    + "'2026-01-01 00:00:01' AND zoned = TIMESTAMPTZ '2025-12-31 21:00:01+00'"));
        }
    }

    @Test
    void csvToPostgresParsesTextAndReportsBadRows(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("orders.csv");
        StringBuilder text = new StringBuilder("id,name,amount,day\n");
        for (int i = 1; i <= 1000; i++) {
            text.append(i).append(",\"name, ").append(i).append("\",").append(i).append(".25,2024-01-")
                    .append(i == 500 ? "32" : String.format("%02d", i % 28 + 1)).append('\n');
        }
        Files.writeString(csv, text);
        String dst = table("e2e_csv", "id bigint primary key, name varchar(20), amount numeric(10,2), day date");
        try (SyncEngine engine = SyncEngine.builder().build()) {
            JobReport report = engine.newJob("csv-to-pg")
                    .source("csv", Map.of("path", csv.toString()))
                    .target("postgresql", PG.options("table", dst))
                    .concurrency(2)
                    .run();
            assertTrue(report.isSuccess(), report.error());
            assertEquals(999, report.recordsWritten());
            assertEquals(1, report.dirtyRecords());
            assertTrue(report.dirtySamples().get(0).toString().contains("2024-01-32"), report.dirtySamples().toString());
        }
        assertEquals(999, PG.queryLong("SELECT COUNT(*) FROM " + dst));
        assertEquals(0, PG.queryLong("SELECT COUNT(*) FROM " + dst + " WHERE id = 500"));
        assertEquals(1, PG.queryLong("SELECT COUNT(*) FROM " + dst + " WHERE id = 7 AND name = 'name, 7' AND amount = 7.25"));
    }

    @Test
    void consistentCopyIsAPointInTimeCopyWhileTheSourceIsWritten() throws Exception {
        String src = table("e2e_cons_src", "id bigint primary key, v bigint not null");
        String dst = table("e2e_cons_dst", "id bigint primary key, v bigint not null");
        PG.execute("INSERT INTO " + src + " SELECT n, 0 FROM generate_series(1, 20000) n");
        CompletableFuture<Void> writer;
        JobReport report;
        try (SyncEngine engine = SyncEngine.builder().build()) {
            var handle = engine.newJob("consistent")
                    .source("postgresql", PG.options("table", src, "splitPk", "id", "consistent", true, "fetchSize", 500))
                    .target("postgresql", PG.options("table", dst))
                    .concurrency(4)
                    .rateLimit(8_000, 0)
                    .submit();
            java.util.concurrent.atomic.AtomicInteger roundsDuringCopy = new java.util.concurrent.atomic.AtomicInteger();
            writer = CompletableFuture.runAsync(() -> {
                // Start writing once rows arrive in the target: the snapshot was exported in PRE, before.
                while (PG.queryLong("SELECT COUNT(*) FROM " + dst) == 0 && !handle.completion().isDone()) {
                    Thread.onSpinWait();
                }
                for (int round = 1; round <= 10; round++) {
                    PG.execute("UPDATE " + src + " SET v = " + round + " WHERE id % 10 = " + (round % 10),
                            "DELETE FROM " + src + " WHERE id = " + round * 1000,
                            "INSERT INTO " + src + " VALUES (" + (100_000 + round) + ", " + round + ")");
                    if (!handle.completion().isDone()) {
                        roundsDuringCopy.incrementAndGet();
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            report = handle.await();
            writer.get();
            assertTrue(roundsDuringCopy.get() >= 2, "the source was written during the copy: " + roundsDuringCopy.get());
        }
        assertTrue(report.isSuccess(), report.error());
        assertEquals(20_000, PG.queryLong("SELECT COUNT(*) FROM " + dst));
        assertEquals(0, PG.queryLong("SELECT COALESCE(SUM(v), 0) FROM " + dst));
        assertTrue(PG.queryLong("SELECT SUM(v) FROM " + src) > 0, "the source really changed during the copy");
    }

    @Test
    void killedTargetConnectionsAreRetriedWithoutDuplicatesOrGaps() {
        String src = table("e2e_kill_src", "id bigint primary key, v text");
        // No primary key on the target: a duplicate would show instead of failing.
        String dst = table("e2e_kill_dst", "id bigint, v text");
        PG.execute("INSERT INTO " + src + " SELECT n, 'value ' || n FROM generate_series(1, 100000) n");
        String application = TestDatabase.uniqueName("ferry_kill");
        KillingSourceConnector.KILLED.set(0);
        try (SyncEngine engine = SyncEngine.builder().connector(new KillingSourceConnector()).build()) {
            JobReport report = engine.newJob("kill")
                    .source("pg-killing", PG.options("table", src, "splitPk", "id", "killAfterRows", 40_000,
                            "killApplicationName", application))
                    .target("postgresql", PG.options("table", dst, "url", PG.url() + "?ApplicationName=" + application,
                            "batchSize", 500))
                    .concurrency(2)
                    .retry(new RetryPolicy(3, 100))
                    .run();
            assertTrue(report.isSuccess(), report.error());
        }
        assertTrue(KillingSourceConnector.KILLED.get() >= 1, "a target session was killed");
        assertEquals(100_000, PG.queryLong("SELECT COUNT(*) FROM " + dst));
        assertEquals(100_000, PG.queryLong("SELECT COUNT(DISTINCT id) FROM " + dst));
        assertEquals(100_000L * 100_001 / 2, PG.queryLong("SELECT SUM(id) FROM " + dst));
    }
}
