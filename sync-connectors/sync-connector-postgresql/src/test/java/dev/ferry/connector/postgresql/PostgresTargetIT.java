package dev.ferry.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Source;
import dev.ferry.api.Target;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcConnectorFactory;
import dev.ferry.connector.jdbc.JdbcTarget;
import dev.ferry.connector.jdbc.TimeCodec;
import dev.ferry.connector.jdbc.testing.JdbcTargetContract;
import dev.ferry.connector.jdbc.testing.MapConfig;
import dev.ferry.connector.jdbc.testing.ReadResult;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.testing.RecordingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The target contract against PostgreSQL with COPY inserts (the default), plus type round trips. */
class PostgresTargetIT extends JdbcTargetContract {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRES;
    }

    @Override
    protected JdbcConnectorFactory connector() {
        return new PostgresConnector();
    }

    @Override
    protected Dialect dialect() {
        return new PostgresDialect();
    }

    @Override
    protected List<Pattern> dirtyReasons() {
        return List.of(Pattern.compile("value too long for type character varying\\(5\\)"),
                Pattern.compile("null value in column \"name\""), Pattern.compile("smallint"),
                Pattern.compile("date/time field value out of range: \"2023-02-30\""));
    }

    static final TableSchema ALL_TYPES = TableSchema.of("all", List.of(Column.of("id", DataType.INT64),
            Column.of("b", DataType.BOOLEAN), Column.of("n", DataType.DECIMAL), Column.of("f", DataType.FLOAT64),
            Column.of("s", DataType.STRING), Column.of("by", DataType.BYTES), Column.of("d", DataType.DATE),
            Column.of("t", DataType.TIME), Column.of("ts", DataType.TIMESTAMP), Column.of("tz", DataType.TIMESTAMPTZ),
            Column.of("j", DataType.JSON), Column.of("u", DataType.STRING), Column.of("i", DataType.STRING),
            Column.of("tzfromts", DataType.TIMESTAMP)));

    static List<Object[]> allTypeRows() {
        List<Object[]> rows = new ArrayList<>();
        String[] texts = {"plain", "tab\there", "back\\slash", "new\nline", "cr\rhere", "\\N", "", "ünïcødé 😀 日本",
                "quote'\"", "\\.", "end\\"};
        for (int i = 0; i < texts.length; i++) {
            BigDecimal[] numerics = {new BigDecimal("12345678901234.123456"), new BigDecimal("1E+5"), BigDecimal.ZERO,
                new BigDecimal("0.000001"), new BigDecimal("-0.5"), new BigDecimal("99999999999999.999999")};
            rows.add(new Object[] {(long) i, i % 2 == 0, i < numerics.length ? numerics[i]
                    : new BigDecimal("-12345.678901").add(BigDecimal.valueOf(i)),
                    i == 3 ? Double.NaN : i == 4 ? Double.NEGATIVE_INFINITY : 1.25e-7 * i, texts[i],
                    new byte[] {0, (byte) i, (byte) 0xff, '\\', '\t'},
                    i == 5 ? LocalDate.of(-43, 3, 15) : LocalDate.of(1999 + i, 12, 31),
                    LocalTime.of(23, 59, 59, 999_999_000),
                    // Long-backed values as raw micros: the test batch cannot convert dates this far from 1970.
                    TimeCodec.micros(i == 7 ? LocalDateTime.of(-300, 2, 28, 23, 0, 0, 5000) : LocalDateTime.of(1970 + i, 1, 1, 0, 0, 0, 1000)),
                    i == 6 ? TimeCodec.micros(Instant.parse("-0100-06-01T12:00:00.5Z")) : TimeCodec.micros(Instant.parse("2024-03-31T01:30:00.000001Z")),
                    "{\"k\": \"v\\t" + i + "\"}", String.format("a0eebc99-9c0b-4ef8-bb6d-%012d", i), Integer.toString(1000 + i),
                    LocalDateTime.of(2020, 6, 1, 12, 0)});
        }
        rows.add(new Object[] {100L, null, null, null, null, null, null, null, null, null, null, null, null, null});
        return rows;
    }

    @Test
    void everyTypeRoundTripsExactlyThroughText() {
        // uuid and integer columns fed with strings have no binary form: the text format is used.
        roundTrip("uuid", "integer", false);
    }

    @Test
    void everyTypeRoundTripsExactlyThroughBinary() {
        roundTrip("text", "text", true);
    }

    private void roundTrip(String uuidType, String integerType, boolean binaryExpected) {
        String name = TestDatabase.uniqueName("alltypes");
        createTable(name, "id bigint primary key, b boolean, n numeric(20,6), f double precision, s text, by bytea, "
                + "d date, t time, ts timestamp, tz timestamptz, j jsonb, u " + uuidType + ", i " + integerType
                + ", tzfromts timestamptz");
        List<Object[]> rows = allTypeRows();
        try (Target target = target("table", name, "batchSize", 4)) {
            RecordingContext context = writeSplit(target, ALL_TYPES, List.of(rows));
            assertTrue(context.dirty().isEmpty(), context.dirty().toString());
            boolean copies = !Arrays.asList(extraTargetKeys()).contains(PostgresConnector.COPY);
            assertEquals(binaryExpected && copies && !Arrays.asList(extraTargetKeys()).contains("text"),
                    copies && CopyBinaryEncoder.supports(((JdbcTarget) target).plan())
                            && !Arrays.asList(extraTargetKeys()).contains("text"));
        }
        try (Source source = connector().createSource(MapConfig.source(connector(), database().options("table", name)))) {
            ReadResult result = ReadResult.readAll(source, new RecordingContext("read", 1));
            List<Object[]> read = new ArrayList<>(result.allRows());
            read.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
            assertEquals(rows.size(), read.size());
            for (int r = 0; r < rows.size(); r++) {
                Object[] expected = rows.get(r);
                Object[] actual = read.get(r);
                String where = "row " + expected[0] + " ";
                assertEquals(expected[1], actual[1], where + "boolean");
                if (expected[2] != null) {
                    assertEquals(0, ((BigDecimal) expected[2]).compareTo((BigDecimal) actual[2]), where + "numeric");
                    assertEquals(expected[3], actual[3], where + "double");
                    assertEquals(expected[4], actual[4], where + "text");
                    assertArrayEquals((byte[]) expected[5], (byte[]) actual[5], where + "bytea");
                    assertEquals(((LocalDate) expected[6]).toEpochDay(), actual[6], where + "date");
                    assertEquals(((LocalTime) expected[7]).toNanoOfDay(), actual[7], where + "time");
                    assertEquals(expected[8], actual[8], where + "timestamp");
                    assertEquals(expected[9], actual[9], where + "timestamptz");
                    assertTrue(((String) actual[10]).contains("\"k\": \"v\\t"), where + "jsonb " + actual[10]);
                    assertEquals(expected[11], actual[11], where + "uuid");
                    assertEquals(integerType.equals("integer") ? (Object) Long.parseLong((String) expected[12]) : expected[12],
                            actual[12], where + "text into " + integerType);
                    assertEquals(TimeCodec.micros((LocalDateTime) expected[13]), actual[13], where + "timestamp taken as UTC");
                } else {
                    assertTrue(Arrays.stream(actual).skip(1).allMatch(v -> v == null), where + "nulls");
                }
            }
        }
    }

    @Test
    void rowsTheServerOrTheBinaryEncoderRejectAreDirty() {
        String name = TestDatabase.uniqueName("bindirty");
        createTable(name, "id bigint primary key, name varchar(5) not null, small smallint, d date, n numeric(5,2)");
        TableSchema schema = TableSchema.of("src", List.of(Column.of("id", DataType.INT64), Column.of("name", DataType.STRING),
                Column.of("small", DataType.INT64), Column.of("d", DataType.DATE), Column.of("n", DataType.DECIMAL)));
        List<Object[]> rows = List.of(
                new Object[] {1L, "ok", 1L, LocalDate.of(2024, 2, 29), new BigDecimal("123.45")},
                new Object[] {2L, "much too long", 2L, null, null},
                new Object[] {3L, null, 3L, null, null},
                new Object[] {4L, "big", 100_000L, null, null},
                new Object[] {5L, "old", 5L, LocalDate.of(-5000, 1, 1), null},
                new Object[] {6L, "wide", 6L, null, new BigDecimal("12345.678")},
                new Object[] {7L, "fine", null, null, new BigDecimal("-1.5")});
        RecordingContext context;
        try (Target target = target("table", name)) {
            context = writeSplit(target, schema, List.of(rows));
            if (!Arrays.asList(extraTargetKeys()).contains(PostgresConnector.COPY)
                    && !Arrays.asList(extraTargetKeys()).contains("text")) {
                assertTrue(CopyBinaryEncoder.supports(((JdbcTarget) target).plan()), "every pair has a binary form");
            }
        }
        assertEquals(List.of(1L, 7L), tableRows(dialect().sql().quoteIdentifier(name), "id").stream().map(r -> r.get(0)).toList());
        // Rows the encoder refuses are reported at once, those the server refuses when their COPY ends.
        List<String> reasons = context.dirty().stream().sorted(java.util.Comparator.comparingLong(JdbcTargetContract::dirtyId))
                .map(RecordingContext.DirtyRow::reason).toList();
        assertEquals(5, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).contains("value too long for type character varying(5)"), reasons.get(0));
        assertTrue(reasons.get(1).contains("null value in column \"name\""), reasons.get(1));
        assertTrue(reasons.get(2).contains("smallint") && reasons.get(2).contains("out of range"), reasons.get(2));
        assertTrue(reasons.get(3).contains("date out of range"), reasons.get(3));
        assertTrue(reasons.get(4).contains("numeric field overflow"), reasons.get(4));
        assertEquals(0, new BigDecimal("-1.50").compareTo(new BigDecimal(tableRows(dialect().sql().quoteIdentifier(name),
                "id, n::text").get(1).get(1).toString())));
    }

    /** Rows of {@code id, name}, ids from 1, in batches of {@code batchRows}; rows at {@code badIndexes} get a name too long. */
    private static List<List<Object[]>> namedRows(int count, int batchRows, Set<Integer> badIndexes) {
        List<List<Object[]>> batches = new ArrayList<>();
        for (int from = 0; from < count; from += batchRows) {
            List<Object[]> batch = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + batchRows); i++) {
                batch.add(new Object[] {i + 1L, badIndexes.contains(i) ? "much too long" : "n" + (i + 1)});
            }
            batches.add(batch);
        }
        return batches;
    }

    private static final TableSchema NAMED = TableSchema.of("named", List.of(Column.of("id", DataType.INT64),
            Column.of("name", DataType.STRING)));

    @Test
    void badRowsInsideAtTheEdgeOfAndAfterACopyChunkAreDirtyAndTheGoodRowsAreWrittenOnce() {
        String name = TestDatabase.uniqueName("chunks");
        String quoted = createTable(name, "id bigint primary key, name varchar(8) not null");
        // Rows are small, so a COPY chunk ends by its row count: rows 0..65535 are the first chunk.
        int count = 2 * CopyLoader.CHUNK_ROWS + 500;
        int edge = CopyLoader.CHUNK_ROWS;
        Set<Integer> tooLong = Set.of(30_000, edge - 1, edge, edge + 1, count - 1);
        List<List<Object[]>> batches = namedRows(count, 1000, tooLong);
        // Row 70,000 repeats the key of row 5, written by the first chunk: the server refuses it too.
        int duplicate = 70_000;
        batches.get(duplicate / 1000).get(duplicate % 1000)[0] = 6L;
        RecordingContext context = new RecordingContext("chunks", 1);
        String ledger = java.util.UUID.randomUUID().toString();
        ledgers.add(ledger);
        try (Target target = target("table", name)) {
            dev.ferry.api.SupportsSplitLedger kept = (dev.ferry.api.SupportsSplitLedger) target;
            kept.keepSplitLedger(ledger, false);
            target.prepare(context, NAMED);
            try (dev.ferry.api.TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(split("s1"));
                for (List<Object[]> rows : batches) {
                    writer.write(batch(NAMED, rows));
                }
                writer.finishSplit();
            }
            assertEquals(java.util.Map.of("s1", (long) count - 6), kept.committedSplits(),
                    "the ledger counts the rows written, not those refused after their batch");
            kept.dropSplitLedger();
        }
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (!tooLong.contains(i) && i != duplicate) {
                expected.add(i + 1L);
            }
        }
        assertEquals(expected, tableRows(quoted, "id").stream().map(r -> (Long) r.get(0)).toList(),
                "every good row once, no bad one");
        List<RecordingContext.DirtyRow> dirty = context.dirty();
        assertEquals(List.of(30_001L, (long) edge, edge + 1L, edge + 2L, 6L, (long) count),
                dirty.stream().map(JdbcTargetContract::dirtyId).toList(), dirty.toString());
        for (RecordingContext.DirtyRow row : dirty) {
            boolean keyRow = dirtyId(row) == 6L;
            assertTrue(row.reason().contains(keyRow ? "duplicate key value" : "value too long for type character varying(8)"),
                    row.reason());
            if (row.record() != null) {
                assertTrue(row.record().contains(keyRow ? "\"name\": \"n70001\"" : "\"name\": \"much too long\""),
                        row.record());
            }
        }
    }

    @Test
    void aConnectionKilledMidCopyFailsTheSplitRetriablyAndTheRetryWritesItOnce() {
        String name = TestDatabase.uniqueName("midcopy");
        String quoted = createTable(name, "id bigint primary key, name varchar(8) not null");
        // 40,000 rows: the first half alone is more than a COPY is handed at a time, so one is open and fed.
        List<List<Object[]>> batches = namedRows(40_000, 1000, Set.of());
        RecordingContext context = new RecordingContext("midcopy", 1);
        try (Target target = target("table", name)) {
            target.prepare(context, NAMED);
            try (dev.ferry.api.TargetWriter writer = target.createWriter(context)) {
                writer.startSplit(split("s1"));
                for (List<Object[]> rows : batches.subList(0, 20)) {
                    writer.write(batch(NAMED, rows));
                }
                database().execute(dialect().killSessionSql(((dev.ferry.connector.jdbc.JdbcWriter) writer).serverSessionId()));
                org.junit.jupiter.api.Assertions.assertThrows(dev.ferry.api.error.RetriableException.class, () -> {
                    for (List<Object[]> rows : batches.subList(20, 40)) {
                        writer.write(batch(NAMED, rows));
                    }
                    writer.finishSplit();
                });
                writer.abortSplit();
                // The engine's retry: the same writer takes the split again on a fresh connection.
                writer.startSplit(split("s1"));
                for (List<Object[]> rows : batches) {
                    writer.write(batch(NAMED, rows));
                }
                writer.finishSplit();
            }
        }
        assertTrue(context.dirty().isEmpty(), context.dirty().toString());
        assertEquals(List.of(List.of(40_000L, 40_000L, 1L, 40_000L)),
                tableRows(quoted, "count(*), count(DISTINCT id), min(id), max(id)"));
    }

    @Test
    void aKillDuringCommitIsSettledByAskingTheServer() throws Exception {
        String name = peopleTable();
        String quoted = dialect().sql().quoteIdentifier(name);
        // A deferred constraint trigger makes COMMIT take two seconds, long enough to kill the session inside it.
        String function = TestDatabase.uniqueName("slow_commit");
        database().execute("CREATE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS "
                        + "$$BEGIN PERFORM pg_sleep(2); RETURN NULL; END$$",
                "CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON " + quoted
                        + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION " + function + "()");
        try {
            RecordingContext context = new RecordingContext("contract", 1);
            try (Target target = target("table", name)) {
                target.prepare(context, PEOPLE);
                try (dev.ferry.api.TargetWriter writer = target.createWriter(context)) {
                    writer.startSplit(split("s1"));
                    writer.write(batch(PEOPLE, rows(new Object[] {1L, "a", 1L})));
                    long session = ((dev.ferry.connector.jdbc.JdbcWriter) writer).serverSessionId();
                    java.util.concurrent.CompletableFuture<Void> kill = java.util.concurrent.CompletableFuture.runAsync(() -> {
                        try {
                            Thread.sleep(700);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        database().execute(dialect().killSessionSql(session));
                    });
                    org.junit.jupiter.api.Assertions.assertThrows(dev.ferry.api.error.RetriableException.class, writer::finishSplit,
                            "the server rolled the transaction back, so the split may be retried");
                    kill.get();
                    writer.abortSplit();
                    database().execute("DROP TRIGGER slow_commit ON " + quoted);
                    writer.startSplit(split("s1"));
                    writer.write(batch(PEOPLE, rows(new Object[] {1L, "a", 1L})));
                    writer.finishSplit();
                }
            }
            assertEquals(1, tableRows(quoted, "id").size());
        } finally {
            database().execute("DROP FUNCTION IF EXISTS " + function + "() CASCADE");
        }
    }
}
