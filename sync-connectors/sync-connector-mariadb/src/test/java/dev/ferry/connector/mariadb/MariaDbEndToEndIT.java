package dev.ferry.connector.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.job.JobReport;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.SyncEngine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Whole jobs through {@link SyncEngine}: MariaDB to MariaDB, PostgreSQL to MariaDB and back. */
class MariaDbEndToEndIT {

    private static final TestDatabase MDB = TestDatabase.MARIADB;
    private static final TestDatabase PG = TestDatabase.POSTGRES;
    private final List<Runnable> cleanup = new ArrayList<>();

    @BeforeEach
    void reachable() {
        MDB.assumeReachable();
    }

    @AfterEach
    void drop() {
        cleanup.forEach(Runnable::run);
    }

    private String mariadbTable(String prefix, String columns) {
        String name = TestDatabase.uniqueName(prefix);
        cleanup.add(() -> MDB.execute("DROP TABLE IF EXISTS " + name));
        MDB.execute("CREATE TABLE " + name + " (" + columns + ")");
        return name;
    }

    private String postgresTable(String prefix, String columns) {
        String name = TestDatabase.uniqueName(prefix);
        cleanup.add(() -> PG.execute("DROP TABLE IF EXISTS " + name));
        PG.execute("CREATE TABLE " + name + " (" + columns + ")");
        return name;
    }

    /** Each row of a query as text, for comparing tables across databases. */
    private static List<String> rows(TestDatabase db, String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(sb.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static final String MARIADB_TYPES = "id bigint primary key, n decimal(12,3), f double, s varchar(40), "
            + "b boolean, d date, ts datetime(6), tz timestamp(6) null, bl blob, j json";

    @Test
    void mariadbToMariadbInParallel() {
        String src = mariadbTable("e2e_src", MARIADB_TYPES);
        String dst = mariadbTable("e2e_dst", MARIADB_TYPES);
        MDB.execute("INSERT INTO " + src + " SELECT seq, seq / 7, seq * 1.5, CONCAT('row ', seq, '\\t\\\\'), seq % 2 = 0, "
                + "DATE '2020-01-01' + INTERVAL (seq % 1000) DAY, TIMESTAMP '2020-01-01 00:00:00' + INTERVAL seq MINUTE, "
                + "TIMESTAMP '2020-01-01 00:00:00' + INTERVAL seq SECOND, UNHEX(LPAD(HEX(seq), 8, '0')), JSON_OBJECT('n', seq) "
                + "FROM seq_1_to_20000", "INSERT INTO " + src + " (id) VALUES (0)");
        try (SyncEngine engine = SyncEngine.builder().build()) {
            JobReport report = engine.newJob("mariadb-to-mariadb")
                    .source("mariadb", MDB.options("table", src, "splitPk", "id"))
                    .target("mariadb", MDB.options("table", dst))
                    .concurrency(4)
                    .run();
            assertTrue(report.isSuccess(), report.error());
            assertEquals(20_001, report.recordsWritten());
            assertTrue(report.splits().size() > 4);
        }
        String select = "SELECT id, n, f, s, b, d, ts, UNIX_TIMESTAMP(tz), HEX(bl), j FROM %s ORDER BY id";
        assertEquals(rows(MDB, String.format(select, src)), rows(MDB, String.format(select, dst)));
    }

    @Test
    void postgresToMariadb() {
        PG.assumeReachable();
        String src = postgresTable("e2e_pg_src", "id bigint primary key, n numeric(12,3), s varchar(40), b boolean, "
                + "d date, ts timestamp, tz timestamptz, by bytea, j jsonb, u uuid");
        String dst = mariadbTable("e2e_md_dst", "id bigint primary key, n decimal(12,3), s varchar(40), b boolean, "
                + "d date, ts datetime(6), tz timestamp(6) null, bl blob, j json, u char(36)");
        PG.execute("INSERT INTO " + src + " SELECT n, n / 7.0, 'row ' || n || E'\\\\', n % 2 = 0, DATE '2020-01-01' + n, "
                + "TIMESTAMP '2020-01-01 00:00:00.123456' + n * INTERVAL '1 minute', "
                + "TIMESTAMPTZ '2020-01-01 00:00:00.5+05' + n * INTERVAL '1 minute', decode(lpad(to_hex(n), 8, '0'), 'hex'), "
                + "jsonb_build_object('n', n), md5(n::text)::uuid FROM generate_series(1, 3000) n");
        try (SyncEngine engine = SyncEngine.builder().build()) {
            JobReport report = engine.newJob("pg-to-mariadb")
                    .source("postgresql", PG.options("table", src, "splitPk", "id"))
                    .target("mariadb", MDB.options("table", dst, "columns", List.of("id", "n", "s", "b", "d", "ts", "tz",
                            "bl", "j", "u")))
                    .concurrency(3)
                    .run();
            assertTrue(report.isSuccess(), report.error());
            assertEquals(0, report.dirtyRecords());
        }
        assertEquals(rows(PG, "SELECT id, n, s, CASE WHEN b THEN 1 ELSE 0 END, d, to_char(ts, 'YYYY-MM-DD HH24:MI:SS.US'), "
                        + "extract(epoch from tz)::numeric(20,6), upper(encode(by, 'hex')), u FROM " + src + " ORDER BY id"),
                rows(MDB, "SELECT id, n, s, b, d, ts, UNIX_TIMESTAMP(tz), HEX(bl), u FROM " + dst + " ORDER BY id"));
        assertEquals(3000, MDB.queryLong("SELECT COUNT(*) FROM " + dst + " WHERE JSON_VALUE(j, '$.n') = id"));
    }

    @Test
    void mariadbToPostgresWithUpsert() {
        PG.assumeReachable();
        String src = mariadbTable("e2e_md_src", "id bigint primary key, s varchar(40), tz timestamp(6) null, "
                + "dt datetime(6), u char(36), j json");
        String dst = postgresTable("e2e_pg_dst", "id bigint primary key, s varchar(40), tz timestamptz, dt timestamp, "
                + "u uuid, j jsonb");
        MDB.execute("INSERT INTO " + src + " SELECT seq, CONCAT('new ', seq), TIMESTAMP '2021-06-01 12:00:00.25' + INTERVAL seq SECOND, "
                + "TIMESTAMP '2021-06-01 00:00:00' + INTERVAL seq HOUR, UUID(), JSON_OBJECT('k', seq) FROM seq_1_to_2000");
        PG.execute("INSERT INTO " + dst + " (id, s) VALUES (1, 'old'), (5000, 'untouched')");
        try (SyncEngine engine = SyncEngine.builder().build()) {
            JobReport report = engine.newJob("mariadb-to-pg")
                    .source("mariadb", MDB.options("table", src, "splitPk", "id"))
                    .target("postgresql", PG.options("table", dst, "writeMode", "upsert"))
                    .concurrency(2)
                    .run();
            assertTrue(report.isSuccess(), report.error());
        }
        assertEquals(2001, PG.queryLong("SELECT COUNT(*) FROM " + dst));
        assertEquals(rows(MDB, "SELECT id, s, UNIX_TIMESTAMP(tz), DATE_FORMAT(dt, '%Y-%m-%d %H:%i:%s'), u, JSON_VALUE(j, '$.k') FROM "
                        + src + " ORDER BY id"),
                rows(PG, "SELECT id, s, extract(epoch from tz)::numeric(20,6), to_char(dt, 'YYYY-MM-DD HH24:MI:SS'), u, j->>'k' FROM "
                        + dst + " WHERE id < 5000 ORDER BY id"));
    }
}
