package dev.ferry.connector.jdbc;

import dev.ferry.api.SourceReader;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.error.CancelledException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one split: one pooled connection, one statement, rows read with the column readers the
 * dialect chose and emitted one by one, so memory holds at most one fetch of rows. With a
 * snapshot, the connection first imports it.
 *
 * <p>A value the reader cannot convert (an out-of-range date, an invalid time) makes its row dirty
 * with the row's text as raw data; a lost connection is a
 * {@link dev.ferry.api.error.RetriableException}; {@link #cancel} aborts the running query with
 * {@link java.sql.Statement#cancel()}.
 *
 * <p>Threading: {@link #read} and {@link #close} on one reader thread; {@link #cancel} from any.
 */
final class JdbcReader implements SourceReader {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcReader.class);

    private final Dialect dialect;
    private final JdbcReadPlan plan;
    private final ColumnReader[] readers;
    private final ConnectionPool pool;
    private final ErrorTranslator errors;
    private final JdbcSplit split;
    private final CancellableQuery running;

    /** A reader of one split, using only the plan, the plan's column readers and a pool. */
    JdbcReader(Dialect dialect, JdbcReadPlan plan, ColumnReader[] readers, ConnectionPool pool, ErrorTranslator errors,
               JdbcSplit split) {
        this.dialect = dialect;
        this.plan = plan;
        this.readers = readers;
        this.pool = pool;
        this.errors = errors;
        this.split = split;
        this.running = new CancellableQuery("split " + split.id());
    }

    @Override
    public void read(RecordSink sink) {
        if (running.isCancelled()) {
            throw new CancelledException("split " + split.id() + " was cancelled");
        }
        JdbcReadPlan.ReadQuery query = plan.query(split);
        Connection connection;
        try {
            connection = pool.borrow();
        } catch (SQLException e) {
            throw errors.translate("connecting to read split " + split.id(), e);
        }
        boolean completed = false;
        boolean broken = false;
        PreparedStatement statement = null;
        try {
            if (plan.snapshotId() != null) {
                ((SnapshotExport) dialect).importSnapshot(connection, plan.snapshotId());
            } else {
                dialect.beginRead(connection);
            }
            statement = dialect.prepareRead(connection, query.sql());
            dialect.configureStreaming(statement, plan.fetchSize());
            List<Long> parameters = query.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                statement.setLong(i + 1, parameters.get(i));
            }
            running.started(statement);
            if (running.isCancelled()) {
                throw new CancelledException("split " + split.id() + " was cancelled");
            }
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.getMetaData().getColumnCount() != readers.length) {
                    throw JdbcSource.internal("split " + split.id() + " returned " + rs.getMetaData().getColumnCount()
                            + " columns, the schema has " + readers.length);
                }
                while (rs.next()) {
                    if (readRow(rs, sink)) {
                        sink.emit();
                    }
                }
            }
            if (running.isCancelled()) {
                throw new CancelledException("split " + split.id() + " was cancelled");
            }
            completed = true;
        } catch (SQLException e) {
            if (running.isCancelled()) {
                throw new CancelledException("split " + split.id() + " was cancelled");
            }
            broken = dialect.errors().isRetriable(e);
            throw errors.translate("reading split " + split.id(), e);
        } finally {
            running.ended();
            release(connection, statement, completed, broken);
        }
    }

    /** Reads one row into the sink; false when it was reported dirty instead. */
    private boolean readRow(ResultSet rs, RecordSink sink) throws SQLException {
        int column = 0;
        try {
            for (; column < readers.length; column++) {
                readers[column].read(rs, column + 1, sink, column);
            }
            return true;
        } catch (SQLException e) {
            if (running.isCancelled() || dialect.errors().isRetriable(e)) {
                throw e;
            }
            sink.dirty(reason(column, errors.redactor().mask(dialect.errors().describe(e))), rawRow(rs, readers.length));
        } catch (DateTimeException | ArithmeticException | IllegalArgumentException e) {
            sink.dirty(reason(column, e.getMessage()), rawRow(rs, readers.length));
        }
        return false;
    }

    private String reason(int column, String detail) {
        return "cannot read column '" + plan.schema().column(column).name() + "' of " + split.id() + ": " + detail;
    }

    private static String rawRow(ResultSet rs, int arity) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= arity; i++) {
            if (i > 1) {
                sb.append(',');
            }
            try {
                sb.append(rs.getString(i));
            } catch (SQLException | RuntimeException e) {
                sb.append('?');
            }
        }
        return sb.toString();
    }

    private void release(Connection connection, PreparedStatement statement, boolean completed, boolean broken) {
        if (statement != null) {
            if (!completed && !broken) {
                // Stop the server from sending the rest of an abandoned result (a streaming MariaDB
                // result would otherwise be drained on close).
                try {
                    statement.cancel();
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("cancelling the query of {} failed", split.id(), e);
                }
            }
            try {
                statement.close();
            } catch (SQLException e) {
                broken = true;
            }
        }
        if (!broken) {
            try {
                dialect.finishRead(connection);
            } catch (SQLException e) {
                broken = true;
            }
        }
        if (broken) {
            pool.evict(connection);
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("returning the connection of {} failed", split.id(), e);
        }
    }

    @Override
    public void cancel() {
        running.cancel();
    }

    @Override
    public void close() {
        // read() returns its connection in every case; nothing stays open between calls.
    }
}
