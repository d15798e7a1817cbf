package dev.ferry.connector.jdbc;

import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * How the columns of one source schema are bound to a target table's columns: per source column,
 * the target column of that name and the binder the type mapping chose for the pair, chosen once
 * and used for every row.
 *
 * <p>Threading: immutable once made; used by one writer thread.
 */
final class ColumnBinders {

    private final TypeMapping types;
    private final List<DbColumn> targets;
    private final ValueBinder[] binders;

    private ColumnBinders(TypeMapping types, List<DbColumn> targets, ValueBinder[] binders) {
        this.types = types;
        this.targets = targets;
        this.binders = binders;
    }

    /**
     * The binders of {@code schema}'s columns into {@code table}, which must have them all.
     *
     * @throws IllegalStateException when the table lacks one (they are added before)
     */
    static ColumnBinders of(TypeMapping types, ResolvedTable table, TableSchema schema) {
        List<DbColumn> targets = new ArrayList<>();
        ValueBinder[] binders = new ValueBinder[schema.arity()];
        for (int c = 0; c < schema.arity(); c++) {
            DbColumn column = table.find(schema.column(c).name()).orElseThrow(() -> new IllegalStateException(
                    "target " + table.name() + " lacks a column that was just added"));
            targets.add(column);
            binders[c] = types.binder(schema.column(c), column);
        }
        return new ColumnBinders(types, List.copyOf(targets), binders);
    }

    /** The target columns' names, in the source's column order. */
    List<String> names() {
        return targets.stream().map(DbColumn::name).toList();
    }

    /** Binds the batch's value of {@code column} (null included) as parameter {@code index}. */
    void bind(PreparedStatement statement, int index, RowBatch batch, int row, int column) throws SQLException {
        if (batch.isNull(row, column)) {
            bindNull(statement, index, column);
        } else {
            binders[column].bind(statement, index, batch, row, column);
        }
    }

    /** Binds NULL for {@code column}'s target as parameter {@code index}. */
    void bindNull(PreparedStatement statement, int index, int column) throws SQLException {
        types.bindNull(statement, index, targets.get(column));
    }
}
