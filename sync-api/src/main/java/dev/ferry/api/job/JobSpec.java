package dev.ferry.api.job;

import java.io.Serializable;
import java.util.Objects;

/**
 * A job as written in a job file: move everything the source yields into the target
 * ({@link JobMode#BATCH}), or apply its changes until stopped ({@link JobMode#STREAM}).
 *
 * <p>Serializable (with every settings record it holds), so that a runner on a distributed engine can
 * ship the job to the processes that run its splits; its connector blocks carry their credentials.
 *
 * @param name     a name for logs and reports, not blank
 * @param mode     batch or stream
 * @param source   the source connector and its keys
 * @param target   the target connector and its keys
 * @param settings how to run it
 */
public record JobSpec(String name, JobMode mode, ConnectorSpec source, ConnectorSpec target, JobSettings settings) implements Serializable {

    public JobSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(settings, "settings");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, got '" + name + "'");
        }
    }

    /** A batch job. */
    public JobSpec(String name, ConnectorSpec source, ConnectorSpec target, JobSettings settings) {
        this(name, JobMode.BATCH, source, target, settings);
    }
}
