package dev.ferry.connector.generator;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Computes the value of every (row, column) cell and sets it into a {@link RecordSink}.
 *
 * <p>Design: a cell's value derives only from a 64-bit hash of the seed, the column's position and
 * the row index (SplitMix64's finaliser), so any split plan, any order of reading and any retry
 * produce identical rows. Everything that depends on the column alone (its kind, its salt, the
 * bounds of its values) is computed once in the constructor into flat arrays; the per-row path is
 * one {@code switch} on an {@code int} per column, with no boxing and no allocation beyond the
 * value objects themselves (a fresh {@code String}, {@code BigDecimal} or {@code byte[]} per cell,
 * because a sink keeps the references it is given).
 *
 * <p>Values by type: an int64 column named {@code id} (any case) holds the row index, so it can
 * serve as a primary key; other int64 columns span the whole {@code long} range. Decimals have the
 * column's precision and scale when it declares a precision, otherwise 10 digits with scale 2.
 * Float64 values lie in [0, 1000000). Strings are 12 lower-case letters and digits (fewer when the
 * column declares a smaller maximum length), bytes 8 bytes (idem). Dates fall in 2000-2039,
 * timestamps in 2000-2029, times anywhere in the day at microsecond precision. Json values are small
 * objects such as {@code {"n":417,"s":"k2hq7c"}}. Null columns are always null; no other column
 * produces nulls.
 *
 * <p>Threading: not thread-safe (it owns a scratch buffer); each reader creates its own.
 */
final class RowGenerator {

    private static final int ROW_INDEX = 0;
    private static final int BOOLEAN = 1;
    private static final int INT64 = 2;
    private static final int DECIMAL = 3;
    private static final int FLOAT64 = 4;
    private static final int STRING = 5;
    private static final int BYTES = 6;
    private static final int DATE = 7;
    private static final int TIME = 8;
    private static final int TIMESTAMP = 9;
    private static final int TIMESTAMPTZ = 10;
    private static final int JSON = 11;
    private static final int NULL = 12;

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final byte[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".getBytes(StandardCharsets.US_ASCII);
    private static final int DEFAULT_STRING_LENGTH = 12;
    private static final int DEFAULT_BYTES_LENGTH = 8;
    private static final int DEFAULT_DECIMAL_PRECISION = 10;
    private static final int DEFAULT_DECIMAL_SCALE = 2;
    private static final int MAX_DECIMAL_PRECISION = 18;
    private static final long EPOCH_DAY_2000 = 10_957L;
    private static final long DAYS_IN_40_YEARS = 14_610L;
    private static final long MICROS_2000 = 946_684_800_000_000L;
    private static final long MICROS_IN_30_YEARS = 946_728_000_000_000L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final double FLOAT_RANGE = 1_000_000.0;

    private final int[] kinds;
    private final long[] salts;
    /** Decimal scale, or string/bytes length, per column. */
    private final int[] sizes;
    /** Decimal modulus (10^precision) per column. */
    private final long[] moduli;
    private final byte[] scratch = new byte[64];

    RowGenerator(long seed, List<Column> columns) {
        int n = columns.size();
        kinds = new int[n];
        salts = new long[n];
        sizes = new int[n];
        moduli = new long[n];
        for (int c = 0; c < n; c++) {
            Column column = columns.get(c);
            kinds[c] = isRowIndex(columns, c) ? ROW_INDEX : kindOf(column.type());
            salts[c] = mix(seed ^ mix(GOLDEN_GAMMA * (c + 1)));
            switch (kinds[c]) {
                case STRING -> sizes[c] = bounded(column.precision(), DEFAULT_STRING_LENGTH);
                case BYTES -> sizes[c] = bounded(column.precision(), DEFAULT_BYTES_LENGTH);
                case DECIMAL -> {
                    boolean declared = column.precision() > 0;
                    int precision = declared ? Math.min(column.precision(), MAX_DECIMAL_PRECISION) : DEFAULT_DECIMAL_PRECISION;
                    sizes[c] = declared ? column.scale() : DEFAULT_DECIMAL_SCALE;
                    moduli[c] = pow10(precision);
                }
                default -> {
                }
            }
        }
    }

    /** Whether column {@code index} is an int64 column named {@code id}, which carries the row index. */
    static boolean isRowIndex(List<Column> columns, int index) {
        Column column = columns.get(index);
        return column.type() == DataType.INT64 && column.name().equalsIgnoreCase("id");
    }

    /** Sets every column of row {@code row}; the caller then emits. */
    void fill(long row, RecordSink sink) {
        final int[] kinds = this.kinds;
        final long[] salts = this.salts;
        for (int c = 0; c < kinds.length; c++) {
            long h = mix(salts[c] + row * GOLDEN_GAMMA);
            switch (kinds[c]) {
                case ROW_INDEX -> sink.setLong(c, row);
                case BOOLEAN -> sink.setBoolean(c, (h & 1L) != 0);
                case INT64 -> sink.setLong(c, h);
                case DECIMAL -> {
                    long modulus = moduli[c];
                    sink.setObject(c, BigDecimal.valueOf((h >>> 1) % modulus - (modulus >> 1), sizes[c]));
                }
                case FLOAT64 -> sink.setDouble(c, (h >>> 11) * 0x1.0p-53 * FLOAT_RANGE);
                case STRING -> sink.setObject(c, text(h, sizes[c]));
                case BYTES -> sink.setObject(c, bytes(h, sizes[c]));
                case DATE -> sink.setLong(c, EPOCH_DAY_2000 + (h >>> 1) % DAYS_IN_40_YEARS);
                case TIME -> sink.setLong(c, ((h >>> 1) % MICROS_PER_DAY) * 1000L);
                case TIMESTAMP, TIMESTAMPTZ -> sink.setLong(c, MICROS_2000 + (h >>> 1) % MICROS_IN_30_YEARS);
                case JSON -> sink.setObject(c, json(h));
                default -> sink.setNull(c);
            }
        }
    }

    private String text(long h, int length) {
        byte[] b = scratch;
        long bits = h;
        for (int i = 0; i < length; i++) {
            b[i] = ALPHABET[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(b, 0, length, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(long h, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (h >>> (56 - 8 * i));
        }
        return b;
    }

    private String json(long h) {
        byte[] b = scratch;
        int p = 0;
        b[p++] = '{';
        b[p++] = '"';
        b[p++] = 'n';
        b[p++] = '"';
        b[p++] = ':';
        int n = (int) ((h >>> 1) % 1000);
        if (n >= 100) {
            b[p++] = (byte) ('0' + n / 100);
        }
        if (n >= 10) {
            b[p++] = (byte) ('0' + n / 10 % 10);
        }
        b[p++] = (byte) ('0' + n % 10);
        b[p++] = ',';
        b[p++] = '"';
        b[p++] = 's';
        b[p++] = '"';
        b[p++] = ':';
        b[p++] = '"';
        long bits = h >>> 20;
        for (int i = 0; i < 6; i++) {
            b[p++] = ALPHABET[(int) (bits & 31)];
            bits >>>= 5;
        }
        b[p++] = '"';
        b[p++] = '}';
        return new String(b, 0, p, StandardCharsets.ISO_8859_1);
    }

    /** SplitMix64's finaliser: a bijective mix in which every input bit affects every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int kindOf(DataType type) {
        return switch (type) {
            case BOOLEAN -> BOOLEAN;
            case INT64 -> INT64;
            case DECIMAL -> DECIMAL;
            case FLOAT64 -> FLOAT64;
            case STRING -> STRING;
            case BYTES -> BYTES;
            case DATE -> DATE;
            case TIME -> TIME;
            case TIMESTAMP -> TIMESTAMP;
            case TIMESTAMPTZ -> TIMESTAMPTZ;
            case JSON -> JSON;
            case NULL -> NULL;
        };
    }

    private static int bounded(int declaredMaximum, int preferred) {
        return declaredMaximum > 0 ? Math.min(declaredMaximum, preferred) : preferred;
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }
}
