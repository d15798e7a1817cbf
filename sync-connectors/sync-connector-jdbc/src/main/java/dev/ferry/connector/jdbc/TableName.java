package dev.ferry.connector.jdbc;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table name as the job file gives it, optionally schema-qualified ({@code "public.orders"};
 * for MariaDB and MySQL the qualifier is the database).
 *
 * <p>Parsing: the text is split at dots. A part that starts with a double quote or a backtick is
 * quoted: it runs to the matching closing quote, and a doubled quote inside stands for one
 * ({@code "my.schema"."Order ""A"""}). Any other part is taken literally, whatever characters it
 * holds. Names are never pasted into SQL as written: the dialect's {@link SqlRenderer} quotes
 * each part.
 *
 * @param schema the schema (or database) part, or null when unqualified
 * @param name   the table's own name
 */
public record TableName(String schema, String name) implements java.io.Serializable {

    public TableName {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("table name must not be empty");
        }
        if (schema != null && schema.isEmpty()) {
            throw new IllegalArgumentException("schema of table '" + name + "' must not be empty");
        }
    }

    /**
     * Parses a job file's {@code table} value.
     *
     * @param key the key's path for messages ({@code "source.table"})
     * @throws ConfigException when the text is empty, has more than two parts or an unclosed quote
     */
    public static TableName parse(String key, String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigException(new Violation(key, "must not be empty", text == null ? null : "'" + text + "'"));
        }
        List<String> parts = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (true) {
            if (i < n && (text.charAt(i) == '"' || text.charAt(i) == '`')) {
                char quote = text.charAt(i);
                StringBuilder part = new StringBuilder();
                int j = i + 1;
                boolean closed = false;
                while (j < n) {
                    char c = text.charAt(j);
                    if (c == quote) {
                        if (j + 1 < n && text.charAt(j + 1) == quote) {
                            part.append(quote);
                            j += 2;
                            continue;
                        }
                        closed = true;
                        j++;
                        break;
                    }
                    part.append(c);
                    j++;
                }
                if (!closed) {
                    throw new ConfigException(new Violation(key, "has an unclosed " + quote + " quote", "'" + text + "'"));
                }
                parts.add(part.toString());
                if (j == n) {
                    break;
                }
                if (text.charAt(j) != '.') {
                    throw new ConfigException(new Violation(key,
                            "must have a dot after a quoted part (quote a name that holds a dot: \"a.b\")", "'" + text + "'"));
                }
                i = j + 1;
            } else {
                int dot = text.indexOf('.', i);
                int end = dot < 0 ? n : dot;
                parts.add(text.substring(i, end));
                if (dot < 0) {
                    break;
                }
                i = dot + 1;
            }
        }
        if (parts.size() > 2) {
            throw new ConfigException(new Violation(key,
                    "must be 'table' or 'schema.table' (quote a name that holds a dot: \"a.b\")", "'" + text + "'"));
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new ConfigException(new Violation(key, "must not have an empty part", "'" + text + "'"));
            }
        }
        return parts.size() == 1 ? new TableName(null, parts.get(0)) : new TableName(parts.get(0), parts.get(1));
    }

    /** This table in another schema, or unqualified when {@code newSchema} is null. */
    public TableName withSchema(String newSchema) {
        return new TableName(newSchema, name);
    }

    /** Readable form for messages and split ids: the parts joined by a dot, unquoted. */
    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
