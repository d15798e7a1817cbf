package dev.ferry.connector.file;

import dev.ferry.engine.config.ConnectorConfigs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.SourceReader;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.DirtyDataLimitException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import dev.ferry.engine.testing.CollectingRecordSink;
import dev.ferry.engine.testing.CollectingRecordSink.Dirty;
import dev.ferry.engine.testing.ForwardingRecordSink;
import dev.ferry.engine.testing.RecordingContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private CsvSource source(Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new CsvConnector().createSource(ConnectorConfigs.validate("csv", "source", FileKeys.CSV_SOURCE, values), dir);
    }

    private static List<List<Object>> values(List<Object[]> rows) {
        return rows.stream().map(Arrays::asList).toList();
    }

    @Test
    void readsEveryHeaderColumnAsStringWithoutColumns() throws IOException {
        write("a.csv", "id,name\n1,ann\n2,\"bob, jr\"\n");
        CsvSource source = source("path", "a.csv");
        SourceRun run = SourceRun.of(source);
        assertEquals(List.of(Column.of("id", DataType.STRING), Column.of("name", DataType.STRING)),
                source.schema().columns());
        assertEquals(List.of(List.of("1", "ann"), List.of("2", "bob, jr")), values(run.rows()));
        assertEquals(List.of("source.columns not given: reading columns [id, name] of '" + dir.resolve("a.csv")
                + "' as string"), run.context.warnings());
    }

    @Test
    void mapsDeclaredColumnsByHeaderNameInAnyOrder() throws IOException {
        write("a.csv", "skip,amount,id\nx,1.50,1\n");
        write("b.csv", "id,amount\n2,2.00\n");
        List<Column> columns = List.of(Column.of("id", DataType.INT64), Column.of("amount", DataType.DECIMAL));
        SourceRun run = SourceRun.of(source("path", "*.csv", "columns", columns));
        assertEquals(List.of(List.of(1L, new BigDecimal("1.50")), List.of(2L, new BigDecimal("2.00"))), values(run.rows()));
        assertTrue(run.context.warnings().isEmpty());
    }

    @Test
    void mapsColumnsByPositionWithoutHeader() throws IOException {
        write("a.csv", "1,true\n2,false\n");
        List<Column> columns = List.of(Column.of("id", DataType.INT64), Column.of("ok", DataType.BOOLEAN));
        SourceRun run = SourceRun.of(source("path", "a.csv", "columns", columns, "header", false));
        assertEquals(List.of(List.of(1L, true), List.of(2L, false)), values(run.rows()));
    }

    @Test
    void aDeclaredColumnMissingFromAHeaderFailsPrepare() throws IOException {
        write("a.csv", "id,amount\n1,2\n");
        write("b.csv", "id\n1\n");
        List<Column> columns = List.of(Column.of("id", DataType.INT64), Column.of("amount", DataType.DECIMAL));
        CsvSource source = source("path", "*.csv", "columns", columns);
        ConfigException e = assertThrows(ConfigException.class, () -> source.prepare(new RecordingContext("t", 1)));
        assertEquals(List.of(new Violation("source.columns", "must each be named in the header of every file",
                "'amount' missing from '" + dir.resolve("b.csv") + "'")), e.violations());
    }

    @Test
    void laterFilesMustHaveTheFirstFilesColumnsWhenInferred() throws IOException {
        write("a.csv", "id,name\n");
        write("b.csv", "name\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> source("path", "*.csv").prepare(new RecordingContext("t", 1)));
        assertEquals("invalid job: source.path must name files that all have the header columns of the first file, got "
                + "'id' missing from '" + dir.resolve("b.csv") + "'", e.getMessage());
    }

    @Test
    void anEmptyFirstFileCannotGiveColumns() throws IOException {
        write("a.csv", "");
        ConfigException e = assertThrows(ConfigException.class,
                () -> source("path", "a.csv").prepare(new RecordingContext("t", 1)));
        assertEquals("invalid job: source.columns must be given when the first file has no header line, got '"
                + dir.resolve("a.csv") + "' is empty", e.getMessage());
    }

    @Test
    void headerNamesMustBeUniqueAndNonEmpty() throws IOException {
        write("a.csv", "id,id\n");
        write("b.csv", "id,,x\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> source("path", "*.csv").prepare(new RecordingContext("t", 1)));
        assertEquals(List.of(
                new Violation("source.path", "must name files whose header names are unique and non-empty",
                        "'id' twice in '" + dir.resolve("a.csv") + "'"),
                new Violation("source.path", "must name files whose header names are unique and non-empty",
                        "an empty name at position 2 in '" + dir.resolve("b.csv") + "'")), e.violations());
    }

    @Test
    void noMatchingFileFailsPrepareNamingThePattern() {
        CsvSource source = source("path", "x/*.csv");
        ConfigException e = assertThrows(ConfigException.class, () -> source.prepare(new RecordingContext("t", 1)));
        assertEquals("invalid job: source.path matched no file, got 'x/*.csv'", e.getMessage());
    }

    @Test
    void makesOneSplitPerFileWhateverTheConcurrency() throws IOException {
        for (int i = 0; i < 8; i++) {
            write("many/f" + i + ".csv", "v\n" + i + "\n");
        }
        write("one/only.csv", "v\n1\n");
        SourceRun many = SourceRun.of(source("path", "many/*.csv"), 4);
        assertEquals(8, many.splits.size());
        assertEquals(8, many.rows().size());
        assertEquals(List.of("f0.csv", "f1.csv", "f2.csv", "f3.csv", "f4.csv", "f5.csv", "f6.csv", "f7.csv"),
                many.splits.stream().map(s -> s.id()).toList());
        assertEquals(8, SourceRun.of(source("path", "many"), 1).splits.size());
        assertEquals(1, SourceRun.of(source("path", "one/only.csv"), 16).splits.size());
    }

    @Test
    void convertsEveryType() throws IOException {
        write("t.csv", "b,i,d,f,s,by,da,ti,ts,tz,j,n\n"
                + "yes,-7,12.50,2.5,\"a,b\",AQI=,2024-01-02,10:00:01.5,2024-01-02 10:00:01,2024-01-02T11:00:01+01:00,"
                + "\"{\"\"k\"\": [1]}\",\n"
                + ",,,,,,,,,,,\n");
        List<Column> columns = List.of(Column.of("b", DataType.BOOLEAN), Column.of("i", DataType.INT64),
                Column.of("d", DataType.DECIMAL), Column.of("f", DataType.FLOAT64), Column.of("s", DataType.STRING),
                Column.of("by", DataType.BYTES), Column.of("da", DataType.DATE), Column.of("ti", DataType.TIME),
                Column.of("ts", DataType.TIMESTAMP), Column.of("tz", DataType.TIMESTAMPTZ), Column.of("j", DataType.JSON),
                Column.of("n", DataType.NULL));
        SourceRun run = SourceRun.of(source("path", "t.csv", "columns", columns));
        assertEquals(List.of(), run.dirty());
        Object[] row = run.rows().get(0);
        assertEquals(true, row[0]);
        assertEquals(-7L, row[1]);
        assertEquals(new BigDecimal("12.50"), row[2]);
        assertEquals(2.5, row[3]);
        assertEquals("a,b", row[4]);
        assertArrayEquals(new byte[] {1, 2}, (byte[]) row[5]);
        assertEquals(LocalDate.of(2024, 1, 2).toEpochDay(), row[6]);
        assertEquals(36_001_500_000_000L, row[7]);
        assertEquals(1_704_189_601_000_000L, row[8]);
        assertEquals(1_704_189_601_000_000L, row[9]);
        assertEquals("{\"k\": [1]}", row[10]);
        assertEquals(null, row[11]);
        assertEquals(Arrays.asList(new Object[12]), Arrays.asList(run.rows().get(1)), "empty unquoted fields are null");
    }

    @Test
    void badValuesMakeTheRecordDirtyAndReadingGoesOn() throws IOException {
        write("a.csv", "id,amount,day\n1,abc,2024-01-01\n2,3,2024-13-01\n3,4,2024-01-03\n4,5\n5,6,2024-01-05,x\n");
        List<Column> columns = List.of(Column.of("id", DataType.INT64), Column.of("amount", DataType.INT64),
                Column.of("day", DataType.DATE));
        SourceRun run = SourceRun.of(source("path", "a.csv", "columns", columns));
        assertEquals(List.of(3L), run.rows().stream().map(r -> r[0]).toList());
        assertEquals(List.of(
                new Dirty("column 'amount': 'abc' is not a valid int64", "1,abc,2024-01-01"),
                new Dirty("column 'day': '2024-13-01' is not a valid date (expected yyyy-MM-dd)", "2,3,2024-13-01"),
                new Dirty("record has 2 fields, expected 3", "4,5"),
                new Dirty("record has 4 fields, expected 3", "5,6,2024-01-05,x")), run.dirty());
    }

    @Test
    void malformedQuotingMakesTheRecordDirty() throws IOException {
        write("a.csv", "a,b\n\"x\"y,1\nok,2\nlast,\"open\n");
        SourceRun run = SourceRun.of(source("path", "a.csv"));
        assertEquals(List.of(List.of("ok", "2")), values(run.rows()));
        assertEquals(List.of(
                new Dirty("field 1 has text after its closing quote", "\"x\"y,1"),
                new Dirty("field 2 has a quote that is never closed", "last,\"open\n")), run.dirty());
    }

    @Test
    void theDirtyLimitStopsTheRead() throws IOException {
        write("a.csv", "n\nx\ny\nz\n");
        CsvSource source = source("path", "a.csv", "columns", List.of(Column.of("n", DataType.INT64)));
        source.prepare(new RecordingContext("t", 1));
        CollectingRecordSink sink = new CollectingRecordSink(source.schema(), 1);
        try (SourceReader reader = source.createReader(source.planSplits(new RecordingContext("t", 1)).get(0))) {
            assertThrows(DirtyDataLimitException.class, () -> reader.read(sink));
        }
        assertEquals(2, sink.dirty().size());
    }

    @Test
    void customDelimiterQuoteAndNullText() throws IOException {
        write("a.csv", "a;b\n'x;y';NULL\n'NULL';''\n");
        SourceRun run = SourceRun.of(source("path", "a.csv", "delimiter", ";", "quote", "'", "nullValue", "NULL"));
        assertEquals(List.of(Arrays.asList("x;y", null), List.of("NULL", "")), values(run.rows()));
    }

    @Test
    void quotedEmptyIsAnEmptyStringAndUnquotedEmptyIsNull() throws IOException {
        write("a.csv", "a,b\n\"\",\n");
        SourceRun run = SourceRun.of(source("path", "a.csv"));
        assertEquals(List.of(Arrays.asList("", null)), values(run.rows()));
    }

    @Test
    void nullInANonNullableColumnIsDirty() throws IOException {
        write("a.csv", "id\n\n1\n");
        List<Column> columns = List.of(new Column("id", DataType.INT64, false, 0, 0, ""));
        SourceRun run = SourceRun.of(source("path", "a.csv", "columns", columns));
        assertEquals(List.of(List.of(1L)), values(run.rows()));
        assertEquals(List.of(new Dirty("column 'id': null in a column that is not nullable", "")), run.dirty());
    }

    @Test
    void blankLinesAreSkippedUnlessRecordsHaveOneField() throws IOException {
        write("two.csv", "a,b\n1,2\n\n\n3,4\n\n");
        write("one.csv", "a\nx\n\ny\n");
        assertEquals(List.of(List.of("1", "2"), List.of("3", "4")), values(SourceRun.of(source("path", "two.csv")).rows()));
        assertEquals(List.of(List.of("x"), Arrays.asList((Object) null), List.of("y")),
                values(SourceRun.of(source("path", "one.csv")).rows()));
    }

    @Test
    void aHeaderOnlyFileHasNoRows() throws IOException {
        write("a.csv", "a,b\r\n");
        SourceRun run = SourceRun.of(source("path", "a.csv"));
        assertEquals(0, run.rows().size());
        assertEquals(1, run.splits.size());
    }

    @Test
    void readsOtherEncodings() throws IOException {
        Files.write(dir.resolve("l1.csv"), "name\nJos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        SourceRun run = SourceRun.of(source("path", "l1.csv", "encoding", "ISO-8859-1"));
        assertEquals(List.of(List.of("Jos\u00e9")), values(run.rows()));
    }

    @Test
    void invalidBytesFailTheSplitInsteadOfTurningIntoReplacementCharacters() throws IOException {
        byte[] good = ("a\n" + "x\n".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        byte[] bad = java.util.Arrays.copyOf(good, good.length + 2);
        bad[good.length] = (byte) 0xC3;
        bad[good.length + 1] = '\n';
        Files.write(dir.resolve("bad.csv"), bad);
        CsvSource source = source("path", "bad.csv");
        source.prepare(new RecordingContext("t", 1));
        SourceReader reader = source.createReader(source.planSplits(new RecordingContext("t", 1)).get(0));
        SyncException e = assertThrows(SyncException.class, () -> reader.read(new CollectingRecordSink(source.schema())));
        assertEquals(ErrorKind.DATA, e.kind());
        assertTrue(e.getMessage().matches("file '" + java.util.regex.Pattern.quote(dir.resolve("bad.csv").toString())
                + "' is not valid UTF-8 \\(somewhere after line \\d+\\)"), e.getMessage());
    }

    @Test
    void stopsWhenCancelled() throws IOException {
        StringBuilder content = new StringBuilder("n\n");
        for (int i = 0; i < 100; i++) {
            content.append(i).append('\n');
        }
        write("a.csv", content.toString());
        CsvSource source = source("path", "a.csv");
        source.prepare(new RecordingContext("t", 1));
        SourceReader reader = source.createReader(source.planSplits(new RecordingContext("t", 1)).get(0));
        CollectingRecordSink collecting = new CollectingRecordSink(source.schema());
        RecordSink sink = new ForwardingRecordSink(collecting) {
            @Override
            public void emit() {
                super.emit();
                if (collecting.rows().size() == 3) {
                    reader.cancel();
                }
            }
        };
        CancelledException e = assertThrows(CancelledException.class, () -> reader.read(sink));
        assertEquals("split 'a.csv' was cancelled at line 5", e.getMessage());
        assertEquals(3, collecting.rows().size());
    }

    @Test
    void refusesSplitsOfOtherSources() throws IOException {
        write("a.csv", "a\n");
        CsvSource source = source("path", "a.csv");
        source.prepare(new RecordingContext("t", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> source.createReader(() -> "x"));
        assertTrue(e.getMessage().startsWith("a csv source reads FileSplit, got "), e.getMessage());
        SyncException early = assertThrows(SyncException.class, () -> source("path", "a.csv").schema());
        assertEquals("CsvSource: prepare() must run first", early.getMessage());
    }
}
