package dev.ferry.api.task;

import java.util.Objects;

/**
 * One entry of a task's {@code source.tables}: which source tables it selects and how they map to
 * the target.
 *
 * @param name     {@code schema.table}, or a pattern where {@code *} matches any run of characters
 *                 in the table part ({@code inventory.*}); with {@code physical}, the logical name
 *                 of the target table that the matching physical tables merge into
 * @param physical a regular expression over the table names of every shard whose matches all map to
 *                 {@code name} ({@code orders_[0-9]+}), or null for the one-table form
 * @param splitPk  the column that splits the table's Full Initialization, or null for its integer
 *                 primary key
 * @param target   the target table's name, or null for the source table's name (with the task's
 *                 {@code target.tablePrefix} and {@code target.schema})
 */
public record TableRule(String name, String physical, String splitPk, String target) {

    public TableRule {
        Objects.requireNonNull(name, "name");
    }

    /** The plain string form: one table or one pattern, mapped by the task's rules. */
    public static TableRule of(String name) {
        return new TableRule(name, null, null, null);
    }

    /** Whether {@link #name()} is a pattern rather than one table. */
    public boolean isPattern() {
        return name.indexOf('*') >= 0;
    }
}
