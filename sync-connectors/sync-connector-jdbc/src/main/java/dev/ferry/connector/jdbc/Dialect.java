package dev.ferry.connector.jdbc;

import com.zaxxer.hikari.HikariConfig;
import dev.ferry.api.WriterContext;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;

/**
 * Everything that differs between databases, in one place per database: identifier quoting,
 * type mapping in both directions, the SQL of upserts, updates and split predicates, how to stream
 * a result, the bulk-insert fast path, session setup, and which errors are retriable.
 *
 * <p>{@link GenericDialect} implements it with standard SQL and JDBC; each database's dialect
 * extends that and overrides only what its database does differently. Optional capabilities are
 * separate interfaces ({@link SnapshotExport}).
 *
 * <p>Threading: dialects are immutable and safe to share.
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

    // ---------------------------------------------------------------- identifiers and names

    /** The identifier quoted so that any character in it is taken literally. */
    String quoteIdentifier(String identifier);

    /** The table name quoted part by part. */
    default String quoteTable(TableName table) {
        return table.schema() == null ? quoteIdentifier(table.name())
                : quoteIdentifier(table.schema()) + "." + quoteIdentifier(table.name());
    }

    /** Whether a backslash escapes characters inside string literals (for splitting SQL scripts). */
    boolean backslashEscapes();

    /**
     * The spellings to try, in order, when looking up a name the user typed (as given, then folded
     * the way the database folds unquoted names).
     */
    List<String> nameCandidates(String name);

    /** The schema an unqualified table name is looked up in, or null when the database has none. */
    String currentSchema(Connection connection) throws SQLException;

    /** The primary-key columns of a table, in key order, or empty. */
    List<String> primaryKey(Connection connection, TableName table) throws SQLException;

    // ---------------------------------------------------------------- types

    /** Maps column {@code index} (1-based) of a result set to a logical column. */
    DbColumn column(ResultSetMetaData metaData, int index) throws SQLException;

    /** How to read a column of that type from a result set. */
    ColumnReader reader(DbColumn column);

    /**
     * How to bind a value of the source column to a parameter for the target column. Values of
     * different types are converted through their text form and parsed by the database, so a value
     * that does not fit is rejected with the database's reason instead of being coerced.
     */
    ValueBinder binder(Column source, DbColumn target);

    /** Binds SQL NULL for the target column. */
    void bindNull(PreparedStatement statement, int index, DbColumn target) throws SQLException;

    /** The column's type in {@code CREATE TABLE} (the reverse mapping). */
    String columnDefinition(Column column);

    // ---------------------------------------------------------------- SQL

    String insertSql(String quotedTable, List<String> columns);

    /** Insert, or update the non-key columns when a row with the same key exists. */
    String upsertSql(String quotedTable, List<String> columns, List<String> keyColumns);

    /** Updates {@code setColumns} of the row with the given key: SET parameters first, then key parameters. */
    String updateSql(String quotedTable, List<String> setColumns, List<String> keyColumns);

    String truncateSql(String quotedTable);

    /** Deletes the row with the given key: one parameter per key column, in order. */
    String deleteSql(String quotedTable, List<String> keyColumns);

    /**
     * The statement that applies a whole new row of a change stream, idempotently by key: the
     * upsert, unless the table has other unique keys and the database's upsert would then update
     * a different row (MariaDB's {@code ON DUPLICATE KEY}), where a dialect replaces instead.
     *
     * @param otherUniqueKeys whether the table has unique keys besides {@code keyColumns}
     */
    default String changeUpsertSql(String quotedTable, List<String> columns, List<String> keyColumns,
                                   boolean otherUniqueKeys) {
        return upsertSql(quotedTable, columns, keyColumns);
    }

    /** Adds a column shaped like {@code column}, nullable, to an existing table. */
    String addColumnSql(String quotedTable, Column column);

    /** The column sets of the table's unique indexes and constraints, primary key included. */
    List<List<String>> uniqueKeys(Connection connection, TableName table) throws SQLException;

    /** {@code CREATE TABLE} for a table shaped like {@code schema}, with its primary key. */
    String createTableSql(String quotedTable, TableSchema schema);

    /** Whether a failure means the table (or its schema) does not exist. */
    boolean isUndefinedTable(SQLException error);

    /**
     * The clause that skips {@code offset} rows and keeps one ({@code OFFSET n ROWS FETCH FIRST 1
     * ROW ONLY}, {@code LIMIT 1 OFFSET n}), which split planning uses to walk the key index; null
     * when the database has none, and the planner streams the ordered keys instead.
     */
    String skipAndTakeOne(long offset);

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

    // ---------------------------------------------------------------- errors

    /**
     * Whether the failure is about the connection or the transaction rather than the statement (a
     * dropped connection, an administrator shutdown, a deadlock): trying the split again may
     * succeed.
     */
    boolean isRetriable(SQLException error);

    /** Whether the failure is about the values of the row (too long, out of range, NOT NULL…). */
    boolean isDataError(SQLException error);

    /** The database's reason, without secrets' worth of URL, for a dirty row or a message. */
    String describe(SQLException error);

    // ---------------------------------------------------------------- diagnostics and tests

    /** SQL returning the server's id for the current session, or null when the database has none. */
    String sessionIdSql();

    /**
     * SQL that terminates another session by id (tests use it to cut connections), or null when
     * the database has none.
     */
    String killSessionSql(long sessionId);
}
