package dev.ferry.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.Redactor;
import dev.ferry.connector.jdbc.TableName;
import dev.ferry.connector.jdbc.TimeCodec;
import dev.ferry.connector.jdbc.WriteMode;
import dev.ferry.connector.jdbc.WritePlan;
import dev.ferry.engine.testing.ListRowBatch;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes the COPY encoders produce, without a server. */
class CopyEncoderTest {

    private static WritePlan plan(List<Column> sources, List<String> targetTypes) {
        List<DbColumn> targets = new ArrayList<>();
        int[] indexes = new int[sources.size()];
        for (int i = 0; i < sources.size(); i++) {
            String type = targetTypes.get(i);
            DataType logical = switch (type) {
                case "int8", "int4", "int2" -> DataType.INT64;
                case "numeric" -> DataType.DECIMAL;
                case "timestamptz" -> DataType.TIMESTAMPTZ;
                case "timestamp" -> DataType.TIMESTAMP;
                case "date" -> DataType.DATE;
                case "uuid", "text" -> DataType.STRING;
                default -> DataType.STRING;
            };
            targets.add(new DbColumn(new Column("c" + i, logical, true, 0, 0, type), Types.OTHER));
            indexes[i] = i;
        }
        TableSchema schema = TableSchema.of("s", sources);
        return new WritePlan(new PostgresDialect(), new TableName(null, "t"), WriteMode.INSERT, schema, targets, indexes,
                List.of(), "unused", indexes, 100, true, Redactor.URL_ONLY);
    }

    private static String text(WritePlan plan, Object[]... rows) {
        CopyTextEncoder encoder = new CopyTextEncoder(plan, 4);
        ListRowBatch batch = new ListRowBatch(plan.sourceSchema(), Arrays.asList(rows));
        for (int r = 0; r < rows.length; r++) {
            encoder.encodeRow(batch, r);
        }
        return new String(encoder.buffer(), 0, encoder.size(), StandardCharsets.UTF_8);
    }

    @Test
    void textEscapesBackslashTabNewlineCarriageReturnAndWritesNullAsBackslashN() {
        WritePlan plan = plan(List.of(Column.of("s", DataType.STRING), Column.of("n", DataType.INT64)), List.of("text", "int8"));
        assertEquals("a\\\\b\\tc\\nd\\re\t-42\n\\N\t9223372036854775807\n\\\\N\t-9223372036854775808\n",
                text(plan, new Object[] {"a\\b\tc\nd\re", -42L}, new Object[] {null, Long.MAX_VALUE},
                        new Object[] {"\\N", Long.MIN_VALUE}));
        assertEquals("ünï 😀 日本\t0\n", text(plan, new Object[] {"ünï 😀 日本", 0L}));
        assertEquals("\t1\n", text(plan, new Object[] {"", 1L}), "an empty string is not NULL");
    }

    @Test
    void textWritesTemporalValuesWithoutZoneShiftsAndBcYears() {
        WritePlan plan = plan(List.of(Column.of("d", DataType.DATE), Column.of("ts", DataType.TIMESTAMP),
                Column.of("tz", DataType.TIMESTAMPTZ), Column.of("tz2", DataType.TIMESTAMPTZ)),
                List.of("date", "timestamptz", "timestamptz", "timestamp"));
        long micros = TimeCodec.micros(LocalDateTime.of(2024, 2, 29, 13, 45, 7, 123_456_000));
        assertEquals("0044-03-15 BC\t2024-02-29 13:45:07.123456+00\t0001-01-01 00:00:00+00 BC\t2024-02-29 13:45:07.123456\n",
                text(plan, new Object[] {LocalDate.of(-43, 3, 15), micros,
                        TimeCodec.micros(LocalDateTime.of(0, 1, 1, 0, 0)), micros}));
    }

    @Test
    void textWritesDecimalsPlainAndBytesAsEscapedHex() {
        WritePlan plan = plan(List.of(Column.of("n", DataType.DECIMAL), Column.of("b", DataType.BYTES)), List.of("numeric", "bytea"));
        assertEquals("-12.50\t\\\\x00ff5c\n1000\t\\\\x\n0.000001\t\\\\x01\n123456789012345678901234.5\t\\\\x02\n",
                text(plan, new Object[] {new BigDecimal("-12.50"), new byte[] {0, (byte) 0xff, '\\'}},
                        new Object[] {new BigDecimal("1E+3"), new byte[0]}, new Object[] {new BigDecimal("0.000001"), new byte[] {1}},
                        new Object[] {new BigDecimal("123456789012345678901234.5"), new byte[] {2}}));
    }

    @Test
    void anUnpairedSurrogateIsRefusedAndLeavesTheBufferAsItWas() {
        WritePlan plan = plan(List.of(Column.of("s", DataType.STRING)), List.of("text"));
        CopyTextEncoder encoder = new CopyTextEncoder(plan, 16);
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"ok"});
        rows.add(new Object[] {"bad \uD800 x"});
        ListRowBatch batch = new ListRowBatch(plan.sourceSchema(), rows);
        encoder.encodeRow(batch, 0);
        assertThrows(IllegalArgumentException.class, () -> encoder.encodeRow(batch, 1));
        assertEquals("ok\n", new String(encoder.buffer(), 0, encoder.size(), StandardCharsets.UTF_8));
    }

    @Test
    void binaryIsChosenOnlyWhenEveryPairHasABinaryForm() {
        assertNotNull(CopyBinaryEncoder.forPlan(plan(List.of(Column.of("n", DataType.INT64), Column.of("s", DataType.STRING)),
                List.of("int4", "varchar")), 16));
        assertNull(CopyBinaryEncoder.forPlan(plan(List.of(Column.of("n", DataType.INT64), Column.of("u", DataType.STRING)),
                List.of("int8", "uuid")), 16));
        assertNull(CopyBinaryEncoder.forPlan(plan(List.of(Column.of("s", DataType.STRING)), List.of("int8")), 16));
    }

    @Test
    void binaryNumericsUseBase10000DigitsOnTheDecimalPoint() {
        assertArrayEquals(new short[] {2, 0, 0, 2, 12, 3400}, numeric("12.34"));
        assertArrayEquals(new short[] {1, 1, 0, 0, 100}, numeric("1000000"));
        assertArrayEquals(new short[] {1, -2, 0, 8, 1}, numeric("0.00000001"));
        assertArrayEquals(new short[] {2, 0, 0x4000, 1, 1, 5000}, numeric("-1.5"));
        assertArrayEquals(new short[] {0, 0, 0, 2}, numeric("0.00"));
        assertArrayEquals(new short[] {1, 1, 0, 0, 1}, numeric("1E+4"));
        assertArrayEquals(new short[] {7, 5, 0, 2, 1234, 5678, 9012, 3456, 7890, 1234, 3400}, numeric("123456789012345678901234.34"));
    }

    @Test
    void binaryRefusesIntegersTooWideForTheColumn() {
        WritePlan plan = plan(List.of(Column.of("n", DataType.INT64)), List.of("int2"));
        CopyBinaryEncoder encoder = CopyBinaryEncoder.forPlan(plan, 16);
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {40_000L});
        ListRowBatch batch = new ListRowBatch(plan.sourceSchema(), rows);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> encoder.encodeRow(batch, 0));
        assertEquals("value \"40000\" is out of range for type smallint", error.getMessage());
        assertEquals(0, encoder.size());
    }

    @Test
    void binaryHeaderRowsAndTrailer() {
        WritePlan plan = plan(List.of(Column.of("n", DataType.INT64), Column.of("d", DataType.DATE)), List.of("int8", "date"));
        CopyBinaryEncoder encoder = CopyBinaryEncoder.forPlan(plan, 4);
        List<Object[]> first = new ArrayList<>();
        first.add(new Object[] {7L, LocalDate.of(2000, 1, 2)});
        encoder.encodeRow(new ListRowBatch(plan.sourceSchema(), first), 0);
        encoder.encodeRow(new ListRowBatch(plan.sourceSchema(), Arrays.asList(new Object[][] {{null, null}})), 0);
        ByteBuffer bytes = ByteBuffer.allocate(encoder.header().length + encoder.size() + encoder.trailer().length)
                .put(encoder.header()).put(encoder.buffer(), 0, encoder.size()).put(encoder.trailer()).flip();
        byte[] signature = new byte[11];
        bytes.get(signature);
        assertArrayEquals(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0}, signature);
        assertEquals(0, bytes.getInt());
        assertEquals(0, bytes.getInt());
        assertEquals(2, bytes.getShort());
        assertEquals(8, bytes.getInt());
        assertEquals(7L, bytes.getLong());
        assertEquals(4, bytes.getInt());
        assertEquals(1, bytes.getInt(), "days since 2000-01-01");
        assertEquals(2, bytes.getShort());
        assertEquals(-1, bytes.getInt());
        assertEquals(-1, bytes.getInt());
        assertEquals(-1, bytes.getShort());
        assertFalse(bytes.hasRemaining());
    }

    @Test
    void aBinaryRowRendersBackToItsValuesAsJson() {
        WritePlan plan = plan(List.of(Column.of("id", DataType.INT64), Column.of("s", DataType.STRING),
                Column.of("n", DataType.DECIMAL), Column.of("d", DataType.DATE), Column.of("ts", DataType.TIMESTAMP),
                Column.of("b", DataType.BOOLEAN), Column.of("by", DataType.BYTES), Column.of("f", DataType.FLOAT64),
                Column.of("x", DataType.INT64)), List.of("int8", "text", "numeric", "date", "timestamp", "bool", "bytea",
                "float8", "int2"));
        CopyBinaryEncoder encoder = CopyBinaryEncoder.forPlan(plan, 4);
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {-7L, "tab\t\"q\" é", new BigDecimal("-1234.5600"), LocalDate.of(1999, 12, 31),
            TimeCodec.micros(LocalDateTime.of(2024, 2, 29, 23, 59, 1, 500_000_000)), true, new byte[] {1, 2, (byte) 0xff},
            1.5, null});
        encoder.encodeRow(new ListRowBatch(plan.sourceSchema(), rows), 0);
        assertEquals("{\"c0\": -7, \"c1\": \"tab\\t\\\"q\\\" é\", \"c2\": -1234.5600, \"c3\": \"1999-12-31\", "
                + "\"c4\": \"2024-02-29T23:59:01.500\", \"c5\": true, \"c6\": \"AQL/\", \"c7\": 1.5, \"c8\": null}",
                encoder.render(encoder.buffer(), 0, encoder.size()));
    }

    @Test
    void aTextRowRendersBackToItsFieldsAsJsonStrings() {
        WritePlan plan = plan(List.of(Column.of("id", DataType.INT64), Column.of("s", DataType.STRING),
                Column.of("z", DataType.STRING)), List.of("int8", "text", "text"));
        CopyTextEncoder encoder = new CopyTextEncoder(plan, 4);
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {42L, "back\\slash\nline\ttab", null});
        encoder.encodeRow(new ListRowBatch(plan.sourceSchema(), rows), 0);
        assertEquals("{\"c0\": \"42\", \"c1\": \"back\\\\slash\\nline\\ttab\", \"c2\": null}",
                encoder.render(encoder.buffer(), 0, encoder.size()));
    }

    /** The encoded numeric's header and digits (after its length). */
    private static short[] numeric(String value) {
        WritePlan plan = plan(List.of(Column.of("n", DataType.DECIMAL)), List.of("numeric"));
        CopyBinaryEncoder encoder = CopyBinaryEncoder.forPlan(plan, 4);
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {new BigDecimal(value)});
        encoder.encodeRow(new ListRowBatch(plan.sourceSchema(), rows), 0);
        ByteBuffer bytes = ByteBuffer.wrap(encoder.buffer(), 0, encoder.size());
        bytes.getShort();
        int length = bytes.getInt();
        short[] result = new short[length / 2];
        for (int i = 0; i < result.length; i++) {
            result[i] = bytes.getShort();
        }
        return result;
    }
}
