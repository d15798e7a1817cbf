package dev.ferry.connector.jdbc;

import dev.ferry.api.JobContext;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.verify.ColumnForm;
import dev.ferry.api.verify.ReadBack;
import dev.ferry.api.verify.SplitDigest;
import dev.ferry.api.verify.SupportsDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A JDBC target's table read back for verification: the target columns that receive the source's
 * columns, and for each key range of a JDBC source the same range of the column the split column
 * is written to. Reads use the target's own pool (concurrency + 1) and never write.
 *
 * <p>Threading: {@link #createReader} from any thread; each reader on one thread.
 */
final class JdbcReadBack implements ReadBack, SupportsDigest {

    /** Rows fetched per round trip; the target side has no {@code fetchSize} key of its own. */
    static final int FETCH_SIZE = 2000;

    private final Dialect dialect;
    private final ErrorTranslator errors;
    private final ConnectionPool pool;
    private final JdbcReadPlan plan;
    private final JdbcReadPlan ordered;
    private final ColumnReader[] readers;
    private final String table;
    private final String quotedTable;

    /**
     * @throws dev.ferry.api.error.ConfigException naming the key when the table is missing or a
     *         source column has no target column
     */
    JdbcReadBack(Dialect dialect, JdbcTargetConfig config, JobContext context, TableSchema sourceSchema,
                 String splitColumn, List<String> keyColumns) {
        this.dialect = dialect;
        this.errors = new ErrorTranslator(dialect.errors(), config.endpoint().redactor());
        this.table = config.table().toString();
        ConnectionPool opened = ConnectionPool.open(dialect, config.endpoint(), "ferry-" + context.jobName() + "-verify",
                context.concurrency() + 1);
        try (Connection connection = opened.borrow()) {
            ResolvedTable resolved = ResolvedTable.resolve(connection, dialect, config.table(),
                    config.path() + "." + JdbcKeys.TABLE);
            List<DbColumn> targets = JdbcTarget.targetColumns(config, resolved, sourceSchema);
            List<Column> columns = new ArrayList<>();
            StringBuilder select = new StringBuilder("SELECT ");
            String quotedKey = null;
            List<String> orderBy = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                Column target = targets.get(i).column();
                String sourceName = sourceSchema.column(i).name();
                columns.add(new Column(sourceName, target.type(), target.nullable(), target.precision(), target.scale(),
                        target.nativeType()));
                String quoted = dialect.sql().quoteIdentifier(target.name());
                select.append(i == 0 ? "" : ", ").append(quoted);
                if (sourceName.equals(splitColumn)) {
                    quotedKey = quoted;
                }
                if (keyColumns.contains(sourceName)) {
                    orderBy.add(keyColumns.indexOf(sourceName) + "\u0000" + quoted);
                }
            }
            orderBy.sort(null);
            List<String> quotedOrder = new ArrayList<>();
            orderBy.forEach(o -> quotedOrder.add(o.substring(o.indexOf('\u0000') + 1)));
            quotedTable = dialect.sql().quoteTable(resolved.name());
            select.append(" FROM ").append(quotedTable);
            TableSchema schema = TableSchema.of(sourceSchema.name(), columns);
            this.plan = new JdbcReadPlan(table, schema, targets, select.toString(), quotedKey, null, List.of(), FETCH_SIZE,
                    null);
            this.ordered = quotedOrder.isEmpty() ? null : plan.orderedBy(quotedOrder);
        } catch (SQLException e) {
            opened.close();
            throw errors.translate("reading back target " + table, e);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        this.pool = opened;
        this.readers = plan.readers(dialect);
    }

    @Override
    public TableSchema schema() {
        return plan.schema();
    }

    /** Key ranges and NULL keys map to the target's column when the source's split column is written to it. */
    @Override
    public boolean isolates(Split split) {
        if (split instanceof JdbcSplit.KeyRange || split instanceof JdbcSplit.NullKeys) {
            return plan.quotedKey() != null;
        }
        return split instanceof JdbcSplit.Whole;
    }

    @Override
    public SourceReader createReader(Split split, boolean keyOrder) {
        if (!isolates(split)) {
            throw new IllegalArgumentException("the rows of split " + split.id() + " cannot be isolated in " + table);
        }
        return new JdbcReader(dialect, readPlan(keyOrder), readers, pool, errors, (JdbcSplit) split);
    }

    @Override
    public SourceReader createWholeReader(boolean keyOrder) {
        return new JdbcReader(dialect, readPlan(keyOrder), readers, pool, errors, new JdbcSplit.Whole(table + "[*]"));
    }

    private JdbcReadPlan readPlan(boolean keyOrder) {
        if (!keyOrder) {
            return plan;
        }
        if (ordered == null) {
            throw new IllegalArgumentException("no key columns to order the rows of " + table + " by");
        }
        return ordered;
    }

    /** Counted and summed by the database where its dialect writes the canonical form of every column. */
    @Override
    public Optional<SplitDigest> digest(Split split, List<ColumnForm> columns) {
        if (!isolates(split)) {
            return Optional.empty();
        }
        return DatabaseDigest.of(dialect, plan, quotedTable, columns)
                .map(digest -> digest.digest(pool, errors, (JdbcSplit) split));
    }

    @Override
    public void close() {
        pool.close();
    }
}
