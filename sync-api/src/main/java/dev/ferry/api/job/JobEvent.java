package dev.ferry.api.job;

import java.time.Instant;

/** Something that happened to a job, delivered to {@link JobListener}s in order. */
public sealed interface JobEvent {

    String job();

    Instant at();

    /** The job moved from one state to another; {@code detail} says why (e.g. which group it waits for). */
    record StatusChanged(String job, Instant at, JobStatus from, JobStatus to, String detail) implements JobEvent {
    }

    /** A stage of a running job began. */
    record StageStarted(String job, Instant at, Stage stage) implements JobEvent {
    }

    /** A stage ended; {@code error} is null when it succeeded. */
    record StageFinished(String job, Instant at, Stage stage, long durationMillis, String error) implements JobEvent {
    }

    /** A periodic progress snapshot during SYNC. */
    record ProgressReported(String job, Instant at, Progress progress) implements JobEvent {
    }

    /**
     * A split has made no progress for {@code stalledMillis}: the warning repeats while it stays
     * stuck, naming the side it waits on ({@code "source"}: the reader's query has produced no
     * record; {@code "target"}: the writer's write or commit has not returned).
     */
    record SplitStalled(String job, Instant at, String split, String side, long stalledMillis) implements JobEvent {
    }

    /** The job ended; the report is final. */
    record Finished(String job, Instant at, JobReport report) implements JobEvent {
    }
}
