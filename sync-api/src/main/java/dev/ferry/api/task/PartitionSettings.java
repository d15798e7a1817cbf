package dev.ferry.api.task;

import dev.ferry.api.change.Partitioning;
import java.time.LocalTime;
import java.util.Objects;

/**
 * What a {@code partitioned} task target adds to a task: how its tables are partitioned by
 * Business Date, and when the Incremental Merge runs. The task file's
 * {@code target.partition {column, format}} and {@code target.merge {at, zone}}.
 *
 * @param partitioning the Business-Date column, its format and the task's time zone ({@code merge.zone})
 * @param mergeAt      the time of day, in the task's zone, at which the merge of the day that just
 *                     ended runs
 */
public record PartitionSettings(Partitioning partitioning, LocalTime mergeAt) {

    /** The default merge time. */
    public static final LocalTime DEFAULT_MERGE_AT = LocalTime.of(0, 30);

    public PartitionSettings {
        Objects.requireNonNull(partitioning, "partitioning");
        Objects.requireNonNull(mergeAt, "mergeAt");
    }
}
