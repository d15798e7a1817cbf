package dev.ferry.connector.file;

import dev.ferry.engine.config.ConnectorConfigs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Split;
import dev.ferry.api.SupportsSplitRetry;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.engine.testing.ListRowBatch;
import dev.ferry.engine.testing.RecordingContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTargetTest {

    private static final TableSchema SCHEMA = TableSchema.of("t",
            List.of(Column.of("id", DataType.INT64), Column.of("name", DataType.STRING)));

    @TempDir
    Path dir;

    private final RecordingContext context = new RecordingContext("t", 2);

    private FileTarget csv(Object... keyValues) {
        return new CsvConnector().createTarget(ConnectorConfigs.validate("csv", "target", FileKeys.CSV_TARGET, map(keyValues)),
                dir);
    }

    private FileTarget jsonl(Object... keyValues) {
        return new JsonlConnector().createTarget(
                ConnectorConfigs.validate("jsonl", "target", FileKeys.JSONL_TARGET, map(keyValues)), dir);
    }

    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    private static Split split(String id) {
        return new FileSplit(id, "/in/" + id);
    }

    private static ListRowBatch rows(Object[]... rows) {
        return new ListRowBatch(SCHEMA, Arrays.asList(rows));
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void oneFileAppearsOnlyAtCommitWithTheHeaderOnce() throws IOException {
        FileTarget target = csv("path", "out/all.csv");
        target.prepare(context, SCHEMA);
        assertInstanceOf(SupportsSplitRetry.class, target);
        try (TargetWriter a = target.createWriter(context); TargetWriter b = target.createWriter(context)) {
            a.startSplit(split("s1"));
            b.startSplit(split("s2"));
            b.write(rows(new Object[] {3L, "c"}));
            b.finishSplit();
            a.write(rows(new Object[] {1L, "a"}, new Object[] {2L, "b"}));
            a.finishSplit();
        }
        Path out = dir.resolve("out/all.csv");
        assertFalse(Files.exists(out), "nothing visible before commit");
        assertEquals(2, target.temporaries().size());
        for (Path temporary : target.temporaries()) {
            assertTrue(Files.exists(temporary));
            assertTrue(temporary.getFileName().toString().startsWith(".all.csv."), temporary.toString());
        }
        target.commit();
        target.post();
        target.close();
        assertEquals("id,name\n1,a\n2,b\n3,c\n", Files.readString(out), "splits in the order they started");
        assertEquals(List.of("out/all.csv"), listing());
        assertEquals(List.of(), target.temporaries());
    }

    @Test
    void abortLeavesNoFile() throws IOException {
        FileTarget target = csv("path", "all.csv");
        target.prepare(context, SCHEMA);
        TargetWriter writer = target.createWriter(context);
        writer.startSplit(split("s1"));
        writer.write(rows(new Object[] {1L, "a"}));
        writer.finishSplit();
        writer.startSplit(split("s2"));
        writer.write(rows(new Object[] {2L, "b"}));
        assertEquals(2, listing().size());
        target.abort();
        writer.close();
        target.abort();
        target.close();
        assertEquals(List.of(), listing());
    }

    @Test
    void closeWithoutCommitLeavesNoFile() throws IOException {
        FileTarget target = jsonl("path", "parts/");
        target.prepare(context, SCHEMA);
        try (TargetWriter writer = target.createWriter(context)) {
            writer.startSplit(split("s1"));
            writer.write(rows(new Object[] {1L, "a"}));
            writer.finishSplit();
        }
        target.close();
        assertEquals(List.of(), listing());
    }

    @Test
    void aRetriedSplitReplacesItsPartAndKeepsItsPlace() throws IOException {
        FileTarget target = csv("path", "all.csv", "header", false);
        target.prepare(context, SCHEMA);
        try (TargetWriter a = target.createWriter(context); TargetWriter b = target.createWriter(context)) {
            a.startSplit(split("first"));
            a.write(rows(new Object[] {1L, "partial"}));
            a.abortSplit();
            assertEquals(0, listing().size(), "the aborted part is deleted");
            b.startSplit(split("second"));
            b.write(rows(new Object[] {2L, "b"}));
            b.finishSplit();
            a.startSplit(split("first"));
            a.write(rows(new Object[] {1L, "a"}));
            a.finishSplit();
        }
        target.commit();
        assertEquals("1,a\n2,b\n", Files.readString(dir.resolve("all.csv")));
    }

    @Test
    void aDirectoryGetsOneFilePerSplitNamedAfterItsId() throws IOException {
        FileTarget target = csv("path", "out/");
        target.prepare(context, SCHEMA);
        assertTrue(Files.isDirectory(dir.resolve("out")), "prepare creates the directory");
        try (TargetWriter writer = target.createWriter(context)) {
            for (String id : List.of("a.csv", "generator[0,5)", "x/y", "x_y")) {
                writer.startSplit(split(id));
                writer.write(rows(new Object[] {1L, id}));
                writer.finishSplit();
            }
        }
        assertEquals(4, target.temporaries().size());
        assertTrue(listing().stream().allMatch(name -> name.startsWith("out/.part-")), listing()::toString);
        target.commit();
        assertEquals(List.of("out/part-a.csv", "out/part-generator_0_5_.csv", "out/part-x_y-2.csv", "out/part-x_y.csv"),
                listing());
        assertEquals("id,name\n1,x_y\n", Files.readString(dir.resolve("out/part-x_y-2.csv")));
        assertEquals("id,name\n1,\"generator[0,5)\"\n", Files.readString(dir.resolve("out/part-generator_0_5_.csv")));
    }

    @Test
    void anExistingDirectoryWithoutSlashIsADirectoryToo() throws IOException {
        Files.createDirectories(dir.resolve("existing"));
        FileTarget target = jsonl("path", "existing");
        target.prepare(context, SCHEMA);
        try (TargetWriter writer = target.createWriter(context)) {
            writer.startSplit(split("s"));
            writer.write(rows(new Object[] {1L, "a"}));
            writer.finishSplit();
        }
        target.commit();
        assertEquals("{\"id\":1,\"name\":\"a\"}\n", Files.readString(dir.resolve("existing/part-s.jsonl")));
    }

    @Test
    void commitReplacesAnOlderFileOnlyThen() throws IOException {
        Files.writeString(dir.resolve("all.jsonl"), "old\n");
        FileTarget target = jsonl("path", "all.jsonl");
        target.prepare(context, SCHEMA);
        try (TargetWriter writer = target.createWriter(context)) {
            writer.startSplit(split("s"));
            writer.write(rows(new Object[] {1L, null}));
            writer.finishSplit();
        }
        assertEquals("old\n", Files.readString(dir.resolve("all.jsonl")));
        target.commit();
        assertEquals("{\"id\":1,\"name\":null}\n", Files.readString(dir.resolve("all.jsonl")));
    }

    @Test
    void anEmptyJobStillWritesTheHeader() throws IOException {
        FileTarget target = csv("path", "empty.csv");
        target.prepare(context, SCHEMA);
        try (TargetWriter writer = target.createWriter(context)) {
            writer.startSplit(split("s"));
            writer.finishSplit();
        }
        target.commit();
        assertEquals("id,name\n", Files.readString(dir.resolve("empty.csv")));
    }

    @Test
    void refusesToCommitAnUnfinishedSplit() throws IOException {
        FileTarget target = csv("path", "all.csv");
        target.prepare(context, SCHEMA);
        TargetWriter writer = target.createWriter(context);
        writer.startSplit(split("s"));
        writer.write(rows(new Object[] {1L, "a"}));
        SyncException e = assertThrows(SyncException.class, target::commit);
        assertEquals(ErrorKind.INTERNAL, e.kind());
        assertEquals("file target: split 's' did not finish; nothing was committed", e.getMessage());
        writer.close();
        target.close();
        assertEquals(List.of(), listing());
    }

    @Test
    void quotesCsvFieldsOnlyWhenNeeded() throws IOException {
        FileTarget target = csv("path", "q.csv");
        target.prepare(context, SCHEMA);
        try (TargetWriter writer = target.createWriter(context)) {
            writer.startSplit(split("s"));
            writer.write(rows(new Object[] {1L, "plain"}, new Object[] {2L, "a,b"}, new Object[] {3L, "say \"hi\""},
                    new Object[] {4L, "two\nlines"}, new Object[] {5L, ""}, new Object[] {6L, null},
                    new Object[] {null, "cr\r"}, new Object[] {8L, "\uFEFFbom"}));
            writer.finishSplit();
        }
        target.commit();
        assertEquals("id,name\n1,plain\n2,\"a,b\"\n3,\"say \"\"hi\"\"\"\n4,\"two\nlines\"\n5,\"\"\n6,\n,\"cr\r\"\n"
                + "8,\"\uFEFFbom\"\n", Files.readString(dir.resolve("q.csv")));
    }

    @Test
    void quotesTextEqualToACustomNullValue() throws IOException {
        FileTarget target = csv("path", "q.csv", "delimiter", ";", "quote", "'", "nullValue", "NULL", "header", false);
        target.prepare(context, SCHEMA);
        try (TargetWriter writer = target.createWriter(context)) {
            writer.startSplit(split("s"));
            writer.write(rows(new Object[] {1L, "NULL"}, new Object[] {2L, null}, new Object[] {3L, ""},
                    new Object[] {4L, "it's;"}));
            writer.finishSplit();
        }
        target.commit();
        assertEquals("1;'NULL'\n2;NULL\n3;\n4;'it''s;'\n", Files.readString(dir.resolve("q.csv")));
    }

    @Test
    void writesTypedJsonLines() throws IOException {
        List<Column> columns = new ArrayList<>();
        for (DataType type : DataType.values()) {
            columns.add(Column.of(type.typeName(), type));
        }
        TableSchema schema = TableSchema.of("t", columns);
        Object[] row = {true, -5L, new BigDecimal("1.50"), 0.25, "q\"\\\n\t\u0001é", new byte[] {1, 2},
                LocalDate.of(2024, 1, 2), LocalTime.of(10, 0, 1), LocalDateTime.of(2024, 1, 2, 10, 0, 1, 5000),
                Instant.parse("2024-01-02T09:00:01Z"), "{\n  \"k\": [1, 2.50]\n}", null};
        Object[] special = {null, null, null, Double.NaN, null, null, null, null, null, null, "\"s\"", null};
        FileTarget target = jsonl("path", "t.jsonl");
        target.prepare(context, schema);
        try (TargetWriter writer = target.createWriter(context)) {
            writer.startSplit(split("s"));
            writer.write(new ListRowBatch(schema, List.of(row, special)));
            writer.finishSplit();
        }
        target.commit();
        assertEquals("{\"boolean\":true,\"int64\":-5,\"decimal\":1.50,\"float64\":0.25,\"string\":\"q\\\"\\\\\\n\\t\\u0001é\","
                + "\"bytes\":\"AQI=\",\"date\":\"2024-01-02\",\"time\":\"10:00:01\",\"timestamp\":\"2024-01-02T10:00:01.000005\","
                + "\"timestamptz\":\"2024-01-02T09:00:01Z\",\"json\":{   \"k\": [1, 2.50] },\"null\":null}\n"
                + "{\"boolean\":null,\"int64\":null,\"decimal\":null,\"float64\":\"NaN\",\"string\":null,\"bytes\":null,"
                + "\"date\":null,\"time\":null,\"timestamp\":null,\"timestamptz\":null,\"json\":\"s\",\"null\":null}\n",
                Files.readString(dir.resolve("t.jsonl")));
    }

    @Test
    void rowsTheFormatCannotWriteAreDirty() throws IOException {
        TableSchema schema = TableSchema.of("t", List.of(Column.of("id", DataType.INT64), Column.of("doc", DataType.JSON)));
        FileTarget target = jsonl("path", "t.jsonl");
        target.prepare(context, schema);
        try (TargetWriter writer = target.createWriter(context)) {
            writer.startSplit(split("s"));
            writer.write(new ListRowBatch(schema, List.of(new Object[] {1L, "{\"a\":1}"}, new Object[] {2L, "{broken"},
                    new Object[] {3L, "[]"})));
            writer.finishSplit();
        }
        target.commit();
        assertEquals("{\"id\":1,\"doc\":{\"a\":1}}\n{\"id\":3,\"doc\":[]}\n", Files.readString(dir.resolve("t.jsonl")));
        assertEquals(1, context.dirty().size());
        assertEquals(new RecordingContext.DirtyRow(List.of(2L, "{broken"), "column 'doc': '{broken' is not a valid json"),
                context.dirty().get(0));
    }

    @Test
    void charactersTheEncodingLacksMakeTheRowDirty() throws IOException {
        FileTarget target = csv("path", "l1.csv", "encoding", "ISO-8859-1");
        target.prepare(context, SCHEMA);
        try (TargetWriter writer = target.createWriter(context)) {
            writer.startSplit(split("s"));
            writer.write(rows(new Object[] {1L, "Jos\u00e9"}, new Object[] {2L, "\u20ac"}));
            writer.finishSplit();
        }
        target.commit();
        assertEquals("id,name\n1,Jos\u00e9\n",
                new String(Files.readAllBytes(dir.resolve("l1.csv")), StandardCharsets.ISO_8859_1));
        assertEquals("row has characters that ISO-8859-1 cannot encode", context.dirty().get(0).reason());
    }

    @Test
    void columnNamesTheEncodingLacksFailPrepare() {
        TableSchema schema = TableSchema.of("t", List.of(Column.of("\u20ac", DataType.INT64)));
        FileTarget target = csv("path", "l1.csv", "encoding", "ISO-8859-1");
        SyncException e = assertThrows(SyncException.class, () -> target.prepare(context, schema));
        assertEquals("the column names [\u20ac] cannot be written in ISO-8859-1", e.getMessage());
    }

    @Test
    void writersNeedASplitAndTheTargetNeedsPrepare() {
        FileTarget target = csv("path", "x.csv");
        assertEquals("file target: prepare() must run first",
                assertThrows(SyncException.class, () -> target.createWriter(context)).getMessage());
        target.prepare(context, SCHEMA);
        TargetWriter writer = target.createWriter(context);
        assertEquals("file target: write() outside a split",
                assertThrows(SyncException.class, () -> writer.write(rows(new Object[] {1L, "a"}))).getMessage());
        writer.close();
        target.close();
    }
}
