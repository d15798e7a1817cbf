package dev.ferry.connector.jdbc;

import com.zaxxer.hikari.HikariConfig;
import dev.ferry.api.WriterContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * Everything that differs between databases, in one place per database and concern.
 *
 * <h2>Design note: three concerns behind one dialect</h2>
 * A dialect is the only thing a JDBC connector is given for its database. What differs splits
 * into concerns that change for different reasons, each an object of its own that the dialect
 * hands out:
 * <ul>
 *   <li>{@link #types()}, a {@link TypeMapping}: database types to logical types and back, the
 *       column readers and value binders (chosen once per column), text forms, column
 *       definitions;</li>
 *   <li>{@link #sql()}, a {@link SqlRenderer}: quoting and name folding, the statements that write
 *       and change rows and create and alter tables, the clause split planning walks with;</li>
 *   <li>{@link #errors()}, an {@link ErrorClassifier}: retriable, data error, missing table, and
 *       the database's reason in words.</li>
 * </ul>
 * The dialect itself keeps what needs a connection or a session: the URL, the pool's settings,
 * catalog look-ups (current schema, keys, row estimates), streaming reads, the loader that writes
 * batches, commits in doubt and session ids. Each concern has a standard implementation
 * ({@link GenericTypes}, {@link GenericSql}, {@link GenericErrors}, put together by
 * {@link GenericDialect}); a database overrides each one in a class of its own ({@code H2Types},
 * {@code H2Sql}, {@code H2Errors} for {@link H2Dialect}) and its dialect puts its three together,
 * so everything a database does differently about, say, errors is in one class. A renderer renders
 * column types with the dialect's own mapping. Optional capabilities are separate interfaces
 * ({@link SnapshotExport}).
 *
 * <p>Callers that need one concern only take that object ({@link ErrorTranslator} and
 * {@link RowReplay} take an {@link ErrorClassifier}); plans that bind values per row keep the
 * mapping they were made with instead of asking the dialect for it per value.
 *
 * <p>Threading: dialects, and the objects they hand out, are immutable and safe to share.
 */
public interface Dialect {

    /** The connector name this dialect serves ({@code "postgresql"}). */
    String name();

    /** Whether a JDBC URL is one this dialect's driver handles. */
    boolean acceptsUrl(String url);

    /** An example URL for messages and documentation. */
    String urlExample();

    /** The URL handed to the driver (a dialect may add a parameter its driver needs). */
    default String driverUrl(String url) {
        return url;
    }

    // ---------------------------------------------------------------- the three concerns

    /** How this database's types map to logical types and back. */
    TypeMapping types();

    /** How this database's SQL is written. */
    SqlRenderer sql();

    /** What this database's failures mean. */
    ErrorClassifier errors();

    /**
     * How this database keeps tables partitioned by Business Date for a {@code partitioned} change
     * target, or empty when it cannot.
     */
    default Optional<PartitionSql> partitions() {
        return Optional.empty();
    }

    /**
     * How this database computes verification's canonical form and row hash in SQL, or empty when
     * it cannot (verification then hashes the rows it reads).
     */
    default Optional<DigestSql> digestSql() {
        return Optional.empty();
    }

    // ---------------------------------------------------------------- catalog

    /** The schema an unqualified table name is looked up in, or null when the database has none. */
    String currentSchema(Connection connection) throws SQLException;

    /** The primary-key columns of a table, in key order, or empty. */
    List<String> primaryKey(Connection connection, TableName table) throws SQLException;

    /** The column sets of the table's unique indexes and constraints, primary key included. */
    List<List<String>> uniqueKeys(Connection connection, TableName table) throws SQLException;

    /**
     * The database's own estimate of the table's row count from its statistics (no scan), or -1
     * when it has none. Split planning uses it instead of counting when no {@code where} applies.
     */
    long estimateRows(Connection connection, TableName table) throws SQLException;

    // ---------------------------------------------------------------- connections and streaming

    /** Driver properties, timeouts and session setup for a pool of this dialect. */
    void configurePool(HikariConfig config, JdbcEndpoint endpoint);

    /**
     * Prepares a pooled connection for one streaming read (PostgreSQL needs a transaction for its
     * cursors). Undone by {@link #finishRead}.
     */
    void beginRead(Connection connection) throws SQLException;

    /** Ends what {@link #beginRead} started; called whatever happened. */
    void finishRead(Connection connection) throws SQLException;

    /**
     * Prepares a split's read query on a connection that {@link #beginRead} prepared: forward-only
     * and read-only, in the wire format the dialect reads fastest. Then {@link #configureStreaming}.
     */
    PreparedStatement prepareRead(Connection connection, String sql) throws SQLException;

    /** Makes a statement stream its result with bounded memory. */
    void configureStreaming(PreparedStatement statement, int fetchSize) throws SQLException;

    // ---------------------------------------------------------------- writing

    /**
     * Opens the loader that writes batches for the plan on one connection. The default is batched
     * prepared statements with row-by-row fallback; a dialect may return its bulk path (COPY) for
     * plain inserts.
     */
    BatchLoader openLoader(WritePlan plan, Connection connection, WriterContext context) throws SQLException;

    /**
     * Whether a transaction survives a failed statement once rolled back to a savepoint, so that
     * writers can send a refused batch again row by row and set only the refused rows aside as
     * dirty. A database without savepoints, or that aborts the whole transaction at the first
     * failed statement (DuckDB), answers false: there a batch the database refuses fails the split
     * (or the change batch) with the database's reason.
     */
    default boolean savepoints() {
        return true;
    }

    /**
     * Identifies the open transaction so that its outcome can still be learnt when the connection
     * is lost while its COMMIT is in flight; null when the database cannot tell (then such a split
     * is retried, which for inserts risks duplicating it).
     */
    String transactionToken(Connection connection) throws SQLException;

    /**
     * Asks, on another connection, how the transaction of {@code token} ended: TRUE committed,
     * FALSE rolled back, null not decided yet or unknown.
     */
    Boolean transactionCommitted(Connection other, String token) throws SQLException;

    // ---------------------------------------------------------------- diagnostics and tests

    /** SQL returning the server's id for the current session, or null when the database has none. */
    String sessionIdSql();

    /**
     * The server's id for the connection's session, by {@link #sessionIdSql()} unless the driver
     * knows it without a query (which also works while a bulk load holds the connection).
     */
    default long sessionId(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sessionIdSql())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * SQL that terminates another session by id (tests use it to cut connections), or null when
     * the database has none.
     */
    String killSessionSql(long sessionId);
}
