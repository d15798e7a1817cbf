package dev.ferry.connector.jdbc.capture;

import java.math.BigDecimal;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The text a change-log row keeps a row image in: the values an H2 trigger receives, written so
 * that reading them back gives the same values, and readable by eye in the change table.
 *
 * <p>Form: the values one after another, each a tag letter, then for all but null the length of
 * its text, a colon and the text ({@code L2:42S5:helloN}); lengths make escaping unnecessary.
 * <table>
 *   <caption>Tags</caption>
 *   <tr><th>tag</th><th>trigger value</th><th>text</th><th>read back as</th></tr>
 *   <tr><td>N</td><td>null</td><td>-</td><td>null</td></tr>
 *   <tr><td>B</td><td>Boolean</td><td>t or f</td><td>Boolean</td></tr>
 *   <tr><td>L</td><td>Byte, Short, Integer, Long</td><td>decimal</td><td>Long</td></tr>
 *   <tr><td>F</td><td>Float, Double</td><td>{@link Double#toString} of the value as a double</td><td>Double</td></tr>
 *   <tr><td>M</td><td>BigDecimal</td><td>{@link BigDecimal#toString} (exact, scale kept)</td><td>BigDecimal</td></tr>
 *   <tr><td>S</td><td>String, UUID, CLOB, and any other value as H2 casts it to text</td><td>the text</td><td>String</td></tr>
 *   <tr><td>X</td><td>byte[] (binary and JSON), BLOB</td><td>base64</td><td>byte[]</td></tr>
 *   <tr><td>D</td><td>LocalDate</td><td>ISO date</td><td>LocalDate</td></tr>
 *   <tr><td>T</td><td>LocalTime</td><td>ISO time, to the nanosecond</td><td>LocalTime</td></tr>
 *   <tr><td>P</td><td>LocalDateTime</td><td>ISO date-time, to the nanosecond</td><td>LocalDateTime</td></tr>
 *   <tr><td>Z</td><td>OffsetDateTime</td><td>ISO date-time with offset</td><td>OffsetDateTime</td></tr>
 * </table>
 * "Any other value" (a time with time zone, an interval, an array) is the text H2's
 * {@code CAST(value AS VARCHAR)} gives, which is what the batch reader reads for such a column
 * ({@code ResultSet.getString}).
 *
 * <p>Threading: stateless.
 */
final class RowImage {

    private static final String CAST_TO_TEXT = "SELECT CAST(? AS CHARACTER VARYING)";

    private RowImage() {
    }

    /**
     * Writes a row as a trigger received it.
     *
     * @param connection the trigger's connection, for the values only H2 can turn into text
     */
    static String encode(Object[] row, Connection connection) throws SQLException {
        StringBuilder sb = new StringBuilder(row.length * 12);
        for (Object value : row) {
            append(sb, value, connection);
        }
        return sb.toString();
    }

    /** Writes column names (as {@code S} values). */
    static String encodeNames(List<String> names) {
        StringBuilder sb = new StringBuilder(names.size() * 12);
        for (String name : names) {
            append(sb, 'S', name);
        }
        return sb.toString();
    }

    /** Reads column names back. @throws IllegalArgumentException when the text is not {@link #encodeNames} output */
    static List<String> decodeNames(String text) {
        List<String> names = new ArrayList<>();
        for (Object value : decode(text)) {
            if (!(value instanceof String name)) {
                throw new IllegalArgumentException("column names hold a value that is not a name: " + value);
            }
            names.add(name);
        }
        return names;
    }

    private static void append(StringBuilder sb, Object value, Connection connection) throws SQLException {
        if (value == null) {
            sb.append('N');
        } else if (value instanceof Boolean b) {
            append(sb, 'B', b ? "t" : "f");
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            append(sb, 'L', value.toString());
        } else if (value instanceof Double || value instanceof Float) {
            append(sb, 'F', Double.toString(((Number) value).doubleValue()));
        } else if (value instanceof BigDecimal d) {
            append(sb, 'M', d.toString());
        } else if (value instanceof String || value instanceof UUID) {
            append(sb, 'S', value.toString());
        } else if (value instanceof byte[] bytes) {
            append(sb, 'X', Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof LocalDate || value instanceof LocalTime || value instanceof LocalDateTime
                || value instanceof OffsetDateTime) {
            append(sb, temporalTag(value), value.toString());
        } else if (value instanceof Clob clob) {
            append(sb, 'S', clob.length() == 0 ? "" : clob.getSubString(1, Math.toIntExact(clob.length())));
        } else if (value instanceof Blob blob) {
            byte[] bytes = blob.length() == 0 ? new byte[0] : blob.getBytes(1, Math.toIntExact(blob.length()));
            append(sb, 'X', Base64.getEncoder().encodeToString(bytes));
        } else {
            append(sb, 'S', castToText(value, connection));
        }
    }

    private static char temporalTag(Object value) {
        if (value instanceof LocalDate) {
            return 'D';
        }
        if (value instanceof LocalTime) {
            return 'T';
        }
        return value instanceof LocalDateTime ? 'P' : 'Z';
    }

    private static String castToText(Object value, Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CAST_TO_TEXT)) {
            statement.setObject(1, value);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void append(StringBuilder sb, char tag, String text) {
        sb.append(tag).append(text.length()).append(':').append(text);
    }

    /**
     * Reads a row image back into values of the classes in the table above.
     *
     * @throws IllegalArgumentException naming the position when the text is not an image
     */
    static Object[] decode(String text) {
        List<Object> values = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char tag = text.charAt(i++);
            if (tag == 'N') {
                values.add(null);
                continue;
            }
            int colon = text.indexOf(':', i);
            if (colon < 0) {
                throw new IllegalArgumentException("row image has no length after tag '" + tag + "' at " + (i - 1));
            }
            int length;
            try {
                length = Integer.parseInt(text, i, colon, 10);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("row image has a bad length after tag '" + tag + "' at " + (i - 1));
            }
            int end = colon + 1 + length;
            if (length < 0 || end > n) {
                throw new IllegalArgumentException("row image ends inside the value that starts at " + (i - 1));
            }
            try {
                values.add(value(tag, text.substring(colon + 1, end)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("row image holds a bad value at " + (i - 1) + ": " + e.getMessage(), e);
            }
            i = end;
        }
        return values.toArray();
    }

    private static Object value(char tag, String text) {
        return switch (tag) {
            case 'B' -> text.equals("t");
            case 'L' -> Long.parseLong(text);
            case 'F' -> Double.parseDouble(text);
            case 'M' -> new BigDecimal(text);
            case 'S' -> text;
            case 'X' -> Base64.getDecoder().decode(text);
            case 'D' -> LocalDate.parse(text);
            case 'T' -> LocalTime.parse(text);
            case 'P' -> LocalDateTime.parse(text);
            case 'Z' -> OffsetDateTime.parse(text);
            default -> throw new IllegalArgumentException("row image has an unknown tag '" + tag + "'");
        };
    }
}
