package dev.ferry.connector.jdbc;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Standard SQL: the renderer of the generic {@code jdbc} connector and the base that each
 * database's renderer refines. Identifiers are quoted with double quotes, upserts use SQL:2003
 * {@code MERGE}, tables are emptied with {@code DELETE} (which works everywhere), and split
 * planning gets no OFFSET clause, so it streams the ordered keys.
 *
 * <p>Column types in {@code CREATE TABLE} and {@code ADD COLUMN} come from the
 * {@link TypeMapping} the renderer is built with, the same one its dialect exposes, so the reverse
 * type mapping stays in one place.
 *
 * <p>Threading: immutable; safe to share.
 */
public class GenericSql implements SqlRenderer {

    private final TypeMapping types;

    /** @param types the mapping that declares column types */
    public GenericSql(TypeMapping types) {
        this.types = Objects.requireNonNull(types, "types");
    }

    /** The mapping that declares column types. */
    protected TypeMapping types() {
        return types;
    }

    // ---------------------------------------------------------------- identifiers and names

    @Override
    public String quoteIdentifier(String identifier) {
        return quote(identifier, '"');
    }

    /** Wraps the identifier in {@code quote}, doubling any quote inside; rejects NUL. */
    protected static String quote(String identifier, char quote) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier must not contain a NUL character");
        }
        StringBuilder sb = new StringBuilder(identifier.length() + 2).append(quote);
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            if (c == quote) {
                sb.append(quote);
            }
            sb.append(c);
        }
        return sb.append(quote).toString();
    }

    @Override
    public boolean backslashEscapes() {
        return false;
    }

    @Override
    public List<String> nameCandidates(String name) {
        Set<String> candidates = new LinkedHashSet<>();
        candidates.add(name);
        candidates.add(name.toLowerCase(Locale.ROOT));
        candidates.add(name.toUpperCase(Locale.ROOT));
        return List.copyOf(candidates);
    }

    // ---------------------------------------------------------------- writing rows

    @Override
    public String insertSql(String quotedTable, List<String> columns) {
        StringBuilder sb = new StringBuilder("INSERT INTO ").append(quotedTable).append(" (");
        appendColumns(sb, columns);
        sb.append(") VALUES (");
        appendPlaceholders(sb, columns.size());
        return sb.append(')').toString();
    }

    @Override
    public String upsertSql(String quotedTable, List<String> columns, List<String> keyColumns) {
        StringBuilder sb = new StringBuilder("MERGE INTO ").append(quotedTable).append(" ferry_t USING (VALUES (");
        appendPlaceholders(sb, columns.size());
        sb.append(")) ferry_s (");
        appendColumns(sb, columns);
        sb.append(") ON ");
        for (int i = 0; i < keyColumns.size(); i++) {
            String key = quoteIdentifier(keyColumns.get(i));
            sb.append(i == 0 ? "" : " AND ").append("ferry_t.").append(key).append(" = ferry_s.").append(key);
        }
        List<String> set = nonKey(columns, keyColumns);
        if (!set.isEmpty()) {
            sb.append(" WHEN MATCHED THEN UPDATE SET ");
            for (int i = 0; i < set.size(); i++) {
                String column = quoteIdentifier(set.get(i));
                sb.append(i == 0 ? "" : ", ").append(column).append(" = ferry_s.").append(column);
            }
        }
        sb.append(" WHEN NOT MATCHED THEN INSERT (");
        appendColumns(sb, columns);
        sb.append(") VALUES (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append("ferry_s.").append(quoteIdentifier(columns.get(i)));
        }
        return sb.append(')').toString();
    }

    @Override
    public String updateSql(String quotedTable, List<String> setColumns, List<String> keyColumns) {
        StringBuilder sb = new StringBuilder("UPDATE ").append(quotedTable).append(" SET ");
        for (int i = 0; i < setColumns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quoteIdentifier(setColumns.get(i))).append(" = ?");
        }
        sb.append(" WHERE ");
        for (int i = 0; i < keyColumns.size(); i++) {
            sb.append(i == 0 ? "" : " AND ").append(quoteIdentifier(keyColumns.get(i))).append(" = ?");
        }
        return sb.toString();
    }

    @Override
    public String truncateSql(String quotedTable) {
        // DELETE works everywhere; renderers for databases whose TRUNCATE is transactional or cheap override it.
        return "DELETE FROM " + quotedTable;
    }

    @Override
    public String deleteSql(String quotedTable, List<String> keyColumns) {
        StringBuilder sb = new StringBuilder("DELETE FROM ").append(quotedTable).append(" WHERE ");
        for (int i = 0; i < keyColumns.size(); i++) {
            sb.append(i == 0 ? "" : " AND ").append(quoteIdentifier(keyColumns.get(i))).append(" = ?");
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- tables

    @Override
    public String addColumnSql(String quotedTable, Column column) {
        return "ALTER TABLE " + quotedTable + " ADD COLUMN " + quoteIdentifier(column.name()) + " "
                + types.columnDefinition(column);
    }

    @Override
    public String createTableSql(String quotedTable, TableSchema schema) {
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(quotedTable).append(" (");
        for (int i = 0; i < schema.arity(); i++) {
            Column column = schema.column(i);
            sb.append(i == 0 ? "" : ", ").append(quoteIdentifier(column.name())).append(' ')
                    .append(types.columnDefinition(column));
            if (!column.nullable() || schema.primaryKey().contains(column.name())) {
                sb.append(" NOT NULL");
            }
        }
        if (!schema.primaryKey().isEmpty()) {
            sb.append(", PRIMARY KEY (");
            appendColumns(sb, schema.primaryKey());
            sb.append(')');
        }
        return sb.append(')').toString();
    }

    // ---------------------------------------------------------------- split planning

    @Override
    public String skipAndTakeOne(long offset) {
        return null;
    }

    // ---------------------------------------------------------------- helpers for subclasses

    /** Appends the quoted column names separated by commas. */
    protected void appendColumns(StringBuilder sb, List<String> columns) {
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quoteIdentifier(columns.get(i)));
        }
    }

    /** Appends {@code count} parameter placeholders separated by commas. */
    protected static void appendPlaceholders(StringBuilder sb, int count) {
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
    }

    /** The columns that are not keys, in order. */
    protected static List<String> nonKey(List<String> columns, List<String> keyColumns) {
        List<String> result = new ArrayList<>();
        for (String column : columns) {
            if (!keyColumns.contains(column)) {
                result.add(column);
            }
        }
        return result;
    }
}
