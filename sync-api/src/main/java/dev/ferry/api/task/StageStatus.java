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
 */
public record StageStatus(TaskStage name, StageState status, Long lagMillis, String position, List<TableStatus> tables) {

    public StageStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        tables = List.copyOf(tables);
    }
}
