package dev.ferry.connector.postgresql;

import dev.ferry.api.data.RowBatch;

/**
 * Encodes rows for {@code COPY … FROM STDIN} into a reusable byte buffer that {@link CopyLoader}
 * hands to the server in chunks: {@link CopyTextEncoder} for the text format, which takes any
 * column pair, and {@link CopyBinaryEncoder} for the binary format, which saves the server from
 * parsing numbers and timestamps when every column pair has a binary form.
 *
 * <p>Threading: used by one writer thread.
 */
abstract class CopyEncoder {

    protected byte[] buffer;
    protected int size;

    /** The COPY option list for the format, e.g. {@code " (FORMAT binary)"}, or empty. */
    abstract String formatOption();

    /** What precedes the first row of one COPY (shared; do not modify). */
    abstract byte[] header();

    /** What follows the last row of one COPY (shared; do not modify). */
    abstract byte[] trailer();

    /** Appends one row. On an exception the buffer is back where it was before the row. */
    abstract void encodeRow(RowBatch batch, int row);

    /**
     * The row encoded in {@code bytes[from, to)} as a JSON object of target column name to value,
     * for reporting a row the server refused after its batch was gone.
     */
    abstract String render(byte[] bytes, int from, int to);

    /** Appends {@code text} as a JSON string literal. */
    static void appendJsonString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }

    final byte[] buffer() {
        return buffer;
    }

    final int size() {
        return size;
    }

    /** Empties the buffer, giving back memory a single huge row made it grow to. */
    final void reset(int maxRetainedCapacity) {
        size = 0;
        if (buffer.length > maxRetainedCapacity) {
            buffer = new byte[maxRetainedCapacity];
        }
    }

    protected final void ensure(int extra) {
        int needed = size + extra;
        if (needed > buffer.length) {
            int capacity = Math.max(needed, buffer.length * 2);
            byte[] grown = new byte[capacity];
            System.arraycopy(buffer, 0, grown, 0, size);
            buffer = grown;
        }
    }

    protected final void put(byte b) {
        if (size == buffer.length) {
            ensure(1);
        }
        buffer[size++] = b;
    }

    protected final void put(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    /**
     * UTF-8 of {@code text} from index {@code from} on; an unpaired surrogate cannot be encoded and
     * makes the row dirty. With {@code escapeCopyText}, backslash, tab, newline and carriage return
     * get the text format's backslash escapes.
     */
    protected final void putUtf8(String text, int from, boolean escapeCopyText) {
        int n = text.length();
        ensure(n - from + 16);
        for (int i = from; i < n; i++) {
            char ch = text.charAt(i);
            if (ch < 0x80) {
                if (escapeCopyText && (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r')) {
                    ensure(2);
                    buffer[size++] = '\\';
                    buffer[size++] = (byte) (ch == '\\' ? '\\' : ch == '\t' ? 't' : ch == '\n' ? 'n' : 'r');
                } else {
                    put((byte) ch);
                }
            } else if (ch < 0x800) {
                ensure(2);
                buffer[size++] = (byte) (0xC0 | (ch >> 6));
                buffer[size++] = (byte) (0x80 | (ch & 0x3F));
            } else if (Character.isSurrogate(ch)) {
                if (!Character.isHighSurrogate(ch) || i + 1 >= n || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    throw new IllegalArgumentException("text holds an unpaired UTF-16 surrogate at index " + i);
                }
                int cp = Character.toCodePoint(ch, text.charAt(++i));
                ensure(4);
                buffer[size++] = (byte) (0xF0 | (cp >> 18));
                buffer[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buffer[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buffer[size++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                ensure(3);
                buffer[size++] = (byte) (0xE0 | (ch >> 12));
                buffer[size++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
                buffer[size++] = (byte) (0x80 | (ch & 0x3F));
            }
        }
    }
}
