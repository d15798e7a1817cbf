package dev.ferry.connector.jdbc;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import java.util.Objects;

/**
 * A column as the database describes it: the logical {@link Column} plus the JDBC type code the
 * driver reported, which writers need to bind nulls and pick conversions.
 *
 * @param column   the logical column (name exactly as the database spells it)
 * @param jdbcType a {@link java.sql.Types} code
 */
public record DbColumn(Column column, int jdbcType) implements java.io.Serializable {

    public DbColumn {
        Objects.requireNonNull(column, "column");
    }

    public String name() {
        return column.name();
    }

    public DataType type() {
        return column.type();
    }

    /** The database's type name in lower case ({@code "varchar"}, {@code "uuid"}), or empty. */
    public String nativeType() {
        return column.nativeType();
    }
}
