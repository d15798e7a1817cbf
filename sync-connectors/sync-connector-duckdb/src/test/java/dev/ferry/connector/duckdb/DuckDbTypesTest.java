package dev.ferry.connector.duckdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Source;
import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.connector.jdbc.BatchLoader;
import dev.ferry.connector.jdbc.JdbcSplit;
import dev.ferry.connector.jdbc.JdbcTarget;
import dev.ferry.connector.jdbc.WritePlan;
import java.sql.Connection;
import dev.ferry.connector.jdbc.testing.MapConfig;
import dev.ferry.connector.jdbc.testing.ReadResult;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.testing.ListRowBatch;
import dev.ferry.engine.testing.RecordingContext;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every logical type written into a table the target creates and read back by the source, through
 * the appender and through statements: values, extremes and NULLs come back equal, and the
 * created columns have DuckDB's types. UUID and JSON columns, which only statements write (the
 * appender would store unchecked text), are covered by {@link #uuidAndJsonRoundTripThroughStatements}.
 */
class DuckDbTypesTest {

    @TempDir
    Path dir;

    private static final TableSchema SCHEMA = new TableSchema("all_types", List.of(
            new Column("id", DataType.INT64, false, 0, 0, ""),
            Column.of("b", DataType.BOOLEAN),
            Column.of("i", DataType.INT64),
            new Column("d", DataType.DECIMAL, true, 20, 4, ""),
            new Column("wide", DataType.DECIMAL, true, 0, 0, ""),
            Column.of("f", DataType.FLOAT64),
            Column.of("s", DataType.STRING),
            new Column("u", DataType.STRING, true, 0, 0, "varchar"),
            Column.of("by", DataType.BYTES),
            Column.of("dt", DataType.DATE),
            Column.of("tm", DataType.TIME),
            Column.of("ts", DataType.TIMESTAMP),
            Column.of("tz", DataType.TIMESTAMPTZ),
            Column.of("j", DataType.STRING)), List.of("id"));

    private static final List<String> DUCKDB_TYPES = List.of("BIGINT", "BOOLEAN", "BIGINT", "DECIMAL(20,4)",
            "DECIMAL(38,10)", "DOUBLE", "VARCHAR", "VARCHAR", "BLOB", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "VARCHAR");

    private static List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {1L, true, Long.MAX_VALUE, new BigDecimal("1234567890123456.1234"),
                new BigDecimal("-1234567890.0123456789"), 1.5e300, "tab\t quote' \"é\" 😀 \\N", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                new byte[] {0, 1, (byte) 0xff}, LocalDate.of(1, 1, 1).toEpochDay(), LocalTime.of(23, 59, 59, 999_999_000).toNanoOfDay(),
                micros(LocalDateTime.of(2024, 2, 29, 13, 45, 7, 123_456_000).toInstant(java.time.ZoneOffset.UTC)),
                micros(Instant.parse("1969-12-31T23:59:59.999999Z")), "{\"a\":[1,2,{\"b\":null}]}"});
        rows.add(new Object[] {2L, false, Long.MIN_VALUE, new BigDecimal("-0.0001"), BigDecimal.ZERO, -0.0, "", null,
                new byte[0], LocalDate.of(9999, 12, 31).toEpochDay(), 0L, micros(Instant.parse("1900-01-01T00:00:00Z")),
                micros(Instant.parse("2262-04-11T23:47:16.854775Z")), "[]"});
        Object[] nulls = new Object[SCHEMA.arity()];
        nulls[0] = 3L;
        rows.add(nulls);
        return rows;
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyTypeAndNullRoundTrips(boolean appender) throws Exception {
        TestDatabase db = DuckDbFiles.file(dir, "types");
        DuckDbConnector connector = new DuckDbConnector();
        RecordingContext context = new RecordingContext("types", 1);
        try (Target target = connector.createTarget(MapConfig.target(connector, Map.of("url", db.url(),
                "table", "all_types", "createTable", true, "appender", appender)))) {
            target.prepare(context, SCHEMA);
            assertEquals(appender, usesAppender(db, ((JdbcTarget) target).plan(), context));
            try (TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(new JdbcSplit.Whole("s"));
                writer.write(new ListRowBatch(SCHEMA, rows()));
                writer.finishSplit();
            }
            target.commit();
        }
        assertTrue(context.dirty().isEmpty(), context.dirty().toString());
        assertEquals(DUCKDB_TYPES, columnTypes(db));

        try (Source source = connector.createSource(MapConfig.source(connector, Map.of("url", db.url(),
                "table", "all_types", "splitPk", "id")))) {
            ReadResult result = ReadResult.readAll(source, new RecordingContext("types", 2));
            List<Object[]> read = new ArrayList<>(result.allRows());
            read.sort((x, y) -> Long.compare((Long) x[0], (Long) y[0]));
            List<Object[]> written = rows();
            assertEquals(written.size(), read.size());
            for (int r = 0; r < written.size(); r++) {
                for (int c = 0; c < SCHEMA.arity(); c++) {
                    assertSame(SCHEMA.column(c), written.get(r)[c], read.get(r)[c], "row " + r + " column " + SCHEMA.column(c).name());
                }
            }
            List<DataType> types = source.schema().columns().stream().map(Column::type).toList();
            assertEquals(SCHEMA.columns().stream().map(Column::type).toList(), types);
        }
    }

    /** Compares a written value with the one read (temporal values are both their longs). */
    private static void assertSame(Column column, Object written, Object read, String where) {
        if (written == null || read == null) {
            assertEquals(written, read, where);
            return;
        }
        switch (column.type()) {
            case DECIMAL -> assertEquals(0, ((BigDecimal) written).compareTo((BigDecimal) read), where + ": " + read);
            case BYTES -> assertArrayEquals((byte[]) written, (byte[]) read, where);
            case JSON -> assertEquals(((String) written).replace(" ", ""), ((String) read).replace(" ", ""), where);
            default -> assertEquals(written, read, where);
        }
    }

    /** Whether the dialect writes the plan through the appender (text into UUID and JSON has no appender form). */
    private static boolean usesAppender(TestDatabase db, WritePlan plan, RecordingContext context) throws Exception {
        try (Connection connection = db.connect();
             BatchLoader loader = new DuckDbDialect().openLoader(plan, connection, context)) {
            return loader instanceof AppenderLoader;
        }
    }

    private static List<String> columnTypes(TestDatabase db) {
        return db.rows("SELECT data_type FROM duckdb_columns() WHERE table_name = 'all_types' ORDER BY column_index");
    }

    @org.junit.jupiter.api.Test
    void uuidAndJsonRoundTripThroughStatements() {
        TestDatabase db = DuckDbFiles.file(dir, "text_types");
        TableSchema schema = new TableSchema("text_types", List.of(new Column("id", DataType.INT64, false, 0, 0, ""),
                new Column("u", DataType.STRING, true, 0, 0, "uuid"), Column.of("j", DataType.JSON)), List.of("id"));
        DuckDbConnector connector = new DuckDbConnector();
        RecordingContext context = new RecordingContext("types", 1);
        try (Target target = connector.createTarget(MapConfig.target(connector, Map.of("url", db.url(),
                "table", "text_types", "createTable", true)))) {
            target.prepare(context, schema);
            try (TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(new JdbcSplit.Whole("s"));
                writer.write(new ListRowBatch(schema, List.of(new Object[] {1L, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                        "{\"a\":[1,{\"b\":null}]}"}, new Object[] {2L, null, null})));
                writer.finishSplit();
            }
        }
        assertEquals(List.of("1|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|{\"a\":[1,{\"b\":null}]}|UUID|JSON", "2|null|null|UUID|JSON"),
                db.rows("SELECT id, u, j, typeof(u), typeof(j) FROM text_types ORDER BY id"));
        try (Source source = connector.createSource(MapConfig.source(connector, Map.of("url", db.url(), "table", "text_types")))) {
            ReadResult result = ReadResult.readAll(source, new RecordingContext("types", 1));
            assertEquals(List.of(DataType.INT64, DataType.STRING, DataType.JSON),
                    source.schema().columns().stream().map(Column::type).toList());
            assertEquals("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", result.allRows().get(0)[1]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void splitByIntegerKeyReadsEveryRowOnceInParallelRanges(int concurrency) {
        TestDatabase db = DuckDbFiles.file(dir, "split");
        db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR)",
                "INSERT INTO t SELECT range, 'v' || range FROM range(1, 50001)");
        DuckDbConnector connector = new DuckDbConnector();
        try (Source source = connector.createSource(MapConfig.source(connector, Map.of("url", db.url(),
                "table", "t", "splitPk", "id")))) {
            ReadResult result = ReadResult.readAll(source, new RecordingContext("split", concurrency));
            assertEquals(concurrency * 4, result.splits().size(), result.splits().toString());
            assertEquals(50_000, result.total());
            Set<Long> ids = new HashSet<>();
            result.allRows().forEach(row -> assertTrue(ids.add((Long) row[0]), "read twice: " + Arrays.toString(row)));
            assertTrue(result.largest() <= 2 * result.mean(), "unbalanced: " + result.largest() + " vs " + result.mean());
        }
    }
}
