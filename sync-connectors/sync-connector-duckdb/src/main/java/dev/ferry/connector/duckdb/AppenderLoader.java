package dev.ferry.connector.duckdb;

import dev.ferry.api.WriterContext;
import dev.ferry.api.data.RowBatch;
import dev.ferry.connector.jdbc.BatchLoader;
import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.JdbcKeys;
import dev.ferry.connector.jdbc.ResolvedTable;
import dev.ferry.connector.jdbc.WritePlan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Inserts through DuckDB's appender ({@link DuckDBConnection#createAppender}), which writes rows
 * into the table's storage directly instead of parsing and planning an INSERT per batch.
 *
 * <p><b>Transactions.</b> Appended rows belong to the transaction the connection has running when
 * they are flushed, and DuckDB's driver begins the transaction of a connection without auto-commit
 * only when a statement runs. So every batch first runs a trivial prepared statement, which makes
 * the driver begin the split's transaction if it has not yet, then appends its rows and flushes
 * them: the split's rows commit or roll back with the split, and a statement run before them in the
 * same transaction (a {@code DELETE} of the rows they replace) is atomic with them.
 *
 * <p><b>Columns.</b> The appender fills every column of the table in table order: columns the plan
 * does not write get their default ({@code appendDefault}). Values are appended in the target
 * column's exact type ({@link ValueAppender}); a value that cannot be (an integer out of a
 * {@code SMALLINT}'s range, a decimal with too many digits) is reported dirty before its row is
 * begun and the rest of the batch is written. Anything DuckDB refuses when the rows are flushed (a
 * duplicate key, NULL in a NOT NULL column) fails the batch, and with it the split, with DuckDB's
 * reason: DuckDB has no savepoints to set single rows aside.
 *
 * <p>Threading: used by one writer thread.
 */
final class AppenderLoader implements BatchLoader {

    private final WritePlan plan;
    private final DuckDBConnection connection;
    private final WriterContext context;
    private final String schema;
    private final String table;
    /** For each table column in table order, the plan's target column written there, or -1. */
    private final int[] writtenColumn;
    private final ValueAppender[] appenders;
    private final boolean checks;
    private final PreparedStatement beginTransaction;
    private DuckDBAppender appender;

    private AppenderLoader(WritePlan plan, DuckDBConnection connection, WriterContext context, String schema,
                           int[] writtenColumn, ValueAppender[] appenders) throws SQLException {
        this.plan = plan;
        this.connection = connection;
        this.context = context;
        this.schema = schema;
        this.table = plan.table().name();
        this.writtenColumn = writtenColumn;
        this.appenders = appenders;
        boolean anyCheck = false;
        for (ValueAppender a : appenders) {
            anyCheck |= a.checks();
        }
        this.checks = anyCheck;
        this.beginTransaction = connection.prepareStatement("SELECT 1");
    }

    /**
     * The appender loader for the plan, or null when a column pair has no appender form (the plan
     * is then written with statements).
     */
    static AppenderLoader open(DuckDbDialect dialect, WritePlan plan, Connection connection, WriterContext context)
            throws SQLException {
        List<DbColumn> targets = plan.targetColumns();
        ValueAppender[] appenders = new ValueAppender[targets.size()];
        for (int i = 0; i < appenders.length; i++) {
            appenders[i] = ValueAppender.forPair(plan.sourceSchema().column(plan.sourceIndex(i)), targets.get(i));
            if (appenders[i] == null) {
                return null;
            }
        }
        List<String> tableColumns = ResolvedTable.resolve(connection, dialect, plan.table(), "target." + JdbcKeys.TABLE).columnNames();
        int[] writtenColumn = new int[tableColumns.size()];
        for (int i = 0; i < writtenColumn.length; i++) {
            writtenColumn[i] = -1;
            for (int t = 0; t < targets.size(); t++) {
                if (targets.get(t).name().equals(tableColumns.get(i))) {
                    writtenColumn[i] = t;
                }
            }
        }
        String schema = plan.table().schema() != null ? plan.table().schema() : dialect.currentSchema(connection);
        return new AppenderLoader(plan, connection.unwrap(DuckDBConnection.class), context, schema, writtenColumn,
                appenders);
    }

    @Override
    public void load(RowBatch batch, int from, int to) throws SQLException {
        beginTransaction.executeQuery().close();
        if (appender == null) {
            appender = connection.createAppender(schema, table);
        }
        boolean done = false;
        try {
            for (int row = from; row < to; row++) {
                if (checks && isDirty(batch, row)) {
                    continue;
                }
                appendRow(batch, row);
            }
            appender.flush();
            done = true;
        } finally {
            if (!done) {
                // A failed appender keeps its half-built state: start the next batch with a new one.
                closeAppender();
            }
        }
    }

    private boolean isDirty(RowBatch batch, int row) {
        for (int t = 0; t < appenders.length; t++) {
            int source = plan.sourceIndex(t);
            if (!batch.isNull(row, source)) {
                String problem = appenders[t].problem(batch, row, source);
                if (problem != null) {
                    context.reportDirty(batch, row, plan.table() + "." + plan.targetColumns().get(t).name() + ": " + problem);
                    return true;
                }
            }
        }
        return false;
    }

    private void appendRow(RowBatch batch, int row) throws SQLException {
        appender.beginRow();
        for (int target : writtenColumn) {
            if (target < 0) {
                appender.appendDefault();
                continue;
            }
            int source = plan.sourceIndex(target);
            if (batch.isNull(row, source)) {
                appender.appendNull();
            } else {
                appenders[target].append(appender, batch, row, source);
            }
        }
        appender.endRow();
    }

    private void closeAppender() {
        if (appender != null) {
            try {
                appender.close();
            } catch (SQLException ignored) {
                // Closing flushes what is left, which failed already; the writer rolls the split back.
            }
            appender = null;
        }
    }

    @Override
    public void close() {
        closeAppender();
        try {
            beginTransaction.close();
        } catch (SQLException ignored) {
            // The statement of a broken connection; nothing is left to release.
        }
    }
}
