package dev.ferry.connector.jdbc;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.TableSchema;
import java.util.List;

/**
 * How one database's SQL is written: identifiers and how unquoted names fold, the statements that
 * write, change and create tables, and the clause split planning walks the key index with.
 *
 * <p>A renderer only builds text: it never touches a connection. Anything that has to ask the
 * database (keys, statistics, sessions) stays on the {@link Dialect}. Statements take the table
 * already quoted ({@link #quoteTable}) and column names unquoted; every identifier they add is
 * quoted with {@link #quoteIdentifier}. Parameters are JDBC {@code ?} placeholders in the order
 * each method states.
 *
 * <p>{@link GenericSql} implements it with standard SQL; each database's renderer extends that. A
 * dialect exposes its renderer as {@link Dialect#sql()}.
 *
 * <p>Threading: implementations are immutable and safe to share.
 */
public interface SqlRenderer {

    // ---------------------------------------------------------------- identifiers and names

    /**
     * The identifier quoted so that any character in it is taken literally.
     *
     * @throws IllegalArgumentException when the identifier holds a character no quoting can carry (NUL)
     */
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

    // ---------------------------------------------------------------- writing rows

    /** Inserts one row: one parameter per column, in order. */
    String insertSql(String quotedTable, List<String> columns);

    /**
     * Insert, or update the non-key columns when a row with the same key exists: one parameter
     * per column, in order.
     */
    String upsertSql(String quotedTable, List<String> columns, List<String> keyColumns);

    /** Updates {@code setColumns} of the row with the given key: SET parameters first, then key parameters. */
    String updateSql(String quotedTable, List<String> setColumns, List<String> keyColumns);

    /** Deletes the row with the given key: one parameter per key column, in order. */
    String deleteSql(String quotedTable, List<String> keyColumns);

    /** Removes every row of the table (no parameters). */
    String truncateSql(String quotedTable);

    /**
     * Creates a target's split ledger where missing: the ledger id (up to 64 characters) and split
     * id (up to {@code maxSplitId}) as key, the split's records. Every name comes quoted.
     */
    default String splitLedgerTableSql(String quotedTable, String ledger, String split, String records,
                                       int maxSplitId) {
        return "CREATE TABLE IF NOT EXISTS " + quotedTable + " (" + ledger + " VARCHAR(64) NOT NULL, " + split
                + " VARCHAR(" + maxSplitId + ") NOT NULL, " + records + " BIGINT NOT NULL, PRIMARY KEY (" + ledger
                + ", " + split + "))";
    }

    /**
     * The statement that applies a whole new row of a change stream, idempotently by key: the
     * upsert, unless the table has other unique keys and the database's upsert would then update
     * a different row (MariaDB's {@code ON DUPLICATE KEY}), where a renderer replaces instead.
     * One parameter per column, in order, like {@link #upsertSql}.
     *
     * @param otherUniqueKeys whether the table has unique keys besides {@code keyColumns}
     */
    default String changeUpsertSql(String quotedTable, List<String> columns, List<String> keyColumns,
                                   boolean otherUniqueKeys) {
        return upsertSql(quotedTable, columns, keyColumns);
    }

    // ---------------------------------------------------------------- tables

    /** {@code CREATE TABLE} for a table shaped like {@code schema}, with its primary key. */
    String createTableSql(String quotedTable, TableSchema schema);

    /** Adds a column shaped like {@code column}, nullable, to an existing table. */
    String addColumnSql(String quotedTable, Column column);

    // ---------------------------------------------------------------- split planning

    /**
     * The clause that skips {@code offset} rows and keeps one ({@code OFFSET n ROWS FETCH FIRST 1
     * ROW ONLY}, {@code LIMIT 1 OFFSET n}), which split planning uses to walk the key index; null
     * when the database has none, and the planner streams the ordered keys instead.
     */
    String skipAndTakeOne(long offset);
}
