package dev.ferry.connector.postgresql.capture;

import java.nio.charset.StandardCharsets;

/**
 * Rewrites the server's text form of the types that pgjdbc receives in binary and turns back into
 * text its own way, so that a value read from pgoutput equals what the batch reader's
 * {@code getString} returns: one-dimensional and nested arrays of {@code int2}, {@code int4},
 * {@code int8}, {@code oid}, {@code float4}, {@code float8}, {@code text}, {@code varchar} and
 * {@code bytea} (every element quoted, lower bounds dropped, floats in Java's notation, bytea in
 * lower-case hex), and {@code point} and {@code box} (coordinates in Java's notation).
 *
 * <p>Threading: stateless.
 */
final class PgPgjdbcText {

    /** How array elements are rewritten. */
    enum Element {
        /** Integers and text: the element's text as is. */
        VERBATIM,
        FLOAT4,
        FLOAT8,
        BYTEA
    }

    private PgPgjdbcText() {
    }

    /**
     * An array in the server's output form ({@code {1,NULL,"a b"}}, {@code [0:1]={1,2}},
     * {@code {{1,2},{3,4}}}) in pgjdbc's form ({@code {"1",NULL,"a b"}}).
     */
    static String array(byte[] b, int off, int len, Element element) {
        int end = off + len;
        int p = off;
        if (p < end && b[p] == '[') {
            // Dimension decoration: pgjdbc keeps no lower bounds.
            while (p < end && b[p] != '=') {
                p++;
            }
            p++;
        }
        StringBuilder out = new StringBuilder(len + 16);
        p = array(b, p, end, element, out);
        if (p != end) {
            throw new IllegalArgumentException("unexpected text after the array");
        }
        return out.toString();
    }

    /** Copies one {@code {…}} level starting at {@code p}; returns the index after its '}'. */
    private static int array(byte[] b, int p, int end, Element element, StringBuilder out) {
        if (p >= end || b[p] != '{') {
            throw new IllegalArgumentException("expected '{'");
        }
        out.append('{');
        p++;
        if (p < end && b[p] == '}') {
            out.append('}');
            return p + 1;
        }
        while (true) {
            if (p >= end) {
                throw new IllegalArgumentException("unterminated array");
            }
            if (b[p] == '{') {
                p = array(b, p, end, element, out);
            } else if (b[p] == '"') {
                p++;
                int start = p;
                boolean escaped = false;
                while (p < end && b[p] != '"') {
                    if (b[p] == '\\') {
                        escaped = true;
                        p++;
                    }
                    p++;
                }
                if (p >= end) {
                    throw new IllegalArgumentException("unterminated quoted element");
                }
                String text = escaped ? unescape(b, start, p) : new String(b, start, p - start, StandardCharsets.UTF_8);
                p++;
                appendElement(out, text, element);
            } else {
                int start = p;
                while (p < end && b[p] != ',' && b[p] != '}') {
                    p++;
                }
                String text = new String(b, start, p - start, StandardCharsets.UTF_8);
                if (text.equals("NULL")) {
                    out.append("NULL");
                } else {
                    appendElement(out, text, element);
                }
            }
            if (p >= end) {
                throw new IllegalArgumentException("unterminated array");
            }
            if (b[p] == '}') {
                out.append('}');
                return p + 1;
            }
            if (b[p] != ',') {
                throw new IllegalArgumentException("expected ',' or '}' in array");
            }
            out.append(',');
            p++;
        }
    }

    private static String unescape(byte[] b, int from, int to) {
        byte[] copy = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            if (b[i] == '\\') {
                i++;
            }
            copy[n++] = b[i];
        }
        return new String(copy, 0, n, StandardCharsets.UTF_8);
    }

    private static void appendElement(StringBuilder out, String text, Element element) {
        String value = switch (element) {
            case VERBATIM -> text;
            case FLOAT4 -> Float.toString(Float.parseFloat(text));
            case FLOAT8 -> Double.toString(Double.parseDouble(text));
            case BYTEA -> {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                yield PgText.hexText(PgText.parseBytea(bytes, 0, bytes.length));
            }
        };
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }

    /** {@code (x,y)} with Java's notation for each coordinate, as pgjdbc's PGpoint writes it. */
    static String point(byte[] b, int off, int len) {
        StringBuilder out = new StringBuilder(len + 8);
        if (point(b, off, off + len, out) != off + len) {
            throw new IllegalArgumentException("expected (x,y)");
        }
        return out.toString();
    }

    /** {@code (x1,y1),(x2,y2)} with Java's notation, as pgjdbc's PGbox writes it. */
    static String box(byte[] b, int off, int len) {
        int end = off + len;
        StringBuilder out = new StringBuilder(len + 16);
        int p = point(b, off, end, out);
        if (p >= end || b[p] != ',') {
            throw new IllegalArgumentException("expected (x1,y1),(x2,y2)");
        }
        out.append(',');
        if (point(b, p + 1, end, out) != end) {
            throw new IllegalArgumentException("expected (x1,y1),(x2,y2)");
        }
        return out.toString();
    }

    private static int point(byte[] b, int p, int end, StringBuilder out) {
        if (p >= end || b[p] != '(') {
            throw new IllegalArgumentException("expected '('");
        }
        int comma = p + 1;
        while (comma < end && b[comma] != ',') {
            comma++;
        }
        int close = comma + 1;
        while (close < end && b[close] != ')') {
            close++;
        }
        if (close >= end) {
            throw new IllegalArgumentException("expected (x,y)");
        }
        out.append('(').append(PgText.parseFloat8(b, p + 1, comma - p - 1)).append(',')
                .append(PgText.parseFloat8(b, comma + 1, close - comma - 1)).append(')');
        return close + 1;
    }
}
