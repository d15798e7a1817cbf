package dev.ferry.connector.jdbc;

import dev.ferry.api.JobContext;
import dev.ferry.api.PlannedSource;
import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.SupportsSplitResume;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.verify.ColumnForm;
import dev.ferry.api.verify.SplitDigest;
import dev.ferry.api.verify.SupportsDigest;
import dev.ferry.api.verify.SupportsKeyOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a table (or the results of queries) over JDBC, split for parallel reading.
 *
 * <p>In PRE it opens the endpoint's pool (job concurrency + 2: one connection plans, one may
 * hold the snapshot), finds the table and its columns and, with {@code consistent}, exports a
 * snapshot from a coordinator transaction that stays open until {@link #close}. In SPLIT it plans
 * key ranges with {@link SplitPlanner} when {@code splitPk} names an integer column, one split
 * otherwise (with a warning when the column is not an integer), and one split per statement of
 * {@code querySql}. Each {@link JdbcReader} streams its split on its own pooled connection.
 *
 * <p>Threading: {@link #prepare}, {@link #planSplits} and {@link #close} run on the driver thread;
 * {@link #createReader} may be called from several channel threads at once and only reads state
 * that {@code prepare} published.
 */
public class JdbcSource implements Source, PlannedSource, SupportsSplitResume, SupportsKeyOrder, SupportsDigest {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSource.class);

    private final Dialect dialect;
    private final JdbcSourceConfig config;
    private final ErrorTranslator errors;

    private volatile ConnectionPool pool;
    private volatile JdbcReadPlan plan;
    private volatile ColumnReader[] readers;
    private volatile String label;
    private volatile String quotedTable;
    private volatile boolean keyNullable;
    private volatile String keyColumn;
    private volatile TableName tableName;
    private volatile String keyWarning;
    private volatile String splitColumn;
    private volatile Connection coordinator;
    private boolean closed;

    private final String importedSnapshot;
    private final SharedPool sharedPool;

    public JdbcSource(Dialect dialect, JdbcSourceConfig config) {
        this(dialect, config, null, null);
    }

    private JdbcSource(Dialect dialect, JdbcSourceConfig config, String importedSnapshot, SharedPool sharedPool) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.config = Objects.requireNonNull(config, "config");
        this.errors = new ErrorTranslator(dialect.errors(), config.endpoint().redactor());
        this.importedSnapshot = importedSnapshot;
        this.sharedPool = sharedPool;
    }

    /**
     * A source that copies one table of a stream on {@code pool}, shared with the stream's other
     * copies, instead of a pool of its own.
     *
     * @param snapshotId a snapshot exported elsewhere (a replication slot's) that every split reads,
     *                   which must stay valid until every split has started (the dialect must
     *                   support {@link SnapshotExport}); or null for each split's own snapshot
     */
    public static JdbcSource copying(Dialect dialect, JdbcSourceConfig config, SharedPool pool, String snapshotId) {
        if (snapshotId != null && !(dialect instanceof SnapshotExport)) {
            throw new IllegalArgumentException(dialect.name() + " cannot import snapshots");
        }
        return new JdbcSource(dialect, config.withConsistent(false), snapshotId, Objects.requireNonNull(pool, "pool"));
    }

    @Override
    public void prepare(JobContext context) {
        label = config.table() != null ? config.table().toString() : "query";
        pool = sharedPool != null ? sharedPool.acquire(context)
                : ConnectionPool.open(dialect, config.endpoint(), "ferry-" + context.jobName() + "-source",
                        context.concurrency() + 2);
        JdbcReadPlan prepared;
        try (Connection connection = pool.borrow()) {
            prepared = config.table() != null ? prepareTable(connection) : prepareQueries(connection);
        } catch (SQLException e) {
            throw errors.translate("preparing source " + label, e);
        }
        String snapshotId = null;
        if (importedSnapshot != null) {
            snapshotId = importedSnapshot;
            LOG.info("source {}: every split reads snapshot {}", label, snapshotId);
        } else if (config.consistent()) {
            if (!(dialect instanceof SnapshotExport export)) {
                throw new ConfigException(new Violation(config.path() + ".consistent",
                        "is supported by the postgresql connector only", "true"));
            }
            try {
                coordinator = pool.borrow();
                snapshotId = export.exportSnapshot(coordinator);
                LOG.info("source {}: every split reads snapshot {}", label, snapshotId);
            } catch (SQLException e) {
                throw errors.translate("exporting a snapshot of " + label, e);
            }
        }
        plan = snapshotId == null ? prepared : prepared.withSnapshot(snapshotId);
        readers = plan.readers(dialect);
    }

    private JdbcReadPlan prepareTable(Connection connection) throws SQLException {
        ResolvedTable table = ResolvedTable.resolve(connection, dialect, config.table(), config.path() + "." + JdbcKeys.TABLE);
        List<DbColumn> selected = config.columns() == null ? table.columns()
                : table.select(config.columns(), config.path() + "." + JdbcKeys.COLUMNS);
        List<Column> columns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (DbColumn column : selected) {
            columns.add(column.column());
            names.add(column.name());
        }
        List<String> primaryKey = dialect.primaryKey(connection, table.name());
        if (!names.containsAll(primaryKey)) {
            primaryKey = List.of();
        }
        label = table.name().toString();
        tableName = table.name();
        TableSchema schema = schema(label, columns, primaryKey);
        quotedTable = dialect.sql().quoteTable(table.name());
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < selected.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(dialect.sql().quoteIdentifier(selected.get(i).name()));
        }
        String selectSql = sql.append(" FROM ").append(quotedTable).toString();
        String quotedKey = null;
        if (config.splitPk() != null) {
            DbColumn key = table.find(config.splitPk()).orElseThrow(() -> new ConfigException(new Violation(
                    config.path() + "." + JdbcKeys.SPLIT_PK, "must name a column of table '" + label + "' (it has "
                    + table.columnNames() + ")", "'" + config.splitPk() + "'")));
            if (key.type() == DataType.INT64) {
                quotedKey = dialect.sql().quoteIdentifier(key.name());
                splitColumn = key.name();
                keyNullable = key.column().nullable();
                keyColumn = key.name();
            } else {
                keyWarning = config.path() + "." + JdbcKeys.SPLIT_PK + " column '" + key.name() + "' of table '" + label
                        + "' has type " + key.type().typeName() + " (" + key.nativeType() + "), not an integer type: "
                        + "reading the table as one split";
            }
        }
        return new JdbcReadPlan(label, schema, selected, selectSql, quotedKey, config.where(), List.of(),
                config.fetchSize(), null);
    }

    private JdbcReadPlan prepareQueries(Connection connection) throws SQLException {
        List<DbColumn> first = null;
        for (int i = 0; i < config.querySql().size(); i++) {
            List<DbColumn> columns = describeQuery(connection, config.querySql().get(i));
            if (first == null) {
                first = columns;
            } else if (columns.size() != first.size()) {
                throw new ConfigException(new Violation(config.path() + "." + JdbcKeys.QUERY_SQL,
                        "must return the same number of columns from every statement (statement 1 returns "
                                + first.size() + ", statement " + (i + 1) + " returns " + columns.size() + ")",
                        "'" + config.querySql().get(i) + "'"));
            }
        }
        List<Column> columns = new ArrayList<>();
        for (DbColumn column : first) {
            columns.add(column.column());
        }
        return new JdbcReadPlan("query", schema("query", columns, List.of()), first, null, null, null, config.querySql(),
                config.fetchSize(), null);
    }

    private List<DbColumn> describeQuery(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            ResultSetMetaData metaData = statement.getMetaData();
            if (metaData != null && metaData.getColumnCount() > 0) {
                return ResolvedTable.describe(dialect.types(), metaData);
            }
        } catch (SQLException e) {
            if (dialect.errors().isRetriable(e)) {
                throw e;
            }
            // Some drivers describe only what they execute; the zero-row wrapper below still works.
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM (" + sql + ") ferry_q WHERE 1=0");
             ResultSet rs = statement.executeQuery()) {
            return ResolvedTable.describe(dialect.types(), rs.getMetaData());
        }
    }

    private TableSchema schema(String name, List<Column> columns, List<String> primaryKey) {
        try {
            return new TableSchema(name, columns, primaryKey);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(new Violation(config.path() + (config.table() != null ? "." + JdbcKeys.COLUMNS
                    : "." + JdbcKeys.QUERY_SQL), "must not select a column name twice (alias the columns)", e.getMessage()));
        }
    }

    @Override
    public TableSchema schema() {
        return sourcePlan().schema();
    }

    @Override
    public JdbcReadPlan sourcePlan() {
        JdbcReadPlan prepared = plan;
        if (prepared == null) {
            throw new IllegalStateException("the plan is valid after prepare()");
        }
        return prepared;
    }

    @Override
    public List<? extends Split> planSplits(JobContext context) {
        if (config.table() == null) {
            if (config.splitPk() != null) {
                context.warn(config.path() + "." + JdbcKeys.SPLIT_PK + " is ignored with " + config.path() + "."
                        + JdbcKeys.QUERY_SQL + ": each query is read as one split");
            }
            List<JdbcSplit> splits = new ArrayList<>();
            for (int i = 0; i < config.querySql().size(); i++) {
                splits.add(new JdbcSplit.Query("query[" + (i + 1) + "]", i, config.querySql().get(i)));
            }
            return splits;
        }
        if (config.splitPk() == null) {
            LOG.info("source {}: no splitPk, reading the table as one split", label);
            return List.of(new JdbcSplit.Whole(label + "[*]"));
        }
        if (keyWarning != null) {
            context.warn(keyWarning);
            return List.of(new JdbcSplit.Whole(label + "[*]"));
        }
        int splitCount = config.splitCount() != null ? config.splitCount()
                : Math.max(1, Math.min(JdbcKeys.MAX_AUTO_SPLITS, context.concurrency() * JdbcKeys.SPLITS_PER_CHANNEL));
        SplitPlanner planner = new SplitPlanner(dialect, label,
                new SplitColumn(tableName, quotedTable, keyColumn, sourcePlan().quotedKey(), config.where()));
        long started = System.nanoTime();
        SplitPlanner.Plan planned;
        try {
            if (coordinator != null) {
                long estimate = config.where() == null ? dialect.estimateRows(coordinator, tableName) : -1;
                planned = planner.plan(coordinator, splitCount, config.fetchSize(), estimate, keyNullable);
            } else {
                try (Connection connection = pool.borrow()) {
                    long estimate = config.where() == null ? dialect.estimateRows(connection, tableName) : -1;
                    dialect.beginRead(connection);
                    try {
                        planned = planner.plan(connection, splitCount, config.fetchSize(), estimate, keyNullable);
                    } finally {
                        dialect.finishRead(connection);
                    }
                }
            }
        } catch (SQLException e) {
            throw errors.translate("planning splits of " + label + " by " + config.splitPk(), e);
        }
        LOG.info("source {}: {} splits by {} ({}{}) in {} ms", label, planned.splits().size(), config.splitPk(),
                planned.method(), planned.keyedRows() < 0 ? "" : ", " + planned.keyedRows() + " keyed rows"
                        + (planned.nullKeyRows() > 0 ? ", " + planned.nullKeyRows() + " with a NULL key" : ""),
                (System.nanoTime() - started) / 1_000_000);
        return planned.splits();
    }

    /** The table (or queries), the split column and the row filter. */
    @Override
    public String splitDesign() {
        if (config.table() == null) {
            return "queries " + config.querySql();
        }
        return label + " split by " + config.splitPk() + (config.where() == null ? "" : " where " + config.where());
    }

    @Override
    public SourceReader createReader(Split split) {
        if (!(split instanceof JdbcSplit jdbcSplit)) {
            throw new IllegalArgumentException("not a split of this source: " + split);
        }
        if (readers == null) {
            throw new IllegalStateException("createReader() is valid after prepare()");
        }
        return new JdbcReader(dialect, plan, readers, pool, errors, jdbcSplit);
    }

    /** The integer column the key ranges bound, or null when the splits are not key ranges. */
    @Override
    public String splitColumn() {
        return config.table() == null ? null : splitColumn;
    }

    /** The primary key when every column of it is an integer, else the integer split column, else none. */
    @Override
    public List<String> keyColumns() {
        TableSchema schema = schema();
        List<String> primaryKey = schema.primaryKey();
        if (!primaryKey.isEmpty() && primaryKey.stream()
                .allMatch(name -> schema.column(schema.indexOf(name)).type() == DataType.INT64)) {
            return primaryKey;
        }
        return splitColumn() == null ? List.of() : List.of(splitColumn());
    }

    @Override
    public SourceReader createOrderedReader(Split split) {
        List<String> keys = keyColumns();
        if (keys.isEmpty() || !(split instanceof JdbcSplit jdbcSplit) || jdbcSplit instanceof JdbcSplit.Query) {
            throw new IllegalArgumentException("split " + split.id() + " of " + label + " cannot be read in key order");
        }
        List<String> quoted = new ArrayList<>();
        for (String key : keys) {
            quoted.add(dialect.sql().quoteIdentifier(key));
        }
        return new JdbcReader(dialect, plan.orderedBy(quoted), readers, pool, errors, jdbcSplit);
    }

    /** Counted and summed by the database where its dialect writes the canonical form of every column. */
    @Override
    public Optional<SplitDigest> digest(Split split, List<ColumnForm> columns) {
        if (!(split instanceof JdbcSplit jdbcSplit) || jdbcSplit instanceof JdbcSplit.Query) {
            return Optional.empty();
        }
        return DatabaseDigest.of(dialect, sourcePlan(), quotedTable, columns)
                .map(digest -> digest.digest(pool, errors, jdbcSplit));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Connection held = coordinator;
        coordinator = null;
        if (held != null) {
            try {
                held.rollback();
                held.setAutoCommit(true);
                held.close();
            } catch (SQLException e) {
                LOG.debug("source {}: closing the snapshot transaction failed", label, e);
                pool.evict(held);
            }
        }
        SharedPool.giveBack(pool, sharedPool);
    }

    @Override
    public String toString() {
        return "JdbcSource[" + dialect.name() + ", " + config.endpoint().maskedUrl() + ", " + label + "]";
    }

    static SyncException internal(String message) {
        return new SyncException(ErrorKind.INTERNAL, message);
    }
}
