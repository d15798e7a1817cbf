package dev.ferry.connector.jdbc;

import dev.ferry.api.JobContext;
import dev.ferry.api.Target;
import dev.ferry.api.WriterContext;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.ChangeWriter;
import dev.ferry.api.change.Partitioning;
import dev.ferry.api.change.SupportsPartitions;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@code partitioned} JDBC change target: each table is kept as one partition per Business Date
 * plus a change log, as {@link SupportsPartitions} describes, with the dialect's
 * {@link PartitionSql}.
 *
 * <p>{@link #prepare} maps tables as the mirroring {@link JdbcChangeTarget} does and makes, when
 * missing, the base table (the source's columns and the Business-Date column, partitioned the
 * dialect's way) and the change log (named with {@code logSuffix}); columns the source has and they
 * lack are added, nothing is dropped. Streaming writes only the log ({@link ChangeLogWriter}); a
 * partition is written whole by a {@link PartitionWrite} ({@link #snapshot} writes the
 * {@code partitionDate}'s) or by {@link #merge}, both through a staging table swapped in at once
 * ({@link PartitionStore}).
 *
 * <p>Threading: {@code createWriter} from channel threads; everything else from the driver thread.
 */
public final class PartitionedChangeTarget implements ChangeTarget, SupportsPartitions {

    private final JdbcChangeTarget tables;
    private final PartitionLayout settings;
    private final PartitionSql sql;
    private final PartitionStore store;
    private final Clock clock;
    private LocalDate snapshotDate;

    /**
     * @throws IllegalArgumentException when the configuration is not partitioned or the dialect
     *         cannot keep partitions (the configuration refuses both)
     */
    public PartitionedChangeTarget(Dialect dialect, JdbcChangeTargetConfig config) {
        this(dialect, config, Clock.systemUTC());
    }

    PartitionedChangeTarget(Dialect dialect, JdbcChangeTargetConfig config, Clock clock) {
        if (!config.partitioned()) {
            throw new IllegalArgumentException("the configuration is not partitioned");
        }
        this.settings = config.partitions();
        this.sql = dialect.partitions().orElseThrow(() -> new IllegalArgumentException(
                dialect.name() + " cannot keep partitioned tables"));
        this.tables = new JdbcChangeTarget(dialect, config);
        this.store = new PartitionStore(tables, sql, settings);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public List<TableMapping> prepare(JobContext context, List<CapturedTable> captured) {
        snapshotDate = settings.snapshotDateOr(clock);
        String column = settings.partitioning().column();
        for (CapturedTable table : captured) {
            checkPartitionable(table);
        }
        List<Column> extras = settings.extras().stream().map(e -> Column.of(e.name(), DataType.STRING)).toList();
        return tables.prepare(context, captured, (connection, base, table) -> {
            ResolvedTable resolved = tables.ensureTable(connection, base, table,
                    sql.createBaseTableSql(base, table.schema(), column));
            store.requirePartitioned(resolved, table.id());
            tables.addMissingColumns(connection, resolved, extras, "the extra columns");
            for (String statement : sql.prepareBaseSql(base)) {
                tables.execute(connection, statement, "preparing partitioned table " + base);
            }
            TableName log = settings.logOf(base);
            tables.addMissingColumns(connection, tables.ensureTable(connection, log, table,
                    sql.createLogTableSql(log, table.schema(), column)), extras, "the extra columns");
        });
    }

    private void checkPartitionable(CapturedTable table) {
        String key = tables.config().path() + "." + JdbcChangeTargetConfig.PARTITIONED;
        if (table.schema().primaryKey().isEmpty()) {
            throw new ConfigException(new Violation(key, "needs tables with a primary key, which merges apply changes by; "
                    + table.id() + " has none", "true"));
        }
        String column = settings.partitioning().column();
        for (Column c : table.schema().columns()) {
            if (settings.isExtra(c.name())) {
                throw new ConfigException(new Violation(tables.config().path() + "."
                        + JdbcChangeTargetConfig.CONSTANT_COLUMNS + "/" + JdbcChangeTargetConfig.BUSINESS_DATE_COLUMNS,
                        "must name columns the source tables lack; " + table.id() + " has column '" + c.name() + "'",
                        "'" + c.name() + "'"));
            }
            if (c.name().equalsIgnoreCase(column) || c.name().toLowerCase(Locale.ROOT).startsWith("_ferry_")) {
                throw new ConfigException(new Violation(tables.config().path() + "."
                        + JdbcChangeTargetConfig.PARTITION_COLUMN, "must name a column the source tables lack; "
                        + table.id() + " has column '" + c.name() + "' (and no source column may start with _ferry_)",
                        "'" + column + "'"));
            }
        }
    }

    @Override
    public Target snapshot(TableMapping table) {
        if (snapshotDate == null) {
            throw new IllegalStateException("snapshot() is valid after prepare()");
        }
        return partition(table, snapshotDate);
    }

    @Override
    public ChangeWriter createWriter(WriterContext context) {
        return new ChangeLogWriter(tables, settings, context);
    }

    @Override
    public Partitioning partitioning() {
        return settings.partitioning();
    }

    @Override
    public String logTable(TableMapping table) {
        return settings.logOf(tables.tableOf(table.source())).toString();
    }

    @Override
    public Target partition(TableMapping table, LocalDate date) {
        return new PartitionWrite(tables, store, table, date);
    }

    @Override
    public boolean hasPartition(JobContext context, TableMapping table, LocalDate date) {
        try (Connection connection = tables.pool().borrow()) {
            return store.exists(connection, store.base(connection, table).name(), date);
        } catch (SQLException e) {
            throw tables.errors().translate("looking for the partition of " + date + " of " + table.target(), e);
        }
    }

    @Override
    public long merge(JobContext context, TableMapping table, LocalDate date, LocalDate previous) {
        try (Connection connection = tables.pool().borrow()) {
            return store.merge(connection, table, date, previous);
        } catch (SQLException e) {
            throw tables.errors().translate("merging the partition of " + date + " of " + table.target(), e);
        }
    }

    /** The Business Date {@link #snapshot} writes; valid after {@link #prepare}. */
    public LocalDate snapshotDate() {
        return snapshotDate;
    }

    @Override
    public void close() {
        tables.close();
    }

    @Override
    public String toString() {
        return "PartitionedChangeTarget[" + tables + "]";
    }
}
