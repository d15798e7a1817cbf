package dev.ferry.connector.jdbc;

import dev.ferry.api.change.Partitioning;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * @param extras        the columns every write fills besides the source's, in their order
 * @param shard         which of a sharded source's endpoints this target's stream reads, or null for
 *                      a source of one endpoint
 */
public record PartitionLayout(Partitioning partitioning, LocalDate snapshotDate, String logSuffix,
                                List<ExtraColumn> extras, Shard shard) {

    /**
     * One endpoint of a sharded source whose tables several streams write into the same target
     * tables: a partition is replaced once every shard has written its rows, and logged positions
     * carry the shard, since positions of different servers may coincide.
     *
     * @param index this endpoint's number, from 0
     * @param count how many endpoints there are
     */
    public record Shard(int index, int count) {

        public Shard {
            if (count < 2 || index < 0 || index >= count) {
                throw new IllegalArgumentException("shard " + index + " of " + count + " is not one of at least two");
            }
        }

        /** The text form {@code index/count}. */
        @Override
        public String toString() {
            return index + "/" + count;
        }
    }

    public PartitionLayout {
        Objects.requireNonNull(partitioning, "partitioning");
        Objects.requireNonNull(logSuffix, "logSuffix");
        extras = List.copyOf(extras);
        if (logSuffix.isEmpty()) {
            throw new IllegalArgumentException("the log suffix must not be empty");
        }
    }

    /** The configured snapshot date, else today's date in the partitioning's zone on {@code clock}. */
    public LocalDate snapshotDateOr(Clock clock) {
        return snapshotDate != null ? snapshotDate : LocalDate.now(clock.withZone(partitioning.zone()));
    }

    /** Settings without extra columns. */
    public PartitionLayout(Partitioning partitioning, LocalDate snapshotDate, String logSuffix) {
        this(partitioning, snapshotDate, logSuffix, List.of(), null);
    }

    /**
     * A change's logged position: its order key, behind its shard's number when the source is
     * sharded, so that changes of different servers never share a position and one server's
     * changes keep their order.
     */
    public String loggedPosition(String orderKey) {
        return shard == null ? orderKey : shard.index() + ":" + orderKey;
    }

    /** Whether {@code column} is one of the extra columns (case-insensitive, as databases fold names). */
    public boolean isExtra(String column) {
        return extras.stream().anyMatch(e -> e.name().equalsIgnoreCase(column));
    }

    /** The extra columns' values in a row of Business Date {@code date}, by column name, in order. */
    public Map<String, String> extraValues(LocalDate date) {
        Map<String, String> values = new LinkedHashMap<>();
        extras.forEach(e -> values.put(e.name(), e.value(date)));
        return values;
    }

    /** The change log of a base table: the same schema, the name with the suffix. */
    public TableName logOf(TableName base) {
        return new TableName(base.schema(), base.name() + logSuffix);
    }
}
