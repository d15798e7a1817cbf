package dev.ferry.connector.jdbc;

import dev.ferry.api.change.TableId;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validated {@code target} block of a JDBC connector in a streaming job.
 *
 * @param path         the block's path ({@code "target"})
 * @param endpoint     where to connect
 * @param tableMapping source table ({@code schema.table}) to target table name, for tables that do
 *                     not keep their name
 * @param createTables create a missing target table from the source's schema
 * @param schema       the schema or database of target tables {@code tableMapping} does not name,
 *                     or null for the connection's default
 * @param tablePrefix  put before the source table's name for tables {@code tableMapping} does not name
 */
public record JdbcChangeTargetConfig(String path, JdbcEndpoint endpoint, Map<String, String> tableMapping,
                                     boolean createTables, String schema, String tablePrefix) {

    public static final String TABLE_MAPPING = "tableMapping";
    public static final String CREATE_TABLES = "createTables";
    public static final String SCHEMA = "schema";
    public static final String TABLE_PREFIX = "tablePrefix";

    public JdbcChangeTargetConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(endpoint, "endpoint");
        tableMapping = Map.copyOf(tableMapping);
        Objects.requireNonNull(tablePrefix, "tablePrefix");
    }

    /** The target table name of {@code source}: its mapping, else schema, prefix and the source's name. */
    public String targetName(TableId source) {
        String mapped = tableMapping.get(source.toString());
        if (mapped != null) {
            return mapped;
        }
        return (schema == null ? "" : schema + ".") + tablePrefix + source.name();
    }

    /** The keys of a JDBC target in a streaming job. */
    public static List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>(JdbcKeys.connectionKeys());
        keys.add(ConfigKey.optional(TABLE_MAPPING, ConfigType.STRING_LIST, null,
                "Target tables for source tables that do not keep their name, each \"schema.table=target\" "
                        + "(\"public.orders=sales.orders_copy\"); others go to the table of the same name."));
        keys.add(ConfigKey.optional(CREATE_TABLES, ConfigType.BOOLEAN, true,
                "Create a missing target table from the source's schema (columns the target lacks are always added)."));
        keys.add(ConfigKey.optional(SCHEMA, ConfigType.STRING, null,
                "The schema (database on MariaDB) of target tables that tableMapping does not name; the connection's "
                        + "default when absent."));
        keys.add(ConfigKey.optional(TABLE_PREFIX, ConfigType.STRING, "",
                "A prefix for the names of target tables that tableMapping does not name (\"ods_\" makes "
                        + "public.orders ods_orders)."));
        return keys;
    }

    /** Reads and checks the keys. @throws ConfigException listing every violation */
    public static JdbcChangeTargetConfig from(ConnectorConfig config, Dialect dialect) {
        List<Violation> violations = new ArrayList<>();
        JdbcEndpoint endpoint = JdbcSourceConfig.endpoint(config, dialect, violations);
        Map<String, String> mapping = new LinkedHashMap<>();
        List<String> entries = config.getStringList(TABLE_MAPPING);
        for (String entry : entries == null ? List.<String>of() : entries) {
            int eq = entry.indexOf('=');
            String key = config.path() + "." + TABLE_MAPPING;
            if (eq <= 0 || eq == entry.length() - 1) {
                violations.add(new Violation(key, "entries must be written schema.table=target", "'" + entry + "'"));
                continue;
            }
            try {
                TableId source = TableId.parse(entry.substring(0, eq).strip());
                if (mapping.put(source.toString(), entry.substring(eq + 1).strip()) != null) {
                    violations.add(new Violation(key, "must map each source table once", "'" + source + "'"));
                }
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(key, e.getMessage(), "'" + entry + "'"));
            }
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        String prefix = config.getString(TABLE_PREFIX);
        return new JdbcChangeTargetConfig(config.path(), endpoint, mapping,
                !Boolean.FALSE.equals(config.getBoolean(CREATE_TABLES)), config.getString(SCHEMA),
                prefix == null ? "" : prefix);
    }
}
