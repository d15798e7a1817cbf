package dev.ferry.connector.postgresql;

import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RowBatch;
import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.WritePlan;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

/**
 * Encodes rows in the binary format of PostgreSQL's {@code COPY … FROM STDIN (FORMAT binary)}:
 * a header, per row a field count and each field as a length and the type's binary form
 * (big-endian integers, IEEE floats, base-10000 numerics, days and microseconds since 2000-01-01,
 * UTF-8 text), and a trailer. The server skips parsing text, which makes COPY markedly cheaper
 * for numbers and timestamps.
 *
 * <p>Only column pairs with an exact binary form are accepted ({@link #supports}); the server
 * still applies each column's modifiers (varchar length, numeric precision and scale) and
 * constraints. Values that do not fit a narrower integer column are refused here with the same
 * reason the server gives, and the row becomes dirty.
 *
 * <p>Threading: used by one writer thread.
 */
final class CopyBinaryEncoder extends CopyEncoder {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0,
        0, 0, 0, 0, 0, 0, 0, 0};
    /** A field count of -1 ends the data. */
    private static final byte[] TRAILER = {(byte) 0xFF, (byte) 0xFF};
    /** Days from 1970-01-01 to PostgreSQL's epoch, 2000-01-01. */
    private static final long EPOCH_DAYS = 10_957;
    private static final long EPOCH_MICROS = EPOCH_DAYS * 86_400_000_000L;

    private interface FieldWriter {
        void write(CopyBinaryEncoder out, RowBatch batch, int row, int column);
    }

    private final int[] sourceIndexes;
    private final FieldWriter[] writers;
    private final List<String> names;
    private final List<String> nativeTypes;
    /** Scratch space for the base-10000 digits of a numeric that fits a long. */
    private final short[] numericGroups = new short[6];
    private static final long[] POWERS = {1, 10, 100, 1000};

    private CopyBinaryEncoder(WritePlan plan, int initialCapacity) {
        List<DbColumn> targets = plan.targetColumns();
        this.sourceIndexes = new int[targets.size()];
        this.writers = new FieldWriter[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            sourceIndexes[i] = plan.sourceIndex(i);
            writers[i] = writerFor(plan.sourceSchema().column(sourceIndexes[i]).type(), targets.get(i));
        }
        this.names = targets.stream().map(DbColumn::name).toList();
        this.nativeTypes = targets.stream().map(DbColumn::nativeType).toList();
        this.buffer = new byte[initialCapacity];
    }

    /** An encoder for the plan, or null when some column pair has no binary form. */
    static CopyBinaryEncoder forPlan(WritePlan plan, int initialCapacity) {
        return supports(plan) ? new CopyBinaryEncoder(plan, initialCapacity) : null;
    }

    /** Whether every written column pair has a binary form. */
    static boolean supports(WritePlan plan) {
        for (int i = 0; i < plan.targetColumns().size(); i++) {
            DataType source = plan.sourceSchema().column(plan.sourceIndex(i)).type();
            if (writerFor(source, plan.targetColumns().get(i)) == null) {
                return false;
            }
        }
        return true;
    }

    @Override
    String formatOption() {
        return " (FORMAT binary)";
    }

    @Override
    byte[] header() {
        return HEADER;
    }

    @Override
    byte[] trailer() {
        return TRAILER;
    }

    /** Decodes each field by its target column's type; bytea as base64, temporal values in ISO form. */
    @Override
    String render(byte[] bytes, int from, int to) {
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        int fields = in.getShort();
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < fields; i++) {
            out.append(i == 0 ? "" : ", ");
            appendJsonString(out, i < names.size() ? names.get(i) : "column" + (i + 1));
            out.append(": ");
            int length = in.getInt();
            if (length < 0) {
                out.append("null");
                continue;
            }
            ByteBuffer field = in.slice(in.position(), length);
            in.position(in.position() + length);
            renderField(out, i < nativeTypes.size() ? nativeTypes.get(i) : "", field, length);
        }
        return out.append('}').toString();
    }

    private static void renderField(StringBuilder out, String type, ByteBuffer field, int length) {
        switch (type) {
            case "int8", "bigserial" -> out.append(field.getLong());
            case "int4", "serial" -> out.append(field.getInt());
            case "int2", "smallserial" -> out.append(field.getShort());
            case "float8", "float4" -> {
                double value = length == 8 ? field.getDouble() : field.getFloat();
                if (Double.isFinite(value)) {
                    out.append(value);
                } else {
                    appendJsonString(out, Double.toString(value));
                }
            }
            case "bool" -> out.append(field.get() != 0);
            case "numeric" -> out.append(numeric(field));
            case "date" -> appendJsonString(out, LocalDate.ofEpochDay(field.getInt() + EPOCH_DAYS).toString());
            case "time" -> appendJsonString(out, LocalTime.ofNanoOfDay(field.getLong() * 1000).toString());
            case "timestamp" -> appendJsonString(out, LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC)
                    .plus(field.getLong() + EPOCH_MICROS, ChronoUnit.MICROS).toString());
            case "timestamptz" -> appendJsonString(out, Instant.EPOCH
                    .plus(field.getLong() + EPOCH_MICROS, ChronoUnit.MICROS).toString());
            case "text", "varchar", "bpchar", "json", "jsonb" -> {
                byte[] text = new byte[length];
                field.get(text);
                int skip = type.equals("jsonb") && length > 0 ? 1 : 0;
                appendJsonString(out, new String(text, skip, length - skip, StandardCharsets.UTF_8));
            }
            default -> {
                byte[] raw = new byte[length];
                field.get(raw);
                appendJsonString(out, Base64.getEncoder().encodeToString(raw));
            }
        }
    }

    /** A numeric's digits, weight, sign and display scale back to its decimal text. */
    private static String numeric(ByteBuffer field) {
        int digits = field.getShort();
        int weight = field.getShort();
        int sign = field.getShort() & 0xFFFF;
        int displayScale = field.getShort();
        if (sign == 0xC000) {
            return "\"NaN\"";
        }
        BigInteger unscaled = BigInteger.ZERO;
        BigInteger tenThousand = BigInteger.valueOf(10_000);
        for (int i = 0; i < digits; i++) {
            unscaled = unscaled.multiply(tenThousand).add(BigInteger.valueOf(field.getShort()));
        }
        BigDecimal value = new BigDecimal(unscaled).scaleByPowerOfTen(4 * (weight - digits + 1));
        value = value.setScale(displayScale, RoundingMode.HALF_UP);
        return (sign == 0x4000 ? value.negate() : value).toPlainString();
    }

    @Override
    void encodeRow(RowBatch batch, int row) {
        int mark = size;
        try {
            putShort(writers.length);
            for (int i = 0; i < writers.length; i++) {
                int column = sourceIndexes[i];
                if (batch.isNull(row, column)) {
                    putInt(-1);
                } else {
                    writers[i].write(this, batch, row, column);
                }
            }
        } catch (RuntimeException e) {
            size = mark;
            throw e;
        }
    }

    // ---------------------------------------------------------------- column pairs

    /** The writer for a source type into a target column, or null when there is no binary form. */
    private static FieldWriter writerFor(DataType source, DbColumn target) {
        String type = target.nativeType();
        return switch (source) {
            case INT64 -> switch (type) {
                case "int8", "bigserial" -> (out, b, r, c) -> out.putInt8(b.getLong(r, c));
                case "int4", "serial" -> (out, b, r, c) -> out.putInt4(b.getLong(r, c), "integer");
                case "int2", "smallserial" -> (out, b, r, c) -> out.putInt2(b.getLong(r, c));
                case "numeric" -> (out, b, r, c) -> out.putNumeric(BigDecimal.valueOf(b.getLong(r, c)));
                default -> null;
            };
            case FLOAT64 -> switch (type) {
                case "float8" -> (out, b, r, c) -> out.putInt8(Double.doubleToRawLongBits(b.getDouble(r, c)));
                case "float4" -> (out, b, r, c) -> {
                    out.putInt(4);
                    out.putInt(Float.floatToRawIntBits((float) b.getDouble(r, c)));
                };
                default -> null;
            };
            case DECIMAL -> type.equals("numeric") ? (out, b, r, c) -> out.putNumeric((BigDecimal) b.getObject(r, c)) : null;
            case BOOLEAN -> type.equals("bool") ? (out, b, r, c) -> {
                out.putInt(1);
                out.put((byte) (b.getBoolean(r, c) ? 1 : 0));
            } : null;
            case STRING, JSON -> switch (type) {
                case "text", "varchar", "bpchar", "json" -> (out, b, r, c) -> out.putText((String) b.getObject(r, c), false);
                case "jsonb" -> (out, b, r, c) -> out.putText((String) b.getObject(r, c), true);
                default -> null;
            };
            case BYTES -> type.equals("bytea") ? (out, b, r, c) -> {
                byte[] bytes = (byte[]) b.getObject(r, c);
                out.putInt(bytes.length);
                out.put(bytes, 0, bytes.length);
            } : null;
            case DATE -> type.equals("date") ? (out, b, r, c) -> out.putInt4(b.getLong(r, c) - EPOCH_DAYS, "date") : null;
            case TIME -> type.equals("time") ? (out, b, r, c) -> out.putInt8(b.getLong(r, c) / 1000) : null;
            // Zone-less and zoned timestamps share one form: UTC micros, never a local zone.
            case TIMESTAMP, TIMESTAMPTZ -> type.equals("timestamp") || type.equals("timestamptz")
                    ? (out, b, r, c) -> out.putInt8(Math.subtractExact(b.getLong(r, c), EPOCH_MICROS)) : null;
            case NULL -> (out, b, r, c) -> out.putInt(-1);
        };
    }

    // ---------------------------------------------------------------- primitives

    private void putShort(int value) {
        ensure(2);
        buffer[size++] = (byte) (value >> 8);
        buffer[size++] = (byte) value;
    }

    private void putInt(int value) {
        ensure(4);
        buffer[size++] = (byte) (value >> 24);
        buffer[size++] = (byte) (value >> 16);
        buffer[size++] = (byte) (value >> 8);
        buffer[size++] = (byte) value;
    }

    private void putLong(long value) {
        putInt((int) (value >> 32));
        putInt((int) value);
    }

    private void putInt8(long value) {
        putInt(8);
        putLong(value);
    }

    private void putInt4(long value, String typeName) {
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("value \"" + value + "\" is out of range for type " + typeName);
        }
        putInt(4);
        putInt((int) value);
    }

    private void putInt2(long value) {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new IllegalArgumentException("value \"" + value + "\" is out of range for type smallint");
        }
        putInt(2);
        putShort((int) value);
    }

    /** UTF-8 text with its length; jsonb takes a version byte (1) first. */
    private void putText(String text, boolean jsonb) {
        int lengthAt = size;
        putInt(0);
        int start = size;
        if (jsonb) {
            put((byte) 1);
        }
        putUtf8(text, 0, false);
        int length = size - start;
        buffer[lengthAt] = (byte) (length >> 24);
        buffer[lengthAt + 1] = (byte) (length >> 16);
        buffer[lengthAt + 2] = (byte) (length >> 8);
        buffer[lengthAt + 3] = (byte) length;
    }

    /**
     * A numeric: digit count, weight of the first base-10000 digit, sign, display scale, then the
     * digits, with the decimal point on a digit boundary.
     */
    private void putNumeric(BigDecimal value) {
        int displayScale = Math.max(0, value.scale());
        BigDecimal aligned = value.scale() < 0 ? value.setScale(0) : value;
        int scale = aligned.scale();
        int pad = (4 - scale % 4) % 4;
        int fractionGroups = (scale + pad) / 4;
        short[] groups = numericGroups;
        int count = 0;
        if (aligned.precision() + pad <= 18) {
            // Fits a long: no BigInteger (scaleByPowerOfTen keeps the compact form).
            long rest = Math.abs(aligned.scaleByPowerOfTen(scale).longValueExact()) * POWERS[pad];
            while (rest != 0) {
                groups[count++] = (short) (rest % 10_000);
                rest /= 10_000;
            }
        } else {
            BigInteger rest = aligned.unscaledValue().abs().multiply(BigInteger.TEN.pow(pad));
            groups = new short[rest.bitLength() / 13 + 2];
            BigInteger tenThousand = BigInteger.valueOf(10_000);
            while (rest.signum() != 0) {
                BigInteger[] qr = rest.divideAndRemainder(tenThousand);
                groups[count++] = qr[1].shortValue();
                rest = qr[0];
            }
        }
        int low = 0;
        while (low < count && groups[low] == 0) {
            low++;
        }
        int digits = count - low;
        int weight = count - 1 - fractionGroups;
        putInt(8 + 2 * digits);
        putShort(digits);
        putShort(digits == 0 ? 0 : weight);
        putShort(value.signum() < 0 ? 0x4000 : 0);
        putShort(displayScale);
        for (int i = count - 1; i >= low; i--) {
            putShort(groups[i]);
        }
    }
}
