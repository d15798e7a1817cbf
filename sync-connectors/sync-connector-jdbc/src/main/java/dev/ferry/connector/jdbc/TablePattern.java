package dev.ferry.connector.jdbc;

import dev.ferry.api.change.TableId;
import dev.ferry.api.error.Violation;
import java.util.Objects;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One table, or a rule that selects tables by name, as a capture source's {@code tables} and a
 * change target's {@code tableMapping} write it: {@code schema.part}, split at the first dot.
 *
 * <ul>
 *   <li>{@code shop.orders}: that table;</li>
 *   <li>{@code shop.order_*}: a pattern, {@code *} standing for any run of characters and every
 *       other character for itself;</li>
 *   <li>{@code shop./orders_[0-9]+/}: a Java regular expression between the first and the last
 *       slash of the table part, which must match the whole table name.</li>
 * </ul>
 *
 * The schema {@value #OWN_SCHEMA} leaves the schema open: a capture source reads it as the
 * connection's own schema (database on MariaDB/MySQL), a table mapping as any schema. A regular
 * expression is compiled when the text is parsed, so a bad one is refused with the configuration.
 * Two patterns are equal when they are written the same.
 *
 * <p>Threading: immutable.
 */
public final class TablePattern {

    /** The schema that stands for the connection's own (capture) or any schema (mapping). */
    public static final String OWN_SCHEMA = "~";

    private enum Kind { TABLE, WILDCARD, REGEX }

    private final String schema;
    private final String table;
    private final Kind kind;
    private final Pattern pattern;

    private TablePattern(String schema, String table, Kind kind, Pattern pattern) {
        this.schema = schema;
        this.table = table;
        this.kind = kind;
        this.pattern = pattern;
    }

    /**
     * Parses {@code schema.table}, {@code schema.pattern*} or {@code schema./regex/}, each with
     * {@value #OWN_SCHEMA} allowed as the schema.
     *
     * @throws PatternSyntaxException   when the table part opens a regular expression that is not
     *                                  one (no closing slash, empty, or a syntax error)
     * @throws IllegalArgumentException when the text is not {@code schema.table}
     */
    public static TablePattern parse(String text) {
        TableId parts = TableId.parse(text.strip());
        String schema = parts.schema().equals(OWN_SCHEMA) ? null : parts.schema();
        String part = parts.name();
        if (part.startsWith("/")) {
            int close = part.lastIndexOf('/');
            if (close == 0) {
                throw new PatternSyntaxException("no closing slash", part, -1);
            }
            if (close != part.length() - 1) {
                throw new PatternSyntaxException("text after the closing slash", part, close + 1);
            }
            String regex = part.substring(1, close);
            if (regex.isEmpty()) {
                throw new PatternSyntaxException("empty", part, -1);
            }
            return new TablePattern(schema, regex, Kind.REGEX, Pattern.compile(regex));
        }
        if (part.indexOf('*') >= 0) {
            List<String> literals = new ArrayList<>();
            for (String literal : part.split("\\*", -1)) {
                literals.add(literal.isEmpty() ? "" : Pattern.quote(literal));
            }
            return new TablePattern(schema, part, Kind.WILDCARD, Pattern.compile(String.join(".*", literals)));
        }
        return new TablePattern(schema, part, Kind.TABLE, null);
    }

    /**
     * The violation for a text {@link #parse} refused: {@code formRule} when it is not
     * {@code schema.table}, else what is wrong with its regular expression.
     *
     * @param value the value to show ({@code "'shop./a[/'"})
     */
    public static Violation refusal(String key, String value, String formRule, IllegalArgumentException e) {
        if (e instanceof PatternSyntaxException bad) {
            return new Violation(key, "must hold a valid regular expression between the slashes (" + bad.getDescription()
                    + (bad.getIndex() >= 0 ? " near index " + bad.getIndex() : "") + ")", value);
        }
        return new Violation(key, formRule, value);
    }

    /** The schema as written, or null for {@value #OWN_SCHEMA}. */
    public String schema() {
        return schema;
    }

    /** Whether this names one table (in its schema, or in each schema for {@value #OWN_SCHEMA}). */
    /** Whether the table part is a regular expression ({@code /orders_[0-9]+/}). */
    public boolean isRegex() {
        return kind == Kind.REGEX;
    }

    public boolean isTable() {
        return kind == Kind.TABLE;
    }

    /** The table's name when {@link #isTable()}, else the pattern or the regular expression. */
    public String table() {
        return table;
    }

    /**
     * An SQL {@code LIKE} pattern, with {@code !} as its escape character, that every table this
     * selects matches: the table's name or pattern, or {@code %} for a regular expression (whose
     * matches {@link #matchesName} picks).
     */
    public String like() {
        if (kind == Kind.REGEX) {
            return "%";
        }
        return table.replace("!", "!!").replace("%", "!%").replace("_", "!_").replace('*', '%');
    }

    /** Whether a table of this name is selected, whatever its schema. */
    public boolean matchesName(String name) {
        return kind == Kind.TABLE ? table.equals(name) : pattern.matcher(name).matches();
    }

    /** Whether the table is selected, {@value #OWN_SCHEMA} taken as any schema. */
    public boolean matches(TableId id) {
        return (schema == null || schema.equals(id.schema())) && matchesName(id.name());
    }

    /** The text form {@link #parse} reads. */
    @Override
    public String toString() {
        return (schema == null ? OWN_SCHEMA : schema) + "." + (kind == Kind.REGEX ? "/" + table + "/" : table);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TablePattern that && toString().equals(that.toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toString());
    }
}
