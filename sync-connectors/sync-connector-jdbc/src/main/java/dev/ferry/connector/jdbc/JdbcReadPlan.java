package dev.ferry.connector.jdbc;

import dev.ferry.api.SourcePlan;
import dev.ferry.api.data.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a JDBC source reads, decided once in PRE: the columns as the database described them, the
 * SELECT (or the statements of {@code querySql}), the quoted split key, the filter and the
 * exported snapshot every split imports. Readers need only this plan, a pool and their split;
 * readers attached in another process get the same plan ({@link dev.ferry.api.SupportsAttach}).
 *
 * @param label      the table's name, or {@code "query"}, for messages
 * @param schema     the records' schema
 * @param columns    the columns read, in schema order, as the database describes them
 * @param selectSql  {@code SELECT columns FROM table}, or null with {@code querySql}
 * @param quotedKey  the quoted integer split key, or null
 * @param where      the row filter, or null
 * @param querySql   the statements read instead of a table, or empty
 * @param fetchSize  rows per round trip while streaming
 * @param snapshotId the exported snapshot every split imports, or null
 * @param orderBy    the quoted columns, comma-separated, that a key range's rows are read in the
 *                   ascending order of, or null for no order
 */
public record JdbcReadPlan(String label, TableSchema schema, List<DbColumn> columns, String selectSql, String quotedKey,
                           String where, List<String> querySql, int fetchSize, String snapshotId, String orderBy)
        implements SourcePlan {

    public JdbcReadPlan {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(schema, "schema");
        columns = List.copyOf(columns);
        querySql = List.copyOf(querySql);
        if (columns.size() != schema.arity()) {
            throw new IllegalArgumentException("read plan of " + label + ": " + columns.size() + " columns for a schema of "
                    + schema.arity());
        }
    }

    /** A plan without an order. */
    public JdbcReadPlan(String label, TableSchema schema, List<DbColumn> columns, String selectSql, String quotedKey,
                        String where, List<String> querySql, int fetchSize, String snapshotId) {
        this(label, schema, columns, selectSql, quotedKey, where, querySql, fetchSize, snapshotId, null);
    }

    /** The same plan reading the snapshot {@code id}. */
    JdbcReadPlan withSnapshot(String id) {
        return new JdbcReadPlan(label, schema, columns, selectSql, quotedKey, where, querySql, fetchSize, id, orderBy);
    }

    /** The same plan reading each table split in the ascending order of {@code quotedColumns}. */
    JdbcReadPlan orderedBy(List<String> quotedColumns) {
        return new JdbcReadPlan(label, schema, columns, selectSql, quotedKey, where, querySql, fetchSize, snapshotId,
                String.join(", ", quotedColumns));
    }

    /** The column readers the dialect chooses for the plan's columns; chosen once per attachment. */
    ColumnReader[] readers(Dialect dialect) {
        ColumnReader[] result = new ColumnReader[columns.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = dialect.types().reader(columns.get(i));
        }
        return result;
    }

    /** The SQL and parameters that read one split. */
    record ReadQuery(String sql, List<Long> parameters) {
    }

    ReadQuery query(JdbcSplit split) {
        ReadQuery query = unordered(split);
        if (orderBy == null || split instanceof JdbcSplit.Query) {
            return query;
        }
        return new ReadQuery(query.sql() + " ORDER BY " + orderBy, query.parameters());
    }

    private ReadQuery unordered(JdbcSplit split) {
        if (split instanceof JdbcSplit.Query q) {
            return new ReadQuery(q.sql(), List.of());
        }
        if (split instanceof JdbcSplit.Whole) {
            return new ReadQuery(where == null ? selectSql : selectSql + " WHERE (" + where + ")", List.of());
        }
        if (quotedKey == null) {
            throw new IllegalArgumentException("source " + label + " has no integer split key for split " + split.id());
        }
        if (split instanceof JdbcSplit.NullKeys) {
            return new ReadQuery(selectSql + " WHERE " + quotedKey + " IS NULL" + (where == null ? "" : " AND (" + where + ")"),
                    List.of());
        }
        JdbcSplit.KeyRange range = (JdbcSplit.KeyRange) split;
        StringBuilder sql = new StringBuilder(selectSql).append(" WHERE ");
        List<Long> parameters = new ArrayList<>();
        if (range.lowerInclusive() == null && range.upperExclusive() == null) {
            sql.append(quotedKey).append(" IS NOT NULL");
        }
        if (range.lowerInclusive() != null) {
            sql.append(quotedKey).append(" >= ?");
            parameters.add(range.lowerInclusive());
        }
        if (range.upperExclusive() != null) {
            sql.append(range.lowerInclusive() != null ? " AND " : "").append(quotedKey).append(" < ?");
            parameters.add(range.upperExclusive());
        }
        if (where != null) {
            sql.append(" AND (").append(where).append(')');
        }
        return new ReadQuery(sql.toString(), parameters);
    }
}
