package dev.ferry.connector.postgresql.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.TableSchema;
import dev.ferry.connector.jdbc.testing.MapConfig;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.connector.postgresql.PostgresConnector;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Begin;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Commit;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Delete;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Insert;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.LogicalMessage;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Relation;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Truncate;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.TypeInfo;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Update;
import dev.ferry.engine.testing.CollectingRecordSink;
import dev.ferry.engine.testing.RecordingContext;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * pgoutput against the real server: the changes of a table with every supported type, read from a
 * logical slot with {@code pg_logical_slot_get_binary_changes}, decode to the expected message
 * sequence, and their values and Relation-derived columns equal what the batch source reads from
 * the same table.
 */
class PgOutputIT {

    private static final TestDatabase DB = TestDatabase.POSTGRES;
    private static final PostgresConnector CONNECTOR = new PostgresConnector();

    private final String suffix = TestDatabase.uniqueName("po").substring(3);
    private final String table = "po_types_" + suffix;
    private final String bad = "po_bad_" + suffix;
    private final String mood = "po_mood_" + suffix;
    private final String domain = "po_dom_" + suffix;
    private final String shortText = "po_short_" + suffix;
    private final String schema = "po_schema_" + suffix;
    private final String publication = "po_pub_" + suffix;
    private final String slot = "po_slot_" + suffix;
    private final List<String> cleanup = new ArrayList<>();

    @BeforeEach
    void databaseIsReachable() {
        DB.assumeReachable();
    }

    @AfterEach
    void dropEverything() {
        // Slot first: a leftover slot keeps WAL forever. Each statement on its own, whatever failed before.
        try {
            DB.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
        } catch (IllegalStateException e) {
            // Still held by a walsender that is going away: wait for it to let go, then drop.
            try (Connection connection = replicationConnection(); Statement statement = connection.createStatement()) {
                statement.execute("DROP_REPLICATION_SLOT " + slot + " WAIT");
            } catch (SQLException again) {
                System.err.println("cleanup failed: " + again.getMessage());
            }
        }
        List<String> statements = new ArrayList<>();
        statements.add("DROP PUBLICATION IF EXISTS " + publication);
        statements.addAll(cleanup);
        for (String sql : statements) {
            try {
                DB.execute(sql);
            } catch (IllegalStateException e) {
                System.err.println("cleanup failed: " + e.getMessage());
            }
        }
        assertEquals(0, DB.queryLong("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'"),
                "the slot is dropped");
    }

    // ---------------------------------------------------------------- the changes of every supported type

    private static final String BIG = "repeat(md5('x'), 150)";

    @Test
    void changesDecodeToTheValuesAndColumnsTheBatchSourceReads() throws SQLException {
        cleanup.add("DROP TABLE IF EXISTS " + table);
        cleanup.add("DROP TABLE IF EXISTS " + bad);
        cleanup.add("DROP TYPE IF EXISTS " + mood);
        cleanup.add("DROP DOMAIN IF EXISTS " + domain);
        cleanup.add("DROP DOMAIN IF EXISTS " + shortText);
        cleanup.add("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        DB.execute("CREATE TYPE " + mood + " AS ENUM ('sad', 'ok', 'happy')",
                "CREATE DOMAIN " + domain + " AS integer",
                "CREATE DOMAIN " + shortText + " AS varchar(5)",
                "CREATE SCHEMA " + schema,
                "CREATE TYPE " + schema + ".color AS ENUM ('red', 'green')",
                "CREATE TABLE " + table + " (id bigint PRIMARY KEY, i2 smallint, i4 integer, i8 bigint, n numeric, "
                        + "n102 numeric(10,2), f4 real, f8 double precision, b boolean, tx text, vc varchar(10), ch char(5), "
                        + "by bytea, d date, tm time, tm3 time(3), ts3 timestamp(3), ts timestamp, tz timestamptz, js json, "
                        + "jb jsonb, u uuid, mood " + mood + ", iv interval, big text, "
                        + "tt timetz, mo money, ia int4[], i8a int8[], ta text[], va varchar(3)[], fa float8[], f4a real[], "
                        + "ba bytea[], na numeric[], pt point, bx box, bt bit(3), b1 bit(1), vb varbit(8), ip inet, "
                        + "ch1 \"char\", dom " + domain + ", moods " + mood + "[], color " + schema + ".color, "
                        // Known differences: NOT NULL on a non-key column, a domain's length, an identity column.
                        + "nn text NOT NULL DEFAULT '', dvc " + shortText + ", seq bigint GENERATED ALWAYS AS IDENTITY)",
                // Out of line without compression: an update that does not touch it sends 'u'.
                "ALTER TABLE " + table + " ALTER COLUMN big SET STORAGE EXTERNAL",
                "CREATE TABLE " + bad + " (id int PRIMARY KEY, n numeric, ts timestamp, tz timestamptz, tt timetz)",
                // The publication before the slot, or decoding fails.
                "CREATE PUBLICATION " + publication + " FOR TABLE " + table + ", " + bad);
        DB.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");

        String columns = "(id, i2, i4, i8, n, n102, f4, f8, b, tx, vc, ch, by, d, tm, tm3, ts3, ts, tz, js, jb, u, mood, iv, "
                + "big, tt, mo, ia, i8a, ta, va, fa, f4a, ba, na, pt, bx, bt, b1, vb, ip, ch1, dom, moods, color, nn, dvc)";
        DB.execute("BEGIN",
                "INSERT INTO " + table + " " + columns + " VALUES "
                        + "(1, 7, 42, 1234567890123, 1.50, 12.34, 1.1, 0.1, true, 'héllo wörld ✓ 😀', 'varchar', 'ab', "
                        + "'\\x00ff10', '2024-02-29', '13:45:07.123456', '13:45:07.1236', '2024-02-29 13:45:07.123456', "
                        + "'2024-02-29 13:45:07.123456', '2024-02-29 13:45:07.123456+02', '{\"a\" :  1}', "
                        + "'{\"b\":2,  \"a\" : [1, 2.50]}', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'happy', "
                        + "'1 year 2 mons 3 days 04:05:06.789', " + BIG + ", '13:45:07.5+05:30', 12.34, '{1,NULL,3}', "
                        + "'{9223372036854775807}', '{\"a b\",\"\",NULL,\"q\\\"x\",\"NULL\"}', '{\"x,y\",z}', '{0.1,NaN,1e22,-0}', "
                        + "'{1.1,2}', '{\"\\\\x01ab\",\"\\\\x\"}', '{1.50,2}', '(1,2.5)', '((1,2),(3,4))', B'101', B'1', B'10101', "
                        + "'10.0.0.1/8', 'x', 7, '{happy,sad}', 'red', 'not null', 'abc'), "
                        + "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                        + "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                        + "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL), "
                        + "(3, -32768, -2147483648, -9223372036854775808, -0.000, -99999999.99, 'NaN', 'NaN', false, '', '', '', "
                        + "'\\x', '0044-03-15 BC', '00:00:00', '23:59:59.999', '0044-03-15 13:00:00 BC', '4713-01-01 00:00:00 BC', "
                        + "'1900-01-01 00:00:00+00', '[]', '{}', '00000000-0000-0000-0000-000000000000', 'sad', '-1 day', '', "
                        + "'00:00:00+00', -1, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '(0,0)', '((0,0),(0,0))', B'000', "
                        + "B'0', B'', '::1', ' ', -1, '{}', 'green', '', ''), "
                        + "(4, 32767, 2147483647, 9223372036854775807, 123456789012345678901234567890.123456789, 99999999.99, "
                        + "'Infinity', '-Infinity', true, 'multi\nline\ttab \\ back', 'ñ', 'abcde', '\\xdeadbeef', 'infinity', "
                        + "'24:00:00', '00:00:00.001', '9999-12-31 23:59:59.999', '0001-01-01 00:00:00', "
                        + "'0044-03-15 13:00:00+00 BC', '[1, \"two\", null]', '{\"nested\": {\"k\": \"v\"}}', "
                        + "'ffffffff-ffff-ffff-ffff-ffffffffffff', 'ok', '00:00:00.000001', 'short', '23:59:59.999999-15:59', "
                        + "0.01, '{{1,2},{3,4}}', '{-1}', '{{a,b},{c,NULL}}', '{NULL}', '{Infinity,-Infinity,5e-324}', "
                        + "'{-0,3.4028235e38}', '{NULL}', '{NULL}', '(-1e-5,1e+300)', '((-1,-2),(1e10,0.5))', B'111', B'1', "
                        + "B'1', '2001:db8::/32', 'é', 2147483647, '{}', 'red', 'x', 'abcde'), "
                        + "(5, 0, 0, 0, 0, 0, '3.4028235e38', '1.7976931348623157e308', false, 'x', 'x', 'x', '\\x00', "
                        + "'-infinity', '12:00:00', '12:00:00', '1970-01-01 00:00:00', '1969-12-31 23:59:59.999999', "
                        + "'2024-06-01 00:00:00.5+00', 'null', 'null', '12345678-1234-1234-1234-123456789abc', 'sad', "
                        + "'P1Y2M3DT4H5M6S', 'x', '12:00:00.25+01', 1000000, '[5:6]={7,8}', '{0}', '{\"\"}', '{\"\"}', "
                        + "'{1.5}', '{0.1}', '{\"\\\\x00\"}', '{-0.000}', '(1.5,-2)', '((1,1),(1,1))', B'010', B'0', B'00000001', "
                        + "'192.168.0.1', 'Z', 0, '{ok}', 'green', 'y', NULL)",
                "COMMIT");
        DB.execute("UPDATE " + table + " SET i4 = i4 + 1, tx = 'changed' WHERE id = 1");
        DB.execute("UPDATE " + table + " SET id = 10 WHERE id = 2");
        DB.execute("DELETE FROM " + table + " WHERE id = 3");
        DB.execute("BEGIN", "SELECT pg_logical_emit_message(true, 'ferry', 'marker')", "COMMIT");
        DB.execute("SELECT pg_logical_emit_message(false, 'ferry', 'heartbeat')");
        DB.execute("INSERT INTO " + bad + " VALUES (1, 'NaN', NULL, NULL, NULL), (2, 'Infinity', NULL, NULL, NULL), "
                + "(3, NULL, 'infinity', NULL, NULL), (4, NULL, '-infinity', NULL, NULL), (5, NULL, NULL, 'infinity', NULL), "
                + "(6, NULL, '294276-12-31 23:59:59', NULL, NULL), (7, NULL, NULL, NULL, '24:00:00+02'), "
                + "(8, '-Infinity', NULL, NULL, NULL)");
        // Batch reads before the truncate below.
        Batch batch = readBatch(table);
        Batch badBatch = readBatch(bad);
        DB.execute("TRUNCATE " + bad);

        List<PgOutputMessage> messages = changes("Asia/Kathmandu");

        // ---- the message sequence
        List<String> shape = new ArrayList<>();
        for (PgOutputMessage message : messages) {
            shape.add(message.getClass().getSimpleName());
        }
        assertEquals(List.of(
                "Begin", "TypeInfo", "TypeInfo", "TypeInfo", "TypeInfo", "TypeInfo", "Relation",
                "Insert", "Insert", "Insert", "Insert", "Insert", "Commit",
                "Begin", "Update", "Commit",
                "Begin", "Update", "Commit",
                "Begin", "Delete", "Commit",
                "Begin", "LogicalMessage", "Commit",
                "LogicalMessage",
                "Begin", "Relation", "Insert", "Insert", "Insert", "Insert", "Insert", "Insert", "Insert", "Insert", "Commit",
                // TRUNCATE gives the table a new file, which makes pgoutput send its Relation again.
                "Begin", "Relation", "Truncate", "Commit"), shape);

        Map<Integer, TypeInfo> types = new HashMap<>();
        Map<Integer, Relation> relations = new HashMap<>();
        for (PgOutputMessage message : messages) {
            if (message instanceof TypeInfo type) {
                types.put(type.oid(), type);
            } else if (message instanceof Relation relation) {
                relations.put(relation.oid(), relation);
            }
        }
        Relation relation = relations.values().stream().filter(r -> r.name().equals(table)).findFirst().orElseThrow();
        assertEquals("public", relation.namespace());
        assertEquals('d', relation.replicaIdentity());
        assertEquals(batch.schema.arity(), relation.columns().size());
        assertTrue(relation.columns().get(0).key());
        assertEquals(1, relation.columns().stream().filter(RelationColumn::key).count());
        // The types pgoutput names: the enum, its array, the schema's enum and both domains (by their base types).
        assertEquals(Map.of(mood, "public", "_" + mood, "public", "color", schema, "int4", "pg_catalog", "varchar", "pg_catalog"),
                types.values().stream().collect(java.util.stream.Collectors.toMap(TypeInfo::name, TypeInfo::namespace)));

        // ---- transactions: commit times and LSNs
        List<Begin> begins = messages.stream().filter(Begin.class::isInstance).map(Begin.class::cast).toList();
        List<Commit> commits = messages.stream().filter(Commit.class::isInstance).map(Commit.class::cast).toList();
        long now = System.currentTimeMillis() * 1000;
        for (int i = 0; i < begins.size(); i++) {
            assertEquals(begins.get(i).finalLsn(), commits.get(i).commitLsn());
            assertEquals(begins.get(i).commitMicros(), commits.get(i).commitMicros());
            assertTrue(commits.get(i).endLsn() > commits.get(i).commitLsn());
            assertTrue(Math.abs(now - commits.get(i).commitMicros()) < 600_000_000L, "commit time is now, in UNIX micros");
        }

        // ---- the columns: as the batch source describes them, but for the documented differences
        List<PgColumnType> columnTypes = PgColumnType.of(relation, types::get);
        for (int i = 0; i < columnTypes.size(); i++) {
            Column streamed = columnTypes.get(i).column();
            Column read = batch.schema.column(i);
            switch (read.name()) {
                case "nn" -> {
                    // pgoutput does not carry NOT NULL.
                    assertEquals(new Column("nn", read.type(), true, read.precision(), read.scale(), read.nativeType()), streamed);
                    assertFalse(read.nullable());
                    assertEquals(read, PgColumnType.of(relation.columns().get(i), null, false).column());
                }
                case "dvc" -> {
                    // A domain's own length is not in the stream: the base type without typmod.
                    assertEquals(new Column("dvc", read.type(), true, 0, 0, "varchar"), streamed);
                    assertEquals(5, read.precision());
                }
                case "seq" -> {
                    // pgjdbc names an identity (or serial) column's type "bigserial"; the stream sees int8.
                    assertEquals(new Column("seq", read.type(), true, 0, 0, "int8"), streamed);
                    assertEquals("bigserial", read.nativeType());
                }
                default -> assertEquals(read, streamed, "column " + read.name());
            }
        }

        // ---- the changes, applied in order to the inserted rows, give the rows the batch source reads
        int big = indexOf(relation, "big");
        Map<Long, Object[]> rows = new TreeMap<>();
        RecordingSink sink = new RecordingSink(columnTypes.size());
        for (PgOutputMessage message : messages) {
            if (message instanceof Insert insert && insert.relationOid() == relation.oid()) {
                Object[] row = row(columnTypes, insert.newTuple(), null, sink);
                rows.put((Long) row[0], row);
            } else if (message instanceof Update update) {
                assertEquals(relation.oid(), update.relationOid());
                TupleData next = update.newTuple();
                long oldKey = update.oldTuple() != null ? Long.parseLong(update.oldTuple().text(0)) : Long.parseLong(next.text(0));
                Object[] before = rows.remove(oldKey);
                assertNotNull(before, "row " + oldKey + " was inserted");
                Object[] row = row(columnTypes, next, before, sink);
                rows.put((Long) row[0], row);
                if (oldKey == 1) {
                    assertNull(update.oldTuple(), "no old tuple when the key is unchanged");
                    assertEquals(TupleData.UNCHANGED, next.kind(big), "the untouched TOASTed value is not sent");
                    assertEquals(TupleData.TEXT, next.kind(indexOf(relation, "tx")));
                } else {
                    assertTrue(update.oldIsKeyOnly(), "the old key of a key change");
                    assertEquals("2", update.oldTuple().text(0));
                    for (int c = 1; c < update.oldTuple().size(); c++) {
                        assertTrue(update.oldTuple().isNull(c), "only the key in a 'K' tuple");
                    }
                    assertEquals("10", next.text(0));
                }
            } else if (message instanceof Delete delete) {
                assertTrue(delete.oldIsKeyOnly());
                assertEquals("3", delete.oldTuple().text(0));
                assertNotNull(rows.remove(Long.parseLong(delete.oldTuple().text(0))));
            }
        }
        assertEquals(Arrays.asList(1L, 4L, 5L, 10L), new ArrayList<>(rows.keySet()));
        assertEquals(rows.size(), batch.rows.size());
        for (Object[] read : batch.rows) {
            Object[] streamed = rows.get((Long) read[0]);
            for (int c = 0; c < read.length; c++) {
                String name = batch.schema.column(c).name();
                if (name.equals("seq")) {
                    continue; // generated by the server, not inserted: checked below
                }
                assertTrue(same(read[c], streamed[c]), "row " + read[0] + " column " + name + ": batch "
                        + show(read[c]) + ", stream " + show(streamed[c]));
            }
            assertEquals(read[indexOf(relation, "seq")], streamed[indexOf(relation, "seq")]);
        }
        // Some values, spelled out, so that a shared mistake on both sides cannot pass unnoticed.
        assertEquals(new BigDecimal("1.50"), rows.get(1L)[indexOf(relation, "n")]);
        assertEquals(1.100000023841858, rows.get(1L)[indexOf(relation, "f4")]);
        assertEquals(43L, rows.get(1L)[indexOf(relation, "i4")]);
        assertEquals(4800, ((String) rows.get(1L)[big]).length(), "the TOASTed value from the insert");
        assertEquals("08:15:07.5+00", rows.get(1L)[indexOf(relation, "tt")]);
        assertEquals(1_709_207_107_123_456L, rows.get(1L)[indexOf(relation, "tz")]);
        assertEquals(java.time.LocalDate.MAX.toEpochDay(), rows.get(4L)[indexOf(relation, "d")]);

        // ---- values the batch source cannot read either
        Relation badRelation = relations.values().stream().filter(r -> r.name().equals(bad)).findFirst().orElseThrow();
        List<PgColumnType> badTypes = PgColumnType.of(badRelation, types::get);
        assertEquals(8, badBatch.dirty.size(), "the batch source reports every bad row dirty: " + badBatch.dirty);
        assertTrue(badBatch.rows.isEmpty());
        int rejected = 0;
        for (PgOutputMessage message : messages) {
            if (message instanceof Insert insert && insert.relationOid() == badRelation.oid()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> row(badTypes, insert.newTuple(), null, new RecordingSink(badTypes.size())));
                assertTrue(e.getMessage().startsWith("column '"), e.getMessage());
                rejected++;
            }
        }
        assertEquals(8, rejected);
        Truncate truncate = messages.stream().filter(Truncate.class::isInstance).map(Truncate.class::cast).findFirst().orElseThrow();
        assertEquals(new Truncate(0, new int[] {badRelation.oid()}), truncate);

        List<LogicalMessage> logical = messages.stream().filter(LogicalMessage.class::isInstance).map(LogicalMessage.class::cast).toList();
        assertEquals(List.of(true, false), logical.stream().map(LogicalMessage::transactional).toList());
        assertEquals("ferry", logical.get(0).prefix());
        assertEquals("marker", new String(logical.get(0).content(), StandardCharsets.UTF_8));
        assertEquals("heartbeat", new String(logical.get(1).content(), StandardCharsets.UTF_8));
    }

    /** The row a change makes: each column parsed, an unchanged ('u') column taken from the row before. */
    private static Object[] row(List<PgColumnType> types, TupleData tuple, Object[] before, RecordingSink sink) {
        assertEquals(types.size(), tuple.size());
        for (int c = 0; c < tuple.size(); c++) {
            if (tuple.isUnchanged(c)) {
                assertNotNull(before, "an unchanged value in an insert");
                sink.setNull(c);
            } else {
                types.get(c).set(sink, c, tuple, c);
            }
        }
        sink.emit();
        Object[] row = sink.rows.remove(sink.rows.size() - 1);
        for (int c = 0; c < tuple.size(); c++) {
            if (tuple.isUnchanged(c)) {
                row[c] = before[c];
            }
        }
        return row;
    }

    private static int indexOf(Relation relation, String column) {
        for (int i = 0; i < relation.columns().size(); i++) {
            if (relation.columns().get(i).name().equals(column)) {
                return i;
            }
        }
        throw new AssertionError("no column " + column);
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return Objects.equals(a, b);
    }

    private static String show(Object value) {
        if (value instanceof byte[] bytes) {
            return Arrays.toString(bytes);
        }
        return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
    }

    // ---------------------------------------------------------------- every built-in type's column

    @Test
    void everyBuiltInColumnTypeMapsAsTheBatchSourceMapsIt() throws SQLException {
        cleanup.add("DROP TABLE IF EXISTS " + table);
        DB.execute("CREATE TABLE " + table + " (id int PRIMARY KEY)");
        List<String> added = new ArrayList<>();
        List<String> typeNames = new ArrayList<>(List.of("numeric(10,2)", "numeric(5)", "numeric(1000,3)", "numeric(3,-2)",
                "varchar(10)", "char(5)", "time(0)", "time(1)", "time(3)", "timetz(0)", "timetz(1)", "timetz(2)",
                "timestamp(0)", "timestamp(1)", "timestamp(3)", "timestamptz(0)", "timestamptz(4)", "interval(3)",
                "interval day to second", "bit(3)", "bit(1)", "bit(64)", "varbit(5)", "varchar(4)[]", "numeric(6,2)[]",
                "char(3)[]", "bit(4)[]", "timestamp(2)[]", "timetz(3)[]", "time(5)[]", "interval(2)[]", "varbit(7)[]"));
        try (Connection connection = DB.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT typname FROM pg_type WHERE oid < 10000 AND typtype IN ('b', 'r', 'm')"
                     + " ORDER BY oid")) {
            while (rs.next()) {
                typeNames.add("pg_catalog." + rs.getString(1));
            }
        }
        try (Connection connection = DB.connect(); Statement statement = connection.createStatement()) {
            for (String type : typeNames) {
                String column = "c" + added.size();
                try {
                    statement.execute("ALTER TABLE " + table + " ADD COLUMN " + column + " " + type);
                    added.add(type);
                } catch (SQLException e) {
                    // Some internal types cannot be column types.
                }
            }
        }
        assertTrue(added.size() > 150, "columns of " + added.size() + " types");
        DB.execute("CREATE PUBLICATION " + publication + " FOR TABLE " + table);
        DB.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        DB.execute("INSERT INTO " + table + " (id) VALUES (1)");
        List<PgOutputMessage> messages = changes("UTC");
        Relation relation = (Relation) messages.stream().filter(Relation.class::isInstance).findFirst().orElseThrow();
        assertTrue(messages.stream().noneMatch(TypeInfo.class::isInstance), "built-in types need no Type message");

        TableSchema schema;
        try (Source source = CONNECTOR.createSource(MapConfig.source(CONNECTOR, DB.options("table", table)))) {
            source.prepare(new RecordingContext("pgoutput-it", 1));
            schema = source.schema();
        }
        assertEquals(schema.arity(), relation.columns().size());
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < schema.arity(); i++) {
            Column streamed = PgColumnType.of(relation.columns().get(i), (TypeInfo) null).column();
            if (!streamed.equals(schema.column(i))) {
                mismatches.add((i == 0 ? "id" : added.get(i - 1)) + ": batch " + schema.column(i) + ", stream " + streamed);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    // ---------------------------------------------------------------- a replication stream

    @Test
    void theBuffersOfAReplicationStreamDecodeWhateverTheWalsendersTimeZone() throws Exception {
        cleanup.add("DROP TABLE IF EXISTS " + table);
        DB.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, tz timestamptz, d date, f8 float8, n numeric(12,3), tx text)",
                "CREATE PUBLICATION " + publication + " FOR TABLE " + table);
        DB.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        DB.execute("INSERT INTO " + table + " VALUES (1, '2024-02-29 13:45:07.123456+00', '0044-03-15 BC', 0.1, 1.5, 'ü'), "
                + "(2, '1900-06-01 00:00:00+00', 'infinity', 'NaN', -0.001, '')");
        Batch batch = readBatch(table);

        List<PgOutputMessage> messages = new ArrayList<>();
        List<String> zonedTexts = new ArrayList<>();
        // pgjdbc gives the walsender the JVM's time zone; a zone with a 45-minute offset shows it is parsed.
        java.util.TimeZone jvmZone = java.util.TimeZone.getDefault();
        Connection connection;
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Asia/Kathmandu"));
        try {
            connection = replicationConnection();
        } finally {
            java.util.TimeZone.setDefault(jvmZone);
        }
        try (connection) {
            org.postgresql.replication.PGReplicationStream stream = connection.unwrap(org.postgresql.PGConnection.class)
                    .getReplicationAPI().replicationStream().logical()
                    .withSlotName(slot)
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", publication)
                    .withAutomaticFlush(false)
                    .start();
            try {
                while (messages.isEmpty() || !(messages.get(messages.size() - 1) instanceof Commit)) {
                    // Blocks until the walsender sends; the socket timeout fails the test instead of hanging it.
                    ByteBuffer buffer = stream.read();
                    PgOutputMessage message = PgOutputDecoder.decode(buffer);
                    messages.add(message);
                    if (message instanceof Insert insert) {
                        zonedTexts.add(insert.newTuple().text(1));
                    }
                }
            } finally {
                stream.close();
            }
        }
        assertEquals(List.of("Begin", "Relation", "Insert", "Insert", "Commit"),
                messages.stream().map(m -> m.getClass().getSimpleName()).toList());
        assertEquals(List.of("2024-02-29 19:30:07.123456+05:45", "1900-06-01 05:41:16+05:41:16"), zonedTexts);

        Relation relation = (Relation) messages.get(1);
        List<PgColumnType> types = PgColumnType.of(relation, oid -> null);
        for (int i = 0; i < types.size(); i++) {
            assertEquals(batch.schema.column(i), types.get(i).column());
        }
        RecordingSink sink = new RecordingSink(types.size());
        for (PgOutputMessage message : messages) {
            if (message instanceof Insert insert) {
                sink.rows.add(row(types, insert.newTuple(), null, sink));
            }
        }
        assertEquals(batch.rows.size(), sink.rows.size());
        for (int r = 0; r < batch.rows.size(); r++) {
            for (int c = 0; c < types.size(); c++) {
                assertTrue(same(batch.rows.get(r)[c], sink.rows.get(r)[c]), "row " + r + " column " + c + ": batch "
                        + show(batch.rows.get(r)[c]) + ", stream " + show(sink.rows.get(r)[c]));
            }
        }
    }

    /** A replication connection as the database notes describe it, with a socket timeout so that no read hangs. */
    private static Connection replicationConnection() throws SQLException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", DB.user());
        properties.setProperty("password", DB.password());
        properties.setProperty("replication", "database");
        properties.setProperty("assumeMinServerVersion", "9.4");
        properties.setProperty("preferQueryMode", "simple");
        properties.setProperty("socketTimeout", "30");
        return java.sql.DriverManager.getConnection(DB.url(), properties);
    }

    // ---------------------------------------------------------------- helpers

    /** Every change in the slot, decoded, read in a session whose TimeZone is {@code timeZone}. */
    private List<PgOutputMessage> changes(String timeZone) throws SQLException {
        List<PgOutputMessage> messages = new ArrayList<>();
        try (Connection connection = DB.connect()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TIME ZONE '" + timeZone + "'");
            }
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT data FROM pg_logical_slot_get_binary_changes(?, NULL, NULL, 'proto_version', '1', "
                            + "'publication_names', ?, 'messages', 'true')")) {
                statement.setString(1, slot);
                statement.setString(2, publication);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        messages.add(PgOutputDecoder.decode(ByteBuffer.wrap(rs.getBytes(1))));
                    }
                }
            }
        }
        return messages;
    }

    /** What the batch source reads from a table: its schema, its rows and the rows it reported dirty. */
    private record Batch(TableSchema schema, List<Object[]> rows, List<CollectingRecordSink.Dirty> dirty) {
    }

    private static Batch readBatch(String table) {
        try (Source source = CONNECTOR.createSource(MapConfig.source(CONNECTOR, DB.options("table", table)))) {
            RecordingContext context = new RecordingContext("pgoutput-it", 1);
            source.prepare(context);
            CollectingRecordSink sink = new CollectingRecordSink(source.schema());
            for (Split split : source.planSplits(context)) {
                try (SourceReader reader = source.createReader(split)) {
                    reader.read(sink);
                }
            }
            return new Batch(source.schema(), sink.rows(), sink.dirty());
        }
    }
}
