package dev.ferry.connector.jdbc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Rows of a query as comparable text, column by column, read the same way from any database: a
 * source and a target of another kind can then be compared value by value. Each column is read
 * as its {@link Kind} says and written in one canonical form, so that only a real difference in
 * the value shows (an integer as its digits, a decimal without trailing zeros, a double as
 * {@link Double#toString}, bytes in hex, a zoned timestamp as its UTC instant, JSON re-serialised).
 */
public final class RowValues {

    /** How a column is read and written. */
    public enum Kind { INT, DECIMAL, FLOAT, TEXT, BOOL, BYTES, DATE, TIME, TIMESTAMP, INSTANT, JSON }

    /** A column to compare: its name in the query and how to read it. */
    public record Col(String name, Kind kind) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private RowValues() {
    }

    public static Col col(String name, Kind kind) {
        return new Col(name, kind);
    }

    /**
     * Runs {@code SELECT columns FROM table ORDER BY orderBy} and returns each row's values.
     *
     * @param session statements run first on the connection (a time zone, say)
     */
    public static List<List<String>> read(TestDatabase db, String table, String orderBy, List<Col> columns,
                                          String... session) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(columns.get(i).name());
        }
        sql.append(" FROM ").append(table).append(" ORDER BY ").append(orderBy);
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String statement : session) {
                s.execute(statement);
            }
            try (ResultSet rs = s.executeQuery(sql.toString())) {
                while (rs.next()) {
                    List<String> row = new ArrayList<>(columns.size());
                    for (int i = 0; i < columns.size(); i++) {
                        row.add(value(rs, i + 1, columns.get(i).kind()));
                    }
                    rows.add(row);
                }
            }
        } catch (SQLException e) {
            rows.add(List.of("unreadable: " + e.getMessage()));
        }
        return rows;
    }

    private static String value(ResultSet rs, int i, Kind kind) throws SQLException {
        if (rs.getObject(i) == null) {
            return "NULL";
        }
        return switch (kind) {
            case INT -> Long.toString(rs.getLong(i));
            case DECIMAL -> {
                BigDecimal d = rs.getBigDecimal(i).stripTrailingZeros();
                yield d.signum() == 0 ? "0" : d.toPlainString();
            }
            case FLOAT -> Double.toString(rs.getDouble(i));
            case TEXT -> rs.getString(i);
            case BOOL -> Boolean.toString(rs.getBoolean(i));
            case BYTES -> HexFormat.of().formatHex(rs.getBytes(i));
            case DATE -> rs.getObject(i, LocalDate.class).toString();
            case TIME -> rs.getObject(i, LocalTime.class).toString();
            case TIMESTAMP -> rs.getObject(i, LocalDateTime.class).toString();
            case INSTANT -> instant(rs, i);
            case JSON -> {
                String text = rs.getString(i);
                try {
                    yield JSON.readTree(text).toString();
                } catch (JsonProcessingException e) {
                    yield "not JSON: " + text;
                }
            }
        };
    }

    /** A zoned timestamp's instant; a database without zones gives its UTC wall time (use a UTC session). */
    private static String instant(ResultSet rs, int i) throws SQLException {
        try {
            return rs.getObject(i, OffsetDateTime.class).toInstant().toString();
        } catch (SQLException | RuntimeException e) {
            return rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC).toString();
        }
    }

    /** Fails at the first differing value, naming its row (by its first column) and column. */
    public static void assertSameRows(List<Col> columns, List<List<String>> expected, List<List<String>> actual) {
        for (int r = 0; r < Math.min(expected.size(), actual.size()); r++) {
            List<String> want = expected.get(r);
            List<String> got = actual.get(r);
            if (want.size() != got.size()) {
                fail("row " + r + ": " + want + " vs " + got);
            }
            for (int c = 0; c < want.size(); c++) {
                assertEquals(want.get(c), got.get(c), "row " + r + " (" + columns.get(0).name() + " " + want.get(0)
                        + "), column " + columns.get(c).name());
            }
        }
        assertEquals(expected.size(), actual.size(), "row count; expected " + expected + " but was " + actual);
    }
}
