package dev.ferry.engine.config;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.Secret;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.error.Violation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a connector block's raw keys against the keys its factory declared: unknown keys, missing
 * required keys, wrong types and values outside the allowed set each become a {@link Violation}
 * naming the key path, the value and the rule. Every violation is collected, none stops the check.
 */
final class ConnectorConfigValidator {

    private static final Set<String> COLUMN_KEYS = Set.of("name", "type", "nullable", "precision", "scale");

    private ConnectorConfigValidator() {
    }

    /** Returns the validated config; adds to {@code violations} what is wrong (then the result is unusable). */
    static ValidatedConnectorConfig validate(String connector, String path, List<ConfigKey> declared,
                                             Map<String, Object> raw, List<Violation> violations) {
        Map<String, ConfigKey> keys = new LinkedHashMap<>();
        for (ConfigKey key : declared) {
            keys.put(key.name(), key);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : raw.entrySet()) {
            String name = entry.getKey();
            ConfigKey key = keys.get(name);
            String keyPath = path + "." + name;
            if (key == null) {
                violations.add(new Violation(keyPath, "is not a key of connector '" + connector + "' (known keys: "
                        + String.join(", ", keys.keySet()) + ")", null));
                continue;
            }
            Object value = entry.getValue();
            if (value == null) {
                if (key.required()) {
                    violations.add(new Violation(keyPath, "is required and must not be null", null));
                }
                continue;
            }
            Object converted = convert(key, keyPath, value, violations);
            if (converted != null) {
                values.put(name, converted);
            }
        }
        for (ConfigKey key : declared) {
            if (key.required() && !raw.containsKey(key.name())) {
                violations.add(new Violation(path + "." + key.name(), "is required (" + key.type().describe() + ": "
                        + key.description() + ")", null));
            }
        }
        return new ValidatedConnectorConfig(connector, path, keys, values);
    }

    private static Object convert(ConfigKey key, String keyPath, Object value, List<Violation> violations) {
        String shown = key.isSecret() ? Secret.MASK : Values.render(value);
        switch (key.type()) {
            case STRING -> {
                if (!(value instanceof String s)) {
                    violations.add(new Violation(keyPath, "must be a string", shown));
                    return null;
                }
                if (!key.allowedValues().isEmpty() && !key.allowedValues().contains(s)) {
                    violations.add(new Violation(keyPath, "must be one of " + String.join(", ", key.allowedValues()), shown));
                    return null;
                }
                return s;
            }
            case PASSWORD -> {
                if (!(value instanceof String) && !(value instanceof Secret)) {
                    violations.add(new Violation(keyPath, "must be a string", shown));
                    return null;
                }
                return value instanceof Secret secret ? secret : new Secret((String) value);
            }
            case INT, LONG -> {
                BigInteger integer = Values.integer(value);
                long min = key.type() == ConfigType.INT ? Integer.MIN_VALUE : Long.MIN_VALUE;
                long max = key.type() == ConfigType.INT ? Integer.MAX_VALUE : Long.MAX_VALUE;
                if (integer == null || integer.compareTo(BigInteger.valueOf(min)) < 0
                        || integer.compareTo(BigInteger.valueOf(max)) > 0) {
                    violations.add(new Violation(keyPath, "must be an integer between " + min + " and " + max, shown));
                    return null;
                }
                return key.type() == ConfigType.INT ? (Object) integer.intValue() : (Object) integer.longValue();
            }
            case DOUBLE -> {
                if (!(value instanceof Number n)) {
                    violations.add(new Violation(keyPath, "must be a number", shown));
                    return null;
                }
                return n instanceof BigDecimal d ? d.doubleValue() : n.doubleValue();
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean b)) {
                    violations.add(new Violation(keyPath, "must be true or false", shown));
                    return null;
                }
                return b;
            }
            case STRING_LIST -> {
                if (value instanceof String s) {
                    return List.of(s);
                }
                if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(e -> e instanceof String)) {
                    List<String> strings = new ArrayList<>();
                    list.forEach(e -> strings.add((String) e));
                    return List.copyOf(strings);
                }
                violations.add(new Violation(keyPath, "must be a string or a non-empty list of strings", shown));
                return null;
            }
            case COLUMNS -> {
                return columns(keyPath, value, violations);
            }
            default -> throw new IllegalStateException("unhandled type " + key.type());
        }
    }

    private static List<Column> columns(String keyPath, Object value, List<Violation> violations) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            violations.add(new Violation(keyPath, "must be a non-empty list of {\"name\": …, \"type\": …} objects",
                    Values.render(value)));
            return null;
        }
        List<Column> columns = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        int before = violations.size();
        for (int i = 0; i < list.size(); i++) {
            String at = keyPath + "[" + i + "]";
            if (list.get(i) instanceof Column given) {
                if (!names.add(given.name())) {
                    violations.add(new Violation(at + ".name", "must be unique within " + keyPath, "'" + given.name() + "'"));
                }
                columns.add(given);
                continue;
            }
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                violations.add(new Violation(at, "must be an object with \"name\" and \"type\"", Values.render(list.get(i))));
                continue;
            }
            for (Object k : map.keySet()) {
                if (!COLUMN_KEYS.contains(String.valueOf(k))) {
                    violations.add(new Violation(at + "." + k, "is not a column key (known keys: name, type, nullable, "
                            + "precision, scale)", null));
                }
            }
            Object name = map.get("name");
            Object type = map.get("type");
            if (!(name instanceof String n) || n.isEmpty()) {
                violations.add(new Violation(at + ".name", "must be a non-empty string", Values.render(name)));
                continue;
            }
            if (!names.add(n)) {
                violations.add(new Violation(at + ".name", "must be unique within " + keyPath, Values.render(name)));
            }
            DataType dataType = null;
            if (!(type instanceof String t)) {
                violations.add(new Violation(at + ".type", "must be one of " + DataType.names(), Values.render(type)));
            } else {
                try {
                    dataType = DataType.fromName(t);
                } catch (IllegalArgumentException e) {
                    violations.add(new Violation(at + ".type", "must be one of " + DataType.names(), Values.render(type)));
                }
            }
            Object nullable = map.get("nullable");
            if (nullable != null && !(nullable instanceof Boolean)) {
                violations.add(new Violation(at + ".nullable", "must be true or false", Values.render(nullable)));
            }
            int precision = nonNegative(at + ".precision", map.get("precision"), violations);
            int scale = nonNegative(at + ".scale", map.get("scale"), violations);
            if (dataType != null) {
                columns.add(new Column(n, dataType, !Boolean.FALSE.equals(nullable), precision, scale, ""));
            }
        }
        return violations.size() == before ? List.copyOf(columns) : null;
    }

    private static int nonNegative(String path, Object value, List<Violation> violations) {
        if (value == null) {
            return 0;
        }
        BigInteger integer = Values.integer(value);
        if (integer == null || integer.signum() < 0 || integer.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
            violations.add(new Violation(path, "must be an integer >= 0", Values.render(value)));
            return 0;
        }
        return integer.intValue();
    }
}
