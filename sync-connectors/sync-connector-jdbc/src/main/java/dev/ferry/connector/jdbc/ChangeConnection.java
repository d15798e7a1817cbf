package dev.ferry.connector.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ferry.api.WriterContext;
import dev.ferry.api.change.ChangeBatch;
import dev.ferry.api.error.SyncException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * The connection a change writer applies one channel's changes on, with its transaction and its
 * prepared statements: opened from the pool at the first write, committed and rolled back as the
 * {@link dev.ferry.api.change.ChangeWriter} contract says, and discarded (with every statement
 * prepared on it) when it fails in a way that may be retried, so that the next write opens a new
 * one. Prepared statements are kept in a bounded cache.
 *
 * <p>{@link #flush} sends a JDBC batch under a savepoint; when the database refuses it for a value,
 * its rows are written again one by one and only the refused ones are reported dirty (for a
 * dialect without savepoints the refused batch fails instead).
 *
 * <p>Threading: one channel thread.
 */
final class ChangeConnection implements AutoCloseable {

    static final int MAX_STATEMENTS = 256;

    private final ConnectionPool pool;
    private final Dialect dialect;
    private final ErrorTranslator translator;
    private final WriterContext context;
    private final Cache<String, PreparedStatement> statements = Caffeine.newBuilder().maximumSize(MAX_STATEMENTS)
            .executor(Runnable::run)
            .<String, PreparedStatement>removalListener((sql, statement, cause) -> closeQuietly(statement))
            .build();
    private Connection connection;

    ChangeConnection(ConnectionPool pool, Dialect dialect, ErrorTranslator translator, WriterContext context) {
        this.pool = pool;
        this.dialect = dialect;
        this.translator = translator;
        this.context = context;
    }

    /** The open connection, borrowed (without auto-commit) when there is none. */
    Connection open() throws SQLException {
        if (connection != null) {
            return connection;
        }
        Connection fresh = pool.borrow();
        try {
            fresh.setAutoCommit(false);
        } catch (SQLException e) {
            pool.evict(fresh);
            throw e;
        }
        connection = fresh;
        return connection;
    }

    /** The statement for {@code sql}, prepared on the open connection the first time. */
    PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement statement = statements.getIfPresent(sql);
        if (statement == null) {
            statement = open().prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /**
     * Executes the statement's batch of {@code pending} rows ({@code rows[0..pending)} of the
     * change batch), replaying them one by one with {@code rebind} when the database refuses a value.
     *
     * @param table the target table, for messages
     */
    void flush(PreparedStatement statement, ChangeBatch batch, int[] rows, int pending, String table,
               RowReplay.RowWrite rebind) throws SQLException {
        if (statement == null || pending == 0) {
            return;
        }
        executeOrReplay(statement::executeBatch, () -> clearQuietly(statement), batch, rows, pending, table, statement,
                rebind);
    }

    /** Binds the parameters of a statement, or runs it. */
    interface Binding {
        void bind() throws SQLException;
    }

    /**
     * Executes {@code group}, one statement writing {@code pending} rows ({@code rows[0..pending)} of
     * the change batch) that {@code bindAll} binds; when the database refuses a value, replays them
     * one by one through {@code single} with {@code rebind}, as {@link #flush} does.
     */
    void flushGroup(PreparedStatement group, Binding bindAll, ChangeBatch batch, int[] rows, int pending, String table,
                    PreparedStatement single, RowReplay.RowWrite rebind) throws SQLException {
        executeOrReplay(() -> {
            bindAll.bind();
            group.executeUpdate();
        }, () -> { }, batch, rows, pending, table, single, rebind);
    }

    /**
     * Runs {@code execute} under a savepoint where the dialect has them; when the database refuses
     * a value, rolls back to it and replays the rows one by one through {@code single}, so that only
     * the refused rows become dirty. {@code clear} forgets what the failed statement held.
     */
    private void executeOrReplay(Binding execute, Runnable clear, ChangeBatch batch, int[] rows, int pending,
                                 String table, PreparedStatement single, RowReplay.RowWrite rebind) throws SQLException {
        if (!dialect.savepoints()) {
            try {
                execute.bind();
            } finally {
                clear.run();
            }
            return;
        }
        Savepoint savepoint = connection.setSavepoint();
        try {
            execute.bind();
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            clear.run();
            if (dialect.errors().isRetriable(e)) {
                throw e;
            }
            connection.rollback(savepoint);
            RowReplay.replay(connection, dialect.errors(), translator.redactor(), table, context, batch, rows, 0, pending,
                    "convert", row -> {
                        rebind.write(row);
                        single.executeUpdate();
                    });
        }
    }

    /** Makes everything written since the last commit durable; nothing to do before the first write. */
    void commit() {
        if (connection == null) {
            return;
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            throw fail("committing applied changes", e);
        }
    }

    /** Discards what was written since the last commit (the connection too, when even that fails). */
    void rollback() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            discard();
        }
    }

    /** The failure translated; a retriable one discards the connection first. */
    SyncException fail(String action, SQLException error) {
        SyncException translated = translator.translate(action, error);
        if (translated.isRetriable()) {
            discard();
        }
        return translated;
    }

    /** Drops the connection and everything prepared on it; the next write opens a new one. */
    private void discard() {
        statements.invalidateAll();
        if (connection != null) {
            pool.evict(connection);
            connection = null;
        }
    }

    /** Rolls back anything uncommitted and gives the connection back; idempotent. */
    @Override
    public void close() {
        statements.invalidateAll();
        if (connection != null) {
            pool.giveBack(connection);
            connection = null;
        }
    }

    private static void clearQuietly(PreparedStatement statement) {
        try {
            statement.clearBatch();
            statement.clearParameters();
        } catch (SQLException ignored) {
            // a broken connection's statement is discarded with it
        }
    }

    private static void closeQuietly(PreparedStatement statement) {
        if (statement == null) {
            return;
        }
        try {
            statement.close();
        } catch (SQLException ignored) {
            // a broken connection's statement has nothing left to release
        }
    }
}
