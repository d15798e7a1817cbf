package dev.ferry.api.data;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The shape of the records a source produces: ordered columns and the primary key.
 *
 * <p>Column indexes used by {@link RecordSink} and {@link RowBatch} are positions in
 * {@link #columns()}.
 *
 * @param name       the table's name, or a descriptive name for a query or file set
 * @param columns    at least one column, names unique (case-sensitive)
 * @param primaryKey names of the key columns, each one of {@code columns}; empty when unknown
 */
public record TableSchema(String name, List<Column> columns, List<String> primaryKey) implements Serializable {

    public TableSchema {
        Objects.requireNonNull(name, "name");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("schema '" + name + "' must have at least one column");
        }
        Set<String> seen = new HashSet<>();
        for (Column column : columns) {
            if (!seen.add(column.name())) {
                throw new IllegalArgumentException("schema '" + name + "' has column '" + column.name() + "' twice");
            }
        }
        for (String key : primaryKey) {
            if (!seen.contains(key)) {
                throw new IllegalArgumentException("primary key column '" + key + "' is not a column of '" + name + "'");
            }
        }
    }

    /** A schema without a primary key. */
    public static TableSchema of(String name, List<Column> columns) {
        return new TableSchema(name, columns, List.of());
    }

    public int arity() {
        return columns.size();
    }

    public Column column(int index) {
        return columns.get(index);
    }

    /** The position of the named column, or -1. */
    public int indexOf(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(columnName)) {
                return i;
            }
        }
        return -1;
    }
}
