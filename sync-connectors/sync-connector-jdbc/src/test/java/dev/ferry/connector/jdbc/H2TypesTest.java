package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Source;
import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.connector.jdbc.testing.MapConfig;
import dev.ferry.connector.jdbc.testing.ReadResult;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.testing.ListRowBatch;
import dev.ferry.engine.testing.RecordingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every logical type written to H2 and read back unchanged, JSON included. */
class H2TypesTest {

    private static final TestDatabase DB = TestDatabase.h2("h2_types_test");

    @Test
    void everyTypeRoundTrips() {
        DB.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, b BOOLEAN, n NUMERIC(12,3), f DOUBLE PRECISION, s VARCHAR(20), "
                + "by VARBINARY(10), d DATE, tm TIME(6), ts TIMESTAMP(6), tz TIMESTAMP(6) WITH TIME ZONE, j JSON, u UUID)");
        TableSchema schema = TableSchema.of("src", List.of(Column.of("id", DataType.INT64), Column.of("b", DataType.BOOLEAN),
                Column.of("n", DataType.DECIMAL), Column.of("f", DataType.FLOAT64), Column.of("s", DataType.STRING),
                Column.of("by", DataType.BYTES), Column.of("d", DataType.DATE), Column.of("tm", DataType.TIME),
                Column.of("ts", DataType.TIMESTAMP), Column.of("tz", DataType.TIMESTAMPTZ), Column.of("j", DataType.JSON),
                Column.of("u", DataType.STRING)));
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {1L, true, new BigDecimal("-12.345"), 1.5, "héllo\t'", new byte[] {0, 1, (byte) 0xff},
                LocalDate.of(2024, 2, 29), LocalTime.of(13, 45, 7, 123_456_000), LocalDateTime.of(2024, 2, 29, 13, 45, 7, 1000),
                Instant.parse("2024-02-29T11:45:07.123456Z"), "{\"a\":[1,2]}", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"});
        rows.add(new Object[] {2L, null, null, null, null, null, null, null, null, null, null, null});
        H2Connector h2 = new H2Connector();
        RecordingContext context = new RecordingContext("types", 1);
        try (Target target = h2.createTarget(MapConfig.target(h2, DB.options("table", "t")))) {
            target.prepare(context, schema);
            try (TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(new JdbcSplit.Whole("s"));
                writer.write(new ListRowBatch(schema, rows));
                writer.finishSplit();
            }
        }
        assertTrue(context.dirty().isEmpty(), context.dirty().toString());
        try (Source source = h2.createSource(MapConfig.source(h2, DB.options("table", "t", "splitPk", "id")))) {
            List<Object[]> read = new ArrayList<>(ReadResult.readAll(source, new RecordingContext("read", 2)).allRows());
            read.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
            assertEquals(DataType.JSON, source.schema().column(10).type());
            assertEquals(DataType.TIMESTAMPTZ, source.schema().column(9).type());
            Object[] r = read.get(0);
            assertEquals(true, r[1]);
            assertEquals(0, new BigDecimal("-12.345").compareTo((BigDecimal) r[2]));
            assertEquals(1.5, r[3]);
            assertEquals("héllo\t'", r[4]);
            assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, (byte[]) r[5]);
            assertEquals(LocalDate.of(2024, 2, 29).toEpochDay(), r[6]);
            assertEquals(LocalTime.of(13, 45, 7, 123_456_000).toNanoOfDay(), r[7]);
            assertEquals(TimeCodec.micros(LocalDateTime.of(2024, 2, 29, 13, 45, 7, 1000)), r[8]);
            assertEquals(TimeCodec.micros(Instant.parse("2024-02-29T11:45:07.123456Z")), r[9]);
            assertEquals("{\"a\":[1,2]}", r[10]);
            assertEquals("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", r[11]);
            for (int i = 1; i < read.get(1).length; i++) {
                assertEquals(null, read.get(1)[i], "column " + i);
            }
        }
    }
}
