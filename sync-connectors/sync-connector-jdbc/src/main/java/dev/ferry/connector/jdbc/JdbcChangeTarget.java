package dev.ferry.connector.jdbc;

import dev.ferry.api.JobContext;
import dev.ferry.api.Target;
import dev.ferry.api.WriterContext;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.ChangeWriter;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a change stream to tables over JDBC.
 *
 * <p>{@link #prepare} maps each captured table to a target table (the same name in the URL's
 * database or default schema, unless {@code tableMapping} names another), creates it from the
 * source's schema when missing, adds the columns it lacks (never dropping any), and checks that it
 * has the source's key columns. Several source tables may map to one target table (shards of one
 * logical table): it is created from the first, gets the columns of all, and they must agree on
 * their key columns, since each applies its changes by its own key. Each {@link JdbcChangeWriter}
 * applies its channel's changes on its own pooled connection. {@link #snapshot} copies a table with
 * the batch {@link JdbcTarget} in upsert mode, so a copy repeated after a crash overwrites instead
 * of duplicating; the copies and the writers share one pool, the endpoint's.
 *
 * <p>Threading: {@code createWriter} from channel threads; everything else from the driver thread.
 */
public final class JdbcChangeTarget implements ChangeTarget {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcChangeTarget.class);

    private final Dialect dialect;
    private final JdbcChangeTargetConfig config;
    private final ErrorTranslator errors;
    private final SharedPool shared;
    private volatile ConnectionPool pool;
    private boolean closed;

    public JdbcChangeTarget(Dialect dialect, JdbcChangeTargetConfig config) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.config = Objects.requireNonNull(config, "config");
        this.errors = new ErrorTranslator(dialect.errors(), config.endpoint().redactor());
        this.shared = new SharedPool(dialect, config.endpoint(), "apply", 2);
    }

    /** Makes sure one source table's target tables exist and have its columns. */
    @FunctionalInterface
    interface TableSetup {
        void ensure(Connection connection, TableName target, CapturedTable table) throws SQLException;
    }

    @Override
    public List<TableMapping> prepare(JobContext context, List<CapturedTable> tables) {
        return prepare(context, tables, (connection, name, table) -> ensureTable(connection, name, table,
                dialect.sql().createTableSql(dialect.sql().quoteTable(name), table.schema())));
    }

    /** {@link #prepare} with {@code setup} making each source table's target tables. */
    List<TableMapping> prepare(JobContext context, List<CapturedTable> tables, TableSetup setup) {
        if (pool == null) {
            pool = shared.acquire(context);
        }
        checkSharedKeys(tables);
        List<TableMapping> mappings = new ArrayList<>();
        try (Connection connection = pool.borrow()) {
            for (CapturedTable table : tables) {
                setup.ensure(connection, tableOf(table.id()), table);
                mappings.add(new TableMapping(table.id(), table.schema(), config.targetName(table.id())));
            }
        } catch (SQLException e) {
            throw errors.translate("preparing the target tables", e);
        }
        return mappings;
    }

    /**
     * Fails when source tables that write one target table have different key columns: each
     * applies its changes by its own key, which must be the target's key for all of them.
     */
    private void checkSharedKeys(List<CapturedTable> tables) {
        Map<TableName, CapturedTable> first = new HashMap<>();
        for (CapturedTable table : tables) {
            TableName target = tableOf(table.id());
            CapturedTable other = first.putIfAbsent(target, table);
            if (other != null && !keySet(other).equals(keySet(table))) {
                throw new ConfigException(new Violation(config.path() + "." + JdbcChangeTargetConfig.TABLE_MAPPING,
                        "must map only tables with the same key columns to one target table; " + other.id() + " has "
                                + other.schema().primaryKey() + " and " + table.id() + " has " + table.schema().primaryKey()
                                + ", both mapped to " + target, "'" + target + "'"));
            }
        }
    }

    private static Set<String> keySet(CapturedTable table) {
        Set<String> key = new HashSet<>();
        for (String column : table.schema().primaryKey()) {
            key.add(column.toLowerCase(Locale.ROOT));
        }
        return key;
    }

    /**
     * Creates the table with {@code createSql} when missing and adds the source columns it lacks;
     * never drops anything.
     *
     * @return the table as it is now
     */
    ResolvedTable ensureTable(Connection connection, TableName name, CapturedTable table, String createSql)
            throws SQLException {
        String key = config.path() + "." + JdbcChangeTargetConfig.TABLE_MAPPING;
        ResolvedTable resolved;
        try {
            resolved = ResolvedTable.resolve(connection, dialect, name, key);
        } catch (SyncException e) {
            if (e.kind() != ErrorKind.CONFIGURATION || !config.createTables()) {
                throw e;
            }
            try {
                execute(connection, createSql, "creating table " + name + " for " + table.id());
                LOG.info("target {}: created for {} with {}", name, table.id(), createSql);
            } catch (SyncException failed) {
                // Another stream writing the same target table (a shard) may have created it just now.
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
                try {
                    ResolvedTable.resolve(connection, dialect, name, key);
                } catch (SyncException stillMissing) {
                    failed.addSuppressed(stillMissing);
                    throw failed;
                }
                LOG.info("target {}: created meanwhile by another stream; used for {}", name, table.id());
            }
            resolved = ResolvedTable.resolve(connection, dialect, name, key);
        }
        if (addMissingColumns(connection, resolved, table.schema().columns(), table.id().toString())) {
            resolved = ResolvedTable.resolve(connection, dialect, name, key);
        }
        for (String keyColumn : table.schema().primaryKey()) {
            if (resolved.find(keyColumn).isEmpty()) {
                throw new ConfigException(new Violation(key, "must map " + table.id() + " to a table with its key column '"
                        + keyColumn + "'; " + resolved.name() + " has " + resolved.columnNames(), "'" + name + "'"));
            }
        }
        return resolved;
    }

    /**
     * The table as it is, after adding the columns of {@code schema} it lacks, on a writer's
     * connection (auto-commit off; left with no transaction open).
     */
    ResolvedTable withColumns(Connection connection, TableName name, TableSchema schema, TableId source)
            throws SQLException {
        String key = config.path() + "." + JdbcChangeTargetConfig.TABLE_MAPPING;
        ResolvedTable table;
        try {
            table = ResolvedTable.resolve(connection, dialect, name, key);
        } finally {
            connection.rollback();
        }
        if (addMissingColumns(connection, table, schema.columns(), source.toString())) {
            table = ResolvedTable.resolve(connection, dialect, name, key);
            connection.rollback();
        }
        return table;
    }

    /** Adds each of {@code columns} that the table lacks, as a nullable column; returns whether any was added. */
    boolean addMissingColumns(Connection connection, ResolvedTable table, List<Column> columns, String source)
            throws SQLException {
        boolean added = false;
        for (Column column : columns) {
            if (table.find(column.name()).isEmpty()) {
                Column nullable = new Column(column.name(), column.type(), true, column.precision(), column.scale(),
                        column.nativeType());
                String sql = dialect.sql().addColumnSql(dialect.sql().quoteTable(table.name()), nullable);
                try {
                    execute(connection, sql, "adding column " + column.name() + " of " + source + " to " + table.name());
                    LOG.info("target {}: added column {} ({})", table.name(), column.name(), sql);
                } catch (SyncException e) {
                    // Another writer channel may have added it first: that is as good.
                    if (!connection.getAutoCommit()) {
                        connection.rollback();
                    }
                    ResolvedTable now = ResolvedTable.resolve(connection, dialect, table.name(),
                            config.path() + "." + JdbcChangeTargetConfig.TABLE_MAPPING);
                    if (!connection.getAutoCommit()) {
                        connection.rollback();
                    }
                    if (now.find(column.name()).isEmpty()) {
                        throw e;
                    }
                }
                added = true;
            }
        }
        return added;
    }

    /** Runs one statement, committed on its own unless auto-commit is on. */
    void execute(Connection connection, String sql, String action) throws SQLException {
        boolean auto = connection.getAutoCommit();
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
            if (!auto) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw errors.translate(action, e);
        }
    }

    @Override
    public Target snapshot(TableMapping table) {
        return upsertTarget(TableName.parse(config.path() + "." + JdbcChangeTargetConfig.TABLE_MAPPING, table.target()));
    }

    /** A batch target that writes {@code name} by its primary key, on the endpoint's shared pool. */
    JdbcTarget upsertTarget(TableName name) {
        return batchTarget(name, WriteMode.UPSERT);
    }

    /**
     * A batch target that writes {@code name} in {@code mode}, on the endpoint's shared pool; inserts
     * take the dialect's bulk path (COPY, an appender).
     */
    JdbcTarget batchTarget(TableName name, WriteMode mode) {
        return new JdbcTarget(dialect, new JdbcTargetConfig(config.path(), config.endpoint(), name, null,
                mode, null, JdbcKeys.DEFAULT_BATCH_SIZE, List.of(), List.of(), false, false, mode == WriteMode.INSERT),
                shared);
    }

    @Override
    public ChangeWriter createWriter(WriterContext context) {
        if (pool == null) {
            throw new IllegalStateException("createWriter() is valid after prepare()");
        }
        return new JdbcChangeWriter(this, pool, context);
    }

    Dialect dialect() {
        return dialect;
    }

    JdbcChangeTargetConfig config() {
        return config;
    }

    /** The pool {@link #prepare} opened. */
    ConnectionPool pool() {
        if (pool == null) {
            throw new IllegalStateException("valid after prepare()");
        }
        return pool;
    }

    ErrorTranslator errors() {
        return errors;
    }

    /** The target table of a source table, as {@link #prepare} mapped it. */
    TableName tableOf(TableId source) {
        return TableName.parse(config.path() + "." + JdbcChangeTargetConfig.TABLE_MAPPING, config.targetName(source));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        shared.close();
    }

    @Override
    public String toString() {
        return "JdbcChangeTarget[" + dialect.name() + ", " + config.endpoint().maskedUrl() + "]";
    }
}
