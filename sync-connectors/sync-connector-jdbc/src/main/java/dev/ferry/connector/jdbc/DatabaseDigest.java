package dev.ferry.connector.jdbc;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.verify.ColumnForm;
import dev.ferry.api.verify.SplitDigest;
import java.math.BigDecimal;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A split's {@link SplitDigest} computed by the database: one aggregate statement
 * ({@code SELECT count(*), sum(row hash) FROM table WHERE split}) over the same key range, filter
 * and snapshot as the split's rows, read by a {@link JdbcReader} like any split. Offered only
 * where the dialect has {@link DigestSql} for every column.
 *
 * <p>Threading: immutable; {@link #digest} from any thread.
 */
final class DatabaseDigest {

    private static final TableSchema RESULT = TableSchema.of("digest", List.of(
            new Column("rows", DataType.INT64, false, 0, 0, ""), new Column("sum", DataType.DECIMAL, false, 0, 0, "")));
    private static final List<DbColumn> RESULT_COLUMNS = List.of(new DbColumn(RESULT.column(0), Types.BIGINT),
            new DbColumn(RESULT.column(1), Types.NUMERIC));

    private final Dialect dialect;
    private final JdbcReadPlan plan;
    private final ColumnReader[] readers;

    private DatabaseDigest(Dialect dialect, JdbcReadPlan plan) {
        this.dialect = dialect;
        this.plan = plan;
        this.readers = plan.readers(dialect);
    }

    /**
     * The digest statement of a read plan over {@code quotedTable}, or empty when the dialect has
     * no {@link DigestSql} or cannot write a column's canonical form.
     */
    static Optional<DatabaseDigest> of(Dialect dialect, JdbcReadPlan rows, String quotedTable, List<ColumnForm> forms) {
        Optional<DigestSql> sql = dialect.digestSql();
        if (sql.isEmpty() || quotedTable == null || forms.size() != rows.columns().size()) {
            return Optional.empty();
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < forms.size(); i++) {
            DbColumn column = rows.columns().get(i);
            Optional<String> value = sql.get().canonical(column, dialect.sql().quoteIdentifier(column.name()),
                    forms.get(i).trimTrailingSpaces());
            if (value.isEmpty()) {
                return Optional.empty();
            }
            values.add(value.get());
        }
        String select = "SELECT count(*), coalesce(sum(" + sql.get().rowHash(values) + "), 0) FROM " + quotedTable;
        return Optional.of(new DatabaseDigest(dialect, new JdbcReadPlan(rows.label(), RESULT, RESULT_COLUMNS, select,
                rows.quotedKey(), rows.where(), List.of(), rows.fetchSize(), rows.snapshotId())));
    }

    /** Runs the statement for one split (not a query split) on a connection of {@code pool}. */
    SplitDigest digest(ConnectionPool pool, ErrorTranslator errors, JdbcSplit split) {
        Result result = new Result();
        try (JdbcReader reader = new JdbcReader(dialect, plan, readers, pool, errors, split)) {
            reader.read(result);
        }
        return new SplitDigest(result.rows, result.sum.toBigInteger().longValue());
    }

    /** The one row of the statement: the count and the sum (an exact number; its low 64 bits are the digest's sum). */
    private static final class Result implements RecordSink {
        private long rows;
        private BigDecimal sum = BigDecimal.ZERO;

        @Override
        public void setNull(int column) {
        }

        @Override
        public void setBoolean(int column, boolean value) {
        }

        @Override
        public void setLong(int column, long value) {
            rows = value;
        }

        @Override
        public void setDouble(int column, double value) {
        }

        @Override
        public void setObject(int column, Object value) {
            sum = (BigDecimal) value;
        }

        @Override
        public void emit() {
        }

        @Override
        public void dirty(String reason, String raw) {
            throw JdbcSource.internal("the digest statement returned a value that cannot be read: " + reason);
        }
    }
}
