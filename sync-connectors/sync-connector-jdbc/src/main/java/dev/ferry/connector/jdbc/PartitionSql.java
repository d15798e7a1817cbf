package dev.ferry.connector.jdbc;

import dev.ferry.api.data.TableSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of a {@code partitioned} change target that differs between databases: how a base table
 * is partitioned by its Business-Date column, how a partition's staging table is made and swapped
 * in, how the existence of a partition is told, and how a change is logged once. A dialect whose
 * database can keep partitions hands one out as {@link Dialect#partitions()}.
 *
 * <p>Every table a {@link PartitionedChangeTarget} uses for a base table lives in the base's
 * schema: the change log, and per date a staging table for each purpose (a partition write, a
 * merge) that {@link #swapSql} turns into the date's partition in one transaction.
 *
 * <p>Like an {@link SqlRenderer}, it only builds text: the target runs it. Business-Date values
 * are formatted dates and appear as quoted literals. {@link StandardPartitionSql} writes the parts
 * that standard SQL can (the change log, the merge) once for every database.
 *
 * <p>Threading: implementations are immutable and safe to share.
 */
public interface PartitionSql {

    /** The change log's column holding the change's kind ({@code I}, {@code U}, {@code D}). */
    String KIND = "_ferry_kind";
    /** The change log's column holding the position's order key. */
    String POSITION = "_ferry_position";
    /** The change log's column holding the change's sequence in its transaction. */
    String SEQUENCE = "_ferry_sequence";
    /** The change log's column holding the commit time of the change's transaction. */
    String COMMIT_TIME = "_ferry_commit_time";

    /** {@code CREATE TABLE} of a base table: the source's columns, then the Business-Date column {@code column}. */
    String createBaseTableSql(TableName base, TableSchema source, String column);

    /** Statements run once per start after the base table exists; each is harmless when run again. */
    List<String> prepareBaseSql(TableName base);

    /**
     * {@code CREATE TABLE} of a change log: kind, position order key, sequence, commit time, the
     * Business-Date column, then the source's columns, all nullable but the first five; keyed on
     * position and sequence.
     */
    String createLogTableSql(TableName log, TableSchema source, String column);

    /**
     * Inserts {@code rows} changes into a log, each unless a change with its position and sequence
     * is there: per row, parameters are kind, position, sequence, commit time, Business Date, then
     * {@code columns}. Several rows per statement: databases such as DuckDB run a JDBC batch one
     * statement at a time, twenty times slower than one statement of 256 rows.
     */
    String logInsertSql(TableName log, List<String> columns, String column, int rows);

    /** The staging table of {@code base}'s partition of {@code value} for one purpose ({@code "stage"}, {@code "merge"}). */
    /**
     * How a copy writes a staging table: {@link WriteMode#UPSERT} by the source's key, so a split
     * written again overwrites its rows; or {@link WriteMode#INSERT} where writing row by row by key
     * is slow (an analytical database's bulk path), the staging table then having no key and
     * {@link #swapSql} keeping one row per key.
     */
    default WriteMode stagingWriteMode() {
        return WriteMode.UPSERT;
    }

    TableName stagingTable(TableName base, String value, String purpose);

    /**
     * Creates a missing staging table in one transaction: every base column, the Business-Date
     * column defaulting to {@code value} and each column of {@code defaults} to its value (the
     * extra columns, which no copy or merge writes), keyed on {@code keyColumns} (the source's key)
     * so that a copy can write it by key.
     *
     * @param baseColumns the base table's columns but the Business-Date column, as the base names them
     * @param defaults    the values of the extra columns in this partition, by column name as the base names it
     */
    List<String> createStagingSql(TableName base, TableName staging, TableSchema baseColumns, List<String> keyColumns,
                                  String column, String value, Map<String, String> defaults);

    /** Statements run on a filled staging table before {@link #swapSql}, outside its transaction (building indexes). */
    List<String> beforeSwapSql(TableName base, TableName staging, List<String> keyColumns, String column, String value);

    /**
     * Replaces {@code base}'s partition of {@code value} by the staging table, run in one transaction;
     * the staging table is gone afterwards.
     *
     * @param columns the base's columns but the Business-Date column
     */
    List<String> swapSql(TableName base, TableName staging, List<String> keyColumns, List<String> columns, String column,
                         String value);

    /** A query that returns a row when {@code base} has a partition of {@code value} (empty or not). */
    String partitionExistsSql(TableName base, String column, String value);

    /**
     * Fills a staging table with the merge of the partition of {@code previousValue} and the
     * changes logged for {@code value}: every row of the previous partition whose key has no
     * logged change that day, and for each key the latest change by position then sequence unless
     * it is a delete.
     *
     * @param columns the base's columns but the Business-Date column (the log has them all)
     */
    String mergeSql(TableName base, TableName log, TableName staging, List<String> columns, List<String> keyColumns,
                    String column, String value, String previousValue);

    /** Counts a table's rows of one Business Date. */
    String countSql(TableName table, String column, String value);

    /** Drops a table when it exists. */
    String dropTableSql(TableName table);

    /**
     * A statement that, run in a transaction, makes every other transaction running it for the same
     * {@code base} wait until this one ends: what serialises the writes of a sharded source's
     * streams to one partition. Empty where the database has none, which then takes no sharded source.
     */
    default Optional<String> exclusiveLockSql(TableName base) {
        return Optional.empty();
    }

    /**
     * The statements that keep, in {@code ledger}, which shards of a sharded source have written a
     * staging table: {@code create} (when missing), {@code record} (parameters: the staging table's
     * name, the shard; once per shard), {@code count} (parameter: the staging table's name) and
     * {@code forget} (the same parameter, once the staging table is swapped in).
     */
    record ShardLedgerSql(String create, String record, String count, String forget) {
    }

    /** The shard ledger's statements for {@code ledger}. */
    ShardLedgerSql shardLedgerSql(TableName ledger);

    /** A query with a row when the table named by its parameters (schema, or null for the current one; name) exists. */
    String tableExistsSql();
}
