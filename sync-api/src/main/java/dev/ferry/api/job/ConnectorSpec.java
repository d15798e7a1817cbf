package dev.ferry.api.job;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code source} or {@code target} block of a job before validation: the connector's name and
 * its keys as plain values (String, Number, Boolean, List, Map). The engine validates the keys
 * against the connector's declarations.
 *
 * <p>{@link #toString()} lists key names only, so a password given here never reaches a log.
 */
public record ConnectorSpec(String connector, Map<String, Object> options) implements Serializable {

    public ConnectorSpec {
        Objects.requireNonNull(connector, "connector");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    @Override
    public String toString() {
        return "ConnectorSpec[connector=" + connector + ", keys=" + options.keySet() + "]";
    }
}
