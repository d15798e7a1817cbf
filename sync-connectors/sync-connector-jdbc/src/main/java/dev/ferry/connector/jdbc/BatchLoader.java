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

    /**
     * Writes rows {@code [from, to)} of the batch. A loader may hold some back (a bulk load still
     * open) until {@link #endSplit}; the batch is the caller's again when this returns, so what is
     * held back must not refer to it.
     */
    void load(RowBatch batch, int from, int to) throws SQLException;

    /**
     * Writes what {@link #load} held back and reports the rows the database refuses; called once
     * per split before its ledger row and COMMIT. Rows of earlier batches may become dirty here
     * (through {@link dev.ferry.api.WriterContext#reportDirty(String, String)}). The default holds
     * nothing back.
     */
    default void endSplit() throws SQLException {
    }

    /**
     * Drops what {@link #load} held back, ending an unfinished bulk load, so that the writer can
     * roll the split back on the same connection; never throws (a connection it cannot settle is
     * left for the rollback to fail on). The default holds nothing back.
     */
    default void abandonSplit() {
    }

    /** Releases statements and buffers; never throws. */
    @Override
    void close();
}
