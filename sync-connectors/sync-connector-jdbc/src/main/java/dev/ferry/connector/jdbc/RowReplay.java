package dev.ferry.connector.jdbc;

import dev.ferry.api.WriterContext;
import dev.ferry.api.data.RowBatch;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.DateTimeException;

/**
 * Writes the rows of a batch that failed again, one at a time, each under its own savepoint, so
 * that only the rows the database refuses become dirty (with the database's reason) and the rest
 * of the split's transaction survives. Connection failures and errors that are not about the data
 * are rethrown.
 *
 * <p>Threading: called by one writer's channel thread.
 */
public final class RowReplay {

    /** Writes one row of the batch. */
    @FunctionalInterface
    public interface RowWrite {
        void write(int row) throws SQLException;
    }

    /** Takes a row the database refused, with its reason (masked). */
    @FunctionalInterface
    public interface DirtyRow {
        void report(int row, String reason);
    }

    private RowReplay() {
    }

    /**
     * Replays rows {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @param action what a conversion failure could not do, for the reason ({@code "convert"}, {@code "encode"})
     */
    public static void replay(Connection connection, ErrorClassifier errors, WritePlan plan, WriterContext context,
                              RowBatch batch, int from, int to, String action, RowWrite write) throws SQLException {
        replay(connection, errors, plan.redactor(), plan.table().toString(), context, batch, null, from, to, action,
                write);
    }

    /**
     * Replays the batch rows {@code rows[from]} to {@code rows[to - 1]} (rows {@code from} to
     * {@code to - 1} themselves when {@code rows} is null) written to {@code table} (for messages).
     */
    public static void replay(Connection connection, ErrorClassifier errors, Redactor redactor, String table,
                              WriterContext context, RowBatch batch, int[] rows, int from, int to, String action,
                              RowWrite write) throws SQLException {
        replay(connection, errors, redactor, table, from, to, action,
                i -> write.write(rows == null ? i : rows[i]),
                (i, reason) -> context.reportDirty(batch, rows == null ? i : rows[i], reason));
    }

    /**
     * Replays rows {@code from} (inclusive) to {@code to} (exclusive) of whatever the caller holds
     * (a batch, or rows already encoded), handing each refused row to {@code dirty}.
     */
    public static void replay(Connection connection, ErrorClassifier errors, Redactor redactor, String table,
                              int from, int to, String action, RowWrite write, DirtyRow dirty) throws SQLException {
        for (int row = from; row < to; row++) {
            Savepoint savepoint = connection.setSavepoint();
            String reason;
            try {
                write.write(row);
                connection.releaseSavepoint(savepoint);
                continue;
            } catch (SQLException e) {
                if (errors.isRetriable(e)) {
                    throw e;
                }
                connection.rollback(savepoint);
                if (!errors.isDataError(e)) {
                    throw e;
                }
                reason = redactor.mask(errors.describe(e));
            } catch (IllegalArgumentException | ArithmeticException | DateTimeException | ClassCastException e) {
                connection.rollback(savepoint);
                reason = "cannot " + action + " a value for " + table + ": " + e.getMessage();
            }
            dirty.report(row, reason);
        }
    }
}
