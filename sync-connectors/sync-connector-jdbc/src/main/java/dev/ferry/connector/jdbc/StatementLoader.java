package dev.ferry.connector.jdbc;

import dev.ferry.api.WriterContext;
import dev.ferry.api.data.RowBatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.DateTimeException;

/**
 * Writes with batched prepared statements (the plan's INSERT, upsert or UPDATE).
 *
 * <p>Each batch runs under a savepoint. When the batch fails for a reason other than the
 * connection, the loader rolls back to the savepoint and sends the rows again one at a time, each
 * under its own savepoint: rows the database accepts are written, rows it rejects for their values
 * are reported dirty with its reason, and anything else (a missing table, a lost connection) is
 * thrown. Savepoints keep the split's earlier batches alive on databases where a failed statement
 * aborts the whole transaction (PostgreSQL) and undo a partly applied batch elsewhere. For a
 * dialect without savepoints ({@link Dialect#savepoints()} false) a refused batch is thrown as it
 * is, and the writer rolls the split back.
 *
 * <p>Threading: used by one writer thread.
 */
public class StatementLoader implements BatchLoader {

    private final ErrorClassifier errors;
    private final boolean savepoints;
    private final WritePlan plan;
    private final Connection connection;
    private final WriterContext context;
    private final PreparedStatement statement;

    public StatementLoader(Dialect dialect, WritePlan plan, Connection connection, WriterContext context)
            throws SQLException {
        this.errors = dialect.errors();
        this.savepoints = dialect.savepoints();
        this.plan = plan;
        this.connection = connection;
        this.context = context;
        this.statement = connection.prepareStatement(plan.statementSql());
    }

    @Override
    public void load(RowBatch batch, int from, int to) throws SQLException {
        if (!savepoints) {
            try {
                execute(batch, from, to);
            } finally {
                clearQuietly();
            }
            return;
        }
        Savepoint savepoint = connection.setSavepoint();
        try {
            execute(batch, from, to);
        } catch (SQLException | IllegalArgumentException | ArithmeticException | DateTimeException | ClassCastException e) {
            clearQuietly();
            if (e instanceof SQLException sql && errors.isRetriable(sql)) {
                throw sql;
            }
            connection.rollback(savepoint);
            loadRowByRow(batch, from, to);
            return;
        }
        connection.releaseSavepoint(savepoint);
    }

    private void execute(RowBatch batch, int from, int to) throws SQLException {
        for (int row = from; row < to; row++) {
            plan.bindRow(statement, batch, row);
            statement.addBatch();
        }
        statement.executeBatch();
    }

    private void loadRowByRow(RowBatch batch, int from, int to) throws SQLException {
        RowReplay.replay(connection, errors, plan, context, batch, from, to, "convert", row -> {
            plan.bindRow(statement, batch, row);
            statement.executeUpdate();
        });
    }

    private void clearQuietly() {
        try {
            statement.clearBatch();
            statement.clearParameters();
        } catch (SQLException ignored) {
            // The statement is reused only if the connection survived; a broken one is discarded.
        }
    }

    @Override
    public void close() {
        try {
            statement.close();
        } catch (SQLException ignored) {
            // Closing a statement of a broken connection fails; nothing is left to release.
        }
    }
}
