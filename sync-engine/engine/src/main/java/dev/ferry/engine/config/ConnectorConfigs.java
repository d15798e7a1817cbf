package dev.ferry.engine.config;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ConnectorConfig} the way the engine does for a job, for code that drives a
 * connector factory directly (connector tests, custom runners).
 */
public final class ConnectorConfigs {

    private ConnectorConfigs() {
    }

    /**
     * Checks {@code values} against {@code keys} (types, required keys, allowed values, unknown
     * keys; COLUMNS values may be {@link dev.ferry.api.data.Column}s or {@code {name, type}} maps)
     * and returns the typed configuration.
     *
     * @param path the block's path for messages, {@code "source"} or {@code "target"}
     * @throws ConfigException listing every violation
     */
    public static ConnectorConfig validate(String connector, String path, List<ConfigKey> keys, Map<String, ?> values) {
        List<Violation> violations = new ArrayList<>();
        ConnectorConfig config = ConnectorConfigValidator.validate(connector, path, keys,
                new LinkedHashMap<>(values), violations);
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return config;
    }
}
