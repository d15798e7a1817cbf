package dev.ferry.connector.jdbc;

import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * How a target writes: the resolved table, which source column feeds which target column, the
 * statement for the write mode and the binders for each column pair. Built once in
 * {@link JdbcTarget#prepare}, shared by every writer.
 *
 * <p>Threading: immutable; safe to share.
 */
public final class WritePlan {

    private final Dialect dialect;
    /** The mapping the binders came from, also binding NULLs (kept here: used per value). */
    private final TypeMapping types;
    private final TableName table;
    private final String quotedTable;
    private final WriteMode mode;
    private final TableSchema sourceSchema;
    private final List<DbColumn> targetColumns;
    private final int[] sourceIndexes;
    private final List<String> keyColumns;
    private final String statementSql;
    private final int[] parameterColumns;
    private final ValueBinder[] binders;
    private final int batchSize;
    private final boolean fastPath;
    private final Redactor redactor;

    /**
     * @param targetColumns    the target columns written, in statement order
     * @param sourceIndexes    for each target column, the index of the source column that feeds it
     * @param statementSql     the INSERT/upsert/UPDATE statement
     * @param parameterColumns for each statement parameter, the index into {@code targetColumns}
     * @param fastPath         whether the dialect may use its bulk path for inserts
     */
    public WritePlan(Dialect dialect, TableName table, WriteMode mode, TableSchema sourceSchema,
                     List<DbColumn> targetColumns, int[] sourceIndexes, List<String> keyColumns, String statementSql,
                     int[] parameterColumns, int batchSize, boolean fastPath, Redactor redactor) {
        this.dialect = Objects.requireNonNull(dialect, "dialect");
        this.types = dialect.types();
        this.table = Objects.requireNonNull(table, "table");
        this.quotedTable = dialect.sql().quoteTable(table);
        this.mode = Objects.requireNonNull(mode, "mode");
        this.sourceSchema = Objects.requireNonNull(sourceSchema, "sourceSchema");
        this.targetColumns = List.copyOf(targetColumns);
        this.sourceIndexes = sourceIndexes.clone();
        this.keyColumns = List.copyOf(keyColumns);
        this.statementSql = Objects.requireNonNull(statementSql, "statementSql");
        this.parameterColumns = parameterColumns.clone();
        this.batchSize = batchSize;
        this.fastPath = fastPath;
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        if (this.sourceIndexes.length != this.targetColumns.size()) {
            throw new IllegalArgumentException("one source index per target column expected, got "
                    + this.sourceIndexes.length + " for " + this.targetColumns.size());
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.binders = new ValueBinder[this.targetColumns.size()];
        for (int i = 0; i < binders.length; i++) {
            binders[i] = types.binder(sourceSchema.column(this.sourceIndexes[i]), this.targetColumns.get(i));
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    public TableName table() {
        return table;
    }

    public String quotedTable() {
        return quotedTable;
    }

    public WriteMode mode() {
        return mode;
    }

    public TableSchema sourceSchema() {
        return sourceSchema;
    }

    public List<DbColumn> targetColumns() {
        return targetColumns;
    }

    /** The source column index that feeds target column {@code targetIndex}. */
    public int sourceIndex(int targetIndex) {
        return sourceIndexes[targetIndex];
    }

    public List<String> keyColumns() {
        return keyColumns;
    }

    public String statementSql() {
        return statementSql;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean fastPath() {
        return fastPath;
    }

    public Redactor redactor() {
        return redactor;
    }

    /** Binds every parameter of the plan's statement from one row. */
    public void bindRow(PreparedStatement statement, RowBatch batch, int row) throws SQLException {
        for (int p = 0; p < parameterColumns.length; p++) {
            int target = parameterColumns[p];
            int source = sourceIndexes[target];
            if (batch.isNull(row, source)) {
                types.bindNull(statement, p + 1, targetColumns.get(target));
            } else {
                binders[target].bind(statement, p + 1, batch, row, source);
            }
        }
    }
}
