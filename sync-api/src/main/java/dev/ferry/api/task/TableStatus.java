package dev.ferry.api.task;

import java.util.Objects;

/**
 * One table within a stage.
 *
 * @param table   the source table, {@code schema.table}
 * @param status  where the table stands in the stage
 * @param records rows copied (Full Initialization), otherwise null
 * @param inserts inserts applied (Real-time), otherwise null; likewise {@code updates} and {@code deletes}
 */
public record TableStatus(String table, StageState status, Long records, Long inserts, Long updates, Long deletes) {

    public TableStatus {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(status, "status");
    }

    /** A table with a status and no counts (Schema Migration). */
    public static TableStatus of(String table, StageState status) {
        return new TableStatus(table, status, null, null, null, null);
    }
}
