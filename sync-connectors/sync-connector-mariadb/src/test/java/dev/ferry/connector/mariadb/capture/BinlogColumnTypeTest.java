package dev.ferry.connector.mariadb.capture;

import static dev.ferry.connector.mariadb.capture.RecordingSink.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import com.github.shyiko.mysql.binlog.network.ServerException;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.BitSet;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HexFormat;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class BinlogColumnTypeTest {

    private static BinlogColumnType type(String dataType, String columnType) {
        return type(dataType, columnType, null, null, null, null, "utf8mb4");
    }

    private static BinlogColumnType type(String dataType, String columnType, Long precision, Long scale,
                                         Long datetimePrecision, Long maxLength, String charset) {
        return BinlogColumnType.of("test.t", new BinlogColumnType.Metadata("c", 1, dataType, columnType, precision, scale,
                datetimePrecision, maxLength, charset, true, false, false));
    }

    private static String value(BinlogColumnType type, Serializable value) {
        return single(sink -> type.set(sink, 0, value));
    }

    // ---------------------------------------------------------------- columns

    @Test
    void columnsAreDescribedAsTheBatchReaderDescribesThem() {
        assertEquals(new Column("c", DataType.BOOLEAN, true, 0, 0, "boolean"), type("tinyint", "tinyint(1) unsigned").column());
        assertEquals(new Column("c", DataType.INT64, true, 0, 0, "tinyint unsigned"), type("tinyint", "tinyint(3) unsigned").column());
        assertEquals(new Column("c", DataType.INT64, true, 0, 0, "integer"), type("int", "int(11)").column());
        assertEquals(new Column("c", DataType.DECIMAL, true, 20, 0, "bigint unsigned"), type("bigint", "bigint(20) unsigned").column());
        assertEquals(new Column("c", DataType.DECIMAL, true, 5, 0, "decimal unsigned"),
                type("decimal", "decimal(5,0) unsigned", 5L, 0L, null, null, null).column());
        assertEquals(new Column("c", DataType.FLOAT64, true, 0, 0, "float unsigned"), type("float", "float unsigned").column());
        assertEquals(new Column("c", DataType.FLOAT64, true, 0, 0, "double"), type("double", "double(10,2)", 10L, 2L, null,
                null, null).column());
        assertEquals(new Column("c", DataType.BOOLEAN, true, 0, 0, "bit"), type("bit", "bit(1)", 1L, null, null, null, null).column());
        assertEquals(new Column("c", DataType.INT64, true, 0, 0, "bit"), type("bit", "bit(8)", 8L, null, null, null, null).column());
        assertEquals(new Column("c", DataType.STRING, true, 16_777_215, 0, "mediumtext"),
                type("mediumtext", "mediumtext", null, null, null, 16_777_215L, "utf8mb4").column());
        assertEquals(new Column("c", DataType.STRING, true, 0, 0, "longtext"),
                type("longtext", "longtext", null, null, null, 4_294_967_295L, "utf8mb4").column());
        assertEquals(new Column("c", DataType.BYTES, true, 255, 0, "tinyblob"),
                type("tinyblob", "tinyblob", null, null, null, 255L, null).column());
        assertEquals(new Column("c", DataType.STRING, true, 5, 0, "char"),
                type("set", "set('x','y','z')", null, null, null, 5L, "utf8mb4").column());
        assertEquals(new Column("c", DataType.TIME, true, 3, 0, "time"), type("time", "time(3)", null, null, 3L, null, null).column());
        assertEquals(new Column("c", DataType.TIMESTAMPTZ, true, 0, 0, "timestamp"),
                type("timestamp", "timestamp", null, null, 0L, null, null).column());
        BinlogColumnType json = BinlogColumnType.of("test.t", new BinlogColumnType.Metadata("j", 2, "longtext", "longtext",
                null, null, null, 4_294_967_295L, "utf8mb4", false, false, true));
        assertEquals(new Column("j", DataType.JSON, false, 0, 0, "json"), json.column());
    }

    @Test
    void unsupportedTypesAndCharsetsAreRejectedByName() {
        IllegalArgumentException uuid = assertThrows(IllegalArgumentException.class, () -> type("uuid", "uuid"));
        assertTrue(uuid.getMessage().startsWith("column 'c' of test.t has type uuid, which binlog capture does not decode"),
                uuid.getMessage());
        IllegalArgumentException charset = assertThrows(IllegalArgumentException.class,
                () -> type("varchar", "varchar(5)", null, null, null, 5L, "armscii8"));
        assertTrue(charset.getMessage().startsWith("column 'c' of test.t uses charset armscii8, which binlog capture does "
                + "not decode (supported: "), charset.getMessage());
    }

    @Test
    void enumAndSetMembersAreUnquoted() {
        BinlogColumnType e = type("enum", "enum('a\\\\b','it''s','x,y','é','\"q\"','')");
        assertEquals(List.of("a\\b", "it's", "x,y", "é", "\"q\"", ""), e.members());
        assertEquals("object:java.lang.String:it's", value(e, 2));
        assertEquals("object:java.lang.String:", value(e, 0));
        BinlogValueException unknown = assertThrows(BinlogValueException.class, () -> value(e, 7));
        assertEquals("column 'c' of test.t: ENUM index 7 is not one of the 6 members of enum('a\\\\b','it''s','x,y','é',"
                + "'\"q\"','')", unknown.getMessage());
        BinlogColumnType set = type("set", "set('a b','c''d','e')");
        assertEquals("object:java.lang.String:a b,e", value(set, 0b101L));
        assertEquals("object:java.lang.String:", value(set, 0L));
        assertThrows(BinlogValueException.class, () -> value(set, 0b1000L));
    }

    @Test
    void mariadbJsonIsATextColumnWithAJsonValidCheck() {
        assertTrue(BinlogTable.isJsonCheck("j", "json_valid(`j`)"));
        assertTrue(BinlogTable.isJsonCheck("j", "`j` <> '' and json_valid(`j`)"));
        assertTrue(BinlogTable.isJsonCheck("j", "(json_valid(`j`) and `j` <> '') and `j` <> 'x'"));
        assertTrue(BinlogTable.isJsonCheck("a`b", "json_valid(`a``b`)"));
        assertFalse(BinlogTable.isJsonCheck("j", "json_valid(`j`) or `j` is null"));
        assertFalse(BinlogTable.isJsonCheck("j", "!json_valid(`j`)"));
        assertFalse(BinlogTable.isJsonCheck("j", "json_valid(`k`)"));
        assertFalse(BinlogTable.isJsonCheck("j", "`j` <> ' and json_valid(`j`)'"));
    }

    // ---------------------------------------------------------------- values

    @Test
    void integersComeOutUnsignedWhereTheColumnIs() {
        assertEquals("long:255", value(type("tinyint", "tinyint(3) unsigned"), -1));
        assertEquals("long:65535", value(type("smallint", "smallint(5) unsigned"), -1));
        assertEquals("long:16777215", value(type("mediumint", "mediumint(8) unsigned"), -1));
        assertEquals("long:4294967295", value(type("int", "int(10) unsigned"), -1));
        assertEquals("object:java.math.BigDecimal:18446744073709551615", value(type("bigint", "bigint(20) unsigned"), -1L));
        assertEquals("long:-1", value(type("int", "int(11)"), -1));
        assertEquals("boolean:true", value(type("tinyint", "tinyint(1)"), 2));
        assertEquals("boolean:false", value(type("tinyint", "tinyint(1)"), 0));
        assertEquals("long:0", value(type("year", "year(4)"), 1900));
        assertEquals("long:2155", value(type("year", "year(4)"), 2155));
    }

    @Test
    void bitsAreNumbers() {
        BitSet high = new BitSet();
        high.set(63);
        assertEquals("long:" + Long.MIN_VALUE, value(type("bit", "bit(64)", 64L, null, null, null, null), high));
        assertEquals("long:6", value(type("bit", "bit(8)", 8L, null, null, null, null), BitSet.valueOf(new long[] {6})));
        assertEquals("long:0", value(type("bit", "bit(8)", 8L, null, null, null, null), new BitSet()));
        assertEquals("boolean:true", value(type("bit", "bit(1)", 1L, null, null, null, null), BitSet.valueOf(new long[] {1})));
    }

    @Test
    void floatsAreRoundedAsTheServerPrintsThem() {
        BinlogColumnType f = type("float", "float");
        assertEquals(1.1, parseDouble(value(f, 1.1f)));
        assertEquals(1.67772E7, parseDouble(value(f, 16_777_217f)));
        assertEquals(0.333333, parseDouble(value(f, 0.333333333f)));
        assertEquals(-3.40282E38, parseDouble(value(f, -Float.MAX_VALUE)));
        assertEquals(1234560.0, parseDouble(value(f, 1_234_565f)), "ties go to even");
        BinlogColumnType fixed = type("float", "float(10,3)", 10L, 3L, null, null, null);
        assertEquals(1234567.875, parseDouble(value(fixed, 1234567.891f)));
        assertEquals(0.1, parseDouble(value(type("double", "double"), 0.1)));
        assertEquals(3.14, parseDouble(value(type("double", "double(10,2)", 10L, 2L, null, null, null), 3.14159)));
    }

    private static double parseDouble(String recorded) {
        assertTrue(recorded.startsWith("double:"), recorded);
        return Double.parseDouble(recorded.substring("double:".length(), recorded.indexOf('/')));
    }

    @Test
    void decimalsKeepTheColumnsScale() {
        BinlogColumnType d = type("decimal", "decimal(10,2)", 10L, 2L, null, null, null);
        assertEquals("object:java.math.BigDecimal:12.30", value(d, new BigDecimal("12.3")));
        assertEquals("object:java.math.BigDecimal:0.00", value(d, BigDecimal.ZERO));
        assertThrows(BinlogValueException.class, () -> value(d, new BigDecimal("1.234")));
    }

    @Test
    void textIsDecodedWithTheColumnsCharset() {
        assertEquals("object:java.lang.String:café€", value(type("varchar", "varchar(9)", null, null, null, 9L, "utf8mb4"),
                "café€".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("object:java.lang.String:café€\u0081", value(type("varchar", "varchar(9)", null, null, null, 9L, "latin1"),
                HexFormat.of().parseHex("636166e98081")));
        BinlogValueException text = assertThrows(BinlogValueException.class,
                () -> value(type("varchar", "varchar(9)", null, null, null, 9L, "utf8mb4"), "already text"));
        assertTrue(text.getMessage().contains("configure the client with BinlogColumnType.deserializer()"), text.getMessage());
    }

    @Test
    void binaryIsPaddedToItsLength() {
        BinlogColumnType binary = type("binary", "binary(4)", null, null, null, 4L, null);
        assertEquals("object:[B:01020000", value(binary, new byte[] {1, 2}));
        assertEquals("object:[B:0102", value(type("varbinary", "varbinary(4)", null, null, null, 4L, null), new byte[] {1, 2}));
    }

    @Test
    void temporalValuesAreExact() {
        assertEquals("long:" + LocalDate.of(1582, 10, 10).toEpochDay(), value(type("date", "date"), LocalDate.of(1582, 10, 10)));
        assertEquals("long:-62135596800000000", value(type("datetime", "datetime"), LocalDateTime.of(1, 1, 1, 0, 0)));
        assertEquals("long:1", value(type("timestamp", "timestamp(6)"), Instant.ofEpochSecond(0, 1000)));
        assertEquals("long:" + Duration.ofHours(23).plusMinutes(59).plusSeconds(59).plusNanos(999_999_000).toNanos(),
                value(type("time", "time(6)", null, null, 6L, null, null), Duration.ofNanos(86_399_999_999_000L)));
        BinlogValueException day = assertThrows(BinlogValueException.class,
                () -> value(type("time", "time(6)", null, null, 6L, null, null), Duration.ofHours(24)));
        assertEquals("column 'c' of test.t: TIME '24:00:00.000000' is outside 00:00:00..23:59:59.999999, which a Ferry TIME "
                + "cannot hold", day.getMessage());
        BinlogValueException zero = assertThrows(BinlogValueException.class, () -> value(type("date", "date"), "0000-00-00"));
        assertEquals("column 'c' of test.t: DATE '0000-00-00' is a zero or impossible date, which a Ferry DATE cannot hold",
                zero.getMessage());
    }

    @Test
    void theClientsMicrosecondsAreReadBackThroughItsCalendar() {
        // What the client makes of a date before the Gregorian cutover: a Julian-calendar instant.
        for (LocalDateTime stored : List.of(LocalDateTime.of(1000, 1, 1, 12, 0), LocalDateTime.of(1, 1, 1, 0, 0),
                LocalDateTime.of(0, 1, 1, 0, 0), LocalDateTime.of(1500, 3, 1, 23, 59, 59, 999_999_000),
                LocalDateTime.of(1582, 10, 4, 0, 0))) {
            Calendar calendar = new GregorianCalendar(TimeZone.getTimeZone("GMT"));
            calendar.clear();
            calendar.set(stored.getYear(), stored.getMonthValue() - 1, stored.getDayOfMonth(), stored.getHour(),
                    stored.getMinute(), stored.getSecond());
            calendar.set(Calendar.MILLISECOND, stored.getNano() / 1_000_000);
            long micros = calendar.getTimeInMillis() * 1000 + stored.getNano() / 1000 % 1000;
            assertEquals(stored, BinlogColumnType.fromClientMicros(micros), stored.toString());
        }
        LocalDateTime modern = LocalDateTime.of(2024, 2, 29, 13, 45, 7, 123_456_000);
        assertEquals(modern, BinlogColumnType.fromClientMicros(dev.ferry.connector.jdbc.TimeCodec.micros(modern)));
        assertEquals("long:" + LocalDate.of(1000, 1, 1).toEpochDay(), value(type("date", "date"), -30_609_792_000_000_000L));
        assertThrows(BinlogValueException.class, () -> value(type("date", "date"), Long.MIN_VALUE));
        assertThrows(BinlogValueException.class, () -> value(type("time", "time"), 90_000_000_000L));
        assertThrows(BinlogValueException.class, () -> value(type("timestamp", "timestamp"), 0L));
    }

    @Test
    void nullIsNull() {
        assertEquals("null", value(type("int", "int(11)"), null));
        assertEquals("null", value(type("date", "date"), null));
    }

    // ---------------------------------------------------------------- storage formats

    private static Serializable decode(String hex, Decoder decoder) throws IOException {
        return decoder.decode(new ByteArrayInputStream(HexFormat.of().parseHex(hex)));
    }

    @FunctionalInterface
    private interface Decoder {
        Serializable decode(ByteArrayInputStream in) throws IOException;
    }

    @Test
    void timeKeepsItsSignAndHoursBeyondADay() throws IOException {
        assertEquals(Duration.ofHours(-1), decode("7FF000", in -> BinlogDeserializers.time2(0, in)));
        assertEquals(Duration.ofMillis(-500), decode("7FFFFFCE", in -> BinlogDeserializers.time2(1, in)));
        assertEquals(Duration.ofMillis(-1250), decode("7FFFFEF63C", in -> BinlogDeserializers.time2(3, in)));
        long hms = (838L << 12) | (59 << 6) | 59;
        assertEquals(Duration.ofSeconds(838 * 3600 + 59 * 60 + 59),
                decode(HexFormat.of().toHexDigits(0x800000L + hms, 6), in -> BinlogDeserializers.time2(0, in)));
        long packed = ((12L << 12 | 34 << 6 | 56) << 24) + 1;
        assertEquals(Duration.ofSeconds(12 * 3600 + 34 * 60 + 56, 1000),
                decode(HexFormat.of().toHexDigits(0x800000000000L + packed, 12), in -> BinlogDeserializers.time2(6, in)));
    }

    @Test
    void datesBeforeTheGregorianCutoverAreProleptic() throws IOException {
        long yearMonth = 1582L * 13 + 10;
        long packed = ((yearMonth << 5 | 10) << 17) | (10L << 12);
        assertEquals(LocalDateTime.of(1582, 10, 10, 10, 0),
                decode(HexFormat.of().toHexDigits(0x8000000000L + packed, 10), in -> BinlogDeserializers.datetime2(0, in)));
        int date = 1500 << 9 | 2 << 5 | 28;
        assertEquals(LocalDate.of(1500, 2, 28), decode(littleEndian3(date), BinlogDeserializers::date));
        assertEquals("2024-02-00", decode(littleEndian3(2024 << 9 | 2 << 5), BinlogDeserializers::date));
        assertEquals("0000-00-00 00:00:00.000", decode("8000000000" + "0000", in -> BinlogDeserializers.datetime2(3, in)));
        assertEquals("0000-00-00 00:00:00", decode("00000000", in -> BinlogDeserializers.timestamp2(0, in)));
        assertEquals(Instant.parse("2038-01-19T03:14:07.999999Z"),
                decode("7FFFFFFF0F423F", in -> BinlogDeserializers.timestamp2(6, in)));
    }

    private static String littleEndian3(int value) {
        return HexFormat.of().toHexDigits((byte) value) + HexFormat.of().toHexDigits((byte) (value >> 8))
                + HexFormat.of().toHexDigits((byte) (value >> 16));
    }

    // ---------------------------------------------------------------- purged positions

    @Test
    void purgedPositionsAreRecognised() {
        ServerException purged = new ServerException("Could not find first log file name in binary log index file",
                1236, "HY000");
        assertTrue(BinlogColumnType.isPurgedPosition(purged));
        assertTrue(BinlogColumnType.isPurgedPosition(new IOException("stream failed", purged)));
        assertTrue(BinlogColumnType.isPurgedPosition(new ServerException("Could not find GTID state requested by slave in "
                + "any binlog files. Probably the slave state is too old and required binlog files have been purged.",
                1236, "HY000")));
        assertFalse(BinlogColumnType.isPurgedPosition(new ServerException("binlog truncated in the middle of event; "
                + "consider out of disk space on master", 1236, "HY000")));
        assertFalse(BinlogColumnType.isPurgedPosition(new ServerException("Access denied", 1045, "28000")));
        assertFalse(BinlogColumnType.isPurgedPosition(new IOException("Connection reset")));
        assertFalse(BinlogColumnType.isPurgedPosition(null));
    }
}
