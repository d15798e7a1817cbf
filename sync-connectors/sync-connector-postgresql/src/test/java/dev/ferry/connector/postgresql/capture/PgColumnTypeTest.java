package dev.ferry.connector.postgresql.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Relation;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.TypeInfo;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Relation columns to Ferry columns, and text values to the values the batch reader reads (the
 * expected values were read with JdbcSource/PostgresDialect over pgjdbc from the same stored values).
 */
class PgColumnTypeTest {

    private static PgColumnType type(int oid, int typmod) {
        return PgColumnType.of(new RelationColumn("c", false, oid, typmod), (TypeInfo) null);
    }

    private static Column column(int oid, int typmod) {
        return type(oid, typmod).column();
    }

    private static Column expected(DataType type, int precision, int scale, String nativeType) {
        return new Column("c", type, true, precision, scale, nativeType);
    }

    // ---------------------------------------------------------------- columns

    @Test
    void builtInTypesMapAsTheBatchSourceMapsThem() {
        assertEquals(expected(DataType.INT64, 0, 0, "int2"), column(21, -1));
        assertEquals(expected(DataType.INT64, 0, 0, "int4"), column(23, -1));
        assertEquals(expected(DataType.INT64, 0, 0, "int8"), column(20, -1));
        assertEquals(expected(DataType.INT64, 0, 0, "oid"), column(26, -1));
        assertEquals(expected(DataType.DECIMAL, 0, 0, "numeric"), column(1700, -1));
        assertEquals(expected(DataType.DECIMAL, 10, 2, "numeric"), column(1700, 655_366));
        assertEquals(expected(DataType.DECIMAL, 5, 0, "numeric"), column(1700, 327_684));
        assertEquals(expected(DataType.DECIMAL, 1000, 3, "numeric"), column(1700, 65_536_007));
        assertEquals(expected(DataType.FLOAT64, 0, 0, "float4"), column(700, -1));
        assertEquals(expected(DataType.FLOAT64, 0, 0, "float8"), column(701, -1));
        assertEquals(expected(DataType.BOOLEAN, 0, 0, "bool"), column(16, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "text"), column(25, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "varchar"), column(1043, -1));
        assertEquals(expected(DataType.STRING, 10, 0, "varchar"), column(1043, 14));
        assertEquals(expected(DataType.STRING, 1, 0, "bpchar"), column(1042, 5));
        assertEquals(expected(DataType.STRING, 5, 0, "bpchar"), column(1042, 9));
        assertEquals(expected(DataType.STRING, 0, 0, "bpchar"), column(1042, -1));
        assertEquals(expected(DataType.STRING, 1, 0, "char"), column(18, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "name"), column(19, -1));
        assertEquals(expected(DataType.BYTES, 0, 0, "bytea"), column(17, -1));
        assertEquals(expected(DataType.DATE, 0, 0, "date"), column(1082, -1));
        assertEquals(expected(DataType.TIME, 6, 0, "time"), column(1083, -1));
        assertEquals(expected(DataType.TIME, 3, 0, "time"), column(1083, 3));
        assertEquals(expected(DataType.TIME, 0, 0, "time"), column(1083, 0));
        assertEquals(expected(DataType.STRING, 21, 0, "timetz"), column(1266, -1));
        assertEquals(expected(DataType.STRING, 17, 0, "timetz"), column(1266, 2));
        assertEquals(expected(DataType.TIMESTAMP, 6, 0, "timestamp"), column(1114, -1));
        assertEquals(expected(DataType.TIMESTAMP, 3, 0, "timestamp"), column(1114, 3));
        assertEquals(expected(DataType.TIMESTAMP, 0, 0, "timestamp"), column(1114, 0));
        assertEquals(expected(DataType.TIMESTAMPTZ, 6, 0, "timestamptz"), column(1184, -1));
        assertEquals(expected(DataType.TIMESTAMPTZ, 2, 0, "timestamptz"), column(1184, 2));
        assertEquals(expected(DataType.STRING, 0, 0, "interval"), column(1186, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "interval"), column(1186, 2_147_418_115));
        assertEquals(expected(DataType.STRING, 0, 0, "money"), column(790, -1));
        assertEquals(expected(DataType.JSON, 0, 0, "json"), column(114, -1));
        assertEquals(expected(DataType.JSON, 0, 0, "jsonb"), column(3802, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "uuid"), column(2950, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "xml"), column(142, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "inet"), column(869, -1));
        assertEquals(expected(DataType.INT64, 0, 0, "bit"), column(1560, 3));
        assertEquals(expected(DataType.BOOLEAN, 0, 0, "bit"), column(1560, 1));
        assertEquals(expected(DataType.STRING, 5, 0, "varbit"), column(1562, 5));
        assertEquals(expected(DataType.STRING, 0, 0, "varbit"), column(1562, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "_int4"), column(1007, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "_text"), column(1009, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "_varchar"), column(1015, 8));
        assertEquals(expected(DataType.STRING, 0, 0, "_numeric"), column(1231, 393_222));
        assertEquals(expected(DataType.STRING, 0, 0, "_timestamp"), column(1115, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "_bool"), column(1000, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "_varbit"), column(1563, 7));
        assertEquals(expected(DataType.STRING, 0, 0, "_interval"), column(1187, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "_inet"), column(1041, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "point"), column(600, -1));
        assertEquals(expected(DataType.STRING, 0, 0, "int4range"), column(3904, -1));
    }

    @Test
    void typesThatAreNotBuiltInTakeTheirNameFromTheTypeMessage() {
        RelationColumn mood = new RelationColumn("c", false, 16_388, -1);
        assertEquals(expected(DataType.STRING, 0, 0, "pmood"),
                PgColumnType.of(mood, new TypeInfo(16_388, "public", "pmood")).column());
        assertEquals(expected(DataType.STRING, 0, 0, "\"sales\".\"mood\""),
                PgColumnType.of(mood, new TypeInfo(16_388, "sales", "Mood")).column());
        assertEquals(expected(DataType.STRING, 0, 0, ""), PgColumnType.of(mood, (TypeInfo) null).column());
        assertEquals(expected(DataType.STRING, 0, 0, "pmood"), PgColumnType.of(mood, "pmood").column());
        assertThrows(IllegalArgumentException.class, () -> PgColumnType.of(mood, new TypeInfo(1, "public", "x")));
    }

    @Test
    void aDomainOverABuiltInTypeIsReadAsItsBaseType() {
        RelationColumn domain = new RelationColumn("c", false, 16_394, -1);
        PgColumnType overInt = PgColumnType.of(domain, new TypeInfo(16_394, "pg_catalog", "int4"));
        assertEquals(expected(DataType.INT64, 0, 0, "int4"), overInt.column());
        RecordingSink sink = new RecordingSink(1);
        overInt.set(sink, 0, "-7".getBytes(StandardCharsets.US_ASCII));
        assertEquals(-7L, sink.value(0));
        assertEquals(expected(DataType.DECIMAL, 0, 0, "numeric"),
                PgColumnType.of(domain, new TypeInfo(16_394, "pg_catalog", "numeric")).column());
        assertEquals(expected(DataType.INT64, 0, 0, "int4"), PgColumnType.of(domain, "int4").column());
    }

    @Test
    void keysAreNotNullUnlessEveryColumnIsTheIdentity() {
        RelationColumn id = new RelationColumn("id", true, 20, -1);
        RelationColumn v = new RelationColumn("v", false, 25, -1);
        assertEquals(false, PgColumnType.of(id, (TypeInfo) null).column().nullable());
        assertEquals(true, PgColumnType.of(v, (TypeInfo) null).column().nullable());
        assertEquals(false, PgColumnType.of(v, null, false).column().nullable());
        List<PgColumnType> byDefault = PgColumnType.of(new Relation(1, "public", "t", 'd', List.of(id, v)), oid -> null);
        assertEquals(List.of(false, true), byDefault.stream().map(c -> c.column().nullable()).toList());
        RelationColumn fullId = new RelationColumn("id", true, 20, -1);
        RelationColumn fullV = new RelationColumn("v", true, 25, -1);
        List<PgColumnType> full = PgColumnType.of(new Relation(1, "public", "t", 'f', List.of(fullId, fullV)), oid -> null);
        assertEquals(List.of(true, true), full.stream().map(c -> c.column().nullable()).toList());
    }

    // ---------------------------------------------------------------- values

    private static Object read(int oid, int typmod, String text) {
        RecordingSink sink = new RecordingSink(1);
        type(oid, typmod).set(sink, 0, text.getBytes(StandardCharsets.UTF_8));
        return sink.value(0);
    }

    private static String setter(int oid, String text) {
        RecordingSink sink = new RecordingSink(1);
        type(oid, -1).set(sink, 0, text.getBytes(StandardCharsets.UTF_8));
        return sink.setter(0);
    }

    private static IllegalArgumentException unreadable(int oid, int typmod, String text) {
        return assertThrows(IllegalArgumentException.class, () -> read(oid, typmod, text));
    }

    @Test
    void booleans() {
        assertEquals(true, read(16, -1, "t"));
        assertEquals(false, read(16, -1, "f"));
        assertEquals("setBoolean", setter(16, "t"));
        assertEquals(true, read(1560, 1, "1"));
        assertEquals(false, read(1560, 1, "0"));
        IllegalArgumentException e = unreadable(16, -1, "true");
        assertTrue(e.getMessage().startsWith("column 'c' (bool): cannot read 'true': expected t or f"), e.getMessage());
    }

    @Test
    void integers() {
        assertEquals(-32_768L, read(21, -1, "-32768"));
        assertEquals(Long.MAX_VALUE, read(20, -1, "9223372036854775807"));
        assertEquals(Long.MIN_VALUE, read(20, -1, "-9223372036854775808"));
        assertEquals(4_294_967_295L, read(26, -1, "4294967295"));
        assertEquals(0L, read(23, -1, "0"));
        assertEquals("setLong", setter(23, "5"));
        assertTrue(unreadable(20, -1, "9223372036854775808").getMessage().contains("out of the range"));
        assertTrue(unreadable(20, -1, "-9223372036854775809").getMessage().contains("out of the range"));
        unreadable(23, -1, "");
        unreadable(23, -1, "-");
        unreadable(23, -1, "12a");
    }

    @Test
    void bitStringsOfMoreThanOneBitReadAsDecimalNumbersLikeGetLong() {
        assertEquals(101L, read(1560, 3, "101"));
        assertEquals(11L, read(1560, 4, "0011"));
        assertTrue(unreadable(1560, 64, "1".repeat(64)).getMessage().contains("out of the range"));
    }

    @Test
    void numericsKeepTheirScale() {
        for (String text : new String[] {"1.50", "0.000", "-12.345", "0", "100000000000000000000", "999999999999999999",
                "9999999999999999999", "-0.0000000000000000000001", "123456789012345678901234567890.123456789",
                "0.000000000000000000000000000000000000001", "-999999999999999999.99", "42"}) {
            BigDecimal value = (BigDecimal) read(1700, -1, text);
            assertEquals(new BigDecimal(text), value, text);
            assertEquals(new BigDecimal(text).scale(), value.scale(), text);
        }
        assertEquals(2, ((BigDecimal) read(1700, 655_366, "1.50")).scale());
        for (String special : new String[] {"NaN", "Infinity", "-Infinity"}) {
            IllegalArgumentException e = unreadable(1700, -1, special);
            assertTrue(e.getMessage().contains("'" + special + "'") && e.getMessage().contains("no BigDecimal"), e.getMessage());
        }
        unreadable(1700, -1, "1.2.3");
        unreadable(1700, -1, "");
        unreadable(1700, -1, "1e5");
    }

    @Test
    void floats() {
        assertEquals(0.1, read(701, -1, "0.1"));
        assertEquals(1.0E22, read(701, -1, "1e+22"));
        assertEquals(4.9E-324, read(701, -1, "5e-324"));
        assertEquals(Double.MAX_VALUE, read(701, -1, "1.7976931348623157e+308"));
        assertEquals(123456789.123, read(701, -1, "123456789.123"));
        assertEquals(Double.NaN, read(701, -1, "NaN"));
        assertEquals(Double.POSITIVE_INFINITY, read(701, -1, "Infinity"));
        assertEquals(Double.NEGATIVE_INFINITY, read(701, -1, "-Infinity"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) read(701, -1, "-0")));
        assertEquals("setDouble", setter(701, "1"));
        // float4 as pgjdbc's getDouble widens the binary float.
        assertEquals(1.100000023841858, read(700, -1, "1.1"));
        assertEquals(0.10000000149011612, read(700, -1, "0.1"));
        assertEquals(3.4028234663852886E38, read(700, -1, "3.4028235e+38"));
        assertEquals(1.401298464324817E-45, read(700, -1, "1e-45"));
        assertEquals(Double.NaN, read(700, -1, "NaN"));
        assertEquals(Double.NEGATIVE_INFINITY, read(700, -1, "-Infinity"));
        unreadable(701, -1, "1.5f");
        unreadable(701, -1, "0x1p3");
        unreadable(701, -1, "");
        unreadable(701, -1, " 1");
    }

    @Test
    void byteaInHexAndEscapeFormat() {
        assertArrayEquals(new byte[0], (byte[]) read(17, -1, "\\x"));
        assertArrayEquals(new byte[] {0, -1, 16}, (byte[]) read(17, -1, "\\x00ff10"));
        assertArrayEquals(new byte[] {(byte) 0xAB, (byte) 0xCD}, (byte[]) read(17, -1, "\\xABcd"));
        assertArrayEquals(new byte[] {'a', 0, '\\', 'b', (byte) 0xFF}, (byte[]) read(17, -1, "a\\000\\\\b\\377"));
        assertArrayEquals(new byte[0], (byte[]) read(17, -1, ""));
        unreadable(17, -1, "\\x0");
        unreadable(17, -1, "\\xzz");
        unreadable(17, -1, "a\\9");
    }

    @Test
    void dates() {
        assertEquals(LocalDate.of(2024, 2, 29).toEpochDay(), read(1082, -1, "2024-02-29"));
        assertEquals(-735_160L, read(1082, -1, "0044-03-15 BC"));
        assertEquals(LocalDate.of(-43, 3, 15).toEpochDay(), read(1082, -1, "0044-03-15 BC"));
        assertEquals(-2_440_550L, read(1082, -1, "4713-01-01 BC"));
        assertEquals(2_145_042_905L, read(1082, -1, "5874897-12-31"));
        assertEquals(-719_162L, read(1082, -1, "0001-01-01"));
        assertEquals(-141_432L, read(1082, -1, "1582-10-10"));
        assertEquals(LocalDate.of(0, 2, 29).toEpochDay(), read(1082, -1, "0001-02-29 BC"), "1 BC is a leap year");
        assertEquals(365_241_780_471L, read(1082, -1, "infinity"));
        assertEquals(-365_243_219_162L, read(1082, -1, "-infinity"));
        unreadable(1082, -1, "2023-02-29");
        unreadable(1082, -1, "02/29/2024");
        unreadable(1082, -1, "2024-13-01");
        unreadable(1082, -1, "infinity BC");
    }

    @Test
    void times() {
        assertEquals(0L, read(1083, -1, "00:00:00"));
        assertEquals(86_399_999_999_000L, read(1083, -1, "23:59:59.999999"));
        assertEquals(LocalTime.MAX.toNanoOfDay(), read(1083, -1, "24:00:00"));
        assertEquals(49_507_500_000_000L, read(1083, -1, "13:45:07.5"));
        assertEquals(49_507_123_000_000L, read(1083, 3, "13:45:07.123"));
        unreadable(1083, -1, "25:00:00");
        unreadable(1083, -1, "24:00:01");
        unreadable(1083, -1, "13:45");
        unreadable(1083, -1, "13:45:07.1234567");
        unreadable(1083, -1, "13:45:07.");
    }

    private static long micros(LocalDateTime value) {
        return value.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + value.getNano() / 1000;
    }

    @Test
    void timestamps() {
        assertEquals(1_709_214_307_123_456L, read(1114, -1, "2024-02-29 13:45:07.123456"));
        assertEquals(micros(LocalDateTime.of(2024, 2, 29, 13, 45, 7, 100_000_000)), read(1114, 3, "2024-02-29 13:45:07.1"));
        assertEquals(-63_517_777_200_000_000L, read(1114, -1, "0044-03-15 13:00:00 BC"));
        assertEquals(-210_863_520_000_000_000L, read(1114, -1, "4713-01-01 00:00:00 BC"));
        assertEquals(-12_219_681_600_000_000L, read(1114, -1, "1582-10-10 12:00:00"));
        assertEquals(micros(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000)), read(1114, -1, "1969-12-31 23:59:59.999999"));
        assertEquals(micros(LocalDateTime.of(200_000, 1, 1, 0, 0)), read(1114, -1, "200000-01-01 00:00:00"));
        assertTrue(unreadable(1114, -1, "infinity").getMessage().contains("infinite"));
        assertTrue(unreadable(1114, -1, "-infinity").getMessage().contains("infinite"));
        assertTrue(unreadable(1114, -1, "294276-12-31 23:59:59.999999").getMessage().contains("overflow"));
        unreadable(1114, -1, "2024-02-29T13:45:07");
        unreadable(1114, -1, "2024-02-29 13:45:07+00");
        unreadable(1114, -1, "2024-02-29");
        unreadable(1114, -1, "2024-02-29 24:00:00");
    }

    private static long micros(String instant) {
        Instant value = Instant.parse(instant);
        return value.getEpochSecond() * 1_000_000L + value.getNano() / 1000;
    }

    @Test
    void zonedTimestampsInAnySessionTimeZone() {
        long expected = micros("2024-02-29T11:45:07.123456Z");
        assertEquals(expected, read(1184, -1, "2024-02-29 11:45:07.123456+00"));
        assertEquals(expected, read(1184, -1, "2024-02-29 12:45:07.123456+01"));
        assertEquals(expected, read(1184, -1, "2024-02-29 17:30:07.123456+05:45"));
        assertEquals(expected, read(1184, -1, "2024-02-29 08:15:07.123456-03:30"));
        assertEquals(expected, read(1184, -1, "2024-02-28 21:45:07.123456-14"));
        assertEquals(-2_208_988_800_000_000L, read(1184, -1, "1900-01-01 00:19:32+00:19:32"));
        assertEquals(-63_517_777_200_000_000L, read(1184, -1, "0044-03-15 13:19:32+00:19:32 BC"));
        assertEquals(1_717_200_000_000_000L, read(1184, -1, "2024-06-01 02:00:00+02"));
        assertTrue(unreadable(1184, -1, "infinity").getMessage().contains("infinite"));
        assertTrue(unreadable(1184, -1, "2024-02-29 11:45:07").getMessage().contains("offset"));
        unreadable(1184, -1, "2024-02-29 11:45:07+1");
        unreadable(1184, -1, "2024-02-29 11:45:07+01:6");
        unreadable(1184, -1, "2024-02-29 11:45:07+01:60");
    }

    @Test
    void zonedTimesAreRewrittenInUtcAsPgjdbcDoes() {
        assertEquals("08:15:07.123456+00", read(1266, -1, "13:45:07.123456+05:30"));
        assertEquals("08:15:07.5+00", read(1266, -1, "13:45:07.5+05:30"));
        assertEquals("00:00:00+00", read(1266, -1, "00:00:00+00"));
        assertEquals("20:00:00+00", read(1266, -1, "01:00:00+05"));
        assertEquals("04:00:00+00", read(1266, -1, "23:00:00-05"));
        assertEquals("00:00:00.000999+00", read(1266, -1, "00:00:00.000999+00"));
        assertEquals("06:14:30+00", read(1266, -1, "12:00:00+05:45:30"));
        assertEquals("11:00:00.9995+00", read(1266, -1, "12:00:00.9995+01"));
        assertTrue(unreadable(1266, -1, "24:00:00+00").getMessage().contains("24:00:00"));
        unreadable(1266, -1, "12:00:00");
    }

    @Test
    void textTypesAreTakenAsTheyAre() {
        assertEquals("héllo wörld ✓ 😀", read(25, -1, "héllo wörld ✓ 😀"));
        assertEquals("", read(25, -1, ""));
        assertEquals("ab  ", read(1042, 8, "ab  "));
        assertEquals("{\"a\" :  1}", read(114, -1, "{\"a\" :  1}"));
        assertEquals("{\"a\": [1, 2.50]}", read(3802, -1, "{\"a\": [1, 2.50]}"));
        assertEquals("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", read(2950, -1, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        assertEquals("1 year 2 mons 3 days 04:05:06.789", read(1186, -1, "1 year 2 mons 3 days 04:05:06.789"));
        assertEquals("-$1.00", read(790, -1, "-$1.00"));
        assertEquals("{t,f}", read(1000, -1, "{t,f}"));
        assertEquals("{1.50,2}", read(1231, -1, "{1.50,2}"));
        assertEquals("setObject", setter(25, "x"));
    }

    @Test
    void arraysPgjdbcReadsInBinaryComeOutInItsForm() {
        assertEquals("{\"1\",NULL,\"3\"}", read(1007, -1, "{1,NULL,3}"));
        assertEquals("{}", read(1007, -1, "{}"));
        assertEquals("{{\"1\",NULL},{\"3\",\"4\"}}", read(1007, -1, "{{1,NULL},{3,4}}"));
        assertEquals("{\"7\",\"8\"}", read(1007, -1, "[2:3]={7,8}"));
        assertEquals("{NULL}", read(1007, -1, "{NULL}"));
        assertEquals("{\"1\",\"-32768\"}", read(1005, -1, "{1,-32768}"));
        assertEquals("{\"9223372036854775807\"}", read(1016, -1, "{9223372036854775807}"));
        assertEquals("{\"4294967295\"}", read(1028, -1, "{4294967295}"));
        assertEquals("{\"a\\\"b\",\"c\\\\d\",\"\",\"NULL\",NULL,\" sp \",\"{x}\",\"é,ü\",\"a;b\"}",
                read(1009, -1, "{\"a\\\"b\",\"c\\\\d\",\"\",\"NULL\",NULL,\" sp \",\"{x}\",\"é,ü\",a;b}"));
        assertEquals("{{\"a\",\"b\"},{\"c\",NULL}}", read(1009, -1, "{{a,b},{c,NULL}}"));
        assertEquals("{\"x y\",\"\"}", read(1015, -1, "{\"x y\",\"\"}"));
        assertEquals("{\"0.1\",\"NaN\",\"Infinity\",\"-Infinity\",\"0.0\",\"-0.0\",\"1.0E22\",\"4.9E-324\",\"1.5\",\"100.0\"}",
                read(1022, -1, "{0.1,NaN,Infinity,-Infinity,0,-0,1e+22,5e-324,1.5,100}"));
        assertEquals("{\"0.1\",\"NaN\",\"-Infinity\",\"3.4028235E38\",\"1.4E-45\",\"1.0E10\",\"100.0\",\"-0.0\"}",
                read(1021, -1, "{0.1,NaN,-Infinity,3.4028235e+38,1e-45,1e+10,100,-0}"));
        assertEquals("{\"\\\\x\",\"\\\\x00ff\",NULL}", read(1001, -1, "{\"\\\\x\",\"\\\\x00ff\",NULL}"));
        unreadable(1007, -1, "{1,2");
        unreadable(1007, -1, "1,2}");
        unreadable(1009, -1, "{\"a}");
        unreadable(1007, -1, "{1}x");
    }

    @Test
    void pointsAndBoxesInJavaNotation() {
        assertEquals("(1.0,-2.5)", read(600, -1, "(1,-2.5)"));
        assertEquals("(1.0E22,0.1)", read(600, -1, "(1e+22,0.1)"));
        assertEquals("(3.0,4.0),(1.0,2.0)", read(603, -1, "(3,4),(1,2)"));
        assertEquals("(0.0,1.0E-5),(-1.5,0.0)", read(603, -1, "(0,1e-05),(-1.5,0)"));
        unreadable(600, -1, "(1,2");
        unreadable(603, -1, "(1,2)");
    }

    @Test
    void tupleColumnsOfEveryKind() {
        PgColumnType type = type(23, -1);
        TupleData tuple = TupleData.of(new char[] {'t', 'n', 'u', 'b'}, new byte[][] {{'4', '2'}, null, null, {0, 0, 0, 42}});
        RecordingSink sink = new RecordingSink(4);
        type.set(sink, 0, tuple, 0);
        assertEquals(42L, sink.value(0));
        sink.setLong(1, 1);
        type.set(sink, 1, tuple, 1);
        assertEquals("setNull", sink.setter(1));
        IllegalStateException unchanged = assertThrows(IllegalStateException.class, () -> type.set(sink, 2, tuple, 2));
        assertTrue(unchanged.getMessage().contains("'c'") && unchanged.getMessage().contains("TOAST"), unchanged.getMessage());
        IllegalArgumentException binary = assertThrows(IllegalArgumentException.class, () -> type.set(sink, 3, tuple, 3));
        assertTrue(binary.getMessage().contains("binary"), binary.getMessage());
    }

    @Test
    void valuesAreReadFromTheMiddleOfAnArray() {
        byte[] data = "xx2024-02-29yy".getBytes(StandardCharsets.US_ASCII);
        RecordingSink sink = new RecordingSink(1);
        type(1082, -1).set(sink, 0, data, 2, 10);
        assertEquals(LocalDate.of(2024, 2, 29).toEpochDay(), sink.value(0));
    }

    @Test
    void errorsNameTheColumnTheTypeAndTheValue() {
        PgColumnType enumType = PgColumnType.of(new RelationColumn("mood", false, 16_388, -1), (TypeInfo) null);
        assertEquals("STRING", enumType.column().type().name());
        IllegalArgumentException e = unreadable(1114, 3, "infinity");
        assertTrue(e.getMessage().startsWith("column 'c' (timestamp): cannot read 'infinity': "), e.getMessage());
        String longText = "9".repeat(300);
        IllegalArgumentException cut = unreadable(23, -1, longText);
        assertTrue(cut.getMessage().contains("9".repeat(100) + "…'"), cut.getMessage());
    }
}
