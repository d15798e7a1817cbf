package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync.jar run JOB --state STATE} killed with SIGKILL in the middle of a copy from
 * PostgreSQL in insert mode (PostgreSQL through COPY, MariaDB through batched INSERTs, into tables
 * without a key, so a split written twice would show), then run again: the second run copies only
 * the splits the target had not committed, and the target holds every source row exactly once.
 */
class ResumeCrashIT {

    private static final String SOURCE = StreamJar.POSTGRES_SOURCE;
    private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/test";
    private static final int ROWS = 120_000;
    private static final int SPLITS = 24;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private final String schema = StreamJar.uniqueName("resume");
    private String targetUrl;

    @AfterEach
    void dropWhatWasCreated() {
        StreamJar.execute(SOURCE, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        if (targetUrl != null) {
            StreamJar.execute(targetUrl, targetUrl.equals(MARIADB) ? "DROP DATABASE IF EXISTS " + schema
                    : "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @ParameterizedTest(name = "PostgreSQL into {0}")
    @ValueSource(strings = {"postgresql", "mariadb"})
    void aRunKilledMidCopyIsResumedWithoutDuplicatesOrGaps(String connector) throws Exception {
        boolean mariadb = connector.equals("mariadb");
        targetUrl = mariadb ? MARIADB : StreamJar.POSTGRES_TARGET;
        StreamJar.assumeReachable(SOURCE);
        StreamJar.assumeReachable(targetUrl);
        String table = schema + ".orders";
        StreamJar.execute(SOURCE, "CREATE SCHEMA " + schema,
                "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v BIGINT NOT NULL, name TEXT NOT NULL)",
                "INSERT INTO " + table + " SELECT g, (g * 7919) % 100003, 'row ' || g FROM generate_series(1, " + ROWS
                        + ") g");
        if (mariadb) {
            StreamJar.execute(targetUrl, "CREATE DATABASE " + schema,
                    "CREATE TABLE " + table + " (id BIGINT NOT NULL, v BIGINT NOT NULL, name VARCHAR(40) NOT NULL)");
        } else {
            StreamJar.execute(targetUrl, "CREATE SCHEMA " + schema,
                    "CREATE TABLE " + table + " (id BIGINT NOT NULL, v BIGINT NOT NULL, name TEXT NOT NULL)");
        }
        Path job = dir.resolve("job.json");
        Files.writeString(job, """
                {"name": "%s",
                 "source": {"connector": "postgresql", "url": "%s", "username": "root", "table": "%s",
                            "splitPk": "id", "splitCount": %d},
                 "target": {"connector": "%s", "url": "%s", "username": "root", "table": "%s",
                            "writeMode": "insert", "truncateBeforeWrite": true},
                 "settings": {"concurrency": 2, "rateLimit": {"recordsPerSecond": 20000}}}
                """.formatted(schema, SOURCE, table, SPLITS, connector, targetUrl, table));
        Path state = dir.resolve("state");

        Path firstLog = dir.resolve("first.log");
        Process first = StreamJar.sync(firstLog, "run", job.toString(), "--state", state.toString());
        StreamJar.await(first, firstLog, 120, "a third of the rows in the target", () -> count(table) >= ROWS / 3);
        first.destroyForcibly();
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        long beforeKill = count(table);
        assertTrue(beforeKill < ROWS, "killed too late: " + beforeKill + " rows\n" + Files.readString(firstLog));

        Path report = dir.resolve("report.json");
        StreamJar.Ran second = StreamJar.syncAndWait(dir.resolve("second.log"), "run", job.toString(), "--state",
                state.toString(), "--report", report.toString());

        assertEquals(0, second.exitCode(), second.output());
        assertTrue(second.output().contains("resumes the unfinished run kept under 'job/" + schema + "'"),
                second.output());
        assertTrue(second.output().contains("resuming an unfinished run, so its rows are not deleted again"),
                second.output());
        JsonNode json = new ObjectMapper().readTree(Files.readString(report));
        long resumedSplits = json.get("resumedSplits").asLong();
        long resumedRecords = json.get("resumedRecords").asLong();
        long written = json.get("recordsWritten").asLong();
        System.out.printf("ResumeCrashIT %s: killed with %d of %d rows in the target; the second run resumed %d of %d "
                + "splits (%d records) and wrote %d%n", connector, beforeKill, ROWS, resumedSplits, SPLITS, resumedRecords,
                written);
        assertTrue(resumedSplits > 0 && resumedSplits < SPLITS, "resumed splits: " + resumedSplits);
        assertTrue(written < ROWS, "the second run copied " + written + " records");
        assertEquals(ROWS, written + resumedRecords, "written " + written + " + resumed " + resumedRecords);
        assertEquals(SPLITS - resumedSplits, json.get("splits").size());
        assertTrue(second.output().contains("Resumed         : " + resumedSplits + " split(s)"), second.output());

        String check = "SELECT COUNT(*), COUNT(DISTINCT id), SUM(id), SUM(v), SUM(LENGTH(name)), MIN(id), MAX(id) FROM "
                + table;
        assertEquals(summary(SOURCE, check), summary(targetUrl, check), "row count and checksum of every column");
        assertEquals(0, StreamJar.queryLong(targetUrl, "SELECT COUNT(*) FROM " + schema + ".ferry_split_ledger"),
                "a finished job leaves no ledger entries");
    }

    private long count(String table) {
        try (Connection c = DriverManager.getConnection(targetUrl, "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static List<Long> summary(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            List<Long> values = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                values.add(rs.getLong(i));
            }
            return values;
        }
    }
}
