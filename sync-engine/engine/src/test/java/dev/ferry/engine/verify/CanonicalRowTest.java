package dev.ferry.engine.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.verify.ColumnForm;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The canonical form of each tricky type, and values that PostgreSQL, MariaDB and files give in
 * different text forms written alike.
 */
class CanonicalRowTest {

    private static CanonicalRow row(Column column, boolean trim, Consumer<CanonicalRow> set) {
        CanonicalRow row = new CanonicalRow(TableSchema.of("t", List.of(column)), List.of(new ColumnForm(column.name(), trim)));
        set.accept(row);
        return row;
    }

    private static String text(DataType type, Consumer<CanonicalRow> set) {
        return row(Column.of("c", type), false, set).text();
    }

    @Test
    void decimalsCompareByValueNotByScale() {
        assertEquals("n1.5", text(DataType.DECIMAL, r -> r.setObject(0, new BigDecimal("1.50"))));
        assertEquals("n1.5", text(DataType.DECIMAL, r -> r.setObject(0, new BigDecimal("1.5"))));
        assertEquals("n0", text(DataType.DECIMAL, r -> r.setObject(0, new BigDecimal("0.000"))));
        assertEquals("n100", text(DataType.DECIMAL, r -> r.setObject(0, new BigDecimal("1E+2"))));
        assertEquals("n-0.001", text(DataType.DECIMAL, r -> r.setObject(0, new BigDecimal("-0.00100"))));
        assertEquals(text(DataType.INT64, r -> r.setLong(0, 100)), text(DataType.DECIMAL, r -> r.setObject(0,
                new BigDecimal("100.00"))), "an integer and a decimal of the same value");
    }

    @Test
    void booleansAreTheNumbersMariaDbStoresThemAs() {
        assertEquals(text(DataType.INT64, r -> r.setLong(0, 1)), text(DataType.BOOLEAN, r -> r.setBoolean(0, true)));
        assertEquals("n0", text(DataType.BOOLEAN, r -> r.setBoolean(0, false)));
    }

    @Test
    void floatsCompareByTheirExactBits() {
        assertEquals("f3ff8000000000000", text(DataType.FLOAT64, r -> r.setDouble(0, 1.5)));
        assertEquals(text(DataType.FLOAT64, r -> r.setDouble(0, 0.0)), text(DataType.FLOAT64, r -> r.setDouble(0, -0.0)));
        assertEquals("f7ff8000000000000", text(DataType.FLOAT64, r -> r.setDouble(0, Double.NaN)));
        assertNotEquals(text(DataType.FLOAT64, r -> r.setDouble(0, 0.1 + 0.2)), text(DataType.FLOAT64, r -> r.setDouble(0, 0.3)),
                "0.1 + 0.2 prints like 0.3 at low precision but is another value");
    }

    @Test
    void timestampsAreUtcInstantsWhateverTheirZoneWasWrittenIn() {
        long fromPostgres = micros(OffsetDateTime.parse("2020-03-01T10:00:00.000123+05:00").toInstant());
        long fromMariaDb = micros(LocalDateTime.parse("2020-03-01T05:00:00.000123").toInstant(ZoneOffset.UTC));
        assertEquals(text(DataType.TIMESTAMPTZ, r -> r.setLong(0, fromPostgres)),
                text(DataType.TIMESTAMP, r -> r.setLong(0, fromMariaDb)));
        assertEquals("t" + fromPostgres, text(DataType.TIMESTAMPTZ, r -> r.setLong(0, fromPostgres)));
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }

    @Test
    void trailingSpacesOfFixedLengthCharactersDoNotCount() {
        Column padded = new Column("code", DataType.STRING, true, 5, 0, "bpchar");
        Column varying = new Column("code", DataType.STRING, true, 5, 0, "varchar");
        List<ColumnForm> forms = CanonicalRow.forms(TableSchema.of("s", List.of(padded)), TableSchema.of("t", List.of(varying)));
        assertTrue(forms.get(0).trimTrailingSpaces(), "either side being char(n) trims both");
        assertEquals("sab", row(padded, true, r -> r.setObject(0, "ab   ")).text());
        assertEquals("sab", row(varying, true, r -> r.setObject(0, "ab")).text());
        assertEquals("sab  ", row(varying, false, r -> r.setObject(0, "ab  ")).text(), "varchar keeps its spaces");
        assertFalse(CanonicalRow.forms(TableSchema.of("s", List.of(varying)), TableSchema.of("t", List.of(varying)))
                .get(0).trimTrailingSpaces());
        assertTrue(CanonicalRow.isFixedChar(new Column("c", DataType.STRING, true, 3, 0, "CHAR(3)")));
        assertTrue(CanonicalRow.isFixedChar(new Column("c", DataType.STRING, true, 3, 0, "CHARACTER")));
        assertFalse(CanonicalRow.isFixedChar(new Column("c", DataType.STRING, true, 3, 0, "CHARACTER VARYING")));
    }

    @Test
    void nullIsNotTheEmptyStringAndSeparatorsInTextAreEscaped() {
        assertEquals("\\N", text(DataType.STRING, r -> r.setNull(0)));
        assertEquals("s", text(DataType.STRING, r -> r.setObject(0, "")));
        assertEquals("sa\\tb\\nc\\\\N", text(DataType.STRING, r -> r.setObject(0, "a\tb\nc\\N")));
        assertEquals("\\N", text(DataType.INT64, r -> r.setNull(0)));
    }

    @Test
    void otherTypes() {
        assertEquals("x00ff10", text(DataType.BYTES, r -> r.setObject(0, new byte[] {0, (byte) 0xff, 0x10})));
        assertEquals("d18262", text(DataType.DATE, r -> r.setLong(0, 18262)));
        assertEquals("h3600000000000", text(DataType.TIME, r -> r.setLong(0, 3_600_000_000_000L)));
        assertEquals("s{\"a\": 1}", text(DataType.JSON, r -> r.setObject(0, "{\"a\": 1}")));
    }

    @Test
    void aRowIsItsValuesTabSeparatedAndItsHashTheFirstEightBytesOfTheMd5() throws Exception {
        TableSchema schema = TableSchema.of("t", List.of(Column.of("id", DataType.INT64), Column.of("name", DataType.STRING)));
        CanonicalRow row = new CanonicalRow(schema, CanonicalRow.forms(schema, schema));
        row.setLong(0, 7);
        row.setObject(1, "é");
        assertEquals("n7\tsé", row.text());
        byte[] md5 = MessageDigest.getInstance("MD5").digest("n7\tsé".getBytes(StandardCharsets.UTF_8));
        long expected = 0;
        for (int i = 0; i < 8; i++) {
            expected = (expected << 8) | (md5[i] & 0xff);
        }
        assertEquals(expected, row.hash());
        row.setObject(1, "e");
        assertNotEquals(expected, row.hash());
    }
}
