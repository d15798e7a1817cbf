package dev.ferry.api.task;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One Incremental Merge of a partitioned task: the building of one Business Date's partitions.
 *
 * @param date      the Business Date built
 * @param status    {@code RUNNING}, {@code DONE} or {@code FAILED}
 * @param startedAt when it began
 * @param endedAt   when it ended, null while running
 * @param rows      rows in the new partitions of every table (0 until done)
 * @param error     why it failed, else null
 */
public record MergeInstance(LocalDate date, StageState status, Instant startedAt, Instant endedAt, long rows,
                            String error) {

    public MergeInstance {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
