package dev.ferry.connector.mariadb.capture;

import static dev.ferry.connector.jdbc.testing.RowValues.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.JobStatus;
import dev.ferry.api.job.StreamSettings;
import dev.ferry.connector.jdbc.testing.RowValues;
import dev.ferry.connector.jdbc.testing.RowValues.Col;
import dev.ferry.connector.jdbc.testing.RowValues.Kind;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.JobHandle;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.state.InMemoryStateStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every column type the MariaDB batch reader and the binlog reader map, with edge values through
 * the snapshot, inserts, updates of every column, deletes and key changes: streamed into a
 * MariaDB table of the same types (compared in SQL, column by column: floats as numbers, other
 * values as the bytes of their text), into the MariaDB table and into the PostgreSQL table the
 * stream creates (compared value by value with {@link RowValues}).
 *
 * <p>Left out because the readers refuse them by design (see {@code BinlogColumnType}): zero
 * dates, TIMEs outside 00:00..24:00, and NUL characters in text bound for PostgreSQL, which
 * cannot store them. A {@code tinyint(1)} other than 0 or 1 reads as true, and a FLOAT as the 6
 * significant digits the server prints, so its edge values here have no more.
 */
class MariaDbStreamTypesIT {

    private static final TestDatabase SOURCE = TestDatabase.MARIADB;
    private static final TestDatabase PG = new TestDatabase("PostgreSQL (target)", "jdbc:postgresql://127.0.0.1:5432/root",
            "root", "");
    private static final String UTC = "SET time_zone = '+00:00'";

    private final String table = TestDatabase.uniqueName("mtypes");
    private final String job = TestDatabase.uniqueName("mtypesjob");
    private final String database = TestDatabase.uniqueName("ferry_types");
    private final TestDatabase mariadbTarget = new TestDatabase("MariaDB (target)",
            "jdbc:mariadb://127.0.0.1:3306/" + database, "root", "");

    /** Columns in order, the key first: name, MariaDB type, how to compare values. */
    private static final List<String[]> COLUMNS = List.of(
            new String[] {"id", "BIGINT PRIMARY KEY", "INT"},
            new String[] {"c_bool", "BOOLEAN", "BOOL"},
            new String[] {"c_tiny", "TINYINT", "INT"},
            new String[] {"c_utiny", "TINYINT UNSIGNED", "INT"},
            new String[] {"c_small", "SMALLINT", "INT"},
            new String[] {"c_usmall", "SMALLINT UNSIGNED", "INT"},
            new String[] {"c_medium", "MEDIUMINT", "INT"},
            new String[] {"c_umedium", "MEDIUMINT UNSIGNED", "INT"},
            new String[] {"c_int", "INT", "INT"},
            new String[] {"c_uint", "INT UNSIGNED", "INT"},
            new String[] {"c_big", "BIGINT", "INT"},
            new String[] {"c_ubig", "BIGINT UNSIGNED", "DECIMAL"},
            new String[] {"c_dec", "DECIMAL(12,4)", "DECIMAL"},
            new String[] {"c_bigdec", "DECIMAL(65,30)", "DECIMAL"},
            new String[] {"c_udec", "DECIMAL(10,2) UNSIGNED", "DECIMAL"},
            new String[] {"c_float", "FLOAT", "FLOAT"},
            new String[] {"c_double", "DOUBLE", "FLOAT"},
            new String[] {"c_bit1", "BIT(1)", "BOOL"},
            new String[] {"c_bit", "BIT(10)", "INT"},
            new String[] {"c_year", "YEAR", "INT"},
            new String[] {"c_char", "CHAR(5)", "TEXT"},
            new String[] {"c_vc", "VARCHAR(20)", "TEXT"},
            new String[] {"c_latin", "VARCHAR(10) CHARACTER SET latin1", "TEXT"},
            new String[] {"c_ttext", "TINYTEXT", "TEXT"},
            new String[] {"c_text", "TEXT", "TEXT"},
            new String[] {"c_mtext", "MEDIUMTEXT", "TEXT"},
            new String[] {"c_ltext", "LONGTEXT", "TEXT"},
            new String[] {"c_json", "JSON", "JSON"},
            new String[] {"c_enum", "ENUM('a','b c','ü')", "TEXT"},
            new String[] {"c_set", "SET('x','y','z')", "TEXT"},
            new String[] {"c_bin", "BINARY(4)", "BYTES"},
            new String[] {"c_vbin", "VARBINARY(10)", "BYTES"},
            new String[] {"c_tblob", "TINYBLOB", "BYTES"},
            new String[] {"c_blob", "BLOB", "BYTES"},
            new String[] {"c_mblob", "MEDIUMBLOB", "BYTES"},
            new String[] {"c_lblob", "LONGBLOB", "BYTES"},
            new String[] {"c_date", "DATE", "DATE"},
            new String[] {"c_time", "TIME(6)", "TIME"},
            new String[] {"c_time0", "TIME", "TIME"},
            new String[] {"c_dt", "DATETIME(6)", "TIMESTAMP"},
            new String[] {"c_dt0", "DATETIME", "TIMESTAMP"},
            new String[] {"c_ts", "TIMESTAMP(6) NULL", "INSTANT"});

    /** Rows of edge values, in column order without the key; TIMESTAMPs written in UTC. */
    private static final List<String> ROWS = List.of(
            // the lowest values, and the empty ones
            "0, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, -99999999.9999, "
                    + "-99999999999999999999999999999999999.999999999999999999999999999999, 0, -3.40282e38, "
                    + "-1.7976931348623157e308, b'0', b'0', 1901, '', '', '', '', '', '', '', '[]', 'a', '', x'', x'', x'', "
                    + "x'', x'', x'', '1000-01-01', '00:00:00', '00:00:00', '1000-01-01 00:00:00', '1000-01-01 00:00:00', "
                    + "'1970-01-01 00:00:01'",
            // the highest values, and long ones
            "1, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, "
                    + "18446744073709551615, 99999999.9999, 99999999999999999999999999999999999.999999999999999999999999999999, "
                    + "99999999.99, 3.40282e38, 1.7976931348623157e308, b'1', b'1111111111', 2155, 'abcde', "
                    + "'ü€😀 twenty chars..', 'éàüÿ ÆØÅ', REPEAT('t', 255), REPEAT('text ', 13000), REPEAT('medium ', 20000), "
                    + "REPEAT('long ', 50000), '{\"b\": 1, \"a\": [1, 2.50, \"é\", null, true], \"c\": {\"d\": \"\\\\u00e9\"}}', "
                    + "'ü', 'x,y,z', x'ffffffff', x'00ff00ff00ff00ff00ff', REPEAT(x'ff', 255), REPEAT(x'00ff', 30000), "
                    + "REPEAT(x'7f80', 100000), REPEAT(x'01', 300000), '9999-12-31', '23:59:59.999999', '23:59:59', "
                    + "'9999-12-31 23:59:59.999999', '9999-12-31 23:59:59', '2038-01-19 03:14:07.999999'",
            // ordinary values with their quirks
            "1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0.0001, 0.000000000000000000000000000001, 0.01, 1.1, 0.1, b'1', b'0000000001', "
                    + "2000, 'ab', 'quote '' \" back\\\\slash', 'ñ', 'tab\\there', 'line\\nbreak', '\\r', 'ü', '\"just a string\"', "
                    + "'b c', '', x'00000001', x'00', x'0a', x'0d', x'5c', x'27', '1582-10-10', '12:34:56.5', '12:34:56', "
                    + "'2024-03-10 02:30:00.123456', '2024-02-29 12:00:00', '2024-03-31 01:30:00.5'",
            // nulls in every column
            String.join(", ", Collections.nCopies(COLUMNS.size() - 1, "NULL")));

    @BeforeEach
    void setUp() {
        SOURCE.assumeReachable();
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + table + " (");
        for (String[] column : COLUMNS) {
            ddl.append(column[0].equals("id") ? "" : ", ").append(column[0]).append(' ').append(column[1]);
        }
        SOURCE.execute(ddl.append(") CHARACTER SET utf8mb4").toString(), "CREATE DATABASE " + database);
        // the snapshot holds every edge row once
        for (int r = 0; r < ROWS.size(); r++) {
            SOURCE.execute(UTC, "INSERT INTO " + table + " VALUES (" + (r + 1) + ", " + ROWS.get(r) + ")");
        }
    }

    @AfterEach
    void tearDown() {
        SOURCE.execute("DROP TABLE IF EXISTS " + table, "DROP DATABASE IF EXISTS " + database);
        try {
            PG.execute("DROP TABLE IF EXISTS " + table);
        } catch (IllegalStateException ignored) {
            // PostgreSQL is checked by the test that uses it
        }
    }

    private static List<Col> columns() {
        return COLUMNS.stream().map(c -> col(c[0], Kind.valueOf(c[2]))).toList();
    }

    private List<List<String>> sourceRows() {
        return RowValues.read(SOURCE, table, "id", columns(), UTC);
    }

    @Test
    void intoAMariadbTableOfTheSameTypesEveryValueArrivesAsItIs() {
        SOURCE.execute("CREATE TABLE " + database + "." + table + " LIKE test." + table);
        stream(mariadbTarget, this::sqlDifferences, null);
    }

    @Test
    void intoTheMariadbTableTheStreamCreatesEveryValueArrivesAsItIs() {
        stream(mariadbTarget, () -> rowDifferences(RowValues.read(mariadbTarget, table, "id", columns(), UTC)),
                () -> RowValues.read(mariadbTarget, table, "id", columns(), UTC));
    }

    @Test
    void intoThePostgresqlTableTheStreamCreatesEveryValueArrivesAsItIs() {
        PG.assumeReachable();
        stream(PG, () -> rowDifferences(RowValues.read(PG, table, "id", columns(), "SET TIME ZONE 'UTC'")),
                () -> RowValues.read(PG, table, "id", columns(), "SET TIME ZONE 'UTC'"));
    }

    /**
     * Streams the table into {@code target} and waits until {@code differences} finds none, with
     * the snapshot's rows and again after the stream's changes; then compares {@code targetRows}
     * (when given) with the source's value by value.
     */
    private void stream(TestDatabase target, Supplier<List<String>> differences, Supplier<List<List<String>>> targetRows) {
        Map<String, Object> source = SOURCE.options("tables", List.of("test." + table), "capture.startFrom", "snapshot");
        JobSpec spec = new JobSpec(job, JobMode.STREAM, new ConnectorSpec("mariadb", source),
                new ConnectorSpec(target == PG ? "postgresql" : "mariadb", target.options()),
                JobSettings.DEFAULT.withConcurrency(2).withStream(new StreamSettings(5, 100)));
        try (SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).build()) {
            JobHandle handle = engine.submit(spec);
            awaitNone(handle, differences);
            for (int r = 0; r < ROWS.size(); r++) {
                SOURCE.execute(UTC, "INSERT INTO " + table + " VALUES (" + (r + 11) + ", " + ROWS.get(r) + ")");
            }
            // every column of each snapshot row takes the values of another row
            StringBuilder set = new StringBuilder();
            for (String[] column : COLUMNS.subList(1, COLUMNS.size())) {
                set.append(set.length() == 0 ? "" : ", ").append("s.").append(column[0]).append(" = o.").append(column[0]);
            }
            for (int r = 1; r <= ROWS.size(); r++) {
                SOURCE.execute(UTC, "UPDATE " + table + " s JOIN " + table + " o ON o.id = " + (r % ROWS.size() + 11) + " SET "
                        + set + " WHERE s.id = " + r);
            }
            SOURCE.execute(UTC, "DELETE FROM " + table + " WHERE id = 12",
                    "UPDATE " + table + " SET id = 30 WHERE id = 13",
                    "BEGIN", "UPDATE " + table + " SET id = 31, c_text = 'moved in a transaction' WHERE id = 14",
                    "INSERT INTO " + table + " SELECT 14, " + String.join(", ", COLUMNS.subList(1, COLUMNS.size()).stream()
                            .map(c -> c[0]).toList()) + " FROM " + table + " WHERE id = 11", "COMMIT");
            awaitNone(handle, differences);
            handle.stop();
            JobReport report = handle.await();
            assertEquals(JobStatus.STOPPED, report.status(), report.error());
            assertEquals(0, report.dirtyRecords(), report.dirtySamples().toString());
            assertTrue(report.stream().snapshotRows() == ROWS.size() && report.stream().updates() >= ROWS.size()
                    && report.stream().deletes() >= 2, report.stream().toString());
        }
        assertEquals(List.of(), differences.get());
        if (targetRows != null) {
            RowValues.assertSameRows(columns(), sourceRows(), targetRows.get());
        }
        assertEquals(ROWS.size() * 2, sourceRows().size());
    }

    private static void awaitNone(JobHandle handle, Supplier<List<String>> differences) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> found;
        while (!(found = differences.get()).isEmpty()) {
            if (handle.status().isTerminal()) {
                fail("the stream ended before the target equalled the source: " + handle.await().error() + "\n" + found);
            }
            if (System.nanoTime() > deadline) {
                handle.stop();
                fail("the target differs from the source:\n" + String.join("\n", found) + "\ndirty: "
                        + handle.await().dirtySamples());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** The differing values of two row lists, one line each (or the missing and extra rows). */
    private List<String> rowDifferences(List<List<String>> target) {
        List<List<String>> source = sourceRows();
        List<String> found = new ArrayList<>();
        if (source.size() != target.size()) {
            found.add("rows: source " + source.stream().map(r -> r.get(0)).toList() + ", target "
                    + target.stream().map(r -> r.get(0)).toList());
            return found;
        }
        for (int r = 0; r < source.size(); r++) {
            for (int c = 0; c < COLUMNS.size(); c++) {
                String want = source.get(r).get(c);
                String got = target.get(r).size() > c ? target.get(r).get(c) : "(missing)";
                if (!want.equals(got)) {
                    found.add("id " + source.get(r).get(0) + " " + COLUMNS.get(c)[0] + ": source " + abbreviated(want)
                            + ", target " + abbreviated(got));
                }
            }
        }
        return found;
    }

    private static String abbreviated(String value) {
        return value.length() > 80 ? value.substring(0, 80) + "… (" + value.length() + " chars)" : value;
    }

    /** A float as itself (its text has only 6 digits), any other value as the bytes of its text. */
    private static String comparable(String value, String type) {
        return type.startsWith("FLOAT") || type.startsWith("DOUBLE") ? value : "CAST(" + value + " AS BINARY)";
    }

    /** Compared in SQL on the server: each value exactly, null-safe, and keys on one side only. */
    private List<String> sqlDifferences() {
        StringBuilder sql = new StringBuilder("SELECT CONCAT(coalesce(s.id, d.id), ': only in one') FROM test." + table
                + " s LEFT JOIN " + database + "." + table + " d ON s.id = d.id WHERE d.id IS NULL UNION ALL SELECT "
                + "CONCAT(d.id, ': only in the target') FROM " + database + "." + table + " d LEFT JOIN test." + table
                + " s ON s.id = d.id WHERE s.id IS NULL");
        for (String[] column : COLUMNS.subList(1, COLUMNS.size())) {
            String c = column[0];
            sql.append(" UNION ALL SELECT CONCAT(s.id, ': ").append(c).append(" source ', coalesce(LEFT(s.").append(c)
                    .append(", 60), 'NULL'), ' target ', coalesce(LEFT(d.").append(c).append(", 60), 'NULL')) FROM test.")
                    .append(table).append(" s JOIN ").append(database).append('.').append(table)
                    .append(" d ON s.id = d.id WHERE NOT (").append(comparable("s." + c, column[1])).append(" <=> ")
                    .append(comparable("d." + c, column[1])).append(')');
        }
        List<String> found = new ArrayList<>();
        try (Connection connection = SOURCE.connect(); Statement s = connection.createStatement()) {
            s.execute(UTC);
            try (ResultSet rs = s.executeQuery(sql.toString())) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            found.add("unreadable: " + e.getMessage());
        }
        return found;
    }
}
