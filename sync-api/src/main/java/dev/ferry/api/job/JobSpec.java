package dev.ferry.api.job;

import java.util.Objects;

/**
 * A batch job as written in a job file: move everything the source yields into the target.
 *
 * @param name     a name for logs and reports, not blank
 * @param source   the source connector and its keys
 * @param target   the target connector and its keys
 * @param settings how to run it
 */
public record JobSpec(String name, ConnectorSpec source, ConnectorSpec target, JobSettings settings) {

    public JobSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(settings, "settings");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, got '" + name + "'");
        }
    }
}
