package dev.ferry.connector.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A dialect capability: one transaction's snapshot can be exported and imported by other
 * sessions, so that parallel split readers all see the same point in time (PostgreSQL's
 * {@code pg_export_snapshot()} / {@code SET TRANSACTION SNAPSHOT}).
 */
public interface SnapshotExport {

    /**
     * Starts a repeatable-read transaction on {@code coordinator} and exports its snapshot. The
     * transaction must stay open until every reader has imported it.
     *
     * @return the snapshot's id
     */
    String exportSnapshot(Connection coordinator) throws SQLException;

    /** Starts a transaction on {@code reader} that sees exactly the exported snapshot. */
    void importSnapshot(Connection reader, String snapshotId) throws SQLException;
}
