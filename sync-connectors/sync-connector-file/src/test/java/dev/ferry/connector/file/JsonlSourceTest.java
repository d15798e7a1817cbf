package dev.ferry.connector.file;

import dev.ferry.engine.config.ConnectorConfigs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.error.ConfigException;
import dev.ferry.engine.testing.CollectingRecordSink.Dirty;
import dev.ferry.engine.testing.RecordingContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlSourceTest {

    @TempDir
    Path dir;

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private JsonlSource source(Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new JsonlConnector().createSource(ConnectorConfigs.validate("jsonl", "source", FileKeys.JSONL_SOURCE, values),
                dir);
    }

    private static List<List<Object>> values(List<Object[]> rows) {
        return rows.stream().map(Arrays::asList).toList();
    }

    @Test
    void readsDeclaredColumnsByKey() throws IOException {
        write("a.jsonl", "{\"id\":1,\"name\":\"ann\",\"extra\":{\"x\":[1,2]}}\n\n{\"name\":\"bob\",\"id\":2}\n{\"id\":3}\n");
        List<Column> columns = List.of(Column.of("id", DataType.INT64), Column.of("name", DataType.STRING));
        SourceRun run = SourceRun.of(source("path", "a.jsonl", "columns", columns));
        assertEquals(List.of(List.of(1L, "ann"), List.of(2L, "bob"), Arrays.asList(3L, null)), values(run.rows()));
        assertEquals(List.of(), run.dirty());
    }

    @Test
    void infersColumnsFromTheFirstLineAndWarns() throws IOException {
        write("a.jsonl", "\n{\"b\":true,\"i\":7,\"f\":1.5,\"s\":\"x\",\"o\":{\"k\":1},\"a\":[1],\"n\":null}\n");
        JsonlSource source = source("path", "a.jsonl");
        SourceRun run = SourceRun.of(source);
        assertEquals(List.of(Column.of("b", DataType.BOOLEAN), Column.of("i", DataType.INT64),
                Column.of("f", DataType.FLOAT64), Column.of("s", DataType.STRING), Column.of("o", DataType.JSON),
                Column.of("a", DataType.JSON), Column.of("n", DataType.STRING)), source.schema().columns());
        assertEquals(List.of(Arrays.asList(true, 7L, 1.5, "x", "{\"k\":1}", "[1]", null)), values(run.rows()));
        assertEquals(List.of("source.columns not given: inferred b boolean, i int64, f float64, s string, o json, "
                + "a json, n string from the first line of '" + dir.resolve("a.jsonl") + "'"), run.context.warnings());
    }

    @Test
    void inferenceSkipsEmptyFilesAndNeedsAnObject() throws IOException {
        write("a.jsonl", "");
        write("b.jsonl", "{\"v\":1}\n");
        JsonlSource both = source("path", "*.jsonl");
        SourceRun run = SourceRun.of(both);
        assertEquals(List.of(Column.of("v", DataType.INT64)), both.schema().columns());
        assertEquals(List.of(List.of(1L)), values(run.rows()));
        write("c/x.jsonl", "[1,2]\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> source("path", "c/x.jsonl").prepare(new RecordingContext("t", 1)));
        assertEquals("invalid job: source.columns must be given when the first line is not a JSON object with at least "
                + "one key, got '[1,2]' in '" + dir.resolve("c/x.jsonl") + "'", e.getMessage());
        write("d/empty.jsonl", "\n\n");
        e = assertThrows(ConfigException.class, () -> source("path", "d").prepare(new RecordingContext("t", 1)));
        assertEquals("invalid job: source.columns must be given when no file has a line to infer them from, got [d]",
                e.getMessage());
    }

    @Test
    void convertsEveryType() throws IOException {
        write("t.jsonl", "{\"b\":\"yes\",\"i\":\"-7\",\"d\":12.50,\"f\":\"NaN\",\"s\":5,\"by\":\"AQI=\",\"da\":\"2024-01-02\","
                + "\"ti\":\"10:00:01.5\",\"ts\":\"2024-01-02 10:00:01\",\"tz\":\"2024-01-02T11:00:01+01:00\","
                + "\"j\": {\"k\" : [1, 2.50]} ,\"n\":null}\n"
                + "{\"b\":false,\"i\":-9223372036854775808,\"d\":\"1E+2\",\"f\":1e300,\"s\":true,\"j\":\"text\"}\n"
                + "{\"d\":1,\"f\":2,\"j\":-1.50,\"s\":\"\\u00e9\\n\"}\n");
        List<Column> columns = List.of(Column.of("b", DataType.BOOLEAN), Column.of("i", DataType.INT64),
                Column.of("d", DataType.DECIMAL), Column.of("f", DataType.FLOAT64), Column.of("s", DataType.STRING),
                Column.of("by", DataType.BYTES), Column.of("da", DataType.DATE), Column.of("ti", DataType.TIME),
                Column.of("ts", DataType.TIMESTAMP), Column.of("tz", DataType.TIMESTAMPTZ), Column.of("j", DataType.JSON),
                Column.of("n", DataType.NULL));
        SourceRun run = SourceRun.of(source("path", "t.jsonl", "columns", columns));
        assertEquals(List.of(), run.dirty());
        Object[] row = run.rows().get(0);
        assertEquals(true, row[0]);
        assertEquals(-7L, row[1]);
        assertEquals(new BigDecimal("12.50"), row[2]);
        assertEquals(2, ((BigDecimal) row[2]).scale());
        assertTrue(Double.isNaN((Double) row[3]));
        assertEquals("5", row[4]);
        assertArrayEquals(new byte[] {1, 2}, (byte[]) row[5]);
        assertEquals(LocalDate.of(2024, 1, 2).toEpochDay(), row[6]);
        assertEquals(36_001_500_000_000L, row[7]);
        assertEquals(1_704_189_601_000_000L, row[8]);
        assertEquals(1_704_189_601_000_000L, row[9]);
        assertEquals("{\"k\" : [1, 2.50]}", row[10], "json keeps its exact text");
        assertEquals(null, row[11]);
        Object[] second = run.rows().get(1);
        assertEquals(Arrays.asList(false, Long.MIN_VALUE, new BigDecimal("1E+2"), 1e300, "true", null, null, null, null,
                null, "\"text\"", null), Arrays.asList(second));
        Object[] third = run.rows().get(2);
        assertEquals(new BigDecimal("1"), third[2]);
        assertEquals(2.0, third[3]);
        assertEquals("-1.50", third[10]);
        assertEquals("\u00e9\n", third[4]);
    }

    @Test
    void badLinesAndValuesAreDirty() throws IOException {
        write("a.jsonl", String.join("\n",
                "{\"id\":1.5}",
                "{\"id\":99999999999999999999}",
                "{\"id\":\"abc\"}",
                "{\"id\":true}",
                "{\"id\":{\"x\":1}}",
                "[1]",
                "{\"id\":",
                "{\"id\":4} {}",
                "{\"id\":5,\"day\":20240101}",
                "{\"id\":6,\"day\":\"2024-01-06\"}"));
        List<Column> columns = List.of(Column.of("id", DataType.INT64), Column.of("day", DataType.DATE));
        SourceRun run = SourceRun.of(source("path", "a.jsonl", "columns", columns));
        assertEquals(List.of(List.of(6L, LocalDate.of(2024, 1, 6).toEpochDay())), values(run.rows()));
        List<String> reasons = run.dirty().stream().map(Dirty::reason).toList();
        assertEquals("column 'id': '1.5' is not a valid int64", reasons.get(0));
        assertEquals("column 'id': '99999999999999999999' is not a valid int64 (out of range)", reasons.get(1));
        assertEquals("column 'id': 'abc' is not a valid int64", reasons.get(2));
        assertEquals("column 'id': 'true' is not a valid int64", reasons.get(3));
        assertEquals("column 'id': '{\"x\":1}' is not a valid int64", reasons.get(4));
        assertEquals("line is not a JSON object", reasons.get(5));
        assertTrue(reasons.get(6).startsWith("line is not valid JSON: "), reasons.get(6));
        assertEquals("line has more than one JSON value", reasons.get(7));
        assertEquals("column 'day': '20240101' is not a valid date", reasons.get(8));
        assertEquals(9, reasons.size());
        assertEquals("{\"id\":1.5}", run.dirty().get(0).raw());
    }

    @Test
    void missingOrNullValuesInNonNullableColumnsAreDirty() throws IOException {
        write("a.jsonl", "{\"id\":null}\n{}\n{\"id\":1}\n");
        List<Column> columns = List.of(new Column("id", DataType.INT64, false, 0, 0, ""));
        SourceRun run = SourceRun.of(source("path", "a.jsonl", "columns", columns));
        assertEquals(List.of(List.of(1L)), values(run.rows()));
        assertEquals(List.of(new Dirty("column 'id': null in a column that is not nullable", "{\"id\":null}"),
                new Dirty("column 'id': missing in a column that is not nullable", "{}")), run.dirty());
    }

    @Test
    void makesOneSplitPerFile() throws IOException {
        for (int i = 0; i < 8; i++) {
            write("d/p" + i + ".jsonl", "{\"v\":" + i + "}\n");
        }
        SourceRun run = SourceRun.of(source("path", List.of("d/*.jsonl")), 4);
        assertEquals(8, run.splits.size());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), run.rows().stream().map(r -> r[0]).toList());
    }
}
