package dev.ferry.connector.jdbc;

import dev.ferry.api.data.Column;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * How one database's types meet Ferry's logical types, in both directions: the logical column a
 * driver's description maps to, how to read such a column from a result set, how to bind a value
 * to a parameter, and the column type to declare for a logical column.
 *
 * <p>Readers and binders are chosen once per column, when a read or write plan is made; the
 * per-value work is only the chosen reader's or binder's own. An implementation must keep it so:
 * no look-ups or type tests inside the returned lambdas beyond what the value itself needs.
 *
 * <p>{@link GenericTypes} implements it with standard JDBC; each database's mapping extends that.
 * A dialect exposes its mapping as {@link Dialect#types()}.
 *
 * <p>Threading: implementations are immutable and safe to share; the readers and binders they
 * return are too.
 */
public interface TypeMapping {

    /** Maps column {@code index} (1-based) of a result set to a logical column. */
    DbColumn column(ResultSetMetaData metaData, int index) throws SQLException;

    /** How to read a column of that type from a result set. */
    ColumnReader reader(DbColumn column);

    /**
     * How to bind a value of the source column to a parameter for the target column. Values of
     * different types are converted through their text form and parsed by the database, so a value
     * that does not fit is rejected with the database's reason instead of being coerced.
     */
    ValueBinder binder(Column source, DbColumn target);

    /** Binds SQL NULL for the target column. */
    void bindNull(PreparedStatement statement, int index, DbColumn target) throws SQLException;

    /** The column's type in {@code CREATE TABLE} and {@code ADD COLUMN} (the reverse mapping). */
    String columnDefinition(Column column);
}
