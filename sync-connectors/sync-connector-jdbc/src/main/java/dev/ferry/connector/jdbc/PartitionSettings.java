package dev.ferry.connector.jdbc;

import dev.ferry.api.change.Partitioning;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Objects;

/**
 * How a {@code partitioned} change target lays out its tables: the Business-Date partitioning, the
 * date whose partition a stream's Full Initialization writes, and the suffix that names each
 * table's change log.
 *
 * @param partitioning  the Business-Date column, its format and zone
 * @param snapshotDate  the Business Date the Full Initialization writes, or null for the date in the
 *                      zone when the target is prepared
 * @param logSuffix     appended to a base table's name to name its change log ({@code _log})
 */
public record PartitionSettings(Partitioning partitioning, LocalDate snapshotDate, String logSuffix) {

    public PartitionSettings {
        Objects.requireNonNull(partitioning, "partitioning");
        Objects.requireNonNull(logSuffix, "logSuffix");
        if (logSuffix.isEmpty()) {
            throw new IllegalArgumentException("the log suffix must not be empty");
        }
    }

    /** The configured snapshot date, else today's date in the partitioning's zone on {@code clock}. */
    public LocalDate snapshotDateOr(Clock clock) {
        return snapshotDate != null ? snapshotDate : LocalDate.now(clock.withZone(partitioning.zone()));
    }

    /** The change log of a base table: the same schema, the name with the suffix. */
    public TableName logOf(TableName base) {
        return new TableName(base.schema(), base.name() + logSuffix);
    }
}
