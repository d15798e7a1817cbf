package dev.ferry.api.job;

import java.io.Serializable;
import java.util.Objects;

/**
 * The {@code settings} block of a job.
 *
 * @param concurrency            channels to run at once, >= 1; the actual number is also bounded
 *                               by the splits and by the slots the resource group grants
 * @param rateLimit              job-wide speed limit
 * @param dirtyData              dirty-data tolerance and file
 * @param resourceGroup          the pool of concurrency slots the job draws from
 * @param retry                  retry of failed splits
 * @param buffer                 per-channel buffer bounds
 * @param progressIntervalMillis how often a progress line is logged, >= 100
 * @param stream                 streaming jobs' linger and checkpoint interval
 * @param verify                 a batch job compares the target with the source after POST and fails
 *                               when they differ
 * @param runner                 where the job's copies run: in this process, or on Apache Flink
 */
public record JobSettings(int concurrency, RateLimit rateLimit, DirtyDataPolicy dirtyData, String resourceGroup,
                          RetryPolicy retry, BufferSettings buffer, long progressIntervalMillis,
                          StreamSettings stream, boolean verify, Runner runner) implements Serializable {

    public static final int DEFAULT_CONCURRENCY = 4;
    public static final String DEFAULT_RESOURCE_GROUP = "default";
    public static final long DEFAULT_PROGRESS_INTERVAL_MILLIS = 10_000;
    public static final JobSettings DEFAULT = new JobSettings(DEFAULT_CONCURRENCY, RateLimit.UNLIMITED,
            DirtyDataPolicy.TOLERATE, DEFAULT_RESOURCE_GROUP, RetryPolicy.DEFAULT, BufferSettings.DEFAULT,
            DEFAULT_PROGRESS_INTERVAL_MILLIS, StreamSettings.DEFAULT, false, Runner.LOCAL);

    public JobSettings {
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(dirtyData, "dirtyData");
        Objects.requireNonNull(resourceGroup, "resourceGroup");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(runner, "runner");
        if (concurrency < 1) {
            throw new IllegalArgumentException("settings.concurrency must be >= 1, got " + concurrency);
        }
        if (resourceGroup.isBlank()) {
            throw new IllegalArgumentException("settings.resourceGroup must not be blank, got '" + resourceGroup + "'");
        }
        if (progressIntervalMillis < 100) {
            throw new IllegalArgumentException("settings.progressIntervalMillis must be >= 100, got " + progressIntervalMillis);
        }
    }

    /** Settings whose copies run in this process. */
    public JobSettings(int concurrency, RateLimit rateLimit, DirtyDataPolicy dirtyData, String resourceGroup,
                       RetryPolicy retry, BufferSettings buffer, long progressIntervalMillis, StreamSettings stream,
                       boolean verify) {
        this(concurrency, rateLimit, dirtyData, resourceGroup, retry, buffer, progressIntervalMillis, stream, verify,
                Runner.LOCAL);
    }

    /** Settings without verification. */
    public JobSettings(int concurrency, RateLimit rateLimit, DirtyDataPolicy dirtyData, String resourceGroup,
                       RetryPolicy retry, BufferSettings buffer, long progressIntervalMillis, StreamSettings stream) {
        this(concurrency, rateLimit, dirtyData, resourceGroup, retry, buffer, progressIntervalMillis, stream, false);
    }

    public JobSettings withConcurrency(int value) {
        return new JobSettings(value, rateLimit, dirtyData, resourceGroup, retry, buffer, progressIntervalMillis, stream, verify, runner);
    }

    public JobSettings withRateLimit(RateLimit value) {
        return new JobSettings(concurrency, value, dirtyData, resourceGroup, retry, buffer, progressIntervalMillis, stream, verify, runner);
    }

    public JobSettings withDirtyData(DirtyDataPolicy value) {
        return new JobSettings(concurrency, rateLimit, value, resourceGroup, retry, buffer, progressIntervalMillis, stream, verify, runner);
    }

    public JobSettings withResourceGroup(String value) {
        return new JobSettings(concurrency, rateLimit, dirtyData, value, retry, buffer, progressIntervalMillis, stream, verify, runner);
    }

    public JobSettings withRetry(RetryPolicy value) {
        return new JobSettings(concurrency, rateLimit, dirtyData, resourceGroup, value, buffer, progressIntervalMillis, stream, verify, runner);
    }

    public JobSettings withBuffer(BufferSettings value) {
        return new JobSettings(concurrency, rateLimit, dirtyData, resourceGroup, retry, value, progressIntervalMillis, stream, verify, runner);
    }

    public JobSettings withProgressIntervalMillis(long value) {
        return new JobSettings(concurrency, rateLimit, dirtyData, resourceGroup, retry, buffer, value, stream, verify,
                runner);
    }

    public JobSettings withStream(StreamSettings value) {
        return new JobSettings(concurrency, rateLimit, dirtyData, resourceGroup, retry, buffer, progressIntervalMillis,
                value, verify, runner);
    }

    public JobSettings withVerify(boolean value) {
        return new JobSettings(concurrency, rateLimit, dirtyData, resourceGroup, retry, buffer, progressIntervalMillis,
                stream, value, runner);
    }

    /** Where the job's copies run. */
    public JobSettings withRunner(Runner value) {
        return new JobSettings(concurrency, rateLimit, dirtyData, resourceGroup, retry, buffer, progressIntervalMillis,
                stream, verify, value);
    }
}
