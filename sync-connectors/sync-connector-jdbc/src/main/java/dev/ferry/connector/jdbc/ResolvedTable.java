package dev.ferry.connector.jdbc;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A table found in the database: its exact name and its columns as the database describes them.
 *
 * <p>The name is looked up as the user wrote it first, then folded to lower and upper case (how
 * PostgreSQL and H2 store unquoted names), each tried with a zero-row {@code SELECT}, so
 * {@code "Orders"} finds a PostgreSQL table created as {@code orders} while a table really named
 * {@code Orders} still wins.
 *
 * @param name    the exact name that worked
 * @param columns every column, in table order
 */
public record ResolvedTable(TableName name, List<DbColumn> columns) {

    public ResolvedTable {
        columns = List.copyOf(columns);
    }

    /**
     * Finds the table.
     *
     * @param key the configuration key for messages ({@code "source.table"})
     * @throws SyncException of kind CONFIGURATION when no spelling exists
     */
    public static ResolvedTable resolve(Connection connection, Dialect dialect, TableName requested, String key)
            throws SQLException {
        List<String> schemas = new ArrayList<>();
        if (requested.schema() == null) {
            schemas.add(null);
        } else {
            schemas.addAll(dialect.sql().nameCandidates(requested.schema()));
        }
        SQLException last = null;
        List<String> tried = new ArrayList<>();
        for (String schema : schemas) {
            for (String candidate : dialect.sql().nameCandidates(requested.name())) {
                TableName name = new TableName(schema, candidate);
                String quoted = dialect.sql().quoteTable(name);
                tried.add(quoted);
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT * FROM " + quoted + " WHERE 1=0")) {
                    return new ResolvedTable(name, describe(dialect.types(), rs.getMetaData()));
                } catch (SQLException e) {
                    if (!dialect.errors().isUndefinedTable(e)) {
                        throw e;
                    }
                    last = e;
                }
            }
        }
        throw new SyncException(ErrorKind.CONFIGURATION, key + " names table '" + requested
                + "', which does not exist (tried " + String.join(", ", tried) + ")"
                + (last == null ? "" : ": " + dialect.errors().describe(last)));
    }

    /** The columns of a result set, as the database's type mapping maps them. */
    public static List<DbColumn> describe(TypeMapping types, ResultSetMetaData metaData) throws SQLException {
        List<DbColumn> columns = new ArrayList<>();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            columns.add(types.column(metaData, i));
        }
        return columns;
    }

    /** The column with this exact name, or else the only one whose name matches ignoring case. */
    public Optional<DbColumn> find(String columnName) {
        for (DbColumn column : columns) {
            if (column.name().equals(columnName)) {
                return Optional.of(column);
            }
        }
        DbColumn match = null;
        for (DbColumn column : columns) {
            if (column.name().toLowerCase(Locale.ROOT).equals(columnName.toLowerCase(Locale.ROOT))) {
                if (match != null) {
                    return Optional.empty();
                }
                match = column;
            }
        }
        return Optional.ofNullable(match);
    }

    /**
     * The named columns, in the given order.
     *
     * @param key the configuration key for messages ({@code "source.columns"})
     * @throws ConfigException listing every name that matches no column
     */
    public List<DbColumn> select(List<String> names, String key) {
        List<DbColumn> selected = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        for (String name : names) {
            Optional<DbColumn> column = find(name);
            if (column.isPresent()) {
                selected.add(column.get());
            } else {
                violations.add(new Violation(key, "must name columns of table '" + this.name + "' (it has "
                        + columnNames() + ")", "'" + name + "'"));
            }
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return selected;
    }

    public List<String> columnNames() {
        List<String> names = new ArrayList<>();
        for (DbColumn column : columns) {
            names.add(column.name());
        }
        return names;
    }
}
