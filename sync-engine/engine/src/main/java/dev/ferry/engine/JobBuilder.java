package dev.ferry.engine;

import dev.ferry.api.job.BufferSettings;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.DirtyDataPolicy;
import dev.ferry.api.job.JobReport;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.job.RateLimit;
import dev.ferry.api.job.RetryPolicy;
import dev.ferry.api.job.StreamSettings;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Describes a job in code, the same job a JSON file describes. Each option may be set once;
 * {@link #toSpec()} fails when source or target is missing or an option was set twice.
 */
public final class JobBuilder {

    private final SyncEngine engine;
    private final String name;
    private final Set<String> set = new HashSet<>();
    private ConnectorSpec source;
    private ConnectorSpec target;
    private JobSettings settings = JobSettings.DEFAULT;
    private JobMode mode = JobMode.BATCH;
    private boolean resumable;

    JobBuilder(SyncEngine engine, String name) {
        this.engine = engine;
        this.name = Objects.requireNonNull(name, "name");
    }

    public JobBuilder source(String connector, Map<String, ?> options) {
        once("source");
        source = new ConnectorSpec(connector, Map.copyOf(options));
        return this;
    }

    public JobBuilder target(String connector, Map<String, ?> options) {
        once("target");
        target = new ConnectorSpec(connector, Map.copyOf(options));
        return this;
    }

    /** Replaces all settings at once; conflicts with the individual setters. */
    public JobBuilder settings(JobSettings value) {
        once("settings");
        settings = Objects.requireNonNull(value, "settings");
        return this;
    }

    /**
     * Makes this a streaming job ({@code "mode": "stream"}): the source captures changes, the
     * target applies them, and the job runs until {@link JobHandle#stop()}.
     */
    public JobBuilder stream() {
        once("mode");
        mode = JobMode.STREAM;
        return this;
    }

    /** A streaming job's linger and checkpoint interval. */
    public JobBuilder streamSettings(StreamSettings value) {
        once("streamSettings");
        settings = settings.withStream(value);
        return this;
    }

    /**
     * Keeps the batch job's progress in the engine's state store, so that running it again after a
     * crash copies only the splits that did not finish; see {@link SyncEngine#submitResumable}.
     */
    public JobBuilder resumable() {
        once("resumable");
        resumable = true;
        return this;
    }

    public JobBuilder concurrency(int value) {
        once("concurrency");
        settings = settings.withConcurrency(value);
        return this;
    }

    public JobBuilder rateLimit(long recordsPerSecond, long bytesPerSecond) {
        once("rateLimit");
        settings = settings.withRateLimit(new RateLimit(recordsPerSecond, bytesPerSecond));
        return this;
    }

    public JobBuilder dirtyData(DirtyDataPolicy value) {
        once("dirtyData");
        settings = settings.withDirtyData(value);
        return this;
    }

    public JobBuilder resourceGroup(String value) {
        once("resourceGroup");
        settings = settings.withResourceGroup(value);
        return this;
    }

    public JobBuilder retry(RetryPolicy value) {
        once("retry");
        settings = settings.withRetry(value);
        return this;
    }

    public JobBuilder buffer(BufferSettings value) {
        once("buffer");
        settings = settings.withBuffer(value);
        return this;
    }

    public JobBuilder progressIntervalMillis(long value) {
        once("progressIntervalMillis");
        settings = settings.withProgressIntervalMillis(value);
        return this;
    }

    public JobSpec toSpec() {
        if (source == null) {
            throw new IllegalStateException("job '" + name + "' needs a source");
        }
        if (target == null) {
            throw new IllegalStateException("job '" + name + "' needs a target");
        }
        return new JobSpec(name, mode, source, target, settings);
    }

    public JobHandle submit() {
        return resumable ? engine.submitResumable(toSpec()) : engine.submit(toSpec());
    }

    public JobReport run() {
        return submit().await();
    }

    private void once(String option) {
        if (!set.add(option)) {
            throw new IllegalStateException("job '" + name + "': " + option + " was already set");
        }
        String other = option.equals("settings")
                ? set.stream().filter(this::isSetting).findFirst().orElse(null)
                : isSetting(option) && set.contains("settings") ? option : null;
        if (other != null) {
            throw new IllegalStateException("job '" + name + "': settings(...) conflicts with " + other + "(...)");
        }
    }

    private boolean isSetting(String option) {
        return !option.equals("source") && !option.equals("target") && !option.equals("settings")
                && !option.equals("mode") && !option.equals("resumable");
    }
}
