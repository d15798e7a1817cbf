package dev.ferry.connector.jdbc;

import dev.ferry.api.change.Partitioning;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions of a partitioned change target's base tables: staging tables, the atomic swap
 * that turns one into a date's partition, whether a date has a partition, and the merge that
 * builds a date's partition from the previous one and the day's change log. The SQL is the
 * dialect's {@link PartitionSql}; this class runs it, each swap in one transaction.
 *
 * <p>Threading: from the driver thread; each call borrows its own connection.
 */
final class PartitionStore {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionStore.class);

    private final JdbcChangeTarget tables;
    private final PartitionSql sql;
    private final PartitionLayout settings;

    /** How copies write staging tables. */
    WriteMode stagingWriteMode() {
        return sql.stagingWriteMode();
    }

    PartitionStore(JdbcChangeTarget tables, PartitionSql sql, PartitionLayout settings) {
        this.tables = tables;
        this.sql = sql;
        this.settings = settings;
    }

    /**
     * A base table as it is in the database.
     *
     * @param name    its exact name
     * @param columns its columns but the Business-Date column
     * @param key     the source's key columns as the base names them
     */
    record Base(TableName name, List<Column> columns, List<String> key) {

        List<String> columnNames() {
            return columns.stream().map(Column::name).toList();
        }
    }

    private Partitioning partitioning() {
        return settings.partitioning();
    }

    /** The base table of {@code mapping}, which {@link PartitionedChangeTarget#prepare} made. */
    Base base(Connection connection, TableMapping mapping) throws SQLException {
        String key = tables.config().path() + "." + JdbcChangeTargetConfig.TABLE_MAPPING;
        ResolvedTable table = ResolvedTable.resolve(connection, tables.dialect(), tables.tableOf(mapping.source()), key);
        String column = partitioning().column();
        List<Column> columns = new ArrayList<>();
        for (DbColumn c : table.columns()) {
            if (!c.name().equalsIgnoreCase(column)) {
                columns.add(c.column());
            }
        }
        List<String> keyColumns = new ArrayList<>();
        for (String k : mapping.schema().primaryKey()) {
            keyColumns.add(table.find(k).orElseThrow(() -> new ConfigException(new Violation(key, "must map "
                    + mapping.source() + " to a table with its key column '" + k + "'", "'" + table.name() + "'"))).name());
        }
        requirePartitioned(table, mapping.source());
        return new Base(table.name(), columns, keyColumns);
    }

    /** Fails when {@code table}, the base table of {@code source}, has no Business-Date column. */
    void requirePartitioned(ResolvedTable table, TableId source) {
        String column = partitioning().column();
        if (table.find(column).isEmpty()) {
            throw new ConfigException(new Violation(tables.config().path() + "." + JdbcChangeTargetConfig.TABLE_MAPPING,
                    "must map " + source + " to a partitioned table; " + table.name() + " has no Business-Date column '"
                            + column + "' (another kind of target made it)", "'" + table.name() + "'"));
        }
    }

    /** Whether {@code base} has a partition of {@code date}. */
    boolean exists(Connection connection, TableName base, LocalDate date) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql.partitionExistsSql(base, partitioning().column(),
                     partitioning().value(date)))) {
            return rs.next();
        }
    }

    /** The staging table of {@code date} for {@code purpose}, created when missing; what it holds is kept. */
    TableName stage(Connection connection, Base base, LocalDate date, String purpose) throws SQLException {
        String value = partitioning().value(date);
        TableName staging = sql.stagingTable(base.name(), value, purpose);
        if (settings.shard() != null) {
            // The shards' streams share the staging table: whichever comes first makes it.
            underShardLock(connection, base, "creating staging table " + staging, statement -> {
                if (!tableExists(connection, staging)) {
                    for (String create : sql.createStagingSql(base.name(), staging, schema(base), base.key(),
                            partitioning().column(), value, extraValues(base, date))) {
                        statement.execute(create);
                    }
                    LOG.info("target {}: staging table {} for the partition of {}, shared by {} shards", base.name(),
                            staging, date, settings.shard().count());
                }
                return null;
            });
            return staging;
        }
        if (!present(connection, staging)) {
            inTransaction(connection, sql.createStagingSql(base.name(), staging, schema(base), base.key(),
                    partitioning().column(), value, extraValues(base, date)), "creating staging table " + staging);
            LOG.info("target {}: staging table {} for the partition of {}", base.name(), staging, date);
        }
        return staging;
    }

    private boolean present(Connection connection, TableName table) throws SQLException {
        try {
            ResolvedTable.resolve(connection, tables.dialect(), table, "staging table");
            return true;
        } catch (SyncException e) {
            if (e.kind() != ErrorKind.CONFIGURATION) {
                throw e;
            }
            return false;
        } finally {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        }
    }

    /** The extra columns' values in {@code date}'s partition, by their names in {@code base}. */
    private Map<String, String> extraValues(Base base, LocalDate date) {
        Map<String, String> values = new LinkedHashMap<>();
        settings.extraValues(date).forEach((name, value) -> base.columns().stream()
                .filter(c -> c.name().equalsIgnoreCase(name)).findFirst()
                .ifPresent(c -> values.put(c.name(), value)));
        return values;
    }

    private static TableSchema schema(Base base) {
        return new TableSchema(base.name().name(), base.columns(), base.key());
    }

    /**
     * Replaces {@code base}'s partition of {@code date} by the staging table a copy wrote, atomically;
     * for a sharded source, once every shard has written its rows into it: each shard records that it
     * has, and the last one swaps, all under one lock, so the partition is replaced once and whole.
     *
     * @return whether the partition was replaced (false while other shards have yet to write)
     */
    boolean swapWritten(Connection connection, Base base, TableName staging, LocalDate date) throws SQLException {
        PartitionLayout.Shard shard = settings.shard();
        if (shard == null) {
            swap(connection, base, staging, date);
            return true;
        }
        PartitionSql.ShardLedgerSql ledger = sql.shardLedgerSql(shardLedger(base));
        return underShardLock(connection, base, "replacing the partition of " + date + " of " + base.name(), statement -> {
            long written;
            try (PreparedStatement record = connection.prepareStatement(ledger.record());
                 PreparedStatement count = connection.prepareStatement(ledger.count())) {
                record.setString(1, staging.toString());
                record.setInt(2, shard.index());
                record.executeUpdate();
                count.setString(1, staging.toString());
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    written = rs.getLong(1);
                }
            }
            if (written < shard.count()) {
                LOG.info("target {}: shard {} wrote its rows of {}; {} of {} shards have", base.name(), shard.index(),
                        date, written, shard.count());
                return false;
            }
            String value = partitioning().value(date);
            String column = partitioning().column();
            for (String sqlText : sql.beforeSwapSql(base.name(), staging, base.key(), column, value)) {
                statement.execute(sqlText);
            }
            for (String sqlText : sql.swapSql(base.name(), staging, base.key(), base.columnNames(), column, value)) {
                statement.execute(sqlText);
            }
            try (PreparedStatement forget = connection.prepareStatement(ledger.forget())) {
                forget.setString(1, staging.toString());
                forget.executeUpdate();
            }
            LOG.info("target {}: partition of {} replaced, every shard's rows written", base.name(), date);
            return true;
        });
    }

    /** Where a sharded source's streams record which of them wrote a staging table: the base's schema. */
    private static TableName shardLedger(Base base) {
        return new TableName(base.name().schema(), "ferry_partition_shards");
    }

    /** Work on one connection, in one transaction, holding the lock every shard of the source takes. */
    private interface LockedWork<T> {
        T run(Statement statement) throws SQLException;
    }

    private <T> T underShardLock(Connection connection, Base base, String action, LockedWork<T> work)
            throws SQLException {
        TableName ledger = shardLedger(base);
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql.exclusiveLockSql(ledger).orElseThrow(() -> new IllegalStateException(
                    tables.dialect().name() + " cannot serialise a sharded source's writes")));
            statement.execute(sql.shardLedgerSql(ledger).create());
            T result = work.run(statement);
            connection.commit();
            return result;
        } catch (SQLException e) {
            connection.rollback();
            throw tables.errors().translate(action, e);
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Whether {@code table} exists, seen from the connection's transaction. */
    private boolean tableExists(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql.tableExistsSql())) {
            query.setString(1, table.schema());
            query.setString(2, table.name());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Replaces {@code base}'s partition of {@code date} by the staging table, atomically. */
    void swap(Connection connection, Base base, TableName staging, LocalDate date) throws SQLException {
        String value = partitioning().value(date);
        String column = partitioning().column();
        for (String statement : sql.beforeSwapSql(base.name(), staging, base.key(), column, value)) {
            tables.execute(connection, statement, "preparing " + staging + " to become a partition");
        }
        inTransaction(connection, sql.swapSql(base.name(), staging, base.key(), base.columnNames(), column, value),
                "replacing the partition of " + date + " of " + base.name() + " by " + staging);
        LOG.info("target {}: partition of {} replaced", base.name(), date);
    }

    /**
     * Builds {@code date}'s partition from {@code previous}'s and the changes logged for {@code date}.
     *
     * @return the rows of the new partition
     */
    long merge(Connection connection, TableMapping mapping, LocalDate date, LocalDate previous) throws SQLException {
        Base base = base(connection, mapping);
        if (!exists(connection, base.name(), previous)) {
            throw new SyncException(ErrorKind.CONFIGURATION, "cannot merge the partition of " + date + " of "
                    + base.name() + ": the partition of " + previous + " it builds on is missing; merge or backfill "
                    + previous + " first");
        }
        TableName log = settings.logOf(base.name());
        ResolvedTable logTable = ResolvedTable.resolve(connection, tables.dialect(), log, "change log");
        List<Column> sourceColumns = base.columns().stream().filter(c -> !settings.isExtra(c.name())).toList();
        tables.addMissingColumns(connection, logTable, sourceColumns, base.name().toString());
        String value = partitioning().value(date);
        TableName staging = sql.stagingTable(base.name(), value, "merge");
        List<String> build = new ArrayList<>();
        build.add(sql.dropTableSql(staging));
        build.addAll(sql.createStagingSql(base.name(), staging, schema(base), base.key(), partitioning().column(), value,
                extraValues(base, date)));
        // The extra columns are not merged: the staging table's defaults give them the new date's values.
        build.add(sql.mergeSql(base.name(), logTable.name(), staging, sourceColumns.stream().map(Column::name).toList(),
                base.key(), partitioning().column(), value, partitioning().value(previous)));
        inTransaction(connection, build, "merging the changes of " + date + " into " + staging);
        long rows = count(connection, staging, value);
        swap(connection, base, staging, date);
        LOG.info("target {}: merged the partition of {} over {}: {} rows", base.name(), date, previous, rows);
        return rows;
    }

    private long count(Connection connection, TableName table, String value) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql.countSql(table, partitioning().column(), value))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs the statements in one transaction, leaving the connection in auto-commit. */
    private void inTransaction(Connection connection, List<String> statements, String action) throws SQLException {
        connection.setAutoCommit(false);
        String current = null;
        try (Statement statement = connection.createStatement()) {
            for (String sqlText : statements) {
                current = sqlText;
                statement.execute(sqlText);
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            LOG.debug("{} failed at: {}", action, current);
            throw tables.errors().translate(action, e);
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
