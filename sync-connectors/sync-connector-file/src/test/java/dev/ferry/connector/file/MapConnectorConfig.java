package dev.ferry.connector.file;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.config.Secret;
import dev.ferry.api.data.Column;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ConnectorConfig} over a map, filling declared defaults the way the engine does and
 * rejecting undeclared keys. For factory tests.
 */
final class MapConnectorConfig implements ConnectorConfig {

    private final String connector;
    private final String path;
    private final Map<String, ConfigKey> declared = new HashMap<>();
    private final Map<String, Object> values;

    MapConnectorConfig(String connector, String path, List<ConfigKey> keys, Map<String, Object> values) {
        this.connector = connector;
        this.path = path;
        for (ConfigKey key : keys) {
            declared.put(key.name(), key);
        }
        for (String name : values.keySet()) {
            if (!declared.containsKey(name)) {
                throw new IllegalArgumentException("undeclared key " + name);
            }
        }
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
    public boolean isSet(String key) {
        declaredKey(key);
        return values.containsKey(key);
    }

    private ConfigKey declaredKey(String key) {
        ConfigKey declaredKey = declared.get(key);
        if (declaredKey == null) {
            throw new IllegalArgumentException("key '" + key + "' was not declared");
        }
        return declaredKey;
    }

    private Object value(String key) {
        ConfigKey declaredKey = declaredKey(key);
        return values.containsKey(key) ? values.get(key) : declaredKey.defaultValue();
    }

    @Override
    public String getString(String key) {
        return (String) value(key);
    }

    @Override
    public Secret getSecret(String key) {
        Object v = value(key);
        return v == null ? null : new Secret((String) v);
    }

    @Override
    public Integer getInt(String key) {
        Object v = value(key);
        return v == null ? null : ((Number) v).intValue();
    }

    @Override
    public Long getLong(String key) {
        Object v = value(key);
        return v == null ? null : ((Number) v).longValue();
    }

    @Override
    public Double getDouble(String key) {
        Object v = value(key);
        return v == null ? null : ((Number) v).doubleValue();
    }

    @Override
    public Boolean getBoolean(String key) {
        return (Boolean) value(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<String> getStringList(String key) {
        Object v = value(key);
        if (v instanceof String s) {
            return List.of(s);
        }
        return (List<String>) v;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Column> getColumns(String key) {
        return (List<Column>) value(key);
    }
}
