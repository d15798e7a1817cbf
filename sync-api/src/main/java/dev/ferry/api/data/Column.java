package dev.ferry.api.data;

import java.io.Serializable;
import java.util.Objects;

/**
 * One column of a {@link TableSchema}.
 *
 * @param name      the column's name as the source spells it (never quoted)
 * @param type      its logical type
 * @param nullable  whether it may hold nulls
 * @param precision total digits for DECIMAL, maximum length for STRING/BYTES, fractional-second
 *                  digits for TIME/TIMESTAMP; 0 when unknown or unbounded
 * @param scale     digits after the decimal point for DECIMAL, otherwise 0
 * @param nativeType the source's own type name ({@code "varchar"}, {@code "jsonb"}), or empty when
 *                  the source has none; lets a target of the same family keep the exact type
 */
public record Column(String name, DataType type, boolean nullable, int precision, int scale, String nativeType) implements Serializable {

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(nativeType, "nativeType");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("column name must not be empty");
        }
        if (precision < 0) {
            throw new IllegalArgumentException("precision of column '" + name + "' must be >= 0, got " + precision);
        }
        if (scale < 0) {
            throw new IllegalArgumentException("scale of column '" + name + "' must be >= 0, got " + scale);
        }
    }

    /** A nullable column with no precision, scale or native type. */
    public static Column of(String name, DataType type) {
        return new Column(name, type, true, 0, 0, "");
    }
}
