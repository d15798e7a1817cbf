package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL database into an embedded DuckDB warehouse as a {@code partitioned} task, operated
 * with the packaged {@code sync.jar}: the Full Initialization writes the partition of the Business
 * Date it began on, in a zone where that date is not UTC's; real-time changes (inserts, updates,
 * deletes, key changes) go only to the change log; the Incremental Merge of that date then equals
 * the source, and merging it again changes nothing; a backfill of the next date copies the source
 * as it is; a merge whose previous partition is missing fails naming the date to merge first.
 */
class PartitionedTaskIT {

    private static final String SOURCE = StreamJar.POSTGRES_SOURCE;
    /** UTC+14: its date is UTC's date plus one for most of the day. */
    private static final ZoneId ZONE = ZoneId.of("Pacific/Kiritimati");
    private static final List<String> TABLES = List.of("customers", "orders");

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;

    private final String task = StreamJar.uniqueName("dw");
    private TaskHarness harness;
    private String warehouse;

    @BeforeEach
    void setUp() {
        StreamJar.assumeReachable(SOURCE);
        StreamJar.execute(SOURCE, "CREATE SCHEMA " + task,
                "CREATE TABLE " + task + ".customers (id bigint PRIMARY KEY, v int NOT NULL, note text)",
                "INSERT INTO " + task + ".customers SELECT g, g % 7, 'customer ' || g FROM generate_series(1, 500) g",
                "CREATE TABLE " + task + ".orders (id bigint PRIMARY KEY, v int NOT NULL, note text)",
                "INSERT INTO " + task + ".orders SELECT g, g % 5, 'order ' || g FROM generate_series(1, 3000) g");
        harness = new TaskHarness(dir, task).dropAfterwards(SOURCE, "DROP SCHEMA IF EXISTS " + task + " CASCADE");
        warehouse = "jdbc:duckdb:" + dir.resolve("dw.duckdb").toString().replace('\\', '/');
    }

    @AfterEach
    void tearDown() throws Exception {
        if (harness != null) {
            harness.close();
        }
        StreamJar.dropSlot(SOURCE, "ferry_" + task);
    }

    @Test
    void initializationChangesMergeAndBackfillBuildPartitionsEqualToTheSource() throws Exception {
        Path file = dir.resolve("dw.json");
        Files.writeString(file, """
                {"name": "%s",
                 "source": {"connector": "postgresql", "url": "%s", "username": "root",
                            "tables": ["%s.customers", "%s.orders"], "capture": {"heartbeatIntervalMillis": 200}},
                 "target": {"connector": "duckdb", "url": "%s", "kind": "partitioned", "schema": "main",
                            "merge": {"at": "00:30", "zone": "%s"}},
                 "settings": {"concurrency": 2, "stream": {"checkpointIntervalMillis": 200}}}
                """.formatted(task, SOURCE, task, task, warehouse, ZONE.getId()));
        LocalDate day0 = LocalDate.now(ZONE);
        Process runner = harness.start(file);
        harness.awaitStreaming(runner, 1);

        // The application: inserts, updates, deletes and a key change.
        harness.startApplication(r -> {
            String t = task + "." + TABLES.get(r % 2);
            StreamJar.execute(SOURCE, "BEGIN; UPDATE " + t + " SET v = v + 1 WHERE id % 50 = " + (r % 50)
                    + "; INSERT INTO " + t + " VALUES (" + (100_000 + r) + ", " + r + ", 'new " + r + "'); DELETE FROM "
                    + t + " WHERE id = " + (r * 7 % 400 + 1) + "; UPDATE " + t + " SET id = " + (200_000 + r)
                    + " WHERE id = " + (r * 11 % 400 + 401) + "; COMMIT");
        });
        harness.awaitRounds(60);
        harness.stopApplication();
        // A last transaction marks the end: once the stopped runner has logged it, it has logged
        // every change before it (a stop applies everything read, and changes are read in commit order).
        StreamJar.execute(SOURCE, "INSERT INTO " + task + ".customers VALUES (999999, 0, 'last')");
        for (int attempt = 1; ; attempt++) {
            awaitRealtime(runner);
            assertEquals(0, harness.cli("task", "stop", task).exitCode());
            assertTrue(runner.waitFor(60, TimeUnit.SECONDS), "the runner stops");
            if (count("SELECT COUNT(*) FROM main.customers_log WHERE id = 999999") > 0) {
                break;
            }
            assertTrue(attempt < 10, "the last transaction was never logged");
            runner = harness.start(file);
        }

        // The initialization wrote the partition of its own Business Date; the changes went to the log only.
        for (String table : TABLES) {
            assertTrue(partitionRows(table, day0).startsWith(table.equals("orders") ? "3000:" : "500:"),
                    table + " partition " + day0 + ": " + partitionRows(table, day0));
            assertTrue(count("SELECT COUNT(*) FROM main." + table + "_log") > 0, table + "'s change log is empty");
        }

        // Merge the day: the partition equals the source; merging again changes nothing.
        StreamJar.Ran merge = harness.cli("task", "merge", task, "--date", day0.toString());
        assertEquals(0, merge.exitCode(), merge.output());
        for (String table : TABLES) {
            assertEquals(TaskHarness.rows(SOURCE, task + "." + table), partitionRows(table, day0), table);
        }
        String first = partitionRows("orders", day0);
        assertEquals(0, harness.cli("task", "merge", task, "--date", day0.toString()).exitCode());
        assertEquals(first, partitionRows("orders", day0), "a merge run again gives the same partition");
        JsonNode status = harness.status();
        JsonNode instances = TaskHarness.stage(status, "INCREMENTAL_MERGE").get("instances");
        assertEquals(day0.toString(), instances.get(0).get("date").asText(), status.toString());
        assertEquals("DONE", instances.get(0).get("status").asText());

        // A backfill of the next day copies one table as it is now; a merge of the day after finds
        // the other table's partition missing and says which date to merge first.
        LocalDate day1 = day0.plusDays(1);
        StreamJar.Ran backfill = harness.cli("task", "backfill", task, "--date", day1.toString(), "--tables",
                task + ".orders");
        assertEquals(0, backfill.exitCode(), backfill.output());
        assertEquals(TaskHarness.rows(SOURCE, task + ".orders"), partitionRows("orders", day1));
        assertEquals("0:0", partitionRows("customers", day1), "the other table was not backfilled");
        StreamJar.Ran missing = harness.cli("task", "merge", task, "--date", day1.plusDays(1).toString());
        assertEquals(1, missing.exitCode(), missing.output());
        assertTrue(missing.output().contains("partition of " + day1 + " of"), missing.output());
        assertTrue(missing.output().contains("merge " + day1 + " first"), missing.output());
    }

    /** Waits until the task streams again after a start. */
    private void awaitRealtime(Process runner) throws Exception {
        harness.awaitStreaming(runner, 1);
    }

    /** One date's partition of a table, as {@link TaskHarness#rows} shows a table. */
    private String partitionRows(String table, LocalDate date) throws SQLException {
        String ds = date.format(DateTimeFormatter.BASIC_ISO_DATE);
        StringBuilder sb = new StringBuilder();
        try (Connection c = DriverManager.getConnection(warehouse); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, v, note FROM main." + table + " WHERE ds = '" + ds
                     + "' ORDER BY id")) {
            int n = 0;
            while (rs.next()) {
                sb.append(rs.getLong(1)).append(',').append(rs.getInt(2)).append(',').append(rs.getString(3)).append('|');
                n++;
            }
            return n == 0 ? "0:0" : n + ":" + Integer.toHexString(sb.toString().hashCode());
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(warehouse); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
