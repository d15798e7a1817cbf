package dev.ferry.connector.generator;

import dev.ferry.engine.config.ConnectorConfigs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.api.Split;
import dev.ferry.api.SourceReader;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.CancelledException;
import dev.ferry.engine.testing.CollectingRecordSink;
import dev.ferry.engine.testing.RecordingContext;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratorSourceTest {

    private static final List<Column> EVERY_TYPE = Arrays.stream(DataType.values())
            .map(t -> Column.of("c_" + t.typeName(), t))
            .toList();

    private static GeneratorSource source(long rows, long seed, List<Column> columns) {
        return new GeneratorSource(new GeneratorSettings(rows, seed, columns));
    }

    private static List<Object[]> readAll(GeneratorSource source, List<? extends Split> splits) {
        CollectingRecordSink sink = new CollectingRecordSink(source.schema());
        for (Split split : splits) {
            try (SourceReader reader = source.createReader(split)) {
                reader.read(sink);
            }
        }
        assertTrue(sink.dirty().isEmpty());
        return sink.rows();
    }

    private static List<Object[]> readAll(GeneratorSource source, int concurrency) {
        return readAll(source, source.planSplits(new RecordingContext("t", concurrency)));
    }

    @Test
    void makesFourSplitsPerChannel() {
        GeneratorSource source = source(1_000, 1, GeneratorSettings.DEFAULT_COLUMNS);
        assertEquals(16, source.planSplits(new RecordingContext("t", 4)).size());
        assertEquals(4, source.planSplits(new RecordingContext("t", 1)).size());
        assertEquals(1, source.planSplits(new RecordingContext("t", 0)).size());
    }

    @Test
    void makesOneSplitPerRowWhenRowsAreFew() {
        List<RowRangeSplit> splits = source(3, 1, GeneratorSettings.DEFAULT_COLUMNS).planSplits(new RecordingContext("t", 4));
        assertEquals(List.of(RowRangeSplit.of(0, 1), RowRangeSplit.of(1, 2), RowRangeSplit.of(2, 3)), splits);
    }

    @Test
    void makesOneEmptySplitWithoutRows() {
        GeneratorSource source = source(0, 1, GeneratorSettings.DEFAULT_COLUMNS);
        List<RowRangeSplit> splits = source.planSplits(new RecordingContext("t", 4));
        assertEquals(List.of(RowRangeSplit.of(0, 0)), splits);
        assertEquals(0, readAll(source, splits).size());
    }

    @Test
    void splitsCoverEveryRowOnceInNearEqualRanges() {
        List<RowRangeSplit> splits = GeneratorSource.plan(10, 4);
        assertEquals(List.of(RowRangeSplit.of(0, 3), RowRangeSplit.of(3, 6), RowRangeSplit.of(6, 8), RowRangeSplit.of(8, 10)),
                splits);
        List<RowRangeSplit> big = GeneratorSource.plan(Long.MAX_VALUE, 7);
        assertEquals(0, big.get(0).startInclusive());
        assertEquals(Long.MAX_VALUE, big.get(6).endExclusive());
        for (int i = 1; i < big.size(); i++) {
            assertEquals(big.get(i - 1).endExclusive(), big.get(i).startInclusive());
        }
        Set<String> ids = new HashSet<>();
        big.forEach(s -> ids.add(s.id()));
        assertEquals(7, ids.size());
    }

    @Test
    void rowsDoNotDependOnTheSplitPlan() {
        GeneratorSource source = source(1_003, 7, EVERY_TYPE);
        List<Object[]> one = readAll(source, 1);
        List<Object[]> three = readAll(source, 3);
        List<Object[]> perRow = readAll(source, GeneratorSource.plan(1_003, 5_000));
        List<RowRangeSplit> reversed = new ArrayList<>(GeneratorSource.plan(1_003, 9));
        java.util.Collections.reverse(reversed);
        List<List<Object[]>> bySplit = new ArrayList<>();
        for (RowRangeSplit split : reversed) {
            bySplit.add(0, readAll(source, List.of(split)));
        }
        List<Object[]> backwards = new ArrayList<>();
        bySplit.forEach(backwards::addAll);
        assertEquals(1_003, one.size());
        assertRowsEqual(one, three);
        assertRowsEqual(one, perRow);
        assertRowsEqual(one, backwards);
    }

    @Test
    void rowsDependOnTheSeed() {
        List<Object[]> a = readAll(source(50, 1, GeneratorSettings.DEFAULT_COLUMNS), 1);
        List<Object[]> b = readAll(source(50, 1, GeneratorSettings.DEFAULT_COLUMNS), 1);
        List<Object[]> c = readAll(source(50, 2, GeneratorSettings.DEFAULT_COLUMNS), 1);
        assertRowsEqual(a, b);
        int same = 0;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i)[1].equals(c.get(i)[1])) {
                same++;
            }
        }
        assertEquals(0, same, "names with another seed");
    }

    @Test
    void idColumnHoldsTheRowIndex() {
        List<Object[]> rows = readAll(source(100, 9, GeneratorSettings.DEFAULT_COLUMNS), 2);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals((long) i, rows.get(i)[0]);
        }
    }

    @Test
    void producesEveryTypeInItsRepresentation() throws Exception {
        List<Column> columns = new ArrayList<>(EVERY_TYPE);
        columns.add(Column.of("rownum", DataType.INT64));
        columns.set(columns.size() - 1, Column.of("id", DataType.INT64));
        GeneratorSource source = source(2_000, 3, columns);
        List<Object[]> rows = readAll(source, 2);
        ObjectMapper json = new ObjectMapper();
        Set<Boolean> booleans = new HashSet<>();
        Set<Long> int64s = new HashSet<>();
        for (Object[] row : rows) {
            booleans.add((Boolean) row[0]);
            int64s.add((Long) row[1]);
            BigDecimal decimal = (BigDecimal) row[2];
            assertEquals(2, decimal.scale());
            assertTrue(decimal.abs().compareTo(new BigDecimal("50000000.00")) <= 0, decimal::toPlainString);
            double f = (Double) row[3];
            assertTrue(f >= 0 && f < 1_000_000, () -> "float64 " + f);
            String s = (String) row[4];
            assertEquals(12, s.length());
            assertTrue(s.matches("[a-z2-7]{12}"), s);
            assertEquals(8, ((byte[]) row[5]).length);
            long day = (Long) row[6];
            assertTrue(!LocalDate.ofEpochDay(day).isBefore(LocalDate.of(2000, 1, 1))
                    && LocalDate.ofEpochDay(day).isBefore(LocalDate.of(2040, 1, 1)), () -> "date " + day);
            long time = (Long) row[7];
            assertTrue(time >= 0 && time < 86_400_000_000_000L && time % 1000 == 0, () -> "time " + time);
            long ts = (Long) row[8];
            assertTrue(ts >= 946_684_800_000_000L && ts < 1_893_456_000_000_000L, () -> "timestamp " + ts);
            long tstz = (Long) row[9];
            assertTrue(tstz >= 946_684_800_000_000L && tstz < 1_893_456_000_000_000L, () -> "timestamptz " + tstz);
            JsonNode node = json.readTree((String) row[10]);
            assertTrue(node.get("n").isInt());
            assertTrue(node.get("s").isTextual());
            assertNull(row[11]);
        }
        assertEquals(Set.of(true, false), booleans);
        assertTrue(int64s.size() > 1_990, "int64 values should hardly repeat");
        assertTrue(int64s.stream().anyMatch(v -> v < 0) && int64s.stream().anyMatch(v -> v > 0));
        for (int i = 0; i < rows.size(); i++) {
            assertEquals((long) i, rows.get(i)[12]);
        }
    }

    @Test
    void honoursDeclaredPrecisionAndScale() {
        List<Column> columns = List.of(
                new Column("d", DataType.DECIMAL, true, 5, 3, ""),
                new Column("s", DataType.STRING, true, 4, 0, ""),
                new Column("b", DataType.BYTES, true, 3, 0, ""));
        for (Object[] row : readAll(source(200, 5, columns), 1)) {
            BigDecimal d = (BigDecimal) row[0];
            assertEquals(3, d.scale());
            assertTrue(d.precision() <= 5, d::toPlainString);
            assertEquals(4, ((String) row[1]).length());
            assertEquals(3, ((byte[]) row[2]).length);
        }
    }

    @Test
    void handsOutFreshObjectsPerRow() {
        List<Column> columns = List.of(Column.of("s", DataType.STRING), Column.of("b", DataType.BYTES),
                Column.of("j", DataType.JSON));
        List<Object[]> rows = readAll(source(2, 5, columns), 1);
        for (int c = 0; c < 3; c++) {
            assertNotSame(rows.get(0)[c], rows.get(1)[c]);
        }
        assertFalse(Arrays.equals((byte[]) rows.get(0)[1], (byte[]) rows.get(1)[1]));
        assertNotEquals(rows.get(0)[0], rows.get(1)[0]);
    }

    @Test
    void refusesForeignOrOutOfRangeSplits() {
        GeneratorSource source = source(10, 1, GeneratorSettings.DEFAULT_COLUMNS);
        Split foreign = () -> "other";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> source.createReader(foreign));
        assertTrue(e.getMessage().startsWith("generator source reads RowRangeSplit, got "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> source.createReader(RowRangeSplit.of(5, 11)));
        assertEquals("split 'generator[5,11)' ends after the last row 10", e.getMessage());
    }

    @Test
    void stopsWhenCancelled() {
        GeneratorSource source = source(1_000_000, 1, GeneratorSettings.DEFAULT_COLUMNS);
        SourceReader reader = source.createReader(RowRangeSplit.of(0, 1_000_000));
        int[] emitted = new int[1];
        RecordSink sink = new CountingSink(() -> {
            if (++emitted[0] == 10) {
                reader.cancel();
            }
        });
        CancelledException e = assertThrows(CancelledException.class, () -> reader.read(sink));
        assertEquals("split 'generator[0,1000000)' was cancelled at row " + GeneratorReader.CHECK_INTERVAL, e.getMessage());
        assertEquals(GeneratorReader.CHECK_INTERVAL, emitted[0]);
    }

    @Test
    void stopsWhenTheThreadIsInterrupted() {
        GeneratorSource source = source(100_000, 1, GeneratorSettings.DEFAULT_COLUMNS);
        SourceReader reader = source.createReader(RowRangeSplit.of(0, 100_000));
        try {
            Thread.currentThread().interrupt();
            assertThrows(CancelledException.class, () -> reader.read(new CountingSink(() -> { })));
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag stays set");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void schemaIsKnownBeforePrepare() {
        TableSchema schema = source(1, 1, EVERY_TYPE).schema();
        assertEquals(EVERY_TYPE, schema.columns());
        assertInstanceOf(GeneratorSource.class, new GeneratorConnector().createSource(
                ConnectorConfigs.validate("generator", "source", GeneratorSettings.KEYS, java.util.Map.of("rows", 1L))));
    }

    private static void assertRowsEqual(List<Object[]> expected, List<Object[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "row " + i);
        }
    }

    /** A sink that ignores values and runs an action on every emit. */
    private static final class CountingSink implements RecordSink {
        private final Runnable onEmit;

        CountingSink(Runnable onEmit) {
            this.onEmit = onEmit;
        }

        @Override
        public void setNull(int column) {
        }

        @Override
        public void setBoolean(int column, boolean value) {
        }

        @Override
        public void setLong(int column, long value) {
        }

        @Override
        public void setDouble(int column, double value) {
        }

        @Override
        public void setObject(int column, Object value) {
        }

        @Override
        public void emit() {
            onEmit.run();
        }

        @Override
        public void dirty(String reason, String raw) {
        }
    }
}
