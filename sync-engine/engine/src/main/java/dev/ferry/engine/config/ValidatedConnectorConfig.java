package dev.ferry.engine.config;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.config.Secret;
import dev.ferry.api.data.Column;
import java.util.List;
import java.util.Map;

/**
 * A {@link ConnectorConfig} whose values were checked by {@link ConnectorConfigValidator}: each
 * declared key maps to a value of its type's Java form, or is absent (then its default applies).
 */
final class ValidatedConnectorConfig implements ConnectorConfig {

    private final String connector;
    private final String path;
    private final Map<String, ConfigKey> keys;
    private final Map<String, Object> values;

    ValidatedConnectorConfig(String connector, String path, Map<String, ConfigKey> keys, Map<String, Object> values) {
        this.connector = connector;
        this.path = path;
        this.keys = Map.copyOf(keys);
        this.values = Map.copyOf(values);
    }

    @Override
    public String connector() {
        return connector;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean declares(String key) {
        return keys.containsKey(key);
    }

    @Override
    public boolean isSet(String key) {
        declared(key);
        return values.containsKey(key);
    }

    @Override
    public String getString(String key) {
        return (String) get(key, ConfigType.STRING);
    }

    @Override
    public Secret getSecret(String key) {
        Object value = get(key, ConfigType.PASSWORD);
        if (value instanceof String s) {
            return new Secret(s);
        }
        return value == null ? new Secret("") : (Secret) value;
    }

    @Override
    public Integer getInt(String key) {
        return (Integer) get(key, ConfigType.INT);
    }

    @Override
    public Long getLong(String key) {
        Object value = get(key, ConfigType.LONG);
        return value instanceof Number n ? n.longValue() : null;
    }

    @Override
    public Double getDouble(String key) {
        Object value = get(key, ConfigType.DOUBLE);
        return value instanceof Number n ? n.doubleValue() : null;
    }

    @Override
    public Boolean getBoolean(String key) {
        return (Boolean) get(key, ConfigType.BOOLEAN);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> getStringList(String key) {
        Object value = get(key, ConfigType.STRING_LIST);
        if (value instanceof String s) {
            return List.of(s);
        }
        return (List<String>) value;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Column> getColumns(String key) {
        return (List<Column>) get(key, ConfigType.COLUMNS);
    }

    private Object get(String key, ConfigType expected) {
        ConfigKey declared = declared(key);
        if (declared.type() != expected) {
            throw new IllegalArgumentException("key '" + key + "' of connector '" + connector + "' is declared as "
                    + declared.type() + ", not " + expected);
        }
        return values.containsKey(key) ? values.get(key) : declared.defaultValue();
    }

    private ConfigKey declared(String key) {
        ConfigKey declared = keys.get(key);
        if (declared == null) {
            throw new IllegalArgumentException("connector '" + connector + "' did not declare key '" + key + "'");
        }
        return declared;
    }

    @Override
    public String toString() {
        return "ConnectorConfig[" + connector + ", keys=" + values.keySet() + "]";
    }
}
