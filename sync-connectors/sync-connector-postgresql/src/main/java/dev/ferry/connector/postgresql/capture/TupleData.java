package dev.ferry.connector.postgresql.capture;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The column values of one row in a pgoutput Insert, Update or Delete message.
 *
 * <p>Each column has a kind: {@link #NULL} ({@code 'n'}), {@link #UNCHANGED} ({@code 'u'}, a
 * TOASTed value the change did not touch, so the server did not send it), {@link #TEXT}
 * ({@code 't'}, the type's text output form in UTF-8) or {@link #BINARY} ({@code 'b'}, the type's
 * binary send form, only when the subscription asked for {@code binary}).
 *
 * <p>All values live back to back in one array with one offset per column: three allocations per
 * row whatever its width. {@link #bytes(int)} copies a value; the zero-copy view is
 * {@link #data()} with {@link #offset(int)} and {@link #length(int)}.
 *
 * <p>Threading: immutable once built (the arrays are never handed out for writing, except
 * {@link #data()}, which callers must not modify); safe to share.
 */
public final class TupleData {

    public static final char NULL = 'n';
    public static final char UNCHANGED = 'u';
    public static final char TEXT = 't';
    public static final char BINARY = 'b';

    private final byte[] kinds;
    private final int[] offsets;
    private final byte[] data;

    /**
     * @param kinds   one kind byte per column
     * @param offsets {@code kinds.length + 1} offsets into {@code data}: column {@code i} is
     *                {@code data[offsets[i], offsets[i + 1])}, empty for null and unchanged columns
     * @param data    the values back to back
     */
    TupleData(byte[] kinds, int[] offsets, byte[] data) {
        this.kinds = kinds;
        this.offsets = offsets;
        this.data = data;
    }

    /**
     * A tuple built from values (for tests and for readers that synthesise rows).
     *
     * @param kinds  the kind of each column ({@code 'n'}, {@code 'u'}, {@code 't'}, {@code 'b'})
     * @param values each column's bytes; ignored (may be null) for {@code 'n'} and {@code 'u'}
     */
    public static TupleData of(char[] kinds, byte[][] values) {
        if (kinds.length != values.length) {
            throw new IllegalArgumentException(kinds.length + " kinds for " + values.length + " values");
        }
        byte[] kindBytes = new byte[kinds.length];
        int[] offsets = new int[kinds.length + 1];
        int total = 0;
        for (int i = 0; i < kinds.length; i++) {
            char kind = kinds[i];
            if (kind != NULL && kind != UNCHANGED && kind != TEXT && kind != BINARY) {
                throw new IllegalArgumentException("column " + i + " has kind '" + kind + "', expected n, u, t or b");
            }
            kindBytes[i] = (byte) kind;
            if (kind == TEXT || kind == BINARY) {
                total += values[i].length;
            }
            offsets[i + 1] = total;
        }
        byte[] data = new byte[total];
        for (int i = 0; i < kinds.length; i++) {
            if (kinds[i] == TEXT || kinds[i] == BINARY) {
                System.arraycopy(values[i], 0, data, offsets[i], values[i].length);
            }
        }
        return new TupleData(kindBytes, offsets, data);
    }

    /** A tuple of text values, {@code null} standing for SQL NULL (for tests). */
    public static TupleData ofText(String... values) {
        char[] kinds = new char[values.length];
        byte[][] bytes = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            kinds[i] = values[i] == null ? NULL : TEXT;
            bytes[i] = values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8);
        }
        return of(kinds, bytes);
    }

    /** The number of columns. */
    public int size() {
        return kinds.length;
    }

    /** Column {@code i}'s kind: {@code 'n'}, {@code 'u'}, {@code 't'} or {@code 'b'}. */
    public char kind(int i) {
        return (char) kinds[i];
    }

    public boolean isNull(int i) {
        return kinds[i] == NULL;
    }

    public boolean isUnchanged(int i) {
        return kinds[i] == UNCHANGED;
    }

    /** A copy of column {@code i}'s bytes, or null for a null or unchanged column. */
    public byte[] bytes(int i) {
        byte kind = kinds[i];
        if (kind == NULL || kind == UNCHANGED) {
            return null;
        }
        return Arrays.copyOfRange(data, offsets[i], offsets[i + 1]);
    }

    /** Column {@code i}'s text value decoded from UTF-8, or null unless its kind is {@code 't'}. */
    public String text(int i) {
        if (kinds[i] != TEXT) {
            return null;
        }
        return new String(data, offsets[i], offsets[i + 1] - offsets[i], StandardCharsets.UTF_8);
    }

    /** The array holding every value (not a copy: do not modify it). */
    public byte[] data() {
        return data;
    }

    /** Where column {@code i}'s value starts in {@link #data()}. */
    public int offset(int i) {
        return offsets[i];
    }

    /** The length of column {@code i}'s value in bytes (0 for null and unchanged columns). */
    public int length(int i) {
        return offsets[i + 1] - offsets[i];
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof TupleData that) || !Arrays.equals(kinds, that.kinds)) {
            return false;
        }
        for (int i = 0; i < kinds.length; i++) {
            if (!Arrays.equals(data, offsets[i], offsets[i + 1], that.data, that.offsets[i], that.offsets[i + 1])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = Arrays.hashCode(kinds);
        for (int i = 0; i < kinds.length; i++) {
            for (int j = offsets[i]; j < offsets[i + 1]; j++) {
                hash = 31 * hash + data[j];
            }
        }
        return hash;
    }

    /** {@code (t:'42', n, u, b:3 bytes)}; text values longer than 40 characters are cut. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < kinds.length; i++) {
            sb.append(i == 0 ? "" : ", ").append((char) kinds[i]);
            if (kinds[i] == TEXT) {
                String text = text(i);
                sb.append(":'").append(text.length() > 40 ? text.substring(0, 40) + "…" : text).append('\'');
            } else if (kinds[i] == BINARY) {
                sb.append(':').append(length(i)).append(" bytes");
            }
        }
        return sb.append(')').toString();
    }
}
