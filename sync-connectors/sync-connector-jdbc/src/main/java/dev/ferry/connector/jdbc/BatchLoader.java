package dev.ferry.connector.jdbc;

import dev.ferry.api.data.RowBatch;
import java.sql.SQLException;

/**
 * Writes rows into the target table on one connection, inside the split's transaction that the
 * {@link JdbcWriter} owns. A loader reports rows the database rejects for their values with
 * {@link dev.ferry.api.WriterContext#reportDirty} and writes all the others; every other failure
 * is thrown, leaving the transaction for the writer to roll back.
 *
 * <p>Threading: used by one writer thread.
 */
public interface BatchLoader extends AutoCloseable {

    /** Writes rows {@code [from, to)} of the batch. */
    void load(RowBatch batch, int from, int to) throws SQLException;

    /** Releases statements and buffers; never throws. */
    @Override
    void close();
}
