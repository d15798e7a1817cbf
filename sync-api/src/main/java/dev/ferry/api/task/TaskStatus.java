package dev.ferry.api.task;

import java.util.List;
import java.util.Objects;

/**
 * What {@code task status} shows: the task as a whole and each of its four stages, in order.
 *
 * @param name    the task
 * @param version the committed task-file version the runner works on (or last worked on)
 * @param status  the task's state
 * @param error   why it failed, saying what to do; null unless {@link TaskState#FAILED}
 * @param stages  the four stages in {@link TaskStage} order
 */
public record TaskStatus(String name, int version, TaskState status, String error, List<StageStatus> stages) {

    public TaskStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        stages = List.copyOf(stages);
    }

    /** The named stage. */
    public StageStatus stage(TaskStage stage) {
        return stages.stream().filter(s -> s.name() == stage).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no stage " + stage));
    }
}
