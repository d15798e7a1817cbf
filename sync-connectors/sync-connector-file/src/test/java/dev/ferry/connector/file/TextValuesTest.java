package dev.ferry.connector.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.engine.testing.CollectingRecordSink;
import dev.ferry.engine.testing.ListRowBatch;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TextValuesTest {

    private static String reason(Executable parse) {
        InvalidValueException e = assertThrows(InvalidValueException.class, parse);
        return e.reason("c");
    }

    private static long micros(LocalDateTime value) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, value.toInstant(ZoneOffset.UTC));
    }

    @ParameterizedTest
    @CsvSource({"true,true", "TRUE,true", "t,true", "T,true", "1,true", "yes,true", "Yes,true", " true ,true",
            "false,false", "False,false", "f,false", "0,false", "no,false", "NO,false"})
    void parsesBooleans(String text, boolean expected) {
        assertEquals(expected, TextValues.parseBoolean(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "yess", "truth", "y", "n", "on"})
    void refusesOtherBooleans(String text) {
        assertEquals("column 'c': '" + text + "' is not a valid boolean (expected true, false, 1, 0, t, f, yes or no)",
                reason(() -> TextValues.parseBoolean(text)));
    }

    @Test
    void parsesInt64() {
        assertEquals(42, TextValues.parseInt64("42"));
        assertEquals(-42, TextValues.parseInt64(" -42 "));
        assertEquals(7, TextValues.parseInt64("+7"));
        assertEquals(Long.MAX_VALUE, TextValues.parseInt64("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, TextValues.parseInt64("-9223372036854775808"));
    }

    @Test
    void namesTheColumnValueAndTypeOfABadInt64() {
        assertEquals("column 'c': 'abc' is not a valid int64", reason(() -> TextValues.parseInt64("abc")));
        assertEquals("column 'c': '1.5' is not a valid int64", reason(() -> TextValues.parseInt64("1.5")));
        assertEquals("column 'c': '' is not a valid int64", reason(() -> TextValues.parseInt64("")));
        assertEquals("column 'c': '-' is not a valid int64", reason(() -> TextValues.parseInt64("-")));
        assertEquals("column 'c': '9223372036854775808' is not a valid int64 (out of range)",
                reason(() -> TextValues.parseInt64("9223372036854775808")));
        assertEquals("column 'amount': 'abc' is not a valid int64",
                assertThrows(InvalidValueException.class, () -> TextValues.parseInt64("abc")).reason("amount"));
    }

    @Test
    void shortensLongValuesInMessages() {
        String text = "z".repeat(100);
        assertEquals("column 'c': '" + "z".repeat(64) + "...' is not a valid int64", reason(() -> TextValues.parseInt64(text)));
    }

    @Test
    void parsesDecimalsExactly() {
        assertEquals(new BigDecimal("12.50"), TextValues.parseDecimal("12.50"));
        assertEquals(2, TextValues.parseDecimal("12.50").scale());
        assertEquals(new BigDecimal("-0.000001"), TextValues.parseDecimal("-0.000001"));
        assertEquals(new BigDecimal("1.25E+3"), TextValues.parseDecimal("1.25E+3"));
        assertEquals(new BigDecimal("123456789012345678901234567890.123456789"),
                TextValues.parseDecimal("123456789012345678901234567890.123456789"));
        assertEquals("column 'c': '12,5' is not a valid decimal", reason(() -> TextValues.parseDecimal("12,5")));
    }

    @Test
    void parsesFloat64() {
        assertEquals(0.1, TextValues.parseFloat64("0.1"));
        assertEquals(1e20, TextValues.parseFloat64("1.0E20"));
        assertEquals(-2.5, TextValues.parseFloat64(" -2.5 "));
        assertTrue(Double.isNaN(TextValues.parseFloat64("NaN")));
        assertEquals(Double.NEGATIVE_INFINITY, TextValues.parseFloat64("-Infinity"));
        assertEquals("column 'c': '1.5f' is not a valid float64", reason(() -> TextValues.parseFloat64("1.5f")));
        assertEquals("column 'c': 'x' is not a valid float64", reason(() -> TextValues.parseFloat64("x")));
        assertEquals("column 'c': '' is not a valid float64", reason(() -> TextValues.parseFloat64("")));
    }

    @Test
    void parsesBase64Bytes() {
        assertArrayEquals(new byte[] {0, 1, (byte) 0xFF}, TextValues.parseBytes("AAH/"));
        assertArrayEquals(new byte[0], TextValues.parseBytes(""));
        assertEquals("column 'c': 'not base64!' is not a valid bytes (expected base64)",
                reason(() -> TextValues.parseBytes("not base64!")));
    }

    @Test
    void parsesDates() {
        assertEquals(LocalDate.of(2024, 2, 29).toEpochDay(), TextValues.parseDate("2024-02-29"));
        assertEquals(-1, TextValues.parseDate("1969-12-31"));
        assertEquals(LocalDate.of(10000, 1, 1).toEpochDay(), TextValues.parseDate("+10000-01-01"));
        assertEquals("column 'c': '2023-02-29' is not a valid date (expected yyyy-MM-dd)",
                reason(() -> TextValues.parseDate("2023-02-29")));
        assertEquals("column 'c': '01/02/2024' is not a valid date (expected yyyy-MM-dd)",
                reason(() -> TextValues.parseDate("01/02/2024")));
    }

    @Test
    void parsesTimes() {
        assertEquals(LocalTime.of(13, 45).toNanoOfDay(), TextValues.parseTime("13:45"));
        assertEquals(LocalTime.of(13, 45, 1, 123_456_789).toNanoOfDay(), TextValues.parseTime("13:45:01.123456789"));
        assertEquals("column 'c': '25:00' is not a valid time (expected HH:mm:ss[.fffffffff])",
                reason(() -> TextValues.parseTime("25:00")));
    }

    @Test
    void parsesTimestampsWithASpaceOrT() {
        long expected = micros(LocalDateTime.of(2024, 3, 1, 13, 45, 0, 123_456_000));
        assertEquals(expected, TextValues.parseTimestamp("2024-03-01T13:45:00.123456"));
        assertEquals(expected, TextValues.parseTimestamp("2024-03-01 13:45:00.123456"));
        assertEquals(micros(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000)),
                TextValues.parseTimestamp("1969-12-31 23:59:59.999999"));
        assertEquals(micros(LocalDateTime.of(2024, 3, 1, 13, 45)), TextValues.parseTimestamp("2024-03-01 13:45"));
    }

    @Test
    void refusesTimestampsItWouldHaveToChange() {
        assertEquals("column 'c': '2024-03-01 13:45:00.1234567' is not a valid timestamp (finer than microseconds)",
                reason(() -> TextValues.parseTimestamp("2024-03-01 13:45:00.1234567")));
        assertEquals("column 'c': '2024-03-01' is not a valid timestamp (expected yyyy-MM-dd HH:mm:ss[.ffffff])",
                reason(() -> TextValues.parseTimestamp("2024-03-01")));
        assertEquals("column 'c': '2024-03-01T10:00:00Z' is not a valid timestamp (expected yyyy-MM-dd HH:mm:ss[.ffffff])",
                reason(() -> TextValues.parseTimestamp("2024-03-01T10:00:00Z")));
    }

    @Test
    void convertsTimestamptzToUtc() {
        long utc = micros(LocalDateTime.of(2024, 3, 1, 12, 0));
        assertEquals(utc, TextValues.parseTimestamptz("2024-03-01T12:00:00Z"));
        assertEquals(utc, TextValues.parseTimestamptz("2024-03-01 13:00:00+01:00"));
        assertEquals(utc, TextValues.parseTimestamptz("2024-03-01 13:00:00+01"));
        assertEquals(utc, TextValues.parseTimestamptz("2024-03-01T07:30-04:30"));
        assertEquals(utc, TextValues.parseTimestamptz("2024-03-01T14:00:00+0200"));
        assertEquals(utc + 5, TextValues.parseTimestamptz("2024-03-01T12:00:00.000005z"));
    }

    @Test
    void refusesATimestamptzWithoutOffset() {
        assertEquals("column 'c': '2024-03-01 12:00:00' is not a valid timestamptz (an offset such as Z or +02:00 is required)",
                reason(() -> TextValues.parseTimestamptz("2024-03-01 12:00:00")));
        assertEquals("column 'c': 'noon' is not a valid timestamptz (expected yyyy-MM-dd HH:mm:ss[.ffffff]+HH:MM)",
                reason(() -> TextValues.parseTimestamptz("noon")));
    }

    @Test
    void validatesJson() {
        assertEquals("{\"a\": [1, 2]}", TextValues.parseJson("{\"a\": [1, 2]}"));
        assertEquals("\"text\"", TextValues.parseJson("\"text\""));
        assertEquals("3", TextValues.parseJson("3"));
        assertEquals("column 'c': '{\"a\":' is not a valid json", reason(() -> TextValues.parseJson("{\"a\":")));
        assertEquals("column 'c': '{} {}' is not a valid json", reason(() -> TextValues.parseJson("{} {}")));
        assertEquals("column 'c': 'abc' is not a valid json", reason(() -> TextValues.parseJson("abc")));
        assertFalse(TextValues.isJson(""));
    }

    @Test
    void aNullColumnTakesNoText() {
        TableSchema schema = TableSchema.of("t", List.of(Column.of("n", DataType.NULL)));
        assertEquals("column 'n': 'x' is not a valid null (a null column holds no values)",
                assertThrows(InvalidValueException.class,
                        () -> TextValues.set(new CollectingRecordSink(schema), 0, DataType.NULL, "x")).reason("n"));
    }

    @Test
    void setsEveryTypeInItsRepresentation() {
        List<Column> columns = new ArrayList<>();
        for (DataType type : DataType.values()) {
            if (type != DataType.NULL) {
                columns.add(Column.of(type.typeName(), type));
            }
        }
        TableSchema schema = TableSchema.of("t", columns);
        CollectingRecordSink sink = new CollectingRecordSink(schema);
        String[] texts = {"yes", "-5", "1.50", "2.5", "s", "AQI=", "2024-01-02", "10:00:01", "2024-01-02 10:00:01",
                "2024-01-02T10:00:01+01:00", "[1]"};
        for (int c = 0; c < texts.length; c++) {
            TextValues.set(sink, c, columns.get(c).type(), texts[c]);
        }
        sink.emit();
        Object[] row = sink.rows().get(0);
        assertEquals(true, row[0]);
        assertEquals(-5L, row[1]);
        assertEquals(new BigDecimal("1.50"), row[2]);
        assertEquals(2.5, row[3]);
        assertEquals("s", row[4]);
        assertArrayEquals(new byte[] {1, 2}, (byte[]) row[5]);
        assertEquals(LocalDate.of(2024, 1, 2).toEpochDay(), row[6]);
        assertEquals(LocalTime.of(10, 0, 1).toNanoOfDay(), row[7]);
        assertEquals(micros(LocalDateTime.of(2024, 1, 2, 10, 0, 1)), row[8]);
        assertEquals(micros(LocalDateTime.of(2024, 1, 2, 9, 0, 1)), row[9]);
        assertEquals("[1]", row[10]);
    }

    @Test
    void formatsEveryTypeInTheFormItParses() {
        List<Column> columns = new ArrayList<>();
        for (DataType type : DataType.values()) {
            columns.add(Column.of(type.typeName(), type));
        }
        TableSchema schema = TableSchema.of("t", columns);
        Object[] values = {false, Long.MIN_VALUE, new BigDecimal("-0.0100"), 1e-7, "a,\"b\"", new byte[] {-1, 0, 1},
                LocalDate.of(1, 1, 1), LocalTime.of(23, 59, 59, 999_999_999),
                LocalDateTime.of(1900, 6, 30, 0, 0, 0, 1000), Instant.parse("2024-03-01T12:00:00.5Z"), "{\"k\":null}", null};
        ListRowBatch batch = new ListRowBatch(schema, List.<Object[]>of(values));
        List<String> texts = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            StringBuilder out = new StringBuilder();
            TextValues.append(batch, 0, c, columns.get(c).type(), out);
            texts.add(out.toString());
        }
        assertEquals(List.of("false", "-9223372036854775808", "-0.0100", "1.0E-7", "a,\"b\"", "/wAB", "0001-01-01",
                "23:59:59.999999999", "1900-06-30T00:00:00.000001", "2024-03-01T12:00:00.5Z", "{\"k\":null}", ""), texts);
        // And each reads back to the same value.
        assertEquals(false, TextValues.parseBoolean(texts.get(0)));
        assertEquals(Long.MIN_VALUE, TextValues.parseInt64(texts.get(1)));
        assertEquals(new BigDecimal("-0.0100"), TextValues.parseDecimal(texts.get(2)));
        assertEquals(1e-7, TextValues.parseFloat64(texts.get(3)));
        assertArrayEquals(new byte[] {-1, 0, 1}, TextValues.parseBytes(texts.get(5)));
        assertEquals(batch.getLong(0, 6), TextValues.parseDate(texts.get(6)));
        assertEquals(batch.getLong(0, 7), TextValues.parseTime(texts.get(7)));
        assertEquals(batch.getLong(0, 8), TextValues.parseTimestamp(texts.get(8)));
        assertEquals(batch.getLong(0, 9), TextValues.parseTimestamptz(texts.get(9)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, -1, 999_999, 1_000_000, -86_400_000_000L, 253_402_300_799_999_999L,
            -62_135_596_800_000_000L, 1_709_294_400_123_400L})
    void timestampsRoundTrip(long micros) {
        String text = TextValues.appendTimestamp(micros, new StringBuilder()).toString();
        assertEquals(micros, TextValues.parseTimestamp(text), text);
        assertEquals(micros, TextValues.parseTimestamptz(text + "Z"), text);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 999, 1_000, 59_999_999_999L, 86_399_999_999_999L, 43_200_000_000_000L})
    void timesRoundTrip(long nanos) {
        String text = TextValues.appendTime(nanos, new StringBuilder()).toString();
        assertEquals(nanos, TextValues.parseTime(text), text);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0, 0.1, 1.0 / 3, Double.MIN_VALUE, Double.MAX_VALUE, -1e300, 123456789.125})
    void doublesRoundTrip(double value) {
        assertEquals(Double.doubleToLongBits(value), Double.doubleToLongBits(TextValues.parseFloat64(Double.toString(value))));
    }
}
