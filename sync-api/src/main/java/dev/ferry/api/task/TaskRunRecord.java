package dev.ferry.api.task;

import java.time.Instant;
import java.util.Objects;

/**
 * One run of a task, as its history keeps it: which version ran, in which process, from when to
 * when, and how it ended.
 *
 * @param version the task-file version the run worked on last
 * @param runner  the process that ran it ({@code pid@host#id})
 * @param started when the runner took the task
 * @param ended   when it let go of it
 * @param status  how it ended: STOPPED, FAILED or SUCCESS
 * @param error   why it failed, or null
 */
public record TaskRunRecord(int version, String runner, Instant started, Instant ended, TaskState status,
                            String error) {

    public TaskRunRecord {
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(ended, "ended");
        Objects.requireNonNull(status, "status");
    }
}
