package dev.ferry.connector.file;

import dev.ferry.engine.config.ConnectorConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Source;
import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.engine.testing.ListRowBatch;
import dev.ferry.engine.testing.RecordingContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever a file target writes, the matching source reads back to the same values. */
class RoundTripTest {

    private static final List<Column> COLUMNS = List.of(Column.of("b", DataType.BOOLEAN), Column.of("i", DataType.INT64),
            Column.of("d", DataType.DECIMAL), Column.of("f", DataType.FLOAT64), Column.of("s", DataType.STRING),
            Column.of("by", DataType.BYTES), Column.of("da", DataType.DATE), Column.of("ti", DataType.TIME),
            Column.of("ts", DataType.TIMESTAMP), Column.of("tz", DataType.TIMESTAMPTZ), Column.of("j", DataType.JSON),
            Column.of("n", DataType.NULL));
    private static final TableSchema SCHEMA = TableSchema.of("t", COLUMNS);

    @TempDir
    Path dir;

    private static List<Object[]> tricky() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {true, 42L, new BigDecimal("12.50"), 0.1, "plain", new byte[] {1, 2, 3},
                LocalDate.of(2024, 2, 29).toEpochDay(), 45_296_789_000_000L, 1_709_164_800_123_456L, 1_709_164_800_000_001L,
                "{\"k\":[1,2.50,null]}", null});
        rows.add(new Object[12]);
        String[] strings = {"", "NULL", "a,b", "\"quoted\"", "line\nbreak\r\nmore\r", " spaced ", "\uFEFFbom",
                "\u00e9\u20ac\uD83D\uDE00", "\\back\\slash", "tab\there", "{\"looks\":\"json\"}"};
        for (int k = 0; k < strings.length; k++) {
            boolean odd = k % 2 == 1;
            rows.add(new Object[] {odd, odd ? Long.MIN_VALUE : Long.MAX_VALUE,
                    odd ? new BigDecimal("-0.000") : new BigDecimal("12345678901234567890.123456789"),
                    new double[] {Double.NaN, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-300,
                            Double.MAX_VALUE, Double.MIN_VALUE, 1.0 / 3, 123456789.125, -7.0, 0.0}[k],
                    strings[k], odd ? new byte[0] : all,
                    odd ? -719_162L : 2_932_896L,
                    odd ? 0L : 86_399_999_999_999L,
                    odd ? -62_135_596_800_000_000L : 253_402_300_799_999_999L,
                    odd ? -1L : 0L,
                    odd ? "[\n 1,\r\n \"\u00e9\"\n]" : "\"just a string\"", null});
        }
        return rows;
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    /** Writes the rows as two splits through the target and commits. */
    private static void write(Target target, TableSchema schema, List<Object[]> rows) {
        RecordingContext context = new RecordingContext("t", 2);
        target.prepare(context, schema);
        int half = rows.size() / 2;
        try (TargetWriter writer = target.createWriter(context)) {
            writer.startSplit(new FileSplit("first", "/first"));
            writer.write(new ListRowBatch(schema, rows.subList(0, half)));
            writer.finishSplit();
            writer.startSplit(new FileSplit("second", "/second"));
            writer.write(new ListRowBatch(schema, rows.subList(half, rows.size())));
            writer.finishSplit();
        }
        target.commit();
        target.post();
        target.close();
        assertEquals(List.of(), context.dirty());
    }

    private static List<Object[]> read(Source source) {
        SourceRun run = SourceRun.of(source);
        assertEquals(List.of(), run.dirty());
        return run.rows();
    }

    private FileTarget csvTarget(String path, Object... more) {
        Map<String, Object> values = map(more);
        values.put("path", path);
        return new CsvConnector().createTarget(ConnectorConfigs.validate("csv", "target", FileKeys.CSV_TARGET, values), dir);
    }

    private CsvSource csvSource(String path, List<Column> columns, Object... more) {
        Map<String, Object> values = map(more);
        values.put("path", path);
        values.put("columns", columns);
        return new CsvConnector().createSource(ConnectorConfigs.validate("csv", "source", FileKeys.CSV_SOURCE, values), dir);
    }

    private FileTarget jsonlTarget(String path) {
        return new JsonlConnector().createTarget(ConnectorConfigs.validate("jsonl", "target", FileKeys.JSONL_TARGET,
                map("path", path)), dir);
    }

    private JsonlSource jsonlSource(String path, List<Column> columns) {
        return new JsonlConnector().createSource(ConnectorConfigs.validate("jsonl", "source", FileKeys.JSONL_SOURCE,
                map("path", path, "columns", columns)), dir);
    }

    private static void assertSameRows(List<Object[]> expected, List<Object[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int r = 0; r < expected.size(); r++) {
            assertTrue(Arrays.deepEquals(expected.get(r), actual.get(r)),
                    "row " + r + ": expected " + Arrays.deepToString(expected.get(r)) + " but was "
                            + Arrays.deepToString(actual.get(r)));
        }
    }

    /** Json columns keep their value, not necessarily their line breaks, through JSON lines. */
    private static List<Object[]> withJsonOnOneLine(List<Object[]> rows, int jsonColumn) {
        List<Object[]> copy = new ArrayList<>();
        for (Object[] row : rows) {
            Object[] c = row.clone();
            if (c[jsonColumn] != null) {
                c[jsonColumn] = ((String) c[jsonColumn]).replace('\n', ' ').replace('\r', ' ');
            }
            copy.add(c);
        }
        return copy;
    }

    @Test
    void csvToCsvIsLossless() throws IOException {
        List<Object[]> rows = tricky();
        write(csvTarget("one.csv"), SCHEMA, rows);
        List<Object[]> read = read(csvSource("one.csv", COLUMNS));
        assertSameRows(rows, read);
        // Writing what was read gives the same bytes.
        write(csvTarget("again/"), SCHEMA, read);
        write(csvTarget("two.csv"), SCHEMA, read(csvSource("again", COLUMNS)));
        assertEquals(Files.readString(dir.resolve("one.csv")), Files.readString(dir.resolve("two.csv")));
    }

    @Test
    void csvWithOtherLayoutIsLossless() {
        List<Object[]> rows = tricky();
        write(csvTarget("semi.csv", "delimiter", ";", "quote", "'", "nullValue", "NULL", "header", false), SCHEMA, rows);
        assertSameRows(rows, read(csvSource("semi.csv", COLUMNS, "delimiter", ";", "quote", "'", "nullValue", "NULL",
                "header", false)));
    }

    @Test
    void jsonlToJsonlIsLossless() throws IOException {
        List<Object[]> rows = tricky();
        write(jsonlTarget("one.jsonl"), SCHEMA, rows);
        List<Object[]> read = read(jsonlSource("one.jsonl", COLUMNS));
        assertSameRows(withJsonOnOneLine(rows, 10), read);
        write(jsonlTarget("two.jsonl"), SCHEMA, read);
        assertEquals(Files.readString(dir.resolve("one.jsonl")), Files.readString(dir.resolve("two.jsonl")));
    }

    @Test
    void csvToJsonlAndBackIsLossless() {
        List<Object[]> rows = tricky();
        write(csvTarget("in.csv"), SCHEMA, rows);
        write(jsonlTarget("mid.jsonl"), SCHEMA, read(csvSource("in.csv", COLUMNS)));
        List<Object[]> fromJsonl = read(jsonlSource("mid.jsonl", COLUMNS));
        assertSameRows(withJsonOnOneLine(rows, 10), fromJsonl);
        write(csvTarget("out.csv"), SCHEMA, fromJsonl);
        assertSameRows(withJsonOnOneLine(rows, 10), read(csvSource("out.csv", COLUMNS)));
    }

    @Test
    void aSingleColumnKeepsEmptyStringsAndNullsApart() {
        List<Column> columns = List.of(Column.of("s", DataType.STRING));
        TableSchema schema = TableSchema.of("t", columns);
        List<Object[]> rows = List.of(new Object[] {""}, new Object[] {null}, new Object[] {"x"}, new Object[] {null});
        write(csvTarget("single.csv"), schema, rows);
        assertSameRows(rows, read(csvSource("single.csv", columns)));
        write(csvTarget("single-nh.csv", "header", false, "nullValue", "\\N"), schema, rows);
        assertSameRows(rows, read(csvSource("single-nh.csv", columns, "header", false, "nullValue", "\\N")));
    }

    @Test
    void inferredCsvColumnsReadBackAsText() {
        List<Object[]> rows = tricky();
        write(csvTarget("typed.csv"), SCHEMA, rows);
        CsvSource untyped = new CsvConnector().createSource(ConnectorConfigs.validate("csv", "source", FileKeys.CSV_SOURCE,
                map("path", "typed.csv")), dir);
        List<Object[]> texts = read(untyped);
        assertEquals(rows.size(), texts.size());
        assertEquals("2024-02-29", texts.get(0)[6]);
        assertEquals("12:34:56.789", texts.get(0)[7]);
        assertEquals("2024-02-29T00:00:00.123456", texts.get(0)[8]);
        assertEquals("2024-02-29T00:00:00.000001Z", texts.get(0)[9]);
        assertEquals("AQID", texts.get(0)[5]);
    }
}
