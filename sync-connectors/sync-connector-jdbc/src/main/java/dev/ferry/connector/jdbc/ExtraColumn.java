package dev.ferry.connector.jdbc;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * A column a {@code partitioned} target adds to every base table and change log, filled by every
 * write rather than taken from the source: a constant ({@code constantColumns}), or the Business
 * Date of the partition or change in a pattern of its own ({@code businessDateColumns}). Text.
 *
 * @param name     the column's name
 * @param constant its value in every row, or null for a Business-Date column
 * @param format   for a Business-Date column, the {@link DateTimeFormatter} pattern of its value; else null
 */
public record ExtraColumn(String name, String constant, String format) {

    public ExtraColumn {
        Objects.requireNonNull(name, "name");
        if ((constant == null) == (format == null)) {
            throw new IllegalArgumentException("an extra column is a constant or a Business Date, not both or neither");
        }
    }

    /** A column holding {@code value} in every row. */
    public static ExtraColumn constant(String name, String value) {
        return new ExtraColumn(name, value, null);
    }

    /** A column holding the row's Business Date written in {@code pattern}. */
    public static ExtraColumn businessDate(String name, String pattern) {
        DateTimeFormatter.ofPattern(pattern); // fails on a pattern that is not one
        return new ExtraColumn(name, null, pattern);
    }

    /** The column's value in a row of Business Date {@code date}. */
    public String value(LocalDate date) {
        return constant != null ? constant : date.format(DateTimeFormatter.ofPattern(format));
    }
}
