package dev.ferry.connector.generator;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The validated configuration of a {@code generator} source.
 *
 * <p>Threading: immutable; safe to share.
 *
 * @param rows    how many rows to produce, >= 0
 * @param seed    the seed every value derives from; the same seed gives the same rows
 * @param columns at least one column, names unique
 */
public record GeneratorSettings(long rows, long seed, List<Column> columns) {

    public static final long DEFAULT_SEED = 42L;

    /** Five columns that look like a small fact table; none of them holds nulls. */
    public static final List<Column> DEFAULT_COLUMNS = List.of(
            new Column("id", DataType.INT64, false, 0, 0, ""),
            new Column("name", DataType.STRING, false, 0, 0, ""),
            new Column("amount", DataType.FLOAT64, false, 0, 0, ""),
            new Column("created_at", DataType.TIMESTAMP, false, 0, 0, ""),
            new Column("active", DataType.BOOLEAN, false, 0, 0, ""));

    public static final ConfigKey ROWS = ConfigKey.required("rows", ConfigType.LONG,
            "How many rows to generate (>= 0).");
    public static final ConfigKey SEED = ConfigKey.optional("seed", ConfigType.LONG, DEFAULT_SEED,
            "Seed of the pseudo-random values; the same seed and columns always give the same rows.");
    public static final ConfigKey COLUMNS = ConfigKey.optional("columns", ConfigType.COLUMNS, DEFAULT_COLUMNS,
            "Columns to generate, any type; an int64 column named 'id' holds the row index.");

    /** Every key of the source, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(ROWS, SEED, COLUMNS);

    public GeneratorSettings {
        Objects.requireNonNull(columns, "columns");
        columns = List.copyOf(columns);
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("columns must list at least one column");
        }
    }

    /**
     * Reads the settings from configuration the engine has already checked against {@link #KEYS}.
     *
     * @throws ConfigException listing every rule the values break
     */
    public static GeneratorSettings from(ConnectorConfig config) {
        List<Violation> violations = new ArrayList<>();
        long rows = config.getLong(ROWS.name());
        if (rows < 0) {
            violations.add(new Violation(key(config, ROWS), "must be >= 0", Long.toString(rows)));
        }
        List<Column> columns = config.getColumns(COLUMNS.name());
        if (columns == null || columns.isEmpty()) {
            violations.add(new Violation(key(config, COLUMNS), "must list at least one column", "[]"));
        } else {
            Set<String> seen = new HashSet<>();
            for (Column column : columns) {
                if (!seen.add(column.name())) {
                    violations.add(new Violation(key(config, COLUMNS), "must have unique names",
                            "'" + column.name() + "' twice"));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return new GeneratorSettings(rows, config.getLong(SEED.name()), columns);
    }

    /** The schema of the generated rows; an int64 {@code id} column is its primary key. */
    public TableSchema schema() {
        String rowIndex = rowIndexColumn();
        return new TableSchema("generator", columns, rowIndex == null ? List.of() : List.of(rowIndex));
    }

    private String rowIndexColumn() {
        for (int i = 0; i < columns.size(); i++) {
            if (RowGenerator.isRowIndex(columns, i)) {
                return columns.get(i).name();
            }
        }
        return null;
    }

    private static String key(ConnectorConfig config, ConfigKey key) {
        return config.path() + "." + key.name();
    }
}
