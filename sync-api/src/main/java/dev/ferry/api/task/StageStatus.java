package dev.ferry.api.task;

import java.util.List;
import java.util.Objects;

/**
 * One stage of a task.
 *
 * @param name      the stage
 * @param status    where it stands
 * @param lagMillis how far the target is behind the source (Real-time), otherwise null
 * @param position  the last checkpointed source position (Real-time), otherwise null
 * @param tables    the stage's tables, sorted by name; empty for a skipped stage
 * @param instances the Incremental Merge's recent runs, one per Business Date, latest date first;
 *                  empty for the other stages
 */
public record StageStatus(TaskStage name, StageState status, Long lagMillis, String position, List<TableStatus> tables,
                          List<MergeInstance> instances) {

    public StageStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        tables = List.copyOf(tables);
        instances = List.copyOf(instances);
    }

    /** A stage without merge instances. */
    public StageStatus(TaskStage name, StageState status, Long lagMillis, String position, List<TableStatus> tables) {
        this(name, status, lagMillis, position, tables, List.of());
    }
}
