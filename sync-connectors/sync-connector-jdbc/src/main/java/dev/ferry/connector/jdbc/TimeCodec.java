package dev.ferry.connector.jdbc;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Conversions between the engine's long-backed temporal values (see
 * {@link dev.ferry.api.data.DataType}) and {@code java.time}, plus the text forms databases parse.
 * TIMESTAMP and TIMESTAMPTZ are both microseconds since 1970-01-01T00:00; for TIMESTAMPTZ that
 * instant is UTC, so converting between the two is exact and never applies a local zone.
 *
 * <p>Threading: stateless.
 */
public final class TimeCodec {

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private TimeCodec() {
    }

    public static long micros(LocalDateTime value) {
        return Math.addExact(Math.multiplyExact(value.toEpochSecond(ZoneOffset.UTC), MICROS_PER_SECOND),
                value.getNano() / 1000);
    }

    public static long micros(OffsetDateTime value) {
        return Math.addExact(Math.multiplyExact(value.toEpochSecond(), MICROS_PER_SECOND), value.getNano() / 1000);
    }

    public static long micros(Instant value) {
        return Math.addExact(Math.multiplyExact(value.getEpochSecond(), MICROS_PER_SECOND), value.getNano() / 1000);
    }

    public static LocalDateTime localDateTime(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000, ZoneOffset.UTC);
    }

    public static OffsetDateTime offsetDateTime(long micros) {
        return localDateTime(micros).atOffset(ZoneOffset.UTC);
    }

    public static LocalDate localDate(long epochDay) {
        return LocalDate.ofEpochDay(epochDay);
    }

    public static LocalTime localTime(long nanoOfDay) {
        return LocalTime.ofNanoOfDay(nanoOfDay);
    }

    /** {@code 2024-03-01} ({@code 0044-03-15 BC} style for years before 1 is left to the caller). */
    public static void appendDate(StringBuilder sb, LocalDate date) {
        appendYear(sb, date.getYear());
        sb.append('-');
        pad2(sb, date.getMonthValue());
        sb.append('-');
        pad2(sb, date.getDayOfMonth());
    }

    /** {@code 13:45:07.123456} with the fraction only when non-zero. */
    public static void appendTime(StringBuilder sb, long nanoOfDay) {
        long micros = nanoOfDay / 1000;
        long seconds = micros / MICROS_PER_SECOND;
        pad2(sb, (int) (seconds / 3600));
        sb.append(':');
        pad2(sb, (int) (seconds / 60 % 60));
        sb.append(':');
        pad2(sb, (int) (seconds % 60));
        int fraction = (int) (micros % MICROS_PER_SECOND);
        if (fraction != 0) {
            sb.append('.');
            String digits = Integer.toString(fraction);
            for (int i = digits.length(); i < 6; i++) {
                sb.append('0');
            }
            sb.append(digits);
        }
    }

    /**
     * An ISO-style text databases parse: {@code 2024-03-01 13:45:07.123456}, with {@code +00:00}
     * appended when {@code utcOffset}. Years before 1 are written with a minus sign, which
     * PostgreSQL's writers avoid by using their own encoder.
     */
    public static String timestampText(long micros, boolean utcOffset) {
        StringBuilder sb = new StringBuilder(32);
        LocalDateTime value = localDateTime(micros);
        appendDate(sb, value.toLocalDate());
        sb.append(' ');
        appendTime(sb, value.toLocalTime().toNanoOfDay());
        if (utcOffset) {
            sb.append("+00:00");
        }
        return sb.toString();
    }

    public static String dateText(long epochDay) {
        StringBuilder sb = new StringBuilder(12);
        appendDate(sb, LocalDate.ofEpochDay(epochDay));
        return sb.toString();
    }

    public static String timeText(long nanoOfDay) {
        StringBuilder sb = new StringBuilder(16);
        appendTime(sb, nanoOfDay);
        return sb.toString();
    }

    private static void appendYear(StringBuilder sb, int year) {
        if (year < 0) {
            sb.append('-');
            year = -year;
        }
        if (year < 1000) {
            sb.append(year < 10 ? "000" : year < 100 ? "00" : "0");
        }
        sb.append(year);
    }

    private static void pad2(StringBuilder sb, int value) {
        if (value < 10) {
            sb.append('0');
        }
        sb.append(value);
    }
}
