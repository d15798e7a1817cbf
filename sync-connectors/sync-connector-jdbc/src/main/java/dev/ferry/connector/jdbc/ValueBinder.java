package dev.ferry.connector.jdbc;

import dev.ferry.api.data.RowBatch;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Binds one non-null value of a batch to a statement parameter, converting from the source
 * column's type to what the target column accepts. Chosen once per column pair by the dialect's
 * {@link TypeMapping#binder}.
 *
 * <p>Threading: stateless; called by one writer thread.
 */
@FunctionalInterface
public interface ValueBinder {

    /**
     * @param ps     the statement
     * @param index  the parameter's 1-based index
     * @param batch  the rows being written
     * @param row    the row in the batch
     * @param column the source column's index in the batch
     */
    void bind(PreparedStatement ps, int index, RowBatch batch, int row, int column) throws SQLException;
}
