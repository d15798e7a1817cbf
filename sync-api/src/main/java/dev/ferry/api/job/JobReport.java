package dev.ferry.api.job;

import dev.ferry.api.verify.VerifyReport;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a finished job did: an immutable snapshot, also written as the JSON report.
 *
 * @param name             the job's name
 * @param status           SUCCESS, FAILED, CANCELLED or STOPPED
 * @param failedStage      the stage that failed, or null
 * @param error            the key error message of a failed job, or null
 * @param recordsRead      records the source produced, dirty ones included
 * @param recordsWritten   records the target accepted
 * @param dirtyRecords     records not written because they were dirty
 * @param bytes            approximate bytes moved
 * @param splits           every split with its record count
 * @param concurrency      configured and actual concurrency
 * @param resourceGroup    the resource group the job ran in
 * @param startedAt        when the job was submitted
 * @param endedAt          when it reached its final state
 * @param durationMillis   {@code endedAt - startedAt}
 * @param waitMillis       time spent waiting for slots
 * @param recordsPerSecond average over the SYNC stage's real elapsed time
 * @param bytesPerSecond   likewise for bytes
 * @param stages           each stage that ran, with its duration, in order
 * @param warnings         warnings sources, targets and the engine raised
 * @param dirtySamples     the first few dirty records
 * @param stream           what a streaming job applied; null for a batch job
 * @param resumedSplits    splits an earlier run of a resumed job had written, not written again
 *                         (not among {@code splits}, not counted in {@code recordsWritten})
 * @param resumedRecords   the records those splits wrote
 * @param verification     what {@code settings.verify} found; null when the job did not verify
 */
public record JobReport(String name, JobStatus status, Stage failedStage, String error,
                        long recordsRead, long recordsWritten, long dirtyRecords, long bytes,
                        List<SplitReport> splits, Concurrency concurrency, String resourceGroup,
                        Instant startedAt, Instant endedAt, long durationMillis, long waitMillis,
                        double recordsPerSecond, double bytesPerSecond, List<StageTiming> stages,
                        List<String> warnings, List<DirtyRecord> dirtySamples, StreamReport stream,
                        long resumedSplits, long resumedRecords, VerifyReport verification) {

    public JobReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        splits = List.copyOf(splits);
        stages = List.copyOf(stages);
        warnings = List.copyOf(warnings);
        dirtySamples = List.copyOf(dirtySamples);
    }

    /** The report of a run that resumed nothing and did not verify. */
    public JobReport(String name, JobStatus status, Stage failedStage, String error,
                     long recordsRead, long recordsWritten, long dirtyRecords, long bytes,
                     List<SplitReport> splits, Concurrency concurrency, String resourceGroup,
                     Instant startedAt, Instant endedAt, long durationMillis, long waitMillis,
                     double recordsPerSecond, double bytesPerSecond, List<StageTiming> stages,
                     List<String> warnings, List<DirtyRecord> dirtySamples, StreamReport stream) {
        this(name, status, failedStage, error, recordsRead, recordsWritten, dirtyRecords, bytes, splits, concurrency,
                resourceGroup, startedAt, endedAt, durationMillis, waitMillis, recordsPerSecond, bytesPerSecond, stages,
                warnings, dirtySamples, stream, 0, 0, null);
    }

    /** The report of a batch job. */
    public JobReport(String name, JobStatus status, Stage failedStage, String error,
                     long recordsRead, long recordsWritten, long dirtyRecords, long bytes,
                     List<SplitReport> splits, Concurrency concurrency, String resourceGroup,
                     Instant startedAt, Instant endedAt, long durationMillis, long waitMillis,
                     double recordsPerSecond, double bytesPerSecond, List<StageTiming> stages,
                     List<String> warnings, List<DirtyRecord> dirtySamples) {
        this(name, status, failedStage, error, recordsRead, recordsWritten, dirtyRecords, bytes, splits, concurrency,
                resourceGroup, startedAt, endedAt, durationMillis, waitMillis, recordsPerSecond, bytesPerSecond, stages,
                warnings, dirtySamples, null);
    }

    /** One split and the records it moved. */
    public record SplitReport(String id, long records) implements java.io.Serializable {
    }

    /** Concurrency asked for and used: actual = min(configured, splits, granted slots). */
    public record Concurrency(int configured, int actual) {
    }

    /** How long one stage took. */
    public record StageTiming(Stage name, long durationMillis) implements java.io.Serializable {
    }

    public boolean isSuccess() {
        return status == JobStatus.SUCCESS;
    }
}
