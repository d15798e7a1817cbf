package dev.ferry.connector.mariadb;

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
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The target contract against MariaDB (bulk batches, ON DUPLICATE KEY UPDATE, strict mode). */
class MariaDbTargetIT extends JdbcTargetContract {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected JdbcConnectorFactory connector() {
        return new MariaDbConnector();
    }

    @Override
    protected Dialect dialect() {
        return MariaDbDialect.mariadb();
    }

    @Override
    protected List<Pattern> dirtyReasons() {
        return List.of(Pattern.compile("Data too long for column `?'?name"), Pattern.compile("Column 'name' cannot be null"),
                Pattern.compile("Out of range value for column 'small'"), Pattern.compile("Incorrect date value: '2023-02-30'"));
    }

    @Test
    void valuesRoundTripAndTimestampsStayUtc() {
        String name = TestDatabase.uniqueName("alltypes");
        createTable(name, "id bigint primary key, b boolean, n decimal(20,6), f double, s text, bl blob, d date, "
                + "t time(6), ts datetime(6), tz timestamp(6) null, i int");
        TableSchema schema = TableSchema.of("all", List.of(Column.of("id", DataType.INT64), Column.of("b", DataType.BOOLEAN),
                Column.of("n", DataType.DECIMAL), Column.of("f", DataType.FLOAT64), Column.of("s", DataType.STRING),
                Column.of("bl", DataType.BYTES), Column.of("d", DataType.DATE), Column.of("t", DataType.TIME),
                Column.of("ts", DataType.TIMESTAMP), Column.of("tz", DataType.TIMESTAMPTZ), Column.of("i", DataType.STRING)));
        List<Object[]> rows = new ArrayList<>();
        String[] texts = {"plain", "tab\there", "back\\slash", "quote'\"`", "ünïcødé 😀 日本", ""};
        for (int i = 0; i < texts.length; i++) {
            rows.add(new Object[] {(long) i, i % 2 == 0, new BigDecimal("-12345.678901").add(BigDecimal.valueOf(i)),
                    1.25e-7 * i, texts[i], new byte[] {0, (byte) i, (byte) 0xff, '\\'}, LocalDate.of(1999 + i, 12, 31),
                    LocalTime.of(23, 59, 59, 999_999_000), LocalDateTime.of(1970 + i, 1, 1, 0, 0, 0, 1000),
                    Instant.parse("2024-03-31T01:30:00.000001Z"), Integer.toString(1000 + i)});
        }
        rows.add(new Object[] {100L, null, null, null, null, null, null, null, null, null, null});
        try (Target target = target("table", name, "batchSize", 4)) {
            RecordingContext context = writeSplit(target, schema, List.of(rows));
            assertTrue(context.dirty().isEmpty(), context.dirty().toString());
        }
        assertEquals(1, database().queryLong("SELECT COUNT(*) FROM " + dialect().sql().quoteIdentifier(name)
                + " WHERE id = 0 AND UNIX_TIMESTAMP(tz) = 1711848600.000001"), "the TIMESTAMP column holds the instant");
        try (Source source = connector().createSource(MapConfig.source(connector(), database().options("table", name)))) {
            List<Object[]> read = new ArrayList<>(ReadResult.readAll(source, new RecordingContext("read", 1)).allRows());
            read.sort((a, b) -> Long.compare((Long) a[0], (Long) b[0]));
            for (int r = 0; r < texts.length; r++) {
                Object[] expected = rows.get(r);
                Object[] actual = read.get(r);
                assertEquals(expected[1], actual[1]);
                assertEquals(0, ((BigDecimal) expected[2]).compareTo((BigDecimal) actual[2]));
                assertEquals(expected[3], actual[3]);
                assertEquals(expected[4], actual[4]);
                assertArrayEquals((byte[]) expected[5], (byte[]) actual[5]);
                assertEquals(((LocalDate) expected[6]).toEpochDay(), actual[6]);
                assertEquals(((LocalTime) expected[7]).toNanoOfDay(), actual[7]);
                assertEquals(TimeCodec.micros((LocalDateTime) expected[8]), actual[8]);
                assertEquals(TimeCodec.micros((Instant) expected[9]), actual[9]);
                assertEquals(1000L + r, actual[10]);
            }
        }
    }
}
