package dev.ferry.connector.postgresql.capture;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;

/**
 * Parsers for the text output forms PostgreSQL's type output functions write (what pgoutput sends
 * for each column in protocol version 1), working on UTF-8 bytes in place: no regular expressions,
 * no {@code java.time} formatters, and no allocation for numbers, dates and timestamps.
 *
 * <p>The results are those the batch reader (pgjdbc with binary transfer, read through
 * {@code PostgresDialect}) gets for the same stored value; see {@link PgColumnType}. Dates and
 * timestamps are expected in the ISO {@code DateStyle} (pgjdbc sets it for every connection,
 * replication connections included). A text that is not a value of the type, or a value the batch
 * reader cannot read either, throws {@link IllegalArgumentException} with the reason.
 *
 * <p>Threading: stateless.
 */
final class PgText {

    static final long MICROS_PER_SECOND = 1_000_000L;
    static final long MICROS_PER_DAY = 86_400_000_000L;
    /** What the batch reader gets for the dates {@code infinity} and {@code -infinity} (pgjdbc's LocalDate.MAX/MIN). */
    static final long DATE_INFINITY = LocalDate.MAX.toEpochDay();
    static final long DATE_MINUS_INFINITY = LocalDate.MIN.toEpochDay();
    /** What the batch reader gets for the time {@code 24:00:00} (pgjdbc's LocalTime.MAX). */
    static final long TIME_24_NANOS = LocalTime.MAX.toNanoOfDay();

    private static final byte[] INFINITY = ascii("infinity");
    private static final byte[] MINUS_INFINITY = ascii("-infinity");
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    private static final byte[] HEX_DIGITS = ascii("0123456789abcdef");

    private PgText() {
    }

    // ---------------------------------------------------------------- numbers

    /** An integer in decimal ({@code int2}, {@code int4}, {@code int8}, {@code oid}, and bit strings read as getLong does). */
    static long parseLong(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        boolean negative = false;
        if (i < end && (b[i] == '-' || b[i] == '+')) {
            negative = b[i] == '-';
            i++;
        }
        if (i == end) {
            throw new IllegalArgumentException("not an integer");
        }
        // Accumulated negatively: the negative range is the larger one.
        long value = 0;
        for (; i < end; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new IllegalArgumentException("not an integer");
            }
            if (value < Long.MIN_VALUE / 10 || value * 10 < Long.MIN_VALUE + digit) {
                throw new IllegalArgumentException("out of the range of a 64-bit integer");
            }
            value = value * 10 - digit;
        }
        if (negative) {
            return value;
        }
        if (value == Long.MIN_VALUE) {
            throw new IllegalArgumentException("out of the range of a 64-bit integer");
        }
        return -value;
    }

    /**
     * {@code numeric} output: an optional minus sign, digits, and a fraction with exactly the
     * value's display scale, so {@code 1.50} keeps scale 2 (as pgjdbc's binary numeric does).
     * {@code NaN} and the infinities have no BigDecimal, and pgjdbc fails on them too.
     */
    static BigDecimal parseNumeric(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        boolean negative = false;
        if (i < end && b[i] == '-') {
            negative = true;
            i++;
        }
        long unscaled = 0;
        int digits = 0;
        int scale = -1;
        int significant = 0;
        for (; i < end; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                digits++;
                if (unscaled != 0 || c != '0') {
                    significant++;
                }
                unscaled = unscaled * 10 + (c - '0');
                if (scale >= 0) {
                    scale++;
                }
                if (significant > 18) {
                    return slowNumeric(b, off, len);
                }
            } else if (c == '.' && scale < 0) {
                scale = 0;
            } else {
                throw new IllegalArgumentException(special(b, off, len)
                        ? "NaN and infinite numerics have no BigDecimal value (the batch reader cannot read them either)"
                        : "not a numeric");
            }
        }
        if (digits == 0) {
            throw new IllegalArgumentException("not a numeric");
        }
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, Math.max(scale, 0));
    }

    private static BigDecimal slowNumeric(byte[] b, int off, int len) {
        try {
            return new BigDecimal(new String(b, off, len, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a numeric");
        }
    }

    private static boolean special(byte[] b, int off, int len) {
        String text = new String(b, off, len, StandardCharsets.ISO_8859_1);
        return text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity");
    }

    /** {@code float8} output (shortest exact digits, {@code NaN}, {@code Infinity}, {@code -Infinity}, {@code 1e+22}). */
    static double parseFloat8(byte[] b, int off, int len) {
        return Double.parseDouble(floatText(b, off, len));
    }

    /** {@code float4} output widened to double exactly as pgjdbc's getDouble widens the binary float. */
    static double parseFloat4(byte[] b, int off, int len) {
        return Float.parseFloat(floatText(b, off, len));
    }

    private static String floatText(byte[] b, int off, int len) {
        // Java also takes type suffixes and hex floats, which PostgreSQL never writes: refuse them.
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (!(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
                    || c == 'N' || c == 'a' || c == 'I' || c == 'n' || c == 'f' || c == 'i' || c == 't' || c == 'y')) {
                throw new IllegalArgumentException("not a floating-point number");
            }
        }
        if (len == 0 || b[off + len - 1] == 'f') {
            throw new IllegalArgumentException("not a floating-point number");
        }
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- booleans and bytes

    /** {@code bool} output {@code t}/{@code f}, or a one-bit string {@code 1}/{@code 0}. */
    static boolean parseBoolean(byte[] b, int off, int len, boolean bit) {
        if (len == 1) {
            byte c = b[off];
            if (c == (bit ? '1' : 't')) {
                return true;
            }
            if (c == (bit ? '0' : 'f')) {
                return false;
            }
        }
        throw new IllegalArgumentException(bit ? "expected 1 or 0" : "expected t or f");
    }

    /** {@code bytea} output: hex ({@code \x0a1b}, the default) or escape format ({@code a\000\\}). */
    static byte[] parseBytea(byte[] b, int off, int len) {
        if (len >= 2 && b[off] == '\\' && b[off + 1] == 'x') {
            if ((len & 1) != 0) {
                throw new IllegalArgumentException("odd number of hex digits");
            }
            byte[] out = new byte[(len - 2) / 2];
            for (int i = 0, p = off + 2; i < out.length; i++, p += 2) {
                out[i] = (byte) (hex(b[p]) << 4 | hex(b[p + 1]));
            }
            return out;
        }
        int count = 0;
        for (int p = off; p < off + len; count++) {
            p += b[p] != '\\' ? 1 : p + 1 < off + len && b[p + 1] == '\\' ? 2 : 4;
        }
        byte[] out = new byte[count];
        int p = off;
        for (int i = 0; i < count; i++) {
            if (b[p] != '\\') {
                out[i] = b[p++];
            } else if (p + 1 < off + len && b[p + 1] == '\\') {
                out[i] = '\\';
                p += 2;
            } else {
                if (p + 3 >= off + len) {
                    throw new IllegalArgumentException("truncated escape");
                }
                out[i] = (byte) (octal(b[p + 1]) << 6 | octal(b[p + 2]) << 3 | octal(b[p + 3]));
                p += 4;
            }
        }
        return out;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw new IllegalArgumentException("not a hex digit: '" + (char) c + "'");
    }

    private static int octal(byte c) {
        if (c < '0' || c > '7') {
            throw new IllegalArgumentException("not an octal digit: '" + (char) c + "'");
        }
        return c - '0';
    }

    /** {@code \x} and lower-case hex digits, as pgjdbc writes bytea array elements. */
    static String hexText(byte[] bytes) {
        byte[] out = new byte[2 + bytes.length * 2];
        out[0] = '\\';
        out[1] = 'x';
        for (int i = 0; i < bytes.length; i++) {
            out[2 + 2 * i] = HEX_DIGITS[(bytes[i] >> 4) & 0xF];
            out[3 + 2 * i] = HEX_DIGITS[bytes[i] & 0xF];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    // ---------------------------------------------------------------- dates and times

    /**
     * {@code date} output in ISO style: {@code 2024-02-29}, {@code 0044-03-15 BC},
     * {@code 5874897-12-31}, {@code infinity}, {@code -infinity}. Days since 1970-01-01 in the
     * proleptic Gregorian calendar PostgreSQL uses; the infinities become what pgjdbc makes of them
     * (LocalDate.MAX and MIN).
     */
    static long parseDate(byte[] b, int off, int len) {
        int end = off + len;
        boolean bc = endsWithBc(b, off, end);
        if (bc) {
            end -= 3;
        }
        int yearDigits = yearDigits(b, off, end);
        if (yearDigits < 0 || off + yearDigits + 6 != end) {
            if (!bc && equals(b, off, len, INFINITY)) {
                return DATE_INFINITY;
            }
            if (!bc && equals(b, off, len, MINUS_INFINITY)) {
                return DATE_MINUS_INFINITY;
            }
            throw new IllegalArgumentException("expected an ISO date (yyyy-MM-dd)");
        }
        return epochDay(b, off, yearDigits, bc);
    }

    /** {@code time} output {@code HH:MM:SS[.ffffff]} as nanoseconds of the day; 24:00:00 as LocalTime.MAX (as pgjdbc). */
    static long parseTime(byte[] b, int off, int len) {
        long micros = timeMicros(b, off, off + len);
        return micros == MICROS_PER_DAY ? TIME_24_NANOS : micros * 1000;
    }

    /**
     * {@code timestamp} output, ISO style: {@code 2024-02-29 13:45:07.123456}, with {@code BC}
     * for years before 1, as microseconds since 1970-01-01T00:00. {@code infinity} and values whose
     * microseconds overflow a long fail, as they do in the batch reader.
     */
    static long parseTimestamp(byte[] b, int off, int len) {
        return timestampMicros(b, off, len, false);
    }

    /**
     * {@code timestamptz} output, ISO style, in whatever TimeZone the session had:
     * {@code 2024-02-29 13:45:07.123456+05:45}, {@code 1900-01-01 00:19:32+00:19:32},
     * {@code 0044-03-15 13:19:32+00:19:32 BC}; microseconds since the epoch, UTC.
     */
    static long parseTimestamptz(byte[] b, int off, int len) {
        return timestampMicros(b, off, len, true);
    }

    private static long timestampMicros(byte[] b, int off, int len, boolean zoned) {
        int end = off + len;
        boolean bc = endsWithBc(b, off, end);
        if (bc) {
            end -= 3;
        }
        int yearDigits = yearDigits(b, off, end);
        int timeStart = off + yearDigits + 7;
        if (yearDigits < 0 || timeStart >= end || b[timeStart - 1] != ' ') {
            if (!bc && (equals(b, off, len, INFINITY) || equals(b, off, len, MINUS_INFINITY))) {
                throw new IllegalArgumentException("an infinite timestamp has no value in microseconds since 1970"
                        + " (the batch reader cannot read it either)");
            }
            throw new IllegalArgumentException(zoned ? "expected an ISO timestamp with offset (yyyy-MM-dd HH:mm:ss+HH)"
                    : "expected an ISO timestamp (yyyy-MM-dd HH:mm:ss)");
        }
        long days = epochDay(b, off, yearDigits, bc);
        int timeEnd = end;
        long offsetSeconds = 0;
        if (zoned) {
            timeEnd = signAfter(b, timeStart, end);
            if (timeEnd == end) {
                throw new IllegalArgumentException("expected a UTC offset after the time");
            }
            offsetSeconds = offsetSeconds(b, timeEnd, end);
        }
        long micros = timeMicros(b, timeStart, timeEnd);
        if (micros == MICROS_PER_DAY) {
            throw new IllegalArgumentException("hour 24 in a timestamp");
        }
        long seconds = days * 86_400L + micros / MICROS_PER_SECOND - offsetSeconds;
        try {
            return Math.addExact(Math.multiplyExact(seconds, MICROS_PER_SECOND), micros % MICROS_PER_SECOND);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("microseconds since 1970 overflow a long"
                    + " (the batch reader cannot read this value either)");
        }
    }

    /**
     * {@code timetz} as the batch reader reads it: pgjdbc turns the binary value into the same time
     * at offset UTC and writes it {@code HH:MM:SS[.ffffff]+00} (fraction without trailing zeros);
     * it fails on {@code 24:00:00}.
     */
    static String timetzAsUtc(byte[] b, int off, int len) {
        int end = off + len;
        int timeEnd = signAfter(b, off, end);
        if (timeEnd == end) {
            throw new IllegalArgumentException("expected a UTC offset after the time");
        }
        long offsetSeconds = offsetSeconds(b, timeEnd, end);
        long micros = timeMicros(b, off, timeEnd);
        if (micros == MICROS_PER_DAY) {
            throw new IllegalArgumentException("24:00:00 has no local time (the batch reader cannot read it either)");
        }
        long utc = Math.floorMod(micros - offsetSeconds * MICROS_PER_SECOND, MICROS_PER_DAY);
        StringBuilder sb = new StringBuilder(18);
        long seconds = utc / MICROS_PER_SECOND;
        pad2(sb, (int) (seconds / 3600)).append(':');
        pad2(sb, (int) (seconds / 60 % 60)).append(':');
        pad2(sb, (int) (seconds % 60));
        int fraction = (int) (utc % MICROS_PER_SECOND);
        if (fraction != 0) {
            int digits = 6;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            sb.append('.');
            String text = Integer.toString(fraction);
            for (int i = text.length(); i < digits; i++) {
                sb.append('0');
            }
            sb.append(text);
        }
        return sb.append("+00").toString();
    }

    private static StringBuilder pad2(StringBuilder sb, int value) {
        return sb.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** {@code HH:MM:SS[.f{1,6}]} exactly filling [from, to), as microseconds of the day (24:00:00 allowed). */
    private static long timeMicros(byte[] b, int from, int to) {
        int n = to - from;
        if (n < 8 || n == 9 || n > 15 || b[from + 2] != ':' || b[from + 5] != ':') {
            throw new IllegalArgumentException("expected a time (HH:mm:ss[.ffffff])");
        }
        int hour = digits(b, from, 2);
        int minute = digits(b, from + 3, 2);
        int second = digits(b, from + 6, 2);
        int fraction = 0;
        if (n > 8) {
            if (b[from + 8] != '.') {
                throw new IllegalArgumentException("expected a time (HH:mm:ss[.ffffff])");
            }
            int fractionDigits = n - 9;
            fraction = digits(b, from + 9, fractionDigits) * POWERS_OF_TEN[6 - fractionDigits];
        }
        if (hour < 0 || minute < 0 || second < 0 || fraction < 0 || minute > 59 || second > 59
                || hour > 24 || hour == 24 && (minute | second | fraction) != 0) {
            throw new IllegalArgumentException("expected a time (HH:mm:ss[.ffffff])");
        }
        return (hour * 3_600L + minute * 60L + second) * MICROS_PER_SECOND + fraction;
    }

    /** {@code +HH}, {@code -HH:MM}, {@code +HH:MM:SS} filling [from, to), in seconds east of UTC. */
    private static long offsetSeconds(byte[] b, int from, int to) {
        int n = to - from;
        if (n != 3 && n != 6 && n != 9 || (n >= 6 && b[from + 3] != ':') || (n == 9 && b[from + 6] != ':')) {
            throw new IllegalArgumentException("expected a UTC offset (+HH[:MM[:SS]])");
        }
        int hours = digits(b, from + 1, 2);
        int minutes = n >= 6 ? digits(b, from + 4, 2) : 0;
        int seconds = n == 9 ? digits(b, from + 7, 2) : 0;
        if (hours < 0 || minutes < 0 || seconds < 0 || minutes > 59 || seconds > 59) {
            throw new IllegalArgumentException("expected a UTC offset (+HH[:MM[:SS]])");
        }
        long total = hours * 3_600L + minutes * 60L + seconds;
        return b[from] == '-' ? -total : total;
    }

    /** The index of the first '+' or '-' in [from, to), or {@code to}. */
    private static int signAfter(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '+' || b[i] == '-') {
                return i;
            }
        }
        return to;
    }

    /** The number of year digits before the first '-' (4 or more), or -1 when the date does not start well. */
    private static int yearDigits(byte[] b, int off, int end) {
        int i = off;
        while (i < end && i - off < 9 && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        int n = i - off;
        if (n < 4 || i + 6 > end || b[i] != '-' || b[i + 3] != '-') {
            return -1;
        }
        return n;
    }

    /** Days since 1970-01-01 of {@code YYYY…-MM-DD} at {@code off} with {@code yearDigits} year digits. */
    private static long epochDay(byte[] b, int off, int yearDigits, boolean bc) {
        long year = digits(b, off, yearDigits);
        int month = digits(b, off + yearDigits + 1, 2);
        int day = digits(b, off + yearDigits + 4, 2);
        if (bc) {
            year = 1 - year;
        }
        if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)) {
            throw new IllegalArgumentException("not a valid date");
        }
        return daysFromCivil(year, month, day);
    }

    private static boolean endsWithBc(byte[] b, int off, int end) {
        return end - off > 3 && b[end - 3] == ' ' && b[end - 2] == 'B' && b[end - 1] == 'C';
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(byte[] b, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = b[i] - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    private static int lengthOfMonth(long year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (astronomical year numbering, as LocalDate). */
    static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    // ---------------------------------------------------------------- helpers

    static boolean equals(byte[] b, int off, int len, byte[] expected) {
        if (len != expected.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (b[off + i] != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
