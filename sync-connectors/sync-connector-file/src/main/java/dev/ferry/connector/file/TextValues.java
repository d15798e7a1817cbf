package dev.ferry.connector.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.RowBatch;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * The one text form of every {@link DataType} that the csv and jsonl connectors read and write,
 * so that anything written reads back to the same value.
 *
 * <table>
 *   <caption>Text forms</caption>
 *   <tr><th>type</th><th>written</th><th>also read</th></tr>
 *   <tr><td>boolean</td><td>{@code true}, {@code false}</td><td>{@code 1 0 t f yes no}, any case</td></tr>
 *   <tr><td>int64</td><td>{@code -42}</td><td>a leading {@code +}</td></tr>
 *   <tr><td>decimal</td><td>plain digits, scale kept: {@code 12.50}</td><td>exponents: {@code 1.25E+3}</td></tr>
 *   <tr><td>float64</td><td>Java's shortest exact form: {@code 0.1}, {@code 1.0E20}, {@code NaN}, {@code -Infinity}</td><td>any Java double literal without a type suffix</td></tr>
 *   <tr><td>string</td><td>as is</td><td></td></tr>
 *   <tr><td>bytes</td><td>base64 (RFC 4648, padded)</td><td></td></tr>
 *   <tr><td>date</td><td>{@code 2024-03-01}</td><td></td></tr>
 *   <tr><td>time</td><td>{@code 13:45:00}, {@code 13:45:00.25}</td><td>{@code 13:45}</td></tr>
 *   <tr><td>timestamp</td><td>{@code 2024-03-01T13:45:00.123456}</td><td>a space instead of {@code T}; no seconds</td></tr>
 *   <tr><td>timestamptz</td><td>in UTC: {@code 2024-03-01T12:45:00Z}</td><td>any offset ({@code +01:00}, {@code +01}, {@code +0100}), converted to UTC; an offset is required</td></tr>
 *   <tr><td>json</td><td>the JSON text</td><td>must parse as one JSON value</td></tr>
 *   <tr><td>null</td><td>nothing: the column is always null</td><td></td></tr>
 * </table>
 * Decimals are written without exponent, so the rare decimal with a negative scale ({@code 1E+3})
 * reads back equal in value with scale 0. Values of every type but string and json may have
 * surrounding whitespace when read. Timestamps
 * finer than a microsecond are refused rather than truncated, and a timestamptz without an offset
 * is refused rather than assumed to be in some zone.
 *
 * <p>Threading: stateless; safe to call from any thread.
 */
final class TextValues {

    private static final JsonFactory JSON = new JsonFactory();
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    // STRICT: the builder's default (SMART) would quietly turn 2023-02-29 into 2023-02-28.
    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .parseCaseInsensitive().append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter TIMESTAMPTZ = new DateTimeFormatterBuilder()
            .parseCaseInsensitive().append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendOffset("+HH:mm", "Z")
            .toFormatter().withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter TIMESTAMPTZ_BASIC_OFFSET = new DateTimeFormatterBuilder()
            .parseCaseInsensitive().append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendOffset("+HHmm", "Z")
            .toFormatter().withResolverStyle(ResolverStyle.STRICT);

    private static final String BOOLEAN_HINT = "expected true, false, 1, 0, t, f, yes or no";
    private static final String DATE_HINT = "expected yyyy-MM-dd";
    private static final String TIME_HINT = "expected HH:mm:ss[.fffffffff]";
    private static final String TIMESTAMP_HINT = "expected yyyy-MM-dd HH:mm:ss[.ffffff]";
    private static final String TIMESTAMPTZ_HINT = "expected yyyy-MM-dd HH:mm:ss[.ffffff]+HH:MM";

    private TextValues() {
    }

    /**
     * Converts {@code text} to {@code type} and sets it as column {@code column} of the sink.
     *
     * @throws InvalidValueException when the text is not a value of the type
     */
    static void set(RecordSink sink, int column, DataType type, String text) {
        switch (type) {
            case BOOLEAN -> sink.setBoolean(column, parseBoolean(text));
            case INT64 -> sink.setLong(column, parseInt64(text));
            case DECIMAL -> sink.setObject(column, parseDecimal(text));
            case FLOAT64 -> sink.setDouble(column, parseFloat64(text));
            case STRING -> sink.setObject(column, text);
            case BYTES -> sink.setObject(column, parseBytes(text));
            case DATE -> sink.setLong(column, parseDate(text));
            case TIME -> sink.setLong(column, parseTime(text));
            case TIMESTAMP -> sink.setLong(column, parseTimestamp(text));
            case TIMESTAMPTZ -> sink.setLong(column, parseTimestamptz(text));
            case JSON -> sink.setObject(column, parseJson(text));
            case NULL -> throw new InvalidValueException(DataType.NULL, text, "a null column holds no values");
        }
    }

    static boolean parseBoolean(String text) {
        String t = text.strip();
        switch (t.length()) {
            case 1 -> {
                char c = Character.toLowerCase(t.charAt(0));
                if (c == '1' || c == 't') {
                    return true;
                }
                if (c == '0' || c == 'f') {
                    return false;
                }
            }
            case 2, 3, 4, 5 -> {
                if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("yes")) {
                    return true;
                }
                if (t.equalsIgnoreCase("false") || t.equalsIgnoreCase("no")) {
                    return false;
                }
            }
            default -> {
            }
        }
        throw new InvalidValueException(DataType.BOOLEAN, text, BOOLEAN_HINT);
    }

    static long parseInt64(String text) {
        String t = text.strip();
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            boolean digits = !t.isEmpty();
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                digits &= (c >= '0' && c <= '9') || (i == 0 && (c == '-' || c == '+') && t.length() > 1);
            }
            throw new InvalidValueException(DataType.INT64, text, digits ? "out of range" : null);
        }
    }

    static BigDecimal parseDecimal(String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidValueException(DataType.DECIMAL, text, null);
        }
    }

    static double parseFloat64(String text) {
        String t = text.strip();
        if (!t.isEmpty()) {
            char last = t.charAt(t.length() - 1);
            // Java literals accept a type suffix ("1.5f"), which no data file means.
            if (last != 'd' && last != 'D' && last != 'f' && last != 'F') {
                try {
                    return Double.parseDouble(t);
                } catch (NumberFormatException e) {
                    // fall through to the common failure
                }
            }
        }
        throw new InvalidValueException(DataType.FLOAT64, text, null);
    }

    static byte[] parseBytes(String text) {
        try {
            return Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException(DataType.BYTES, text, "expected base64");
        }
    }

    /** Days since 1970-01-01. */
    static long parseDate(String text) {
        if (text.length() == 10 && isPlainDate(text)) {
            return daysFromCivil(fixedDigits(text, 0, 4), fixedDigits(text, 5, 2), fixedDigits(text, 8, 2));
        }
        try {
            return LocalDate.parse(text.strip()).toEpochDay();
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(DataType.DATE, text, DATE_HINT);
        }
    }

    /** Nanoseconds since midnight. */
    static long parseTime(String text) {
        try {
            return LocalTime.parse(text.strip()).toNanoOfDay();
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(DataType.TIME, text, TIME_HINT);
        }
    }

    /** Microseconds since 1970-01-01T00:00, no zone. */
    static long parseTimestamp(String text) {
        long plain = plainTimestampMicros(text);
        if (plain != NOT_PLAIN) {
            return plain;
        }
        LocalDateTime value;
        try {
            value = LocalDateTime.parse(withT(text.strip()), TIMESTAMP);
        } catch (DateTimeParseException e) {
            throw new InvalidValueException(DataType.TIMESTAMP, text, TIMESTAMP_HINT);
        }
        return micros(DataType.TIMESTAMP, text, value.toEpochSecond(ZoneOffset.UTC), value.getNano());
    }

    /** Microseconds since the epoch, UTC. */
    static long parseTimestamptz(String text) {
        String t = withT(text.strip());
        OffsetDateTime value;
        try {
            value = OffsetDateTime.parse(t, TIMESTAMPTZ);
        } catch (DateTimeParseException e) {
            try {
                value = OffsetDateTime.parse(t, TIMESTAMPTZ_BASIC_OFFSET);
            } catch (DateTimeParseException again) {
                throw new InvalidValueException(DataType.TIMESTAMPTZ, text, hasNoOffset(t)
                        ? "an offset such as Z or +02:00 is required" : TIMESTAMPTZ_HINT);
            }
        }
        return micros(DataType.TIMESTAMPTZ, text, value.toEpochSecond(), value.getNano());
    }

    /** Returned by {@link #plainTimestampMicros} for text that needs the full parser. */
    private static final long NOT_PLAIN = Long.MIN_VALUE;
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    /*
     * The common forms, yyyy-MM-dd and yyyy-MM-dd HH:mm:ss[.f..ffffff] (space or T), are parsed by
     * hand into epoch days and microseconds without allocating: DateTimeFormatter costs about a
     * microsecond and 1.5 KB per timestamp. Anything else, including every invalid value, goes to
     * the full parser, which also words the error message.
     */

    private static boolean isPlainDate(String s) {
        if (s.charAt(4) != '-' || s.charAt(7) != '-') {
            return false;
        }
        int year = fixedDigits(s, 0, 4);
        int month = fixedDigits(s, 5, 2);
        int day = fixedDigits(s, 8, 2);
        return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= lengthOfMonth(year, month);
    }

    private static long plainTimestampMicros(String s) {
        int n = s.length();
        if (n < 19 || n > 26 || n == 20) {
            return NOT_PLAIN;
        }
        char separator = s.charAt(10);
        if ((separator != ' ' && separator != 'T' && separator != 't') || s.charAt(13) != ':' || s.charAt(16) != ':'
                || !isPlainDate(s)) {
            return NOT_PLAIN;
        }
        int hour = fixedDigits(s, 11, 2);
        int minute = fixedDigits(s, 14, 2);
        int second = fixedDigits(s, 17, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return NOT_PLAIN;
        }
        long micros = 0;
        if (n > 19) {
            int fractionDigits = n - 20;
            int fraction = fixedDigits(s, 20, fractionDigits);
            if (s.charAt(19) != '.' || fraction < 0) {
                return NOT_PLAIN;
            }
            micros = (long) fraction * POWERS_OF_TEN[6 - fractionDigits];
        }
        long days = daysFromCivil(fixedDigits(s, 0, 4), fixedDigits(s, 5, 2), fixedDigits(s, 8, 2));
        return (days * 86_400L + hour * 3_600L + minute * 60L + second) * 1_000_000L + micros;
    }

    /** The non-negative value of {@code length} ASCII digits at {@code from}, or -1. */
    private static int fixedDigits(String s, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (the same calendar as {@link LocalDate}). */
    static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    /** The text itself, once it has parsed as exactly one JSON value. */
    static String parseJson(String text) {
        if (!isJson(text)) {
            throw new InvalidValueException(DataType.JSON, text, null);
        }
        return text;
    }

    /** Whether {@code text} is exactly one JSON value, surrounding whitespace allowed. */
    static boolean isJson(String text) {
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Appends the text form of the non-null value at {@code (row, column)}.
     *
     * @param type the column's type
     */
    static void append(RowBatch batch, int row, int column, DataType type, StringBuilder out) {
        switch (type) {
            case BOOLEAN -> out.append(batch.getBoolean(row, column));
            case INT64 -> out.append(batch.getLong(row, column));
            case DECIMAL -> out.append(((BigDecimal) batch.getObject(row, column)).toPlainString());
            case FLOAT64 -> out.append(batch.getDouble(row, column));
            case STRING, JSON -> out.append((String) batch.getObject(row, column));
            case BYTES -> out.append(Base64.getEncoder().encodeToString((byte[]) batch.getObject(row, column)));
            case DATE -> appendDate(batch.getLong(row, column), out);
            case TIME -> appendTime(batch.getLong(row, column), out);
            case TIMESTAMP -> appendTimestamp(batch.getLong(row, column), out);
            case TIMESTAMPTZ -> appendTimestamp(batch.getLong(row, column), out).append('Z');
            case NULL -> {
                // A null column carries no values.
            }
        }
    }

    static StringBuilder appendDate(long epochDay, StringBuilder out) {
        return out.append(LocalDate.ofEpochDay(epochDay));
    }

    /** {@code HH:mm:ss}, then the fraction of a second without trailing zeros when it is not zero. */
    static StringBuilder appendTime(long nanoOfDay, StringBuilder out) {
        long seconds = nanoOfDay / NANOS_PER_SECOND;
        long fraction = nanoOfDay % NANOS_PER_SECOND;
        twoDigits(out, seconds / 3600).append(':');
        twoDigits(out, seconds / 60 % 60).append(':');
        twoDigits(out, seconds % 60);
        if (fraction != 0) {
            out.append('.');
            int digits = 9;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            String text = Long.toString(fraction);
            for (int i = text.length(); i < digits; i++) {
                out.append('0');
            }
            out.append(text);
        }
        return out;
    }

    static StringBuilder appendTimestamp(long micros, StringBuilder out) {
        appendDate(Math.floorDiv(micros, MICROS_PER_DAY), out).append('T');
        return appendTime(Math.floorMod(micros, MICROS_PER_DAY) * 1000L, out);
    }

    private static StringBuilder twoDigits(StringBuilder out, long value) {
        if (value < 10) {
            out.append('0');
        }
        return out.append(value);
    }

    private static String withT(String text) {
        int space = text.indexOf(' ');
        if (space < 0) {
            return text;
        }
        return text.substring(0, space) + 'T' + text.substring(space + 1);
    }

    private static boolean hasNoOffset(String text) {
        try {
            LocalDateTime.parse(text, TIMESTAMP);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static long micros(DataType type, String text, long epochSecond, int nano) {
        if (nano % 1000 != 0) {
            throw new InvalidValueException(type, text, "finer than microseconds");
        }
        try {
            return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000L), nano / 1000);
        } catch (ArithmeticException | DateTimeException e) {
            throw new InvalidValueException(type, text, "out of range");
        }
    }
}
