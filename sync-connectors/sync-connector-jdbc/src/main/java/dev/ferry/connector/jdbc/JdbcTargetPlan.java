package dev.ferry.connector.jdbc;

import dev.ferry.api.TargetPlan;
import dev.ferry.api.data.TableSchema;
import java.util.List;
import java.util.Objects;

/**
 * What a JDBC target's PRE decided, as a serialisable value: the resolved table, which source
 * column feeds which target column, the key, the statement and the split ledger the writers record
 * in. {@link #writePlan} turns it into the {@link WritePlan} writers use, choosing the binders with
 * the dialect of the process it runs in, and {@link #splitLedger} into the ledger they record each
 * split in. The target's own writers and writers attached from the plan in another process are
 * therefore built from the same value and write the same way.
 *
 * @param table            the resolved target table
 * @param mode             insert, upsert or update
 * @param sourceSchema     the records' schema
 * @param targetColumns    the target columns written, in statement order
 * @param sourceIndexes    for each target column, the source column that feeds it
 * @param keyColumns       the key columns of upsert and update
 * @param statementSql     the INSERT/upsert/UPDATE statement
 * @param parameterColumns for each statement parameter, the index into {@code targetColumns}
 * @param batchSize        rows per JDBC batch
 * @param fastPath         whether the dialect may use its bulk path for inserts
 * @param ledger           the id of the {@link SplitLedger} every split finished is recorded under in
 *                         its own commit ({@link dev.ferry.api.SupportsSplitLedger}), or null when the
 *                         target keeps no ledger; the ledger's table lies next to {@code table}
 */
public record JdbcTargetPlan(TableName table, WriteMode mode, TableSchema sourceSchema, List<DbColumn> targetColumns,
                             int[] sourceIndexes, List<String> keyColumns, String statementSql, int[] parameterColumns,
                             int batchSize, boolean fastPath, String ledger) implements TargetPlan {

    public JdbcTargetPlan {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(sourceSchema, "sourceSchema");
        Objects.requireNonNull(statementSql, "statementSql");
        targetColumns = List.copyOf(targetColumns);
        keyColumns = List.copyOf(keyColumns);
        sourceIndexes = sourceIndexes.clone();
        parameterColumns = parameterColumns.clone();
    }

    /** The plan writers use in this process. */
    public WritePlan writePlan(Dialect dialect, Redactor redactor) {
        return new WritePlan(dialect, table, mode, sourceSchema, targetColumns, sourceIndexes, keyColumns, statementSql,
                parameterColumns, batchSize, fastPath, redactor);
    }

    /**
     * The split ledger writers record each split they finish in, or null when the plan keeps none.
     * It only names the table made by the target's PRE: nothing is created.
     */
    SplitLedger splitLedger(Dialect dialect) {
        return ledger == null ? null : new SplitLedger(dialect, table, ledger);
    }
}
