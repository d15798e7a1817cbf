package dev.ferry.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written date and timestamp parser agrees with java.time on every plain form. */
class TextValuesFastPathTest {

    @Test
    void datesAgreeWithLocalDateAcrossTheCalendar() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            LocalDate date = LocalDate.ofEpochDay(random.nextLong(LocalDate.of(1, 1, 1).toEpochDay(),
                    LocalDate.of(9999, 12, 31).toEpochDay()));
            assertEquals(date.toEpochDay(), TextValues.parseDate(date.toString()), date.toString());
        }
        assertEquals(LocalDate.of(2000, 2, 29).toEpochDay(), TextValues.parseDate("2000-02-29"));
        assertEquals(LocalDate.of(1600, 3, 1).toEpochDay(), TextValues.daysFromCivil(1600, 3, 1));
    }

    @Test
    void timestampsAgreeWithLocalDateTimeForEveryFractionLength() {
        SplittableRandom random = new SplittableRandom(11);
        long min = LocalDateTime.of(1, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
        long max = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(min, max);
            int micros = random.nextInt(1_000_000);
            LocalDateTime value = LocalDateTime.ofEpochSecond(second, micros * 1000, ZoneOffset.UTC);
            long expected = ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), value);
            String base = value.toLocalDate() + (i % 2 == 0 ? " " : "T") + String.format("%02d:%02d:%02d",
                    value.getHour(), value.getMinute(), value.getSecond());
            String fraction = String.format("%06d", micros);
            int digits = i % 7;
            String text = digits == 0 ? base : base + "." + fraction.substring(0, digits);
            long truncated = expected - micros + Integer.parseInt(digits == 0 ? "0" : fraction.substring(0, digits))
                    * (long) Math.pow(10, 6 - digits);
            assertEquals(truncated, TextValues.parseTimestamp(text), text);
        }
    }

    @Test
    void invalidPlainLookingValuesStillGetTheFullParsersMessage() {
        for (String bad : new String[] {"2023-02-29", "2024-13-01", "2024-00-10", "2024-01-32"}) {
            assertThrows(InvalidValueException.class, () -> TextValues.parseDate(bad), bad);
            assertThrows(InvalidValueException.class, () -> TextValues.parseTimestamp(bad + " 00:00:00"), bad);
        }
        // Regression: the full parser resolved leniently and turned these into the month's last day.
        assertThrows(InvalidValueException.class, () -> TextValues.parseTimestamp("2023-02-29T00:00:00"));
        assertThrows(InvalidValueException.class, () -> TextValues.parseTimestamptz("2023-04-31 00:00:00Z"));
        assertThrows(InvalidValueException.class, () -> TextValues.parseTimestamp("2024-01-01 24:00:00"));
        assertThrows(InvalidValueException.class, () -> TextValues.parseTimestamp("2024-01-01 10:60:00"));
        assertThrows(InvalidValueException.class, () -> TextValues.parseTimestamp("2024-01-01 10:00:00.1234567"));
        assertEquals(TextValues.parseTimestamp("2024-01-01T10:00:00.123456"),
                TextValues.parseTimestamp(" 2024-01-01 10:00:00.123456 "), "whitespace takes the full parser");
        assertEquals(TextValues.parseTimestamp("2024-01-01 10:00:00"), TextValues.parseTimestamp("2024-01-01 10:00"));
    }
}
