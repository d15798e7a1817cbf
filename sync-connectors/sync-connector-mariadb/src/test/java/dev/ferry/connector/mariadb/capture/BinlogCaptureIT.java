package dev.ferry.connector.mariadb.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.data.TableSchema;
import dev.ferry.connector.jdbc.TableName;
import dev.ferry.connector.jdbc.testing.MapConfig;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.connector.mariadb.MariaDbConnector;
import dev.ferry.engine.testing.RecordingContext;
import java.io.Serializable;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Row events read from the real server's binlog and converted with {@link BinlogColumnType} give
 * exactly what the batch reader (MariaDbDialect over Connector/J, UTC session) reads from the same
 * rows, for every supported type; the JVM runs in Asia/Shanghai meanwhile to show that nothing
 * depends on its zone.
 */
class BinlogCaptureIT {

    private static final TestDatabase DB = TestDatabase.MARIADB;
    private static final long WAIT_SECONDS = 30;

    private final List<String> tables = new ArrayList<>();
    private TimeZone savedZone;

    @BeforeEach
    void setUp() {
        savedZone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Shanghai"));
        DB.assumeReachable();
    }

    @AfterEach
    void tearDown() {
        TimeZone.setDefault(savedZone);
        for (String table : tables) {
            DB.execute("DROP TABLE IF EXISTS `" + table + "`");
        }
    }

    private String createTable(String prefix, String columns) {
        String name = TestDatabase.uniqueName(prefix);
        tables.add(name);
        DB.execute("CREATE TABLE `" + name + "` (" + columns + ")");
        return name;
    }

    // ---------------------------------------------------------------- every type

    private static final String ALL_TYPES = "id int primary key, "
            + "ti tinyint, tiu tinyint unsigned, si smallint, siu smallint unsigned, mi mediumint, miu mediumint unsigned, "
            + "i int, iu int unsigned, bi bigint, biu bigint unsigned, "
            + "d1 decimal(10,2), d2 decimal(65,30), d3 decimal(5,0) unsigned, "
            + "f float, f2 float(10,3), db double, db2 double(10,2), "
            + "b1 bit(1), b8 bit(8), b64 bit(64), t1 tinyint(1), bo boolean, "
            + "c10 char(10) character set utf8mb4, vc varchar(300) character set utf8mb4 not null default '', "
            + "tx text character set utf8mb4, ltx longtext character set utf8mb4, "
            + "cl char(5) character set latin1, vl varchar(20) character set latin1, tl text character set latin1, "
            + "bn binary(4), vb varbinary(10), bl blob, "
            + "dt date, tm time(6), tm0 time, dtt datetime, dtt6 datetime(6), dtt3 datetime(3), "
            + "ts timestamp(6) null, ts0 timestamp null, yr year, "
            + "e enum('a','b c','it''s','é','back\\\\slash'), st set('x','y','z'), j json, "
            + "hidden int invisible, tail varchar(5), "
            + "virt bigint as (i + 1) virtual, stor varchar(10) as (concat(tail, '!')) stored";

    private static final String[] ROWS = {
        // 1: NULL everywhere it may be
        "(1, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, "
            + "null, null, null, null, null, null, default, null, null, null, null, null, null, null, null, "
            + "null, null, null, null, null, null, null, null, null, null, null, null, null, null)",
        // 2: minimum values, empty strings
        "(2, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, -99999999.99, "
            + "-99999999999999999999999999999999999.999999999999999999999999999999, 0, -3.40282e38, -1234567.891, "
            + "-1.7976931348623157e308, -12345678.91, b'0', b'0', b'0', 0, false, '', '', '', '', '', '', '', "
            + "x'00', '', '', '1000-01-01', '00:00:00', '00:00:00', '1000-01-01 00:00:00', '0001-01-01 00:00:00', "
            + "'1000-01-01 00:00:00.000', '1970-01-01 02:00:01', '1970-01-01 02:00:01', 1901, 'a', '', '[]', -1, '')",
        // 3: maximum values, unicode and emoji
        "(3, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, "
            + "18446744073709551615, 99999999.99, 99999999999999999999999999999999999.999999999999999999999999999999, "
            + "99999, 3.40282e38, 1234567.891, 1.7976931348623157e308, 12345678.91, b'1', b'11111111', "
            + "b'1000000000000000000000000000000000000000000000000000000000000000', 1, true, "
            + "'日本語😀éx   ', 'Grüße 😀 مرحبا \\\\ \\' \" \\n\\t end', REPEAT('ü😀', 1000), REPEAT('long Ω ', 20000), "
            + "'café€', 'Ÿ‰Œ€ ÿ', CONCAT('x', CONVERT(x'818D8F909D' USING latin1), 'y'), "
            + "x'01020304', x'00ff00', UNHEX(REPEAT('00FF7F80', 100)), '9999-12-31', '23:59:59.999999', '23:59:59', "
            + "'9999-12-31 23:59:59', '9999-12-31 23:59:59.999999', '2024-02-29 12:34:56.789', "
            + "'2038-01-19 05:14:07.999999', '2038-01-19 05:14:07', 2155, 'é', 'x,y,z', "
            + "'{\"a\": [1, 2.5, \"ü\", true], \"b\": null, \"c\": {\"d\": \"😀\"}}', 2147483647, 'tail')",
        // 4: ordinary values and old calendar dates
        "(4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12.30, 0.000000000000000000000000000001, 42, 1.1, 0.001, 0.1, 3.14, "
            + "b'1', b'00000110', b'101', 2, -1, 'abc   ', 'trailing spaces   ', 'line\\nbreak', 'x', 'a b', 'Ä', "
            + "'àé', x'0102', x'', x'', '1582-10-10', '12:34:56.5', '08:00:00', '1582-10-05 10:00:00', "
            + "'1500-02-28 23:59:59.000001', '0100-03-01 00:00:00.001', '2024-03-31 02:30:00.123456', "
            + "'2024-01-01 08:00:00', 0, 'it''s', 'z,x', '\"just a string\"', 7, 'four')",
        // 5: deleted later
        "(5, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -0.01, -0.5, 1, -0.333333333, -0.5, -2.2250738585072014e-308, -0.01, "
            + "b'0', b'1', b'1', 0, 0, 'z', 'to delete', 'gone', 'gone', 'z', 'z', 'z', x'ff', x'ff', x'ff', "
            + "'2000-01-01', '00:00:00.000001', '00:00:01', '2000-01-01 00:00:00', '2000-01-01 00:00:00.5', "
            + "'2000-01-01 00:00:00.5', '2000-01-01 00:00:00', '2000-01-01 00:00:00', 2000, 'b c', 'y', 'null', 5, 'del')",
        // 6: the backslash member and an updated row
        "(6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16777217, 0, 123456789.123456789, 0, b'0', b'0', b'0', 0, 0, "
            + "'', 'before update', '', '', '', '', '', x'', x'', x'', '2024-02-29', '00:00:00', '00:00:00', "
            + "'2024-02-29 00:00:00', '2024-02-29 00:00:00', '2024-02-29 00:00:00', '2024-02-29 00:00:00', "
            + "'2024-02-29 00:00:00', 2024, 'back\\\\slash', 'x,z', '{}', 6, 'six')",
    };

    @Test
    void everyTypeReadsFromTheBinlogAsTheBatchReaderReadsIt() throws Exception {
        String name = createTable("binlog_types", ALL_TYPES);
        BinlogPosition start;
        BinlogTable table;
        try (Connection connection = DB.connect()) {
            BinlogSettings settings = BinlogSettings.read(connection);
            assertEquals(List.of(), settings.check(), "the test server is set up for change capture");
            start = BinlogSettings.currentPosition(connection);
            table = BinlogTable.read(connection, new TableName(null, name));
        }
        // TIMESTAMP values are written in a +02:00 session: they are instants, DATETIME values wall clocks.
        DB.execute("SET time_zone = '+02:00'", "INSERT INTO `" + name + "` (id, ti, tiu, si, siu, mi, miu, i, iu, bi, biu, "
                + "d1, d2, d3, f, f2, db, db2, b1, b8, b64, t1, bo, c10, vc, tx, ltx, cl, vl, tl, bn, vb, bl, dt, tm, tm0, "
                + "dtt, dtt6, dtt3, ts, ts0, yr, e, st, j, hidden, tail) VALUES " + String.join(", ", ROWS));
        Map<Long, List<String>> inserted = byId(readBatch(name));
        DB.execute("UPDATE `" + name + "` SET vc = 'after update 😀', f = 2.5, ts = '2030-06-01 12:00:00', "
                + "dtt6 = '1999-12-31 23:59:59.999999', e = 'a', st = 'y', b64 = b'11', hidden = 66 WHERE id = 6",
                "DELETE FROM `" + name + "` WHERE id = 5");
        Map<Long, List<String>> after = byId(readBatch(name));
        BinlogPosition end;
        try (Connection connection = DB.connect()) {
            end = BinlogSettings.currentPosition(connection);
        }
        assertTrue(end.compareTo(start) > 0, start + " before " + end);

        // The schema is the batch reader's, column for column.
        try (Source source = source(name)) {
            source.prepare(new RecordingContext("binlog", 1));
            assertEquals(source.schema().columns(), table.schema().columns());
            assertEquals(source.schema().primaryKey(), table.schema().primaryKey());
            assertEquals(source.schema().name(), table.schema().name());
        }

        List<TableMapEventData> maps = new ArrayList<>();
        List<Change> changes = readBinlog(start, end, name, false, maps);
        assertFalse(maps.isEmpty());
        for (TableMapEventData map : maps) {
            assertEquals(null, table.mismatch(map), "the table map agrees with information_schema");
        }
        List<String> kinds = changes.stream().map(Change::kind).toList();
        assertEquals(List.of("insert", "insert", "insert", "insert", "insert", "insert", "update", "delete"), kinds);
        for (Change change : changes.subList(0, 6)) {
            List<String> row = convert(table, change.after());
            assertEquals(inserted.get(id(row)), row, "inserted row " + id(row));
        }
        Change update = changes.get(6);
        assertEquals(inserted.get(6L), convert(table, update.before()), "row 6 before the update");
        assertEquals(after.get(6L), convert(table, update.after()), "row 6 after the update");
        Change delete = changes.get(7);
        assertEquals(inserted.get(5L), convert(table, delete.before()), "deleted row 5");
        assertFalse(after.containsKey(5L));

        // A few values spelled out, so that a change on both sides at once would still show.
        List<String> max = inserted.get(3L);
        TableSchema schema = table.schema();
        assertEquals("object:java.math.BigDecimal:18446744073709551615", max.get(schema.indexOf("biu")));
        assertEquals("long:4294967295", max.get(schema.indexOf("iu")));
        assertEquals("long:-9223372036854775808", max.get(schema.indexOf("b64")));
        assertEquals("object:java.lang.String:x\u0081\u008D\u008F\u0090\u009Dy", max.get(schema.indexOf("tl")));
        assertEquals("object:java.lang.String:日本語😀éx", max.get(schema.indexOf("c10")));
        List<String> old = inserted.get(4L);
        assertEquals("long:" + java.time.LocalDate.of(1582, 10, 10).toEpochDay(), old.get(schema.indexOf("dt")));
        assertEquals("long:0", old.get(schema.indexOf("yr")));
        assertEquals("object:[B:01020000", old.get(schema.indexOf("bn")));
        assertEquals("long:" + dev.ferry.connector.jdbc.TimeCodec.micros(java.time.Instant.parse("2024-03-31T00:30:00.123456Z")),
                old.get(schema.indexOf("ts")));
        assertEquals("object:java.lang.String:x,z", old.get(schema.indexOf("st")));
        assertEquals("object:java.math.BigDecimal:12.30", old.get(schema.indexOf("d1")));
        // DATETIME is the wall clock as written, in a +02:00 session and an Asia/Shanghai JVM alike.
        assertEquals("long:" + dev.ferry.connector.jdbc.TimeCodec.micros(java.time.LocalDateTime.of(2024, 2, 29, 12, 34, 56,
                789_000_000)), max.get(schema.indexOf("dtt3")));
        assertEquals("long:" + java.time.LocalTime.of(12, 34, 56, 500_000_000).toNanoOfDay(), old.get(schema.indexOf("tm")));
    }

    @Test
    void theGtidPositionStartsWhereItsFileAndOffsetDo() throws Exception {
        String name = createTable("binlog_gtid", "id int primary key, v varchar(10)");
        DB.execute("INSERT INTO `" + name + "` VALUES (1, 'before')");
        BinlogPosition start;
        BinlogTable table;
        try (Connection connection = DB.connect()) {
            start = BinlogSettings.currentPosition(connection);
            table = BinlogTable.read(connection, new TableName(null, name));
        }
        assertTrue(start.hasGtidSet(), "MariaDB reports the GTID position of " + start);
        assertEquals(start, BinlogPosition.parse(start.asText()));
        DB.execute("INSERT INTO `" + name + "` VALUES (2, 'after')", "UPDATE `" + name + "` SET v = 'later' WHERE id = 2");
        BinlogPosition end;
        try (Connection connection = DB.connect()) {
            end = BinlogSettings.currentPosition(connection);
        }
        List<Change> byFile = readBinlog(start, end, name);
        List<Change> byGtid = readBinlog(start, end, name, true, new ArrayList<>());
        assertEquals(List.of("insert", "update"), byFile.stream().map(Change::kind).toList());
        assertEquals(byFile.stream().map(Change::kind).toList(), byGtid.stream().map(Change::kind).toList());
        for (int i = 0; i < byFile.size(); i++) {
            assertEquals(convert(table, byFile.get(i).after()), convert(table, byGtid.get(i).after()));
        }
        assertEquals(List.of("long:2", "object:java.lang.String:after"), convert(table, byGtid.get(0).after()));
    }

    @Test
    void aTableChangedSinceItWasDescribedIsNoticed() throws Exception {
        String name = createTable("binlog_alter", "id int primary key, v varchar(10)");
        BinlogTable twoColumns;
        BinlogTable threeColumns;
        try (Connection connection = DB.connect()) {
            twoColumns = BinlogTable.read(connection, new TableName(null, name));
            DB.execute("ALTER TABLE `" + name + "` ADD x int");
            threeColumns = BinlogTable.read(connection, new TableName(null, name));
            DB.execute("ALTER TABLE `" + name + "` CHANGE v w varchar(10)");
        }
        BinlogPosition from;
        try (Connection connection = DB.connect()) {
            from = BinlogSettings.currentPosition(connection);
        }
        DB.execute("INSERT INTO `" + name + "` VALUES (2, 'b', 3)");
        BinlogPosition end;
        try (Connection connection = DB.connect()) {
            end = BinlogSettings.currentPosition(connection);
        }
        List<TableMapEventData> maps = new ArrayList<>();
        List<Change> changes = readBinlog(from, end, name, false, maps);
        assertEquals(1, changes.size());
        TableMapEventData map = maps.get(0);
        assertEquals("table map of test." + name + " has 3 columns, " + name + " was described with 2",
                twoColumns.mismatch(map));
        assertEquals("column 2 of test." + name + " is 'w' in the table map, 'v' in the description of " + name,
                threeColumns.mismatch(map));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> twoColumns.set(new RecordingSink(2), changes.get(0).after()));
        assertTrue(e.getMessage().startsWith("row of " + name + " has 3 values but the table has 2 columns"), e.getMessage());
    }

    // ---------------------------------------------------------------- values Ferry cannot hold

    @Test
    void zeroDatesAndTimesOutsideADayAreErrorsNamingColumnAndValue() throws Exception {
        String name = createTable("binlog_zero", "id int primary key, d date, dt datetime(3), ts timestamp(2) null, "
                + "t time(1), e enum('a','b')");
        BinlogPosition start;
        BinlogTable table;
        try (Connection connection = DB.connect()) {
            start = BinlogSettings.currentPosition(connection);
            table = BinlogTable.read(connection, new TableName(null, name));
        }
        DB.execute("SET sql_mode = ''", "INSERT INTO `" + name + "` VALUES "
                + "(1, '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '-01:00:00.5', 'nope'), "
                + "(2, '2024-02-00', '2024-00-01 10:00:00.5', null, '25:00:00', 'b'), "
                + "(3, '2024-01-01', '2024-01-01 00:00:00', null, '-838:59:59', 'a')");
        BinlogPosition end;
        try (Connection connection = DB.connect()) {
            end = BinlogSettings.currentPosition(connection);
        }
        List<Change> changes = readBinlog(start, end, name);
        assertEquals(3, changes.size());
        Serializable[] first = changes.get(0).after();
        assertError(table, 1, first, "column 'd' of " + name + ": DATE '0000-00-00' is a zero or impossible date");
        assertError(table, 2, first, "column 'dt' of " + name + ": DATETIME '0000-00-00 00:00:00.000' is a zero");
        assertError(table, 3, first, "column 'ts' of " + name + ": TIMESTAMP '0000-00-00 00:00:00.00' is the zero timestamp");
        assertError(table, 4, first, "column 't' of " + name + ": TIME '-01:00:00.5' is outside 00:00:00..23:59:59.999999");
        Serializable[] second = changes.get(1).after();
        assertError(table, 1, second, "DATE '2024-02-00' is a zero or impossible date");
        assertError(table, 2, second, "DATETIME '2024-00-01 10:00:00.500' is a zero or impossible date");
        assertError(table, 4, second, "TIME '25:00:00.0' is outside");
        assertError(table, 4, changes.get(2).after(), "TIME '-838:59:59.0' is outside");
        // An invalid ENUM value is stored as index 0, the empty member, exactly as the batch reader reads it.
        RecordingSink sink = new RecordingSink(1);
        table.columns().get(5).set(sink, 0, first[5]);
        sink.emit();
        assertEquals(List.of("object:java.lang.String:"), sink.rows().get(0).subList(0, 1));
    }

    private static void assertError(BinlogTable table, int column, Serializable[] row, String expected) {
        BinlogValueException e = assertThrows(BinlogValueException.class,
                () -> table.columns().get(column).set(new RecordingSink(6), column, row[column]));
        assertTrue(e.getMessage().contains(expected), e.getMessage() + "\n does not contain\n" + expected);
        assertEquals(table.columns().get(column).column().name(), e.column());
    }

    // ---------------------------------------------------------------- purged positions

    @Test
    void aPositionNoLongerOnTheServerIsRecognised() throws Exception {
        BinlogPosition gone = BinlogPosition.parse("mariadb-bin.999999:4");
        BlockingQueue<Exception> failures = new LinkedBlockingQueue<>();
        BinaryLogClient client = client(gone, failures, new LinkedBlockingQueue<>());
        try {
            try {
                client.connect(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            } catch (java.io.IOException e) {
                failures.add(e);
            }
            Exception failure = failures.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(failure, "the server refuses a file it does not have");
            assertTrue(BinlogColumnType.isPurgedPosition(failure), failure.toString());
        } finally {
            client.disconnect();
        }
    }

    @Test
    void anExistingPositionIsNotTakenForAPurgedOne() throws Exception {
        BinlogPosition current;
        try (Connection connection = DB.connect()) {
            current = BinlogSettings.currentPosition(connection);
        }
        BlockingQueue<Exception> failures = new LinkedBlockingQueue<>();
        BlockingQueue<Seen> events = new LinkedBlockingQueue<>();
        BinaryLogClient client = client(current, failures, events);
        try {
            client.connect(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            // The server starts every stream with a format description event.
            Seen first = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(first, "no event within " + WAIT_SECONDS + " s");
            assertTrue(failures.isEmpty(), failures.toString());
        } finally {
            client.disconnect();
        }
    }

    // ---------------------------------------------------------------- charsets

    @Test
    void singleByteCharsetsDecodeEveryByteAsTheServerConvertsIt() throws Exception {
        for (String charset : List.of("latin1", "latin2", "latin5", "latin7", "greek", "hebrew", "cp1250", "cp1251",
                "cp1256", "cp1257", "koi8r", "koi8u", "cp866", "cp850", "cp852", "macroman", "macce", "tis620", "ascii")) {
            String name = createTable("binlog_cs", "b int primary key, v varchar(4) character set " + charset);
            StringBuilder values = new StringBuilder();
            for (int b = 1; b < 256; b++) {
                values.append(b == 1 ? "" : ", ").append('(').append(b).append(", CONVERT(x'")
                        .append(HexFormat.of().toHexDigits((byte) b)).append("' USING ").append(charset).append("))");
            }
            DB.execute("SET sql_mode = ''", "INSERT INTO `" + name + "` VALUES " + values);
            ServerCharsets.Decoder decoder = ServerCharsets.decoder(charset);
            assertNotNull(decoder, charset);
            try (Connection connection = DB.connect();
                 java.sql.Statement statement = connection.createStatement();
                 java.sql.ResultSet rs = statement.executeQuery("SELECT b, v, HEX(v) FROM `" + name + "` ORDER BY b")) {
                while (rs.next()) {
                    byte[] stored = HexFormat.of().parseHex(rs.getString(3));
                    assertEquals(rs.getString(2), decoder.decode(stored), charset + " byte " + rs.getInt(1)
                            + " stored as " + rs.getString(3));
                }
            }
        }
    }

    @Test
    void unicodeCharsetsDecodeAsTheServerConvertsThem() throws Exception {
        String text = "aé€日本語\u00a0\u0000z";
        String supplementary = "😀𝄞";
        for (String charset : List.of("utf8mb4", "utf8mb3", "ucs2", "utf16", "utf16le", "utf32")) {
            boolean bmpOnly = charset.equals("utf8mb3") || charset.equals("ucs2");
            String name = createTable("binlog_cs", "v varchar(20) character set " + charset);
            try (Connection connection = DB.connect();
                 java.sql.PreparedStatement insert = connection.prepareStatement("INSERT INTO `" + name + "` VALUES (?)")) {
                insert.setString(1, bmpOnly ? text : text + supplementary);
                insert.executeUpdate();
            }
            ServerCharsets.Decoder decoder = ServerCharsets.decoder(charset);
            assertNotNull(decoder, charset);
            try (Connection connection = DB.connect();
                 java.sql.Statement statement = connection.createStatement();
                 java.sql.ResultSet rs = statement.executeQuery("SELECT v, HEX(v) FROM `" + name + "`")) {
                assertTrue(rs.next());
                assertEquals(bmpOnly ? text : text + supplementary, rs.getString(1), charset);
                assertEquals(rs.getString(1), decoder.decode(HexFormat.of().parseHex(rs.getString(2))), charset);
            }
        }
    }

    // ---------------------------------------------------------------- binlog reading

    /** One row change of the table: before is null for inserts, after is null for deletes. */
    private record Change(String kind, Serializable[] before, Serializable[] after) {
    }

    /** An event and the binlog file it came from. */
    private record Seen(Event event, String file) {
    }

    private static BinaryLogClient client(BinlogPosition from, BlockingQueue<Exception> failures, BlockingQueue<Seen> events) {
        return client(from, false, failures, events);
    }

    private static BinaryLogClient client(BinlogPosition from, boolean byGtid, BlockingQueue<Exception> failures,
                                          BlockingQueue<Seen> events) {
        URI uri = URI.create(DB.url().substring("jdbc:".length()));
        BinaryLogClient client = new BinaryLogClient(uri.getHost(), uri.getPort(), DB.user(), DB.password());
        client.setServerId(ThreadLocalRandom.current().nextLong(5400, 6401));
        client.setEventDeserializer(BinlogColumnType.deserializer());
        if (byGtid) {
            client.setGtidSet(from.gtidSet());
        } else {
            client.setBinlogFilename(from.file());
            client.setBinlogPosition(from.offset());
        }
        client.setKeepAlive(false);
        client.registerEventListener(event -> events.add(new Seen(event, client.getBinlogFilename())));
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onCommunicationFailure(BinaryLogClient c, Exception ex) {
                failures.add(ex);
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient c, Exception ex) {
                failures.add(ex);
            }
        });
        return client;
    }

    /** The table's row changes between two positions, read with a client in the background. */
    private static List<Change> readBinlog(BinlogPosition from, BinlogPosition to, String table) throws Exception {
        return readBinlog(from, to, table, false, new ArrayList<>());
    }

    private static List<Change> readBinlog(BinlogPosition from, BinlogPosition to, String table, boolean byGtid,
                                           List<TableMapEventData> maps) throws Exception {
        BlockingQueue<Exception> failures = new LinkedBlockingQueue<>();
        BlockingQueue<Seen> events = new LinkedBlockingQueue<>();
        BinaryLogClient client = client(from, byGtid, failures, events);
        List<Change> changes = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        try {
            client.connect(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            Long tableId = null;
            while (true) {
                if (!failures.isEmpty()) {
                    throw new AssertionError("binlog client failed", failures.peek());
                }
                long left = deadline - System.nanoTime();
                Seen next = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    fail("no event reached " + to + " within " + WAIT_SECONDS + " s; saw " + seen);
                }
                Event event = next.event();
                seen.add(event.getHeader().getEventType().toString());
                if (event.getData() instanceof TableMapEventData map && map.getTable().equals(table)) {
                    tableId = map.getTableId();
                    maps.add(map);
                } else if (event.getData() instanceof WriteRowsEventData write && Long.valueOf(write.getTableId()).equals(tableId)) {
                    write.getRows().forEach(row -> changes.add(new Change("insert", null, row)));
                } else if (event.getData() instanceof UpdateRowsEventData update && Long.valueOf(update.getTableId()).equals(tableId)) {
                    update.getRows().forEach(pair -> changes.add(new Change("update", pair.getKey(), pair.getValue())));
                } else if (event.getData() instanceof DeleteRowsEventData delete && Long.valueOf(delete.getTableId()).equals(tableId)) {
                    delete.getRows().forEach(row -> changes.add(new Change("delete", row, null)));
                }
                long nextPosition = ((EventHeaderV4) event.getHeader()).getNextPosition();
                if (next.file().equals(to.file()) && nextPosition >= to.offset()) {
                    break;
                }
            }
        } finally {
            client.disconnect();
        }
        return changes;
    }

    // ---------------------------------------------------------------- batch reading and recording

    private static Source source(String table) {
        MariaDbConnector connector = new MariaDbConnector();
        return connector.createSource(MapConfig.source(connector, DB.options("table", table)));
    }

    private static List<List<String>> readBatch(String table) {
        try (Source source = source(table)) {
            RecordingContext context = new RecordingContext("batch", 1);
            source.prepare(context);
            RecordingSink sink = new RecordingSink(source.schema().arity());
            for (Split split : source.planSplits(context)) {
                try (SourceReader reader = source.createReader(split)) {
                    reader.read(sink);
                }
            }
            return sink.rows();
        }
    }

    private static List<String> convert(BinlogTable table, Serializable[] row) {
        RecordingSink sink = new RecordingSink(table.schema().arity());
        table.set(sink, row);
        sink.emit();
        return sink.rows().get(0);
    }

    private static Map<Long, List<String>> byId(List<List<String>> rows) {
        Map<Long, List<String>> result = new LinkedHashMap<>();
        for (List<String> row : rows) {
            result.put(id(row), row);
        }
        return result;
    }

    private static long id(List<String> row) {
        return Long.parseLong(row.get(0).substring("long:".length()));
    }
}
