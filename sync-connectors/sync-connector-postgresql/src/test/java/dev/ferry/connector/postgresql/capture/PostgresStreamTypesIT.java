package dev.ferry.connector.postgresql.capture;

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
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.JobHandle;
import dev.ferry.engine.SyncEngine;
import dev.ferry.engine.state.InMemoryStateStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every column type the PostgreSQL batch reader maps, streamed PostgreSQL to PostgreSQL with edge
 * values: in the snapshot, inserted, every column updated, deleted, and moved to another key.
 * The target table is in the source's database (through {@code tableMapping}), so the two can be
 * compared column by column in one query: once into a table of exactly the source's types
 * (values compared as their text), once into the table the stream creates (its values cast
 * back to the source's types, then compared as text).
 *
 * <p>Left out because the batch reader itself does not read them back as they are (see
 * {@code PgColumnType}): numeric NaN, infinite timestamps, time 24:00 and {@code bit(n > 1)},
 * which is read as its digits; the highest timestamps are those whose microseconds since 1970
 * fit in 64 bits (PostgreSQL's last 29 years, up to 294276, are read as dirty rows). A
 * {@code timetz} is read in UTC, so it is compared as its UTC time.
 */
class PostgresStreamTypesIT {

    private static final TestDatabase DB = TestDatabase.POSTGRES;

    private final String source = TestDatabase.uniqueName("types_src");
    private final String target = TestDatabase.uniqueName("types_dst");
    private final String mood = TestDatabase.uniqueName("mood");
    private final String job = TestDatabase.uniqueName("pgtypes");

    /** Column name and type; the first is the key. */
    private final Map<String, String> columns = new LinkedHashMap<>();

    /** Rows of edge values, in column order (without the key). */
    private final List<String> rows = new ArrayList<>();

    @BeforeEach
    void setUp() {
        DB.assumeReachable();
        DB.execute("CREATE TYPE " + mood + " AS ENUM ('sad', 'ok', 'very happy', 'ünï')");
        columns.put("id", "bigint PRIMARY KEY");
        columns.put("c_int2", "int2");
        columns.put("c_int4", "int4");
        columns.put("c_int8", "int8");
        columns.put("c_num", "numeric(12,4)");
        columns.put("c_numu", "numeric");
        columns.put("c_f4", "float4");
        columns.put("c_f8", "float8");
        columns.put("c_bool", "bool");
        columns.put("c_text", "text");
        columns.put("c_vc", "varchar(10)");
        columns.put("c_char", "char(5)");
        columns.put("c_qchar", "\"char\"");
        columns.put("c_bytea", "bytea");
        columns.put("c_date", "date");
        columns.put("c_time", "time");
        columns.put("c_time3", "time(3)");
        columns.put("c_timetz", "timetz");
        columns.put("c_ts", "timestamp");
        columns.put("c_ts3", "timestamp(3)");
        columns.put("c_tstz", "timestamptz");
        columns.put("c_json", "json");
        columns.put("c_jsonb", "jsonb");
        columns.put("c_uuid", "uuid");
        columns.put("c_interval", "interval");
        columns.put("c_enum", mood);
        columns.put("c_money", "money");
        columns.put("c_inet", "inet");
        columns.put("c_cidr", "cidr");
        columns.put("c_mac", "macaddr");
        columns.put("c_xml", "xml");
        columns.put("c_ai", "int4[]");
        columns.put("c_at", "text[]");
        columns.put("c_af", "float8[]");
        columns.put("c_bit", "bit(1)");
        columns.put("c_varbit", "varbit(10)");
        columns.put("c_point", "point");
        columns.put("c_oid", "oid");
        // the lowest values, and the empty ones
        rows.add("-32768, -2147483648, -9223372036854775808, -99999999.9999, -0.00000000000000000001, '-Infinity', "
                + "'-Infinity', false, '', '', '', ' ', ''::bytea, '4713-01-01 BC', '00:00:00', '00:00:00', '00:00:00+15:59', "
                + "'4713-01-01 00:00:00 BC', '0001-01-01 00:00:00', '4713-01-01 00:00:00+00 BC', '{}', '[]', "
                + "'00000000-0000-0000-0000-000000000000', '-178000000 years', 'sad', '-92233720368547758.08', '0.0.0.0', "
                + "'0.0.0.0/0', '00:00:00:00:00:00', '', '{}', '{}', '{}', '0', '', '(0,0)', 0");
        // the highest values, and long ones
        rows.add("32767, 2147483647, 9223372036854775807, 99999999.9999, 123456789012345678901234567890.123456789, "
                + "3.4028235e38, 1.7976931348623157e308, true, repeat('long text ', 400), 'ü€😀abcdefg', 'abcde', 'z', "
                + "decode(repeat('00ff7f80', 256), 'hex'), '5874897-12-31', '23:59:59.999999', '23:59:59.999', "
                + "'23:59:59.999999-15:59', '294246-12-31 23:59:59.999999', '294246-12-31 23:59:59.999', "
                + "'294246-12-31 23:59:59.999999+00', '{\"b\":1,   \"a\":[1, 2.50, \"\\u00e9\"]}', "
                + "'{\"b\": 1, \"a\": [true, null, 1.50, \"é\"]}', 'ffffffff-ffff-ffff-ffff-ffffffffffff', "
                + "'178000000 years 11 mons 30 days 23:59:59.999999', 'ünï', '92233720368547758.07', "
                + "'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', "
                + "'<a b=\"1\">x &amp; y</a><!-- c -->', '{{1,2},{3,NULL}}', '{\"a b\",\"c,d\",NULL,\"\\\"q\\\"\",\"NULL\",\"\"}', "
                + "'{1.5,NaN,-Infinity,1e308,-0}', '1', '1011001110', '(1.7976931348623157e308,-4.9e-324)', 4294967295");
        // ordinary values with their quirks: tiny and negative zero floats, escapes, offsets, precision
        rows.add("0, 0, 0, 0.0001, 1.50, 1e-45, 4.9e-324, true, E'quotes '' \" back\\\\slash \\n\\t\\r and NUL-free ✓', "
                + "'ten chars!', 'ab', 'x', '\\x00'::bytea, '0044-03-15 BC', '12:34:56.5', '12:34:56.789', '10:15:07.5+02', "
                + "'1970-01-01 00:00:00', '2024-02-29 12:00:00.123', '2024-03-10 02:30:00.123456+05:45', '\"str\"', "
                + "'\"just a string\"', '123e4567-e89b-12d3-a456-426614174000', '1 year 2 mons 3 days 04:05:06.789', "
                + "'very happy', '0.01', '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', '<r/>', '{1,NULL,3}', "
                + "'{é}', '{0.1,-0.0,4.9e-324}', '0', '0', '(1.5,-2)', 1");
        // nulls in every column
        rows.add(String.join(", ", java.util.Collections.nCopies(columns.size() - 1, "NULL")));
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + source + " (");
        columns.forEach((name, type) -> ddl.append(name.equals("id") ? "" : ", ").append(name).append(' ').append(type));
        DB.execute(ddl.append(')').toString());
        // the snapshot holds every edge row once
        for (int r = 0; r < rows.size(); r++) {
            DB.execute("INSERT INTO " + source + " VALUES (" + (r + 1) + ", " + rows.get(r) + ")");
        }
    }

    @AfterEach
    void tearDown() {
        PgSlots.drop(DB, "ferry_" + job, "ferry_" + job);
        DB.execute("DROP TABLE IF EXISTS " + source, "DROP TABLE IF EXISTS " + target, "DROP TYPE IF EXISTS " + mood);
    }

    @Test
    void intoATableOfTheSameTypesEveryValueArrivesAsItIs() {
        DB.execute("CREATE TABLE " + target + " (LIKE " + source + " INCLUDING ALL)");
        streamAndCompare(false);
    }

    @Test
    void intoTheTableTheStreamCreatesEveryValueArrivesAsItIs() {
        streamAndCompare(true);
    }

    private void streamAndCompare(boolean created) {
        Map<String, Object> sourceOptions = DB.options("tables", List.of("public." + source),
                "capture.startFrom", "snapshot", "capture.heartbeatIntervalMillis", 200L);
        Map<String, Object> targetOptions = DB.options("tableMapping", List.of("public." + source + "=public." + target));
        JobSpec spec = new JobSpec(job, JobMode.STREAM, new ConnectorSpec("postgresql", sourceOptions),
                new ConnectorSpec("postgresql", targetOptions),
                JobSettings.DEFAULT.withConcurrency(2).withStream(new StreamSettings(5, 100)));
        String differences = differences(created);
        try (SyncEngine engine = SyncEngine.builder().stateStore(new InMemoryStateStore()).build()) {
            JobHandle handle = engine.submit(spec);
            awaitSame(handle, created);
            // The stream: every edge row inserted again, every column of the snapshot rows updated to
            // another row's values, deletes and a key change.
            for (int r = 0; r < rows.size(); r++) {
                DB.execute("INSERT INTO " + source + " VALUES (" + (r + 11) + ", " + rows.get(r) + ")");
            }
            String all = String.join(", ", columns.keySet().stream().filter(c -> !c.equals("id")).toList());
            for (int r = 1; r <= rows.size(); r++) {
                int from = r % rows.size() + 1;
                DB.execute("UPDATE " + source + " SET (" + all + ") = (SELECT " + all + " FROM " + source + " WHERE id = "
                        + (from + 10) + ") WHERE id = " + r);
            }
            DB.execute("DELETE FROM " + source + " WHERE id = 12",
                    "UPDATE " + source + " SET id = 30 WHERE id = 13",
                    "BEGIN; UPDATE " + source + " SET id = 31, c_text = 'moved in a transaction' WHERE id = 14; "
                            + "INSERT INTO " + source + " SELECT 14, " + all + " FROM " + source + " WHERE id = 11; COMMIT");
            awaitSame(handle, created);
            handle.stop();
            JobReport report = handle.await();
            assertEquals(JobStatus.STOPPED, report.status(), report.error());
            assertEquals(0, report.dirtyRecords(), report.dirtySamples().toString());
            assertTrue(report.stream().snapshotRows() == rows.size() && report.stream().updates() >= rows.size()
                    && report.stream().deletes() >= 2, report.stream().toString());
        }
        assertEquals(List.of(), query(differences));
        assertEquals(rows.size() * 2, DB.queryLong("SELECT count(*) FROM " + target));
    }

    private void awaitSame(JobHandle handle, boolean created) {
        String sql = differences(created);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> found;
        while (!(found = query(sql)).isEmpty()) {
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

    /**
     * One row per difference: a key on one side only, or a column whose values differ. With
     * {@code created}, the target's value is cast back to the source column's type first.
     */
    private String differences(boolean created) {
        StringBuilder sql = new StringBuilder("SELECT coalesce(s.id, d.id) || ': only in the '"
                + " || CASE WHEN s.id IS NULL THEN 'target' ELSE 'source' END FROM " + source + " s FULL JOIN "
                + "(SELECT * FROM " + target + ") d ON s.id = d.id WHERE s.id IS NULL OR d.id IS NULL");
        Map<String, String> sourceTypes = sourceTypes();
        for (Map.Entry<String, String> column : sourceTypes.entrySet()) {
            String name = column.getKey();
            String type = column.getValue();
            String targetValue = "d." + name;
            if (created) {
                targetValue = type.equals("bit(1)") ? "(" + targetValue + ")::int::bit(1)" : "(" + targetValue + ")::" + type;
            }
            sql.append(" UNION ALL SELECT s.id || ': " + name + " " + type + " source ' || coalesce(s." + name
                    + "::text, 'NULL') || ' target ' || coalesce(d." + name + "::text, 'NULL') FROM " + source + " s JOIN "
                    + target + " d ON s.id = d.id WHERE " + comparable("s." + name, type) + " IS DISTINCT FROM "
                    + comparable(targetValue, type));
        }
        return sql.toString();
    }

    /** The value as text; a timetz as its UTC time (the batch reader rewrites the offset). */
    private static String comparable(String value, String type) {
        return type.startsWith("time with time zone") ? "((" + value + ") AT TIME ZONE 'UTC')::text" : "(" + value + ")::text";
    }

    private Map<String, String> sourceTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        try (Connection c = DB.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE "
                     + "attrelid = '" + source + "'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            while (rs.next()) {
                types.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return types;
    }

    private static List<String> query(String sql) {
        List<String> found = new ArrayList<>();
        try (Connection c = DB.connect(); Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
            try (ResultSet rs = s.executeQuery(sql)) {
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
