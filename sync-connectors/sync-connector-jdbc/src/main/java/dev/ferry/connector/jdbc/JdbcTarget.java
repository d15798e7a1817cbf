package dev.ferry.connector.jdbc;

import dev.ferry.api.JobContext;
import dev.ferry.api.PlannedTarget;
import dev.ferry.api.SupportsSplitLedger;
import dev.ferry.api.SupportsSplitRetry;
import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.WriterContext;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.verify.ReadBack;
import dev.ferry.api.verify.SupportsReadBack;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes into a table over JDBC.
 *
 * <p>PRE ({@link #prepare}): opens the endpoint's pool (job concurrency + 1), runs
 * {@code preSql}, creates the table when asked and missing, deletes its rows when
 * {@code truncateBeforeWrite}, and maps source columns to target columns into the
 * {@link JdbcTargetPlan} its writers, and writers attached elsewhere, are built from. POST:
 * {@link #commit} has nothing left to do because each split commits its own transaction;
 * {@link #post} runs {@code postSql}.
 *
 * <p>Split retry: every split is one transaction on one connection, committed in
 * {@link TargetWriter#finishSplit} and rolled back in {@link TargetWriter#abortSplit}, so a split
 * that failed (a dropped connection) can be written again without duplicates or gaps; hence
 * {@link SupportsSplitRetry}. Splits committed before a job fails stay in the table.
 *
 * <p>Resuming ({@link SupportsSplitLedger}): a job run with its progress kept has each writer
 * insert the split's row into the {@link SplitLedger} table in the split's own transaction, so a
 * split is either in the table and recorded, or neither, whatever the write mode (insert and the
 * COPY/bulk paths included, which would otherwise duplicate a split written again). A resumed run
 * does not delete the table's rows again ({@code truncateBeforeWrite}); {@code preSql} runs on
 * every run. The ledger's id travels in the {@link #targetPlan}, so writers attached from it
 * ({@link dev.ferry.api.SupportsAttach}) record their splits in the same ledger.
 *
 * <p>Threading: everything but {@link #createWriter} on the driver thread; writers on channel
 * threads, each with its own connection.
 */
public class JdbcTarget implements Target, SupportsSplitRetry, SupportsSplitLedger, PlannedTarget, SupportsReadBack {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcTarget.class);

    private final Dialect dialect;
    private final JdbcTargetConfig config;
    private final ErrorTranslator errors;
    private volatile ConnectionPool pool;
    private volatile JdbcTargetPlan targetPlan;
    private volatile WritePlan plan;
    private boolean closed;
    private final SharedPool sharedPool;
    private String ledgerId;
    private boolean resuming;
    private volatile SplitLedger ledger;

    public JdbcTarget(Dialect dialect, JdbcTargetConfig config) {
        this(dialect, config, null);
    }

    /** A target on {@code pool}, shared with others on the same endpoint, instead of a pool of its own. */
    public JdbcTarget(Dialect dialect, JdbcTargetConfig config, SharedPool pool) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.config = Objects.requireNonNull(config, "config");
        this.errors = new ErrorTranslator(dialect.errors(), config.endpoint().redactor());
        this.sharedPool = pool;
    }

    @Override
    public void prepare(JobContext context, TableSchema sourceSchema) {
        pool = sharedPool != null ? sharedPool.acquire(context)
                : ConnectionPool.open(dialect, config.endpoint(), "ferry-" + context.jobName() + "-target",
                        context.concurrency() + 1);
        try (Connection connection = pool.borrow()) {
            run(connection, config.preSql(), JdbcKeys.PRE_SQL);
            ResolvedTable table = resolveOrCreate(connection, sourceSchema);
            // The plan first: a column or key that does not fit fails before any row is deleted.
            JdbcTargetPlan prepared = plan(connection, table, sourceSchema);
            SplitLedger kept = prepared.splitLedger(dialect);
            if (kept != null) {
                kept.create(connection);
            }
            if (config.truncateBeforeWrite() && resuming) {
                LOG.info("target {}: resuming an unfinished run, so its rows are not deleted again ({}.{})", table.name(),
                        config.path(), JdbcKeys.TRUNCATE_BEFORE_WRITE);
            } else if (config.truncateBeforeWrite()) {
                String sql = dialect.sql().truncateSql(dialect.sql().quoteTable(table.name()));
                execute(connection, sql, "deleting the rows of " + table.name() + " (" + config.path() + "."
                        + JdbcKeys.TRUNCATE_BEFORE_WRITE + ")");
                LOG.info("target {}: deleted existing rows", table.name());
            }
            ledger = kept;
            targetPlan = prepared;
            plan = prepared.writePlan(dialect, errors.redactor());
        } catch (SQLException e) {
            throw errors.translate("preparing target " + config.table(), e);
        }
        LOG.info("target {}: writeMode {}, statement {}{}", config.table(),
                config.writeMode().name().toLowerCase(java.util.Locale.ROOT), plan.statementSql(),
                config.writeMode() == WriteMode.INSERT && config.fastPath() ? " (or the dialect's bulk path)" : "");
    }

    /** Reads the table back on a pool of its own; nothing is run, created or deleted. */
    @Override
    public ReadBack openReadBack(JobContext context, TableSchema sourceSchema, String splitColumn, List<String> keyColumns) {
        return new JdbcReadBack(dialect, config, context, sourceSchema, splitColumn, keyColumns);
    }

    private ResolvedTable resolveOrCreate(Connection connection, TableSchema sourceSchema) throws SQLException {
        String key = config.path() + "." + JdbcKeys.TABLE;
        try {
            return ResolvedTable.resolve(connection, dialect, config.table(), key);
        } catch (SyncException e) {
            if (!config.createTable() || e.kind() != ErrorKind.CONFIGURATION) {
                throw e;
            }
        }
        String sql = dialect.sql().createTableSql(dialect.sql().quoteTable(config.table()), sourceSchema);
        execute(connection, sql, "creating table " + config.table() + " (" + config.path() + "." + JdbcKeys.CREATE_TABLE + ")");
        LOG.info("target {}: created with {}", config.table(), sql);
        return ResolvedTable.resolve(connection, dialect, config.table(), key);
    }

    private JdbcTargetPlan plan(Connection connection, ResolvedTable table, TableSchema sourceSchema) throws SQLException {
        String p = config.path();
        List<DbColumn> targets = targetColumns(config, table, sourceSchema);
        int[] sourceIndexes = new int[sourceSchema.arity()];
        List<String> targetNames = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            sourceIndexes[i] = i;
            targetNames.add(targets.get(i).name());
        }
        WriteMode mode = config.writeMode();
        List<String> keys = List.of();
        if (mode != WriteMode.INSERT) {
            keys = keyColumns(connection, table, targetNames, mode);
        }
        String quoted = dialect.sql().quoteTable(table.name());
        String sql;
        int[] parameters;
        if (mode == WriteMode.UPDATE) {
            List<String> set = new ArrayList<>();
            for (String name : targetNames) {
                if (!keys.contains(name)) {
                    set.add(name);
                }
            }
            if (set.isEmpty()) {
                throw new ConfigException(new Violation(p + "." + JdbcKeys.WRITE_MODE,
                        "update needs a written column besides the key columns " + keys, "'update'"));
            }
            sql = dialect.sql().updateSql(quoted, set, keys);
            parameters = new int[set.size() + keys.size()];
            int n = 0;
            for (String name : set) {
                parameters[n++] = targetNames.indexOf(name);
            }
            for (String name : keys) {
                parameters[n++] = targetNames.indexOf(name);
            }
        } else {
            sql = mode == WriteMode.UPSERT ? dialect.sql().upsertSql(quoted, targetNames, keys) : dialect.sql().insertSql(quoted, targetNames);
            parameters = new int[targetNames.size()];
            for (int i = 0; i < parameters.length; i++) {
                parameters[i] = i;
            }
        }
        return new JdbcTargetPlan(table.name(), mode, sourceSchema, targets, sourceIndexes, keys, sql, parameters,
                config.batchSize(), config.fastPath(), ledgerId);
    }

    /**
     * The target columns that receive the source's columns, in the source's order: those named by
     * {@code columns}, else the columns of the same names.
     *
     * @throws ConfigException naming the key when a source column has no target column or one is named twice
     */
    static List<DbColumn> targetColumns(JdbcTargetConfig config, ResolvedTable table, TableSchema sourceSchema) {
        String p = config.path();
        List<DbColumn> targets;
        if (config.columns() != null) {
            if (config.columns().size() != sourceSchema.arity()) {
                throw new ConfigException(new Violation(p + "." + JdbcKeys.COLUMNS, "must name one target column per source column "
                        + "(the source has " + sourceSchema.arity() + ": " + names(sourceSchema) + ")", config.columns().toString()));
            }
            targets = table.select(config.columns(), p + "." + JdbcKeys.COLUMNS);
        } else {
            targets = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < sourceSchema.arity(); i++) {
                String name = sourceSchema.column(i).name();
                table.find(name).ifPresentOrElse(targets::add, () -> missing.add(name));
            }
            if (!missing.isEmpty()) {
                throw new ConfigException(new Violation(p + "." + JdbcKeys.TABLE, "must have a column for every source column; '"
                        + table.name() + "' has none for " + missing + " (it has " + table.columnNames() + "; map columns with "
                        + p + "." + JdbcKeys.COLUMNS + ")", "'" + config.table() + "'"));
            }
        }
        List<String> targetNames = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            String name = targets.get(i).name();
            if (targetNames.contains(name)) {
                throw new ConfigException(new Violation(p + "." + JdbcKeys.COLUMNS, "must not write target column '" + name
                        + "' twice", targetNames.toString()));
            }
            targetNames.add(name);
        }
        return targets;
    }

    private List<String> keyColumns(Connection connection, ResolvedTable table, List<String> written, WriteMode mode)
            throws SQLException {
        String p = config.path();
        String modeName = mode.name().toLowerCase(java.util.Locale.ROOT);
        List<String> keys = new ArrayList<>();
        if (config.keyColumns() != null) {
            for (DbColumn column : table.select(config.keyColumns(), p + "." + JdbcKeys.KEY_COLUMNS)) {
                keys.add(column.name());
            }
        } else {
            keys.addAll(dialect.primaryKey(connection, table.name()));
            if (keys.isEmpty()) {
                throw new ConfigException(new Violation(p + "." + JdbcKeys.WRITE_MODE, modeName + " needs key columns, and table '"
                        + table.name() + "' has no primary key: set " + p + "." + JdbcKeys.KEY_COLUMNS, "'" + modeName + "'"));
            }
        }
        for (String key : keys) {
            if (!written.contains(key)) {
                throw new ConfigException(new Violation(p + "." + JdbcKeys.KEY_COLUMNS, "must only name written columns; key column '"
                        + key + "' is not among " + written, keys.toString()));
            }
        }
        return keys;
    }

    private void run(Connection connection, List<String> statements, String key) throws SQLException {
        for (int i = 0; i < statements.size(); i++) {
            execute(connection, statements.get(i), "running " + config.path() + "." + key + " statement " + (i + 1));
        }
    }

    private void execute(Connection connection, String sql, String action) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw errors.translate(action, e);
        }
    }

    private static List<String> names(TableSchema schema) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < schema.arity(); i++) {
            names.add(schema.column(i).name());
        }
        return names;
    }

    /** The plan built in PRE; for writers and tests. */
    public WritePlan plan() {
        if (plan == null) {
            throw new IllegalStateException("plan() is valid after prepare()");
        }
        return plan;
    }

    @Override
    public JdbcTargetPlan targetPlan() {
        JdbcTargetPlan prepared = targetPlan;
        if (prepared == null) {
            throw new IllegalStateException("the plan is valid after prepare()");
        }
        return prepared;
    }

    @Override
    public TargetWriter createWriter(WriterContext context) {
        return new JdbcWriter(pool, plan(), context, errors, ledger);
    }

    @Override
    public String writeDesign() {
        return "table " + config.table() + ", writeMode " + config.writeMode().name().toLowerCase(java.util.Locale.ROOT)
                + (config.keyColumns() == null ? "" : ", keyColumns " + config.keyColumns())
                + (config.columns() == null ? "" : ", columns " + config.columns());
    }

    @Override
    public void keepSplitLedger(String id, boolean resumingRun) {
        if (pool != null) {
            throw new IllegalStateException("keepSplitLedger() is valid before prepare()");
        }
        ledgerId = Objects.requireNonNull(id, "id");
        resuming = resumingRun;
    }

    @Override
    public Map<String, Long> committedSplits() {
        SplitLedger kept = keptLedger();
        try (Connection connection = pool.borrow()) {
            return kept.committed(connection);
        } catch (SQLException e) {
            throw errors.translate("reading the splits committed into " + config.table() + " from "
                    + SplitLedger.TABLE, e);
        }
    }

    @Override
    public void dropSplitLedger() {
        SplitLedger kept = keptLedger();
        try (Connection connection = pool.borrow()) {
            kept.drop(connection);
        } catch (SQLException e) {
            throw errors.translate("removing the finished job's rows from " + SplitLedger.TABLE, e);
        }
    }

    private SplitLedger keptLedger() {
        SplitLedger kept = ledger;
        if (kept == null) {
            throw new IllegalStateException("the split ledger is valid after keepSplitLedger() and prepare()");
        }
        return kept;
    }

    @Override
    public void commit() {
        // Each split committed its own transaction in finishSplit: nothing is pending here.
    }

    @Override
    public void post() {
        if (config.postSql().isEmpty()) {
            return;
        }
        try (Connection connection = pool.borrow()) {
            run(connection, config.postSql(), JdbcKeys.POST_SQL);
        } catch (SQLException e) {
            throw errors.translate("running " + config.path() + "." + JdbcKeys.POST_SQL, e);
        }
    }

    @Override
    public void abort() {
        LOG.warn("target {}: the job did not finish; splits committed before the failure remain in the table",
                config.table());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        SharedPool.giveBack(pool, sharedPool);
    }

    @Override
    public String toString() {
        return "JdbcTarget[" + dialect.name() + ", " + config.endpoint().maskedUrl() + ", " + config.table() + "]";
    }
}
