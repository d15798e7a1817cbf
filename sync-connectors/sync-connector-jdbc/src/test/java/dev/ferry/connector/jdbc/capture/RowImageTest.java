package dev.ferry.connector.jdbc.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The text form of row images: what goes in comes back, and a damaged image is refused with where. */
class RowImageTest {

    @Test
    void everyValueATriggerGetsComesBackAsItsReadForm() throws Exception {
        Object[] row = {null, true, false, (byte) -1, (short) 2, 3, Long.MIN_VALUE, 1.25f, -0.0, Double.NaN,
                new BigDecimal("-12.3400"), new BigDecimal("1E+30"), "S5:not a value N", "", new byte[] {0, -1, 7},
                new byte[0], LocalDate.of(-44, 3, 15), LocalTime.of(23, 59, 59, 999_999_999), LocalTime.MIDNIGHT,
                LocalDateTime.of(2024, 2, 29, 0, 0), OffsetDateTime.parse("1900-01-01T00:00:00.000000001+05:45"),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000")};
        String image = RowImage.encode(row, null);
        Object[] back = RowImage.decode(image);
        Object[] expected = {null, true, false, -1L, 2L, 3L, Long.MIN_VALUE, 1.25, -0.0, Double.NaN,
                new BigDecimal("-12.3400"), new BigDecimal("1E+30"), "S5:not a value N", "", new byte[] {0, -1, 7},
                new byte[0], LocalDate.of(-44, 3, 15), LocalTime.of(23, 59, 59, 999_999_999), LocalTime.MIDNIGHT,
                LocalDateTime.of(2024, 2, 29, 0, 0), OffsetDateTime.parse("1900-01-01T00:00:00.000000001+05:45"),
                "123e4567-e89b-12d3-a456-426614174000"};
        assertArrayEquals(expected, back);
        assertEquals(new BigDecimal("-12.3400").scale(), ((BigDecimal) back[10]).scale());
        assertEquals("NB1:tL2:-1", RowImage.encode(new Object[] {null, true, (byte) -1}, null));
    }

    @Test
    void columnNamesRoundTrip() {
        List<String> names = List.of("ID", "a:b", "N", "\"quoted\"", "ü");
        assertEquals(names, RowImage.decodeNames(RowImage.encodeNames(names)));
    }

    @Test
    void aDamagedImageIsRefusedNamingWhere() {
        assertEquals("row image ends inside the value that starts at 4",
                assertThrows(IllegalArgumentException.class, () -> RowImage.decode("L1:1S9:abc")).getMessage());
        assertEquals("row image has no length after tag 'L' at 0",
                assertThrows(IllegalArgumentException.class, () -> RowImage.decode("L12")).getMessage());
        assertEquals("row image has a bad length after tag 'S' at 0",
                assertThrows(IllegalArgumentException.class, () -> RowImage.decode("Sx:a")).getMessage());
        assertEquals("row image holds a bad value at 0: row image has an unknown tag 'Q'",
                assertThrows(IllegalArgumentException.class, () -> RowImage.decode("Q1:a")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> RowImage.decode("D10:2024-13-01"));
        assertThrows(IllegalArgumentException.class, () -> RowImage.decodeNames("L1:1"));
    }
}
