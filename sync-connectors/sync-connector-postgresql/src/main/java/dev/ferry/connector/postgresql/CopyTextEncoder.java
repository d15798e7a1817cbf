package dev.ferry.connector.postgresql;

import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RowBatch;
import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.WritePlan;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Encodes rows in the text format of PostgreSQL's {@code COPY … FROM STDIN} into a reusable,
 * growing byte buffer: columns separated by tabs, rows ended by a newline, NULL as {@code \N},
 * and in text values a backslash, tab, newline and carriage return escaped with a backslash.
 * Strings are encoded to UTF-8 (the client encoding pgjdbc sets) by hand, numbers are written as
 * ASCII digits without intermediate strings, and temporal values in the ISO forms PostgreSQL
 * parses (years before 1 with {@code BC}); {@code bytea} is written as escaped hex ({@code \\x…}).
 *
 * <p>A zone-less source timestamp written into a {@code timestamptz} column is taken as UTC, and
 * a {@code timestamptz} written into a {@code timestamp} column is written as its UTC wall time,
 * so no conversion depends on a session or JVM time zone.
 *
 * <p>Threading: used by one writer thread.
 */
final class CopyTextEncoder extends CopyEncoder {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'\\', 'N'};
    private static final byte[] NOTHING = {};
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** One column's value writer, chosen from the source and target types. */
    private interface FieldWriter {
        void write(CopyTextEncoder out, RowBatch batch, int row, int column);
    }

    private final int[] sourceIndexes;
    private final FieldWriter[] writers;
    private final List<String> names;
    /** The last day written and its {@code YYYY-MM-DD} bytes: consecutive timestamps mostly share a day. */
    private long cachedDay = Long.MIN_VALUE;
    private final byte[] cachedDayText = new byte[16];
    private int cachedDayLength;
    private boolean cachedDayBc;

    CopyTextEncoder(WritePlan plan, int initialCapacity) {
        List<DbColumn> targets = plan.targetColumns();
        this.sourceIndexes = new int[targets.size()];
        this.writers = new FieldWriter[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            sourceIndexes[i] = plan.sourceIndex(i);
            writers[i] = writerFor(plan.sourceSchema().column(sourceIndexes[i]).type(), targets.get(i));
        }
        this.names = targets.stream().map(DbColumn::name).toList();
        this.buffer = new byte[initialCapacity];
    }

    @Override
    String formatOption() {
        return "";
    }

    @Override
    byte[] header() {
        return NOTHING;
    }

    @Override
    byte[] trailer() {
        // The end of the data ends the COPY.
        return NOTHING;
    }

    /** Fields split at tabs, {@code \N} as null, backslash escapes undone; every value a string. */
    @Override
    String render(byte[] bytes, int from, int to) {
        int end = to > from && bytes[to - 1] == '\n' ? to - 1 : to;
        String line = new String(bytes, from, end - from, java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder("{");
        String[] fields = line.split("\t", -1);
        for (int i = 0; i < fields.length; i++) {
            out.append(i == 0 ? "" : ", ");
            appendJsonString(out, i < names.size() ? names.get(i) : "column" + (i + 1));
            out.append(": ");
            if (fields[i].equals("\\N")) {
                out.append("null");
            } else {
                appendJsonString(out, unescape(fields[i]));
            }
        }
        return out.append('}').toString();
    }

    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char ch = field.charAt(i);
            if (ch == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                sb.append(next == 't' ? '\t' : next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** Appends one row (with its newline). On an exception the buffer is back where it was. */
    @Override
    void encodeRow(RowBatch batch, int row) {
        int mark = size;
        try {
            for (int i = 0; i < writers.length; i++) {
                if (i > 0) {
                    put((byte) '\t');
                }
                int column = sourceIndexes[i];
                if (batch.isNull(row, column)) {
                    put(NULL, 0, NULL.length);
                } else {
                    writers[i].write(this, batch, row, column);
                }
            }
            put((byte) '\n');
        } catch (RuntimeException e) {
            size = mark;
            throw e;
        }
    }

    // ---------------------------------------------------------------- field writers

    private static FieldWriter writerFor(DataType source, DbColumn target) {
        DataType to = target.type();
        return switch (source) {
            case INT64 -> (out, b, r, c) -> out.putLong(b.getLong(r, c));
            case FLOAT64 -> (out, b, r, c) -> out.putAscii(Double.toString(b.getDouble(r, c)));
            case DECIMAL -> (out, b, r, c) -> out.putDecimal((BigDecimal) b.getObject(r, c));
            case BOOLEAN -> to == DataType.INT64 || to == DataType.DECIMAL
                    ? (out, b, r, c) -> out.put((byte) (b.getBoolean(r, c) ? '1' : '0'))
                    : (out, b, r, c) -> out.put((byte) (b.getBoolean(r, c) ? 't' : 'f'));
            case STRING, JSON -> (out, b, r, c) -> out.putEscaped((String) b.getObject(r, c));
            case BYTES -> (out, b, r, c) -> out.putBytea((byte[]) b.getObject(r, c));
            case DATE -> (out, b, r, c) -> out.putDate(b.getLong(r, c));
            case TIME -> (out, b, r, c) -> out.putTime(b.getLong(r, c) / 1000);
            case TIMESTAMP -> to == DataType.TIMESTAMPTZ
                    ? (out, b, r, c) -> out.putTimestamp(b.getLong(r, c), true)
                    : (out, b, r, c) -> out.putTimestamp(b.getLong(r, c), false);
            case TIMESTAMPTZ -> to == DataType.TIMESTAMP || to == DataType.DATE
                    ? (out, b, r, c) -> out.putTimestamp(b.getLong(r, c), false)
                    : (out, b, r, c) -> out.putTimestamp(b.getLong(r, c), true);
            case NULL -> (out, b, r, c) -> out.put(NULL, 0, NULL.length);
        };
    }

    // ---------------------------------------------------------------- primitives

    /** Text known to be ASCII and free of characters that need escaping. */
    private void putAscii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buffer[size++] = (byte) text.charAt(i);
        }
    }

    void putLong(long value) {
        if (value == Long.MIN_VALUE) {
            put(MIN_LONG, 0, MIN_LONG.length);
            return;
        }
        ensure(20);
        if (value < 0) {
            buffer[size++] = '-';
            value = -value;
        }
        int digits = digitCount(value);
        int end = size + digits;
        int pos = end;
        while (value >= 100) {
            int pair = (int) (value % 100);
            value /= 100;
            buffer[--pos] = PAIRS[pair * 2 + 1];
            buffer[--pos] = PAIRS[pair * 2];
        }
        if (value >= 10) {
            buffer[--pos] = PAIRS[(int) value * 2 + 1];
            buffer[--pos] = PAIRS[(int) value * 2];
        } else {
            buffer[--pos] = (byte) ('0' + value);
        }
        size = end;
    }

    private static int digitCount(long value) {
        long limit = 10;
        for (int digits = 1; digits < 19; digits++) {
            if (value < limit) {
                return digits;
            }
            limit *= 10;
        }
        return 19;
    }

    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[i * 2] = (byte) ('0' + i / 10);
            PAIRS[i * 2 + 1] = (byte) ('0' + i % 10);
        }
    }

    /** {@code value} as exactly {@code width} digits (value < 10^width). */
    private void putFixed(int value, int width) {
        ensure(width);
        int pos = size + width;
        for (int i = 0; i < width; i++) {
            buffer[--pos] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += width;
    }

    private void put2(int value) {
        ensure(2);
        buffer[size++] = PAIRS[value * 2];
        buffer[size++] = PAIRS[value * 2 + 1];
    }

    /** A decimal in plain notation; digits written straight from the unscaled value when it fits a long. */
    private void putDecimal(BigDecimal value) {
        int scale = value.scale();
        if (scale < 0 || scale > 18 || value.precision() > 18) {
            putAscii(value.toPlainString());
            return;
        }
        // scaleByPowerOfTen keeps the compact form, so this allocates no BigInteger.
        long unscaled = value.scaleByPowerOfTen(scale).longValueExact();
        if (scale == 0) {
            putLong(unscaled);
            return;
        }
        if (unscaled < 0) {
            put((byte) '-');
            unscaled = -unscaled;
        }
        long factor = POWERS[scale];
        putLong(unscaled / factor);
        put((byte) '.');
        long fraction = unscaled % factor;
        ensure(scale);
        int pos = size + scale;
        for (int i = 0; i < scale; i++) {
            buffer[--pos] = (byte) ('0' + fraction % 10);
            fraction /= 10;
        }
        size += scale;
    }

    private static final long[] POWERS = new long[19];

    static {
        POWERS[0] = 1;
        for (int i = 1; i < POWERS.length; i++) {
            POWERS[i] = POWERS[i - 1] * 10;
        }
    }

    /**
     * Escaped UTF-8: ASCII without characters to escape is copied in a tight loop; from the first
     * character that needs more, the per-character path takes over. An unpaired surrogate makes
     * the value unwritable (a dirty row).
     */
    void putEscaped(String text) {
        int n = text.length();
        ensure(n);
        byte[] out = buffer;
        int pos = size;
        for (int i = 0; i < n; i++) {
            char ch = text.charAt(i);
            if (ch >= 0x80 || ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') {
                size = pos;
                putEscapedFrom(text, i);
                return;
            }
            out[pos++] = (byte) ch;
        }
        size = pos;
    }

    private void putEscapedFrom(String text, int from) {
        putUtf8(text, from, true);
    }

    /** {@code \\x} and two hex digits per byte: bytea's hex input, with COPY's backslash escaped. */
    private void putBytea(byte[] bytes) {
        ensure(3 + bytes.length * 2);
        buffer[size++] = '\\';
        buffer[size++] = '\\';
        buffer[size++] = 'x';
        for (byte b : bytes) {
            buffer[size++] = HEX[(b >> 4) & 0xF];
            buffer[size++] = HEX[b & 0xF];
        }
    }

    /** Writes {@code YYYY-MM-DD} (the year of a BC date counted from 1 BC); returns whether it is BC. */
    private boolean putDay(long epochDay) {
        if (epochDay != cachedDay) {
            LocalDate date = LocalDate.ofEpochDay(epochDay);
            int year = date.getYear();
            cachedDayBc = year <= 0;
            int shownYear = cachedDayBc ? 1 - year : year;
            int saved = size;
            if (shownYear > 9999) {
                putLong(shownYear);
            } else {
                putFixed(shownYear, 4);
            }
            put((byte) '-');
            put2(date.getMonthValue());
            put((byte) '-');
            put2(date.getDayOfMonth());
            cachedDayLength = size - saved;
            System.arraycopy(buffer, saved, cachedDayText, 0, cachedDayLength);
            cachedDay = epochDay;
            return cachedDayBc;
        }
        put(cachedDayText, 0, cachedDayLength);
        return cachedDayBc;
    }

    private void putDate(long epochDay) {
        if (putDay(epochDay)) {
            putAscii(" BC");
        }
    }

    /** {@code HH:MM:SS} and {@code .ffffff} when the fraction is not zero. */
    private void putTime(long microOfDay) {
        long seconds = microOfDay / 1_000_000L;
        ensure(16);
        put2((int) (seconds / 3600));
        buffer[size++] = ':';
        put2((int) (seconds / 60 % 60));
        buffer[size++] = ':';
        put2((int) (seconds % 60));
        int fraction = (int) (microOfDay % 1_000_000L);
        if (fraction != 0) {
            buffer[size++] = '.';
            putFixed(fraction, 6);
        }
    }

    private void putTimestamp(long micros, boolean utc) {
        long epochDay = Math.floorDiv(micros, 86_400_000_000L);
        long microOfDay = Math.floorMod(micros, 86_400_000_000L);
        boolean bc = putDay(epochDay);
        put((byte) ' ');
        putTime(microOfDay);
        if (utc) {
            putAscii("+00");
        }
        if (bc) {
            putAscii(" BC");
        }
    }
}
