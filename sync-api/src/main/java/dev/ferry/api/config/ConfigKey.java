package dev.ferry.api.config;

import java.util.List;
import java.util.Objects;

/**
 * One key a connector accepts, declared by its factory. The engine checks presence, type and
 * allowed values against these declarations before the factory sees the configuration, rejects
 * keys nobody declared, and prints them for {@code connectors} and the reference documentation.
 *
 * @param name          the key as written in the job file
 * @param type          its value type
 * @param required      whether the job file must give it
 * @param defaultValue  the value used when absent (of the type's Java form: String, Integer, Long,
 *                      Double, Boolean, List); null when there is none
 * @param allowedValues for STRING keys, the only accepted values (case-sensitive); empty = any
 * @param description   one sentence for users
 */
public record ConfigKey(String name, ConfigType type, boolean required, Object defaultValue,
                        List<String> allowedValues, String description) {

    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        allowedValues = List.copyOf(allowedValues);
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("required key '" + name + "' cannot have a default");
        }
    }

    public static ConfigKey required(String name, ConfigType type, String description) {
        return new ConfigKey(name, type, true, null, List.of(), description);
    }

    public static ConfigKey optional(String name, ConfigType type, Object defaultValue, String description) {
        return new ConfigKey(name, type, false, defaultValue, List.of(), description);
    }

    /** An optional STRING key restricted to {@code allowed}, defaulting to {@code defaultValue}. */
    public static ConfigKey oneOf(String name, String defaultValue, List<String> allowed, String description) {
        return new ConfigKey(name, ConfigType.STRING, false, defaultValue, allowed, description);
    }

    public boolean isSecret() {
        return type == ConfigType.PASSWORD;
    }
}
