package dev.ferry.engine.verify;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.verify.ColumnForm;
import dev.ferry.api.verify.SplitDigest;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * One row's values in the canonical form {@link SplitDigest} defines, and the row's 64-bit hash.
 *
 * <p>Values are set by column index with the accessor of the column's {@link DataType} (the
 * representation of {@link dev.ferry.api.data.RecordSink}); {@link #hash()} then renders the row's
 * canonical text and hashes it. The object is reused from row to row: memory is one row.
 *
 * <p>Threading: one thread.
 */
final class CanonicalRow {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final DataType[] types;
    private final boolean[] trim;
    private final boolean[] nulls;
    private final long[] longs;
    private final double[] doubles;
    private final Object[] objects;
    private final StringBuilder text = new StringBuilder(256);
    private final MessageDigest md5;

    CanonicalRow(TableSchema schema, List<ColumnForm> forms) {
        if (forms.size() != schema.arity()) {
            throw new IllegalArgumentException(forms.size() + " column forms for " + schema.arity() + " columns");
        }
        int n = schema.arity();
        types = new DataType[n];
        trim = new boolean[n];
        for (int i = 0; i < n; i++) {
            types[i] = schema.column(i).type();
            trim[i] = forms.get(i).trimTrailingSpaces();
        }
        nulls = new boolean[n];
        longs = new long[n];
        doubles = new double[n];
        objects = new Object[n];
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    /**
     * The forms of the columns both sides read: trailing spaces are trimmed where either side's
     * column is a fixed-length character column.
     */
    static List<ColumnForm> forms(TableSchema source, TableSchema target) {
        ColumnForm[] forms = new ColumnForm[source.arity()];
        for (int i = 0; i < forms.length; i++) {
            Column s = source.column(i);
            Column t = i < target.arity() ? target.column(i) : s;
            forms[i] = new ColumnForm(s.name(), isFixedChar(s) || isFixedChar(t));
        }
        return List.of(forms);
    }

    /** A fixed-length character column: {@code char(n)}, PostgreSQL's {@code bpchar}, H2's {@code CHARACTER}. */
    static boolean isFixedChar(Column column) {
        if (column.type() != DataType.STRING) {
            return false;
        }
        String type = column.nativeType().toLowerCase(Locale.ROOT).trim();
        int paren = type.indexOf('(');
        String base = (paren < 0 ? type : type.substring(0, paren)).trim();
        return base.equals("char") || base.equals("character") || base.equals("bpchar") || base.equals("nchar")
                || base.equals("national character");
    }

    int arity() {
        return types.length;
    }

    DataType type(int column) {
        return types[column];
    }

    void setNull(int column) {
        nulls[column] = true;
    }

    void setBoolean(int column, boolean value) {
        nulls[column] = false;
        longs[column] = value ? 1 : 0;
    }

    void setLong(int column, long value) {
        nulls[column] = false;
        longs[column] = value;
    }

    void setDouble(int column, double value) {
        nulls[column] = false;
        doubles[column] = value;
    }

    void setObject(int column, Object value) {
        nulls[column] = value == null;
        objects[column] = value;
    }

    boolean isNull(int column) {
        return nulls[column];
    }

    long longValue(int column) {
        return longs[column];
    }

    /** The row's hash: the first 8 bytes of the MD5 of its canonical text, big-endian. */
    long hash() {
        byte[] digest = md5.digest(text().getBytes(StandardCharsets.UTF_8));
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (digest[i] & 0xff);
        }
        return h;
    }

    /** The row's canonical text: each value's text, tab-separated. */
    String text() {
        StringBuilder sb = text;
        sb.setLength(0);
        for (int i = 0; i < types.length; i++) {
            if (i > 0) {
                sb.append('\t');
            }
            append(sb, i);
        }
        return sb.toString();
    }

    private void append(StringBuilder sb, int i) {
        if (nulls[i] || types[i] == DataType.NULL) {
            sb.append("\\N");
            return;
        }
        switch (types[i]) {
            case BOOLEAN, INT64 -> sb.append('n').append(longs[i]);
            case DECIMAL -> sb.append('n').append(decimal((BigDecimal) objects[i]));
            case FLOAT64 -> appendHex(sb.append('f'), Double.doubleToLongBits(doubles[i] + 0.0));
            case STRING, JSON -> appendString(sb.append('s'), (String) objects[i], trim[i]);
            case BYTES -> appendBytes(sb.append('x'), (byte[]) objects[i]);
            case DATE -> sb.append('d').append(longs[i]);
            case TIME -> sb.append('h').append(longs[i]);
            case TIMESTAMP, TIMESTAMPTZ -> sb.append('t').append(longs[i]);
            case NULL -> sb.append("\\N");
            default -> throw new IllegalStateException("no canonical form for " + types[i]);
        }
    }

    /** The exact number without exponent, trailing fractional zeros or trailing point; zero is {@code 0}. */
    static String decimal(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
    }

    private static void appendHex(StringBuilder sb, long bits) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            sb.append(HEX[(int) (bits >>> shift) & 0xf]);
        }
    }

    private static void appendBytes(StringBuilder sb, byte[] bytes) {
        for (byte b : bytes) {
            sb.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
    }

    private static void appendString(StringBuilder sb, String value, boolean trimTrailingSpaces) {
        int end = value.length();
        if (trimTrailingSpaces) {
            while (end > 0 && value.charAt(end - 1) == ' ') {
                end--;
            }
        }
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
    }
}
