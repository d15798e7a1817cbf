package dev.ferry.api.change;

import java.io.Serializable;
import java.util.Objects;

/**
 * A table of a change source: its schema (PostgreSQL schema, MariaDB/MySQL database) and its name,
 * both as the source spells them, unquoted.
 *
 * @param schema the schema or database, not empty
 * @param name   the table's name, not empty
 */
public record TableId(String schema, String name) implements Serializable, Comparable<TableId> {

    public TableId {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        if (schema.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("table id needs a schema and a name, got '" + schema + "." + name + "'");
        }
    }

    /**
     * Parses {@code schema.table}; the first dot separates them, so a table name may contain dots
     * but a schema may not.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static TableId parse(String text) {
        int dot = text == null ? -1 : text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1) {
            throw new IllegalArgumentException("table must be written schema.table, got '" + text + "'");
        }
        return new TableId(text.substring(0, dot), text.substring(dot + 1));
    }

    @Override
    public int compareTo(TableId other) {
        int c = schema.compareTo(other.schema);
        return c != 0 ? c : name.compareTo(other.name);
    }

    /** {@code schema.name}, the form {@link #parse} reads. */
    @Override
    public String toString() {
        return schema + "." + name;
    }
}
