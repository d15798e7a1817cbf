package dev.ferry.connector.mariadb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Source;
import dev.ferry.api.data.DataType;
import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcConnectorFactory;
import dev.ferry.connector.jdbc.TimeCodec;
import dev.ferry.connector.jdbc.testing.JdbcSourceContract;
import dev.ferry.connector.jdbc.testing.MapConfig;
import dev.ferry.connector.jdbc.testing.ReadResult;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The source contract and MariaDB's own type mapping against the real server. */
class MariaDbSourceIT extends JdbcSourceContract {

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
    protected String series(long from, long to) {
        return "SELECT seq AS n FROM seq_" + from + "_to_" + to;
    }

    @Override
    protected String slowQuery() {
        return "SELECT SLEEP(30)";
    }

    @Override
    protected String unreachableUrl(String password) {
        return "jdbc:mariadb://127.0.0.1:1/test?password=" + password;
    }

    @Test
    void readsUseTheBinaryProtocolUnlessAFloatColumnNeedsTheServersPrintedValue() throws Exception {
        String plain = createTable(TestDatabase.uniqueName("binread"), "id bigint primary key, d double, ts datetime(6)");
        String floats = createTable(TestDatabase.uniqueName("floatread"), "id bigint primary key, f float, g float(7,3)");
        database().execute("INSERT INTO " + plain + " VALUES (1, 0.1234567890123, '2024-02-29 13:45:07.123456')",
                "INSERT INTO " + floats + " VALUES (1, 1.1, 1.2345)");
        try (java.sql.Connection connection = database().connect()) {
            try (java.sql.PreparedStatement statement = dialect().prepareRead(connection, "SELECT * FROM " + plain);
                 java.sql.ResultSet rs = statement.executeQuery()) {
                assertTrue(statement.getClass().getSimpleName().startsWith("Server"), statement.getClass().getName());
                assertTrue(rs.next());
                assertEquals(0.1234567890123, rs.getDouble(2));
                assertEquals(LocalDateTime.of(2024, 2, 29, 13, 45, 7, 123_456_000), rs.getObject(3, LocalDateTime.class));
            }
            try (java.sql.PreparedStatement statement = dialect().prepareRead(connection, "SELECT * FROM " + floats);
                 java.sql.ResultSet rs = statement.executeQuery()) {
                assertTrue(!statement.getClass().getSimpleName().startsWith("Server"), statement.getClass().getName());
                assertTrue(rs.next());
                // The printed values, as the binlog capture gives them; binary would be 1.100000023841858.
                assertEquals(1.1, rs.getDouble(2));
                assertEquals(1.234, rs.getDouble(3));
            }
        }
    }

    @Test
    void everyTypeIsMappedAndTimestampIsReadAsUtc() {
        String name = TestDatabase.uniqueName("types");
        String table = createTable(name, "id bigint primary key, i int, ti tinyint, b boolean, u bigint unsigned, "
                + "n decimal(10,2), f double, vc varchar(10), tx text, d date, tm time(6), dt datetime(6), ts timestamp(6) null, "
                + "bl blob, j json, e enum('x','y')");
        // Written in a +02:00 session: the TIMESTAMP column stores the instant, whatever the session zone.
        database().execute("SET time_zone = '+02:00'", "INSERT INTO " + table + " VALUES (1, 42, 7, true, 18446744073709551615, "
                + "12.34, 1.5, 'héllo', 'text', '2024-02-29', '13:45:07.123456', '2024-02-29 13:45:07.123456', "
                + "'2024-02-29 13:45:07.123456', x'0102ff', '{\"a\": 1}', 'y')");
        database().execute("INSERT INTO " + table + " (id) VALUES (2)");
        try (Source source = connector().createSource(MapConfig.source(connector(), database().options("table", name)))) {
            ReadResult result = ReadResult.readAll(source, context(1));
            List<DataType> types = source.schema().columns().stream().map(c -> c.type()).toList();
            assertEquals(List.of(DataType.INT64, DataType.INT64, DataType.INT64, DataType.BOOLEAN, DataType.DECIMAL,
                    DataType.DECIMAL, DataType.FLOAT64, DataType.STRING, DataType.STRING, DataType.DATE, DataType.TIME,
                    DataType.TIMESTAMP, DataType.TIMESTAMPTZ, DataType.BYTES, DataType.STRING, DataType.STRING).subList(0, 14),
                    types.subList(0, 14));
            assertTrue(types.get(14) == DataType.STRING || types.get(14) == DataType.JSON, types.toString());
            Object[] row = result.allRows().stream().filter(r -> (Long) r[0] == 1L).findFirst().orElseThrow();
            assertEquals(42L, row[1]);
            assertEquals(7L, row[2]);
            assertEquals(true, row[3]);
            assertEquals(new BigDecimal("18446744073709551615"), row[4]);
            assertEquals(0, new BigDecimal("12.34").compareTo((BigDecimal) row[5]));
            assertEquals("héllo", row[7]);
            assertEquals(LocalDate.of(2024, 2, 29).toEpochDay(), row[9]);
            assertEquals(LocalTime.of(13, 45, 7, 123_456_000).toNanoOfDay(), row[10]);
            assertEquals(TimeCodec.micros(LocalDateTime.of(2024, 2, 29, 13, 45, 7, 123_456_000)), row[11]);
            assertEquals(TimeCodec.micros(Instant.parse("2024-02-29T11:45:07.123456Z")), row[12]);
            assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, (byte[]) row[13]);
            assertEquals("y", row[15]);
            Object[] nulls = result.allRows().stream().filter(r -> (Long) r[0] == 2L).findFirst().orElseThrow();
            for (int i = 1; i < nulls.length; i++) {
                assertEquals(null, nulls[i], "column " + i);
            }
        }
    }
}
