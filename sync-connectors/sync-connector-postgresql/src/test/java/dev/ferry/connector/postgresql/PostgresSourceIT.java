package dev.ferry.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.data.DataType;
import dev.ferry.api.error.SyncException;
import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcConnectorFactory;
import dev.ferry.connector.jdbc.TimeCodec;
import dev.ferry.connector.jdbc.testing.JdbcSourceContract;
import dev.ferry.connector.jdbc.testing.ReadResult;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.engine.testing.CollectingRecordSink;
import dev.ferry.engine.testing.RecordingContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The source contract and PostgreSQL's own reading features against the real server. */
class PostgresSourceIT extends JdbcSourceContract {

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
    protected String series(long from, long to) {
        return "SELECT n::bigint AS n FROM generate_series(" + from + ", " + to + ") AS g(n)";
    }

    @Override
    protected String slowQuery() {
        return "SELECT pg_sleep(30)";
    }

    @Override
    protected String unreachableUrl(String password) {
        return "jdbc:postgresql://127.0.0.1:1/test?password=" + password;
    }

    @Test
    void everyTypeIsMappedAndReadWithoutZoneShifts() {
        String name = TestDatabase.uniqueName("types");
        String table = createTable(name, "id bigint primary key, i int, s smallint, n numeric(10,2), f double precision, "
                + "r real, vc varchar(10), tx text, b boolean, d date, tm time, ts timestamp, tz timestamptz, by bytea, "
                + "j jsonb, js json, u uuid, iv interval");
        database().execute("INSERT INTO " + table + " VALUES (1, 42, 7, 12.34, 1.5, 2.5, 'héllo', 'text', true, "
                + "'2024-02-29', '13:45:07.123456', '2024-02-29 13:45:07.123456', '2024-02-29 13:45:07.123456+02', "
                + "'\\x0102ff', '{\"a\": 1}', '{\"b\":2}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '1 day')",
                "INSERT INTO " + table + " (id) VALUES (2)");
        try (Source source = source("table", name)) {
            ReadResult result = ReadResult.readAll(source, context(1));
            List<DataType> types = source.schema().columns().stream().map(c -> c.type()).toList();
            assertEquals(List.of(DataType.INT64, DataType.INT64, DataType.INT64, DataType.DECIMAL, DataType.FLOAT64,
                    DataType.FLOAT64, DataType.STRING, DataType.STRING, DataType.BOOLEAN, DataType.DATE, DataType.TIME,
                    DataType.TIMESTAMP, DataType.TIMESTAMPTZ, DataType.BYTES, DataType.JSON, DataType.JSON, DataType.STRING,
                    DataType.STRING), types);
            assertEquals(10, source.schema().column(3).precision());
            assertEquals(2, source.schema().column(3).scale());
            assertEquals(10, source.schema().column(6).precision());
            assertEquals("uuid", source.schema().column(16).nativeType());
            Object[] row = result.allRows().stream().filter(r -> (Long) r[0] == 1L).findFirst().orElseThrow();
            assertEquals(42L, row[1]);
            assertEquals(0, new BigDecimal("12.34").compareTo((BigDecimal) row[3]));
            assertEquals(1.5, row[4]);
            assertEquals("héllo", row[6]);
            assertEquals(true, row[8]);
            assertEquals(LocalDate.of(2024, 2, 29).toEpochDay(), row[9]);
            assertEquals(LocalTime.of(13, 45, 7, 123_456_000).toNanoOfDay(), row[10]);
            assertEquals(TimeCodec.micros(LocalDateTime.of(2024, 2, 29, 13, 45, 7, 123_456_000)), row[11]);
            assertEquals(TimeCodec.micros(Instant.parse("2024-02-29T11:45:07.123456Z")), row[12]);
            assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, (byte[]) row[13]);
            assertEquals("{\"a\": 1}", row[14]);
            assertEquals("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", row[16]);
            assertEquals("1 day", row[17]);
            Object[] nulls = result.allRows().stream().filter(r -> (Long) r[0] == 2L).findFirst().orElseThrow();
            for (int i = 1; i < nulls.length; i++) {
                assertEquals(null, nulls[i], "column " + i);
            }
        }
    }

    @Test
    void datesAndTimestampsAreReadExactlyFromTheirBinaryFormToTheEdgesOfTheirRange() {
        String name = TestDatabase.uniqueName("edges");
        String table = createTable(name, "id bigint primary key, d date, ts timestamp, tz timestamptz");
        database().execute("INSERT INTO " + table + " VALUES "
                + "(1, '4713-01-01 BC', '4713-01-01 00:00:00 BC', '4713-01-01 00:00:00+00 BC'), "
                + "(2, '1999-12-31', '1999-12-31 23:59:59.999999', '2000-01-01 00:00:00.000001+00'), "
                + "(3, '1970-01-01', '1969-12-31 23:59:59.999999', '2000-01-01 01:00:00+01'), "
                + "(4, '5874897-12-31', '294246-12-31 23:59:59.999999', '294246-12-31 23:59:59.999999+00'), "
                + "(5, NULL, NULL, NULL), "
                + "(6, 'infinity', NULL, NULL), (7, NULL, '-infinity', NULL), (8, NULL, NULL, 'infinity')");
        try (Source source = source("table", name)) {
            RecordingContext context = context(1);
            source.prepare(context);
            CollectingRecordSink sink = new CollectingRecordSink(source.schema());
            for (Split split : source.planSplits(context)) {
                try (SourceReader reader = source.createReader(split)) {
                    reader.read(sink);
                }
            }
            java.util.Map<Long, List<Object>> rows = new java.util.TreeMap<>();
            sink.rows().forEach(r -> rows.put((Long) r[0], java.util.Arrays.asList(r).subList(1, 4)));
            // A timestamp infinity has no value in Ferry's range; pgjdbc reads a date infinity as LocalDate.MAX.
            assertEquals(Set.of(1L, 2L, 3L, 4L, 5L, 6L), rows.keySet(), sink.dirty().toString());
            assertEquals(2, sink.dirty().size(), sink.dirty().toString());
            assertEquals(LocalDate.MAX.toEpochDay(), rows.get(6L).get(0));
            long bc = TimeCodec.micros(LocalDateTime.of(-4712, 1, 1, 0, 0));
            assertEquals(List.of(LocalDate.of(-4712, 1, 1).toEpochDay(), bc, bc), rows.get(1L));
            assertEquals(List.of(LocalDate.of(1999, 12, 31).toEpochDay(),
                    TimeCodec.micros(LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000)),
                    TimeCodec.micros(Instant.parse("2000-01-01T00:00:00.000001Z"))), rows.get(2L));
            assertEquals(List.of(0L, -1L, TimeCodec.micros(Instant.parse("2000-01-01T00:00:00Z"))), rows.get(3L));
            assertEquals(List.of(LocalDate.of(5_874_897, 12, 31).toEpochDay(),
                    TimeCodec.micros(LocalDateTime.of(294_246, 12, 31, 23, 59, 59, 999_999_000)),
                    TimeCodec.micros(Instant.parse("+294246-12-31T23:59:59.999999Z"))), rows.get(4L));
            assertEquals(java.util.Arrays.asList(null, null, null), rows.get(5L));
        }
    }

    @Test
    void consistentReadSeesOneSnapshotWhileTheTableIsWritten() {
        String name = TestDatabase.uniqueName("consistent");
        String table = createTable(name, "id bigint primary key, v bigint not null");
        database().execute("INSERT INTO " + table + " SELECT n, 0 FROM (" + series(1, 20_000) + ") s");
        RecordingContext context = context(4);
        try (Source source = source("table", name, "splitPk", "id", "consistent", true, "fetchSize", 100)) {
            source.prepare(context);
            // Written after the snapshot, before planning: planning must not see it either.
            database().execute("INSERT INTO " + table + " SELECT n, 5 FROM (" + series(20_001, 22_000) + ") s");
            List<? extends Split> splits = source.planSplits(context);
            assertTrue(splits.size() > 4);
            Set<Long> ids = new HashSet<>();
            long sum = 0;
            for (int i = 0; i < splits.size(); i++) {
                if (i == 1) {
                    // Written while the copy runs: between the first and the other splits.
                    database().execute("UPDATE " + table + " SET v = 1", "DELETE FROM " + table + " WHERE id <= 1000",
                            "INSERT INTO " + table + " SELECT n, 2 FROM (" + series(22_001, 25_000) + ") s");
                }
                CollectingRecordSink sink = new CollectingRecordSink(source.schema());
                try (SourceReader reader = source.createReader(splits.get(i))) {
                    reader.read(sink);
                }
                for (Object[] row : sink.rows()) {
                    assertTrue(ids.add((Long) row[0]));
                    sum += (Long) row[1];
                }
            }
            assertEquals(20_000, ids.size(), "exactly the rows of the snapshot");
            assertEquals(0, sum, "no value written after the snapshot");
        }
        // Control: the same read without a snapshot sees the later writes, so the test can fail.
        try (Source source = source("table", name, "splitPk", "id")) {
            ReadResult result = ReadResult.readAll(source, context(4));
            assertEquals(24_000, result.total());
        }
    }

    @Test
    void socketTimeoutTurnsAStuckQueryIntoAClearError() {
        try (Source source = source("querySql", "SELECT pg_sleep(20)", "socketTimeoutSeconds", 1)) {
            RecordingContext context = context(1);
            source.prepare(context);
            Split split = source.planSplits(context).get(0);
            long started = System.nanoTime();
            SyncException error = assertThrows(SyncException.class,
                    () -> source.createReader(split).read(new CollectingRecordSink(source.schema())));
            assertTrue(System.nanoTime() - started < 10_000_000_000L, "timed out late");
            assertTrue(error.getMessage().contains("query[1]") && error.getMessage().contains("timed out"), error.getMessage());
        }
    }
}
