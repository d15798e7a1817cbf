package dev.ferry.connector.postgresql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.connector.jdbc.TimeCodec;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** PostgreSQL's type names to logical types and back, and its own text forms of dates. */
class PostgresTypesTest {

    private final PostgresTypes types = new PostgresTypes();

    @Test
    void typesPgjdbcReportsUnfaithfullyAreText() {
        assertEquals(DataType.STRING, types.dataType(Types.TIME, "timetz", 0, 0));
        assertEquals(DataType.STRING, types.dataType(Types.DOUBLE, "money", 0, 0));
        assertEquals(DataType.STRING, types.dataType(Types.OTHER, "interval", 0, 0));
        assertEquals(DataType.BOOLEAN, types.dataType(Types.BIT, "bool", 1, 0));
        assertEquals(DataType.TIMESTAMPTZ, types.dataType(Types.TIMESTAMP, "timestamptz", 0, 6));
        assertEquals(DataType.TIMESTAMP, types.dataType(Types.TIMESTAMP, "timestamp", 0, 6));
        assertEquals(DataType.JSON, types.dataType(Types.OTHER, "jsonb", 0, 0));
    }

    @Test
    void columnDefinitionsKeepUuidAndJsonFlavours() {
        assertEquals("uuid", types.columnDefinition(new Column("u", DataType.STRING, true, 0, 0, "uuid")));
        assertEquals("text", types.columnDefinition(new Column("s", DataType.STRING, true, 10_485_761, 0, "")));
        assertEquals("numeric", types.columnDefinition(Column.of("n", DataType.DECIMAL)));
        assertEquals("double precision", types.columnDefinition(Column.of("f", DataType.FLOAT64)));
        assertEquals("text", types.columnDefinition(Column.of("x", DataType.NULL)));
    }

    @Test
    void datesBeforeYearOneAreWrittenWithBc() {
        assertEquals("2024-02-29", PostgresTypes.dateText(LocalDate.of(2024, 2, 29).toEpochDay()));
        assertEquals("0044-03-15 BC", PostgresTypes.dateText(LocalDate.of(-43, 3, 15).toEpochDay()));
        long micros = TimeCodec.micros(LocalDateTime.of(0, 1, 1, 13, 45, 7, 123_456_000));
        assertEquals("0001-01-01 13:45:07.123456+00 BC", PostgresTypes.timestampText(micros, true));
        assertEquals("0001-01-01 13:45:07.123456 BC", PostgresTypes.timestampText(micros, false));
    }
}
