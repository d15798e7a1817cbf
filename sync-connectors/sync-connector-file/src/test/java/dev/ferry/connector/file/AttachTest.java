package dev.ferry.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.api.AttachedSource;
import dev.ferry.api.PlannedSource;
import dev.ferry.api.Source;
import dev.ferry.api.SourcePlan;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.SupportsAttach;
import dev.ferry.api.TargetPlan;
import dev.ferry.api.TargetFactory;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.engine.config.ConnectorConfigs;
import dev.ferry.engine.testing.CollectingRecordSink;
import dev.ferry.engine.testing.CollectingRecordSink.Dirty;
import dev.ferry.engine.testing.RecordingContext;
import dev.ferry.engine.testing.JavaSerialisation;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File sources planned once and attached again from their serialised plan and splits, the way a
 * runner on another machine would: attached readers read every file exactly as the source's own
 * readers do (the same records, the same dirty records), by the plan alone, after the source is
 * closed.
 */
class AttachTest {

    @TempDir
    Path dir;

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);
    }

    private static ConnectorConfig config(String connector, List<ConfigKey> keys, Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return ConnectorConfigs.validate(connector, "source", keys, values);
    }

    @Test
    void attachedCsvReadersReadEveryFileAsTheSourceDoesWithItsFormatAndEncoding() throws IOException {
        write("a.csv", "id;name;amount\n1;Zoë;1.50\n2;NULL;2\n3;bad;x\n4;short\n");
        write("b.csv", "amount;extra;id;name\n10;e;5;\"semi;colon\"\n");
        write("sub/a.csv", "id;name;amount\n6;six;6.6\n");
        ConnectorConfig config = config(CsvConnector.NAME, FileKeys.CSV_SOURCE, "path", List.of("*.csv", "sub"),
                "delimiter", ";", "nullValue", "NULL", "encoding", "ISO-8859-1", "columns", List.of(
                        Column.of("id", DataType.INT64), Column.of("name", DataType.STRING),
                        Column.of("amount", DataType.DECIMAL)));
        CsvConnector connector = new CsvConnector();

        List<Read> read = readOwnThenAttached(connector, config, connector.createSource(config, dir));

        assertEquals(List.of(List.of(1L, "Zoë", new BigDecimal("1.50")), Arrays.asList(2L, null, new BigDecimal("2"))),
                read.get(0).rows());
        assertEquals(List.of("3;bad;x", "4;short"), read.get(0).dirty().stream().map(Dirty::raw).toList());
        assertEquals(List.of(List.of(5L, "semi;colon", new BigDecimal("10"))), read.get(1).rows());
        assertEquals(List.of(List.of(6L, "six", new BigDecimal("6.6"))), read.get(2).rows());
    }

    @Test
    void attachedJsonlReadersReadEveryFileAsTheSourceDoesWithTheInferredColumns() throws IOException {
        write("a.jsonl", "{\"id\":1,\"name\":\"Zoë\",\"tags\":[\"x\"]}\n\n{\"id\":\"two\"}\nnot json\n"
                + "{\"id\":3,\"name\":null}\n");
        write("b.jsonl", "{\"name\":\"bee\",\"id\":4,\"other\":true}\n");
        ConnectorConfig config = config(JsonlConnector.NAME, FileKeys.JSONL_SOURCE, "path", List.of("*.jsonl"),
                "encoding", "ISO-8859-1");
        JsonlConnector connector = new JsonlConnector();

        List<Read> read = readOwnThenAttached(connector, config, connector.createSource(config, dir));

        assertEquals(List.of(List.of(1L, "Zoë", "[\"x\"]"), Arrays.asList(3L, null, null)), read.get(0).rows());
        assertEquals(List.of("{\"id\":\"two\"}", "not json"), read.get(0).dirty().stream().map(Dirty::raw).toList());
        assertEquals(List.of(Arrays.asList(4L, "bee", null)), read.get(1).rows());
    }

    @Test
    void aPlanOfTheOtherFormatIsRefused() throws IOException {
        write("a.jsonl", "{\"id\":1}\n");
        ConnectorConfig config = config(JsonlConnector.NAME, FileKeys.JSONL_SOURCE, "path", List.of("a.jsonl"));
        JsonlSource source = new JsonlConnector().createSource(config, dir);
        source.prepare(new RecordingContext("attach", 1));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new CsvConnector().attachSource(config, source.sourcePlan(), new RecordingContext("attach", 1)));
        assertEquals("not a plan of a csv source: " + source.sourcePlan(), refused.getMessage());
    }

    @Test
    void fileTargetsCannotBeAttached() {
        ConnectorConfig config = ConnectorConfigs.validate(CsvConnector.NAME, "target", FileKeys.CSV_TARGET,
                Map.of("path", dir.toString()));
        TargetPlan plan = new TargetPlan() {
        };
        for (SupportsAttach connector : List.of(new CsvConnector(), new JsonlConnector())) {
            UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                    () -> connector.attachTarget(config, plan, new RecordingContext("attach", 1)));
            String name = ((TargetFactory) connector).name();
            assertEquals(name + " targets cannot be attached: a file target publishes the files of its splits in its "
                    + "own commit, so its writers must run in the process that prepared it", refused.getMessage());
        }
    }

    /** What one split read: its rows, each as a list of values, and its dirty records. */
    private record Read(List<List<Object>> rows, List<Dirty> dirty) {

        static Read of(SourceReader opened, TableSchema schema) {
            CollectingRecordSink sink = new CollectingRecordSink(schema);
            try (SourceReader reader = opened) {
                reader.read(sink);
            }
            return new Read(sink.rows().stream().map(Arrays::asList).toList(), sink.dirty());
        }
    }

    /**
     * Plans {@code source}, reads each split with its own readers, closes it, then reads each split
     * again through readers attached from the serialised plan and splits, and checks both read the
     * same. Returns what the attached readers read, split by split.
     */
    private static List<Read> readOwnThenAttached(SupportsAttach connector, ConnectorConfig config, Source source) {
        RecordingContext context = new RecordingContext("attach", 2);
        List<Read> own = new ArrayList<>();
        List<? extends Split> splits;
        SourcePlan plan;
        TableSchema schema;
        try (source) {
            source.prepare(context);
            splits = source.planSplits(context);
            plan = JavaSerialisation.roundTrip(assertInstanceOf(PlannedSource.class, source).sourcePlan());
            schema = source.schema();
            for (Split split : splits) {
                own.add(Read.of(source.createReader(split), schema));
            }
        }
        List<? extends Split> sent = JavaSerialisation.roundTrip(new ArrayList<>(splits));
        assertEquals(splits, sent);
        assertEquals(schema, plan.schema());
        List<Read> attached = new ArrayList<>();
        try (AttachedSource readers = connector.attachSource(config, plan, context)) {
            for (Split split : sent) {
                attached.add(Read.of(readers.createReader(split), plan.schema()));
            }
        }
        assertEquals(own, attached, "attached readers read what the source's own readers read");
        return attached;
    }
}
