package dev.ferry.connector.jdbc;

import dev.ferry.api.data.RecordSink;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Moves one column of the current result-set row into a record, with the typed getter the
 * column's {@link dev.ferry.api.data.DataType} calls for (no boxing where the type allows).
 * Chosen once per column by the dialect's {@link TypeMapping#reader}, then called for every row.
 *
 * <p>Threading: stateless; called by one reader thread.
 */
@FunctionalInterface
public interface ColumnReader {

    /**
     * @param rs     the result set, positioned on a row
     * @param index  the column's 1-based index in the result set
     * @param sink   where the value goes
     * @param column the column's 0-based index in the record
     */
    void read(ResultSet rs, int index, RecordSink sink, int column) throws SQLException;
}
