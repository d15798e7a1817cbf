package dev.ferry.cli;

import static dev.ferry.cli.StreamJar.MARIADB_SOURCE;
import static dev.ferry.cli.StreamJar.POSTGRES_SOURCE;
import static dev.ferry.cli.StreamJar.POSTGRES_TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One source transaction that updates 2,000,000 rows, streamed by the packaged {@code sync.jar}
 * in a JVM with a 256 MB heap (which ends at once on an OutOfMemoryError): the changes of a
 * transaction must flow through the bounded channels and be applied while the transaction is
 * still being read, never gathered whole. The target must then equal the source row for row,
 * and the process must stop cleanly on SIGTERM. PostgreSQL and MariaDB sources, PostgreSQL target.
 */
class StreamBigTransactionIT {

    private static final int ROWS = 2_000_000;
    private static final String[] JVM = {"-Xmx256m", "-XX:+ExitOnOutOfMemoryError"};

    @TempDir
    Path dir;

    private final String table = StreamJar.uniqueName("bigtx");
    private final String job = table + "_job";
    private String sourceUrl;

    @AfterEach
    void tearDown() {
        if (POSTGRES_SOURCE.equals(sourceUrl)) {
            StreamJar.dropSlot(POSTGRES_SOURCE, "ferry_" + job);
        }
        if (sourceUrl != null) {
            StreamJar.execute(sourceUrl, "DROP TABLE IF EXISTS " + table);
        }
        StreamJar.execute(POSTGRES_TARGET, "DROP TABLE IF EXISTS " + table);
    }

    @Test
    void postgresqlToPostgresql() throws Exception {
        StreamJar.assumeReachable(POSTGRES_SOURCE);
        sourceUrl = POSTGRES_SOURCE;
        StreamJar.execute(POSTGRES_SOURCE, "CREATE TABLE " + table + " (id bigint PRIMARY KEY, v int NOT NULL)",
                "INSERT INTO " + table + " SELECT g, 0 FROM generate_series(1, " + ROWS + ") g");
        streamOneBigTransaction("postgresql", "public." + table,
                ", \"heartbeatIntervalMillis\": 200",
                "BEGIN; UPDATE " + table + " SET v = v + 1; DELETE FROM " + table + " WHERE id % 100000 = 0; INSERT INTO "
                        + table + " SELECT g, 7 FROM generate_series(" + (ROWS + 1) + ", " + (ROWS + 100) + ") g; COMMIT");
    }

    @Test
    void mariadbToPostgresql() throws Exception {
        StreamJar.assumeReachable(MARIADB_SOURCE);
        StreamJar.assumeReachable(POSTGRES_TARGET);
        sourceUrl = MARIADB_SOURCE;
        StreamJar.execute(MARIADB_SOURCE, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v INT NOT NULL)",
                "INSERT INTO " + table + " SELECT seq, 0 FROM seq_1_to_" + ROWS);
        streamOneBigTransaction("mariadb", "test." + table, "",
                "BEGIN; UPDATE " + table + " SET v = v + 1; DELETE FROM " + table + " WHERE id % 100000 = 0; INSERT INTO "
                        + table + " SELECT seq, 7 FROM seq_" + (ROWS + 1) + "_to_" + (ROWS + 100) + "; COMMIT");
    }

    /**
     * With the target holding the same rows as the source, starts a stream from the latest
     * position, runs {@code transaction} on the source and waits until the target equals it.
     */
    private void streamOneBigTransaction(String connector, String sourceTable, String capture, String transaction)
            throws Exception {
        StreamJar.execute(POSTGRES_TARGET, "CREATE TABLE " + table + " (id bigint PRIMARY KEY, v int NOT NULL)",
                "INSERT INTO " + table + " SELECT g, 0 FROM generate_series(1, " + ROWS + ") g");
        Path jobFile = dir.resolve("stream.json");
        Files.writeString(jobFile, """
                {"name": "%s", "mode": "stream",
                 "source": {"connector": "%s", "url": "%s", "username": "root", "tables": ["%s"],
                            "capture": {"startFrom": "latest"%s}},
                 "target": {"connector": "postgresql", "url": "%s", "username": "root"},
                 "settings": {"concurrency": 2, "progressIntervalMillis": 5000,
                              "stream": {"checkpointIntervalMillis": 200}}}
                """.formatted(job, connector, sourceUrl, sourceTable, capture, POSTGRES_TARGET));
        Path log = dir.resolve("sync.log");
        Process sync = StreamJar.start(jobFile, dir.resolve("state"), log, JVM);
        try {
            StreamJar.awaitLog(sync, log, 60, "stage STREAM started");
            long started = System.nanoTime();
            StreamJar.execute(sourceUrl, transaction.split("; "));
            long committed = System.nanoTime();
            long expected = ROWS - ROWS / 100_000 + 100;
            assertEquals(expected, StreamJar.queryLong(sourceUrl, "SELECT count(*) FROM " + table));
            // Cheap to poll: how many target rows carry the transaction's values.
            StreamJar.await(sync, log, 240, "the 2 M-row transaction applied", () -> StreamJar.queryLong(POSTGRES_TARGET,
                    "SELECT count(*) FROM " + table + " WHERE v IN (1, 7)") == expected
                    && StreamJar.queryLong(POSTGRES_TARGET, "SELECT count(*) FROM " + table) == expected);
            System.out.printf("%s: the transaction ran for %d s at the source and was applied %d s after its commit%n",
                    connector, TimeUnit.NANOSECONDS.toSeconds(committed - started),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - committed));
            assertSameRows(sourceUrl, POSTGRES_TARGET);
            sync.destroy();
            assertTrue(sync.waitFor(60, TimeUnit.SECONDS), "SIGTERM stops the stream");
        } finally {
            sync.destroyForcibly();
        }
        String output = Files.readString(log);
        assertFalse(output.contains("OutOfMemoryError"), output);
        assertEquals(0, sync.exitValue(), output);
        assertTrue(output.contains("RUNNING -> STOPPED"), output);
    }

    /** Reads both tables in key order side by side and fails at the first difference. */
    private void assertSameRows(String sourceUrl, String targetUrl) throws SQLException {
        try (Connection s = DriverManager.getConnection(sourceUrl, "root", "");
             Connection t = DriverManager.getConnection(targetUrl, "root", "")) {
            s.setAutoCommit(false);
            t.setAutoCommit(false);
            try (Statement ss = s.createStatement(); Statement ts = t.createStatement()) {
                ss.setFetchSize(10_000);
                ts.setFetchSize(10_000);
                try (ResultSet a = ss.executeQuery("SELECT id, v FROM " + table + " ORDER BY id");
                     ResultSet b = ts.executeQuery("SELECT id, v FROM " + table + " ORDER BY id")) {
                    long rows = 0;
                    while (true) {
                        boolean more = a.next();
                        assertEquals(more, b.next(), "row counts differ after " + rows + " rows");
                        if (!more) {
                            break;
                        }
                        rows++;
                        if (a.getLong(1) != b.getLong(1) || a.getInt(2) != b.getInt(2)) {
                            fail("row " + rows + " differs: source (" + a.getLong(1) + ", " + a.getInt(2) + "), target ("
                                    + b.getLong(1) + ", " + b.getInt(2) + ")");
                        }
                    }
                    assertEquals(ROWS - ROWS / 100_000 + 100, rows);
                }
            }
        }
    }
}
