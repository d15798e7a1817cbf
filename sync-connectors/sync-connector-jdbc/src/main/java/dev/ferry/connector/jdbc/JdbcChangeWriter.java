package dev.ferry.connector.jdbc;

import dev.ferry.api.WriterContext;
import dev.ferry.api.change.ChangeBatch;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeWriter;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies one channel's changes on one pooled connection, idempotently by key.
 *
 * <p>Per row: an insert or a full update is an upsert of the whole row (the dialect's
 * {@link SqlRenderer#changeUpsertSql}); an update with unchanged values (PostgreSQL TOAST) updates
 * only the columns it carries, by key; a delete deletes by key; a before image is skipped. A batch is
 * first compacted: a row is dropped when a later row of the same key replaces it whole, and the
 * rest keep their order, so different keys' effects are never reordered. Consecutive rows with
 * the same statement go to the database as one JDBC batch ({@link ChangeConnection#flush}: under a
 * savepoint, replayed row by row when the database refuses a value, so that only the refused rows
 * are reported dirty).
 *
 * <p>Per-table apply plans and prepared statements are kept in bounded caches, so a stream over
 * thousands of tables keeps only the recently used ones. A table whose schema gained a column gets
 * it added to the target before its first row is applied.
 *
 * <p>Threading: one channel thread.
 */
final class JdbcChangeWriter implements ChangeWriter {

    static final int STATEMENT_BATCH = 1_000;

    private final JdbcChangeTarget target;
    private final Dialect dialect;
    private final ChangeConnection session;
    private final PlanCache<ApplyPlan> plans = new PlanCache<>();
    private Connection connection;
    private final int[] rows = new int[STATEMENT_BATCH];

    JdbcChangeWriter(JdbcChangeTarget target, ConnectionPool pool, WriterContext context) {
        this.target = target;
        this.dialect = target.dialect();
        this.session = new ChangeConnection(pool, dialect, target.errors(), context);
    }

    @Override
    public void write(ChangeBatch batch) {
        try {
            connection = session.open();
            ApplyPlan plan = plans.get(batch.table(), batch.schema(), this::newPlan);
            boolean[] superseded = compact(batch, plan);
            PreparedStatement statement = null;
            String statementSql = null;
            int pending = 0;
            for (int row = 0; row < batch.size(); row++) {
                ChangeKind kind = batch.kind(row);
                if (superseded[row] || kind == ChangeKind.UPDATE_BEFORE) {
                    continue;
                }
                String sql = plan.sqlFor(batch, row);
                if (sql == null) {
                    continue;
                }
                if (!sql.equals(statementSql) || pending == STATEMENT_BATCH) {
                    flush(statement, plan, batch, pending);
                    statement = session.statement(sql);
                    statementSql = sql;
                    pending = 0;
                }
                plan.bind(statement, batch, row);
                statement.addBatch();
                rows[pending++] = row;
            }
            flush(statement, plan, batch, pending);
        } catch (SQLException e) {
            throw session.fail("applying changes of " + batch.table(), e);
        }
    }

    /** Marks rows that a later row of the same key replaces entirely. */
    private static boolean[] compact(ChangeBatch batch, ApplyPlan plan) {
        boolean[] superseded = new boolean[batch.size()];
        Set<List<Object>> replacedLater = new HashSet<>();
        for (int row = batch.size() - 1; row >= 0; row--) {
            ChangeKind kind = batch.kind(row);
            if (kind == ChangeKind.UPDATE_BEFORE) {
                continue;
            }
            List<Object> key = plan.key(batch, row);
            if (replacedLater.contains(key)) {
                superseded[row] = true;
            } else if (kind != ChangeKind.UPDATE || !plan.hasUnchanged(batch, row)) {
                replacedLater.add(key);
            }
        }
        return superseded;
    }

    private void flush(PreparedStatement statement, ApplyPlan plan, ChangeBatch batch, int pending) throws SQLException {
        session.flush(statement, batch, rows, pending, plan.table.toString(), row -> plan.bind(statement, batch, row));
    }

    /**
     * Resolves the target table for a schema seen the first time, adding columns the target lacks.
     * What this connection wrote so far is committed first: the changes are replayable, and DDL
     * must not wait on this transaction's own row locks.
     */
    private ApplyPlan newPlan(TableId source, TableSchema schema) throws SQLException {
        connection.commit();
        ResolvedTable table = target.withColumns(connection, target.tableOf(source), schema, source);
        List<List<String>> unique = dialect.uniqueKeys(connection, table.name());
        connection.rollback();
        return new ApplyPlan(table, schema, unique);
    }

    @Override
    public void commit() {
        session.commit();
    }

    @Override
    public void rollback() {
        session.rollback();
    }

    @Override
    public void close() {
        session.close();
        connection = null;
    }

    /** How one schema version of one source table is applied to its target table. */
    private final class ApplyPlan {

        final TableName table;
        final String quoted;
        final TableSchema schema;
        final ColumnBinders binders;
        final int[] keyIndexes;
        final List<String> keyNames = new ArrayList<>();
        final List<String> targetNames;
        final String upsertSql;
        final String deleteSql;
        final Map<String, String> updateSql = new HashMap<>();

        ApplyPlan(ResolvedTable resolved, TableSchema schema, List<List<String>> uniqueKeys) {
            this.table = resolved.name();
            this.quoted = dialect.sql().quoteTable(table);
            this.schema = schema;
            this.binders = ColumnBinders.of(dialect.types(), resolved, schema);
            this.targetNames = binders.names();
            this.keyIndexes = new int[schema.primaryKey().size()];
            for (int k = 0; k < keyIndexes.length; k++) {
                keyIndexes[k] = schema.indexOf(schema.primaryKey().get(k));
                keyNames.add(targetNames.get(keyIndexes[k]));
            }
            if (keyIndexes.length == 0) {
                throw new ConfigException(new Violation("source.tables", "must name tables with a primary key; "
                        + schema.name() + " has none", "'" + schema.name() + "'"));
            }
            Set<String> keySet = new HashSet<>(keyNames);
            boolean otherUnique = false;
            for (List<String> unique : uniqueKeys) {
                if (!new HashSet<>(unique).equals(keySet)) {
                    otherUnique = true;
                }
            }
            this.upsertSql = dialect.sql().changeUpsertSql(quoted, targetNames, keyNames, otherUnique);
            this.deleteSql = dialect.sql().deleteSql(quoted, keyNames);
        }

        List<Object> key(ChangeBatch batch, int row) {
            Object[] values = new Object[keyIndexes.length];
            for (int k = 0; k < keyIndexes.length; k++) {
                Object value = batch.getObject(row, keyIndexes[k]);
                values[k] = value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                        : value;
            }
            return Arrays.asList(values);
        }

        boolean hasUnchanged(ChangeBatch batch, int row) {
            for (int c = 0; c < schema.arity(); c++) {
                if (batch.isUnchanged(row, c)) {
                    return true;
                }
            }
            return false;
        }

        /** The statement that applies the row, or null when it changes nothing the target stores. */
        String sqlFor(ChangeBatch batch, int row) {
            ChangeKind kind = batch.kind(row);
            if (kind == ChangeKind.DELETE) {
                return deleteSql;
            }
            if (kind == ChangeKind.UPDATE && hasUnchanged(batch, row)) {
                StringBuilder mask = new StringBuilder(schema.arity());
                for (int c = 0; c < schema.arity(); c++) {
                    mask.append(batch.isUnchanged(row, c) ? '0' : '1');
                }
                String sql = updateSql.computeIfAbsent(mask.toString(), m -> {
                    List<String> set = new ArrayList<>();
                    for (int c = 0; c < schema.arity(); c++) {
                        if (m.charAt(c) == '1' && !keyNames.contains(targetNames.get(c))) {
                            set.add(targetNames.get(c));
                        }
                    }
                    return set.isEmpty() ? "" : dialect.sql().updateSql(quoted, set, keyNames);
                });
                return sql.isEmpty() ? null : sql;
            }
            return upsertSql;
        }

        /** Binds the row's parameters for the statement {@link #sqlFor} chose. */
        void bind(PreparedStatement statement, ChangeBatch batch, int row) throws SQLException {
            ChangeKind kind = batch.kind(row);
            int p = 1;
            if (kind == ChangeKind.DELETE) {
                for (int k : keyIndexes) {
                    bindValue(statement, p++, batch, row, k);
                }
                return;
            }
            if (kind == ChangeKind.UPDATE && hasUnchanged(batch, row)) {
                for (int c = 0; c < schema.arity(); c++) {
                    if (!batch.isUnchanged(row, c) && !keyNames.contains(targetNames.get(c))) {
                        bindValue(statement, p++, batch, row, c);
                    }
                }
                for (int k : keyIndexes) {
                    bindValue(statement, p++, batch, row, k);
                }
                return;
            }
            for (int c = 0; c < schema.arity(); c++) {
                bindValue(statement, p++, batch, row, c);
            }
        }

        private void bindValue(PreparedStatement statement, int index, ChangeBatch batch, int row, int column)
                throws SQLException {
            binders.bind(statement, index, batch, row, column);
        }
    }
}
