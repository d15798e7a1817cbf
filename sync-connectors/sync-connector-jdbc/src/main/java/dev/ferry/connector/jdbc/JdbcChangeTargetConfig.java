package dev.ferry.connector.jdbc;

import dev.ferry.api.change.Partitioning;
import dev.ferry.api.change.TableId;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The validated {@code target} block of a JDBC connector in a streaming job.
 *
 * @param path         the block's path ({@code "target"})
 * @param endpoint     where to connect
 * @param tableMapping the rules that name the target table of source tables that do not keep their
 *                     name, in the order given
 * @param createTables create a missing target table from the source's schema
 * @param schema       the schema or database of target tables {@code tableMapping} does not name,
 *                     or null for the connection's default
 * @param tablePrefix  put before the source table's name for tables {@code tableMapping} does not name
 * @param partitions   the layout of a {@code partitioned} target, or null when it mirrors the source
 */
public record JdbcChangeTargetConfig(String path, JdbcEndpoint endpoint, List<MappingRule> tableMapping,
                                     boolean createTables, String schema, String tablePrefix,
                                     PartitionLayout partitions) {

    public static final String TABLE_MAPPING = "tableMapping";
    public static final String CREATE_TABLES = "createTables";
    public static final String SCHEMA = "schema";
    public static final String TABLE_PREFIX = "tablePrefix";
    public static final String PARTITIONED = "partitioned";
    public static final String PARTITION_COLUMN = "partitionColumn";
    public static final String PARTITION_FORMAT = "partitionFormat";
    public static final String PARTITION_ZONE = "partitionZone";
    public static final String PARTITION_DATE = "partitionDate";
    public static final String CONSTANT_COLUMNS = "constantColumns";
    public static final String BUSINESS_DATE_COLUMNS = "businessDateColumns";
    public static final String PARTITION_SHARD = "partitionShard";
    public static final String LOG_SUFFIX = "logSuffix";
    private static final String FORM = "entries must be written schema.table=target";

    public JdbcChangeTargetConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(endpoint, "endpoint");
        tableMapping = List.copyOf(tableMapping);
        Objects.requireNonNull(tablePrefix, "tablePrefix");
    }

    /** Whether the target keeps partitions per Business Date and a change log instead of mirroring the source. */
    public boolean partitioned() {
        return partitions != null;
    }

    /**
     * One {@code tableMapping} entry: the source tables it selects ({@code ~} standing for any
     * schema) and their target table.
     */
    public record MappingRule(TablePattern source, String target) {

        public MappingRule {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
        }

        /** Whether this names one table of one schema, and so wins over the other rules. */
        boolean isExact() {
            return source.isTable() && source.schema() != null;
        }
    }

    /**
     * The target table name of {@code source}: the target of the exact {@code schema.table} rule
     * naming it, else of the first other rule that matches it, else schema, prefix and the source's
     * name.
     */
    public String targetName(TableId source) {
        for (MappingRule rule : tableMapping) {
            if (rule.isExact() && rule.source().matches(source)) {
                return rule.target();
            }
        }
        for (MappingRule rule : tableMapping) {
            if (!rule.isExact() && rule.source().matches(source)) {
                return rule.target();
            }
        }
        return (schema == null ? "" : schema + ".") + tablePrefix + source.name();
    }

    /** The keys of a JDBC target in a streaming job. */
    public static List<ConfigKey> keys() {
        List<ConfigKey> keys = new ArrayList<>(JdbcKeys.connectionKeys());
        keys.add(ConfigKey.optional(TABLE_MAPPING, ConfigType.STRING_LIST, null,
                "Target tables for source tables that do not keep their name, each \"schema.table=target\" "
                        + "(\"public.orders=sales.orders_copy\"). The left side may also be a pattern with * or a "
                        + "regular expression between slashes that matches whole table names, and ~ any schema: "
                        + "\"~./orders_[0-9]+/=orders_all\" merges every orders_N into one table (they must have the same "
                        + "key columns, and keys unique across them). Exact names win; the other entries are tried in "
                        + "the order given. Tables no entry matches go to the table of the same name."));
        keys.add(ConfigKey.optional(CREATE_TABLES, ConfigType.BOOLEAN, true,
                "Create a missing target table from the source's schema (columns the target lacks are always added)."));
        keys.add(ConfigKey.optional(SCHEMA, ConfigType.STRING, null,
                "The schema (database on MariaDB) of target tables that tableMapping does not name; the connection's "
                        + "default when absent."));
        keys.add(ConfigKey.optional(TABLE_PREFIX, ConfigType.STRING, "",
                "A prefix for the names of target tables that tableMapping does not name (\"ods_\" makes "
                        + "public.orders ods_orders)."));
        keys.add(ConfigKey.optional(PARTITIONED, ConfigType.BOOLEAN, false,
                "Keep each table as one partition per Business Date plus a change log (the table's name with logSuffix) "
                        + "that streaming writes instead of the table; a merge builds each day's partition. PostgreSQL and "
                        + "DuckDB only."));
        keys.add(ConfigKey.optional(PARTITION_COLUMN, ConfigType.STRING, Partitioning.DEFAULT_COLUMN,
                "The Business-Date column of partitioned tables and their change logs (text)."));
        keys.add(ConfigKey.optional(PARTITION_FORMAT, ConfigType.STRING, Partitioning.DEFAULT_FORMAT,
                "The text form of a Business Date in the partition column, a date pattern that keeps the whole date."));
        keys.add(ConfigKey.optional(PARTITION_ZONE, ConfigType.STRING, "UTC",
                "The time zone (IANA id, \"Asia/Shanghai\") whose calendar decides a change's Business Date from its "
                        + "commit time."));
        keys.add(ConfigKey.optional(PARTITION_DATE, ConfigType.STRING, null,
                "The Business Date (yyyy-MM-dd) whose partition a Full Initialization writes; today in partitionZone "
                        + "when absent."));
        keys.add(ConfigKey.optional(LOG_SUFFIX, ConfigType.STRING, "_log",
                "Appended to a partitioned table's name to name its change log."));
        keys.add(ConfigKey.optional(PARTITION_SHARD, ConfigType.STRING, null,
                "For a sharded source (a task sets it): \"index/count\", which endpoint this stream reads; each "
                        + "partition is replaced once every shard has written its rows. PostgreSQL only."));
        keys.add(ConfigKey.optional(CONSTANT_COLUMNS, ConfigType.STRING_LIST, null,
                "Extra text columns of a partitioned target that every write fills with a constant, each "
                        + "\"column=value\" (\"source_system=crm\"); added to every base table and change log."));
        keys.add(ConfigKey.optional(BUSINESS_DATE_COLUMNS, ConfigType.STRING_LIST, null,
                "Extra text columns of a partitioned target that every write fills with the row's Business Date in a "
                        + "pattern of their own, each \"column=pattern\" (\"load_date=yyyy-MM-dd\")."));
        return keys;
    }

    /** Reads and checks the keys. @throws ConfigException listing every violation */
    public static JdbcChangeTargetConfig from(ConnectorConfig config, Dialect dialect) {
        List<Violation> violations = new ArrayList<>();
        JdbcEndpoint endpoint = JdbcSourceConfig.endpoint(config, dialect, violations);
        List<MappingRule> mapping = new ArrayList<>();
        Set<TablePattern> seen = new HashSet<>();
        List<String> entries = config.getStringList(TABLE_MAPPING);
        String key = config.path() + "." + TABLE_MAPPING;
        for (String entry : entries == null ? List.<String>of() : entries) {
            int eq = separator(entry);
            if (eq <= 0 || eq == entry.length() - 1) {
                violations.add(new Violation(key, FORM, "'" + entry + "'"));
                continue;
            }
            try {
                TablePattern source = TablePattern.parse(entry.substring(0, eq));
                if (!seen.add(source)) {
                    violations.add(new Violation(key, "must map each source table once", "'" + source + "'"));
                }
                mapping.add(new MappingRule(source, entry.substring(eq + 1).strip()));
            } catch (IllegalArgumentException e) {
                violations.add(TablePattern.refusal(key, "'" + entry + "'", FORM, e));
            }
        }
        boolean partitioned = Boolean.TRUE.equals(config.getBoolean(PARTITIONED));
        PartitionLayout partitions = partitioned ? partitions(config, dialect, violations) : null;
        if (!partitioned) {
            for (String extra : List.of(CONSTANT_COLUMNS, BUSINESS_DATE_COLUMNS)) {
                List<String> given = config.getStringList(extra);
                if (given != null && !given.isEmpty()) {
                    violations.add(new Violation(config.path() + "." + extra, "is only for a partitioned target "
                            + "(partitioned true, a task's target.kind partitioned)", "'" + String.join(",", given) + "'"));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        String prefix = config.getString(TABLE_PREFIX);
        return new JdbcChangeTargetConfig(config.path(), endpoint, mapping,
                !Boolean.FALSE.equals(config.getBoolean(CREATE_TABLES)), config.getString(SCHEMA),
                prefix == null ? "" : prefix, partitions);
    }

    /** Reads the partitioning keys of a {@code partitioned} target; null when any is wrong (added to {@code violations}). */
    private static PartitionLayout partitions(ConnectorConfig config, Dialect dialect, List<Violation> violations) {
        String p = config.path() + ".";
        int before = violations.size();
        if (dialect.partitions().isEmpty()) {
            violations.add(new Violation(p + PARTITIONED, "must be false on " + dialect.name()
                    + ": its change target cannot keep tables partitioned by Business Date (postgresql and duckdb can)",
                    "true"));
        }
        String column = config.getString(PARTITION_COLUMN);
        if (column == null || column.isBlank()) {
            violations.add(new Violation(p + PARTITION_COLUMN, "must name a column", "'" + column + "'"));
        }
        String zoneId = config.getString(PARTITION_ZONE);
        ZoneId zone = null;
        try {
            zone = ZoneId.of(zoneId);
        } catch (DateTimeException | NullPointerException e) {
            violations.add(new Violation(p + PARTITION_ZONE, "must be a time zone id such as UTC or Asia/Shanghai",
                    "'" + zoneId + "'"));
        }
        String format = config.getString(PARTITION_FORMAT);
        Partitioning partitioning = null;
        try {
            partitioning = new Partitioning(column == null || column.isBlank() ? Partitioning.DEFAULT_COLUMN : column,
                    format, zone == null ? ZoneId.of("UTC") : zone);
        } catch (IllegalArgumentException | NullPointerException e) {
            violations.add(new Violation(p + PARTITION_FORMAT, "must be a date pattern that keeps the whole date, such as "
                    + Partitioning.DEFAULT_FORMAT, "'" + format + "'"));
        }
        String dateText = config.getString(PARTITION_DATE);
        LocalDate date = null;
        if (dateText != null) {
            try {
                date = LocalDate.parse(dateText);
            } catch (DateTimeParseException e) {
                violations.add(new Violation(p + PARTITION_DATE, "must be a date written yyyy-MM-dd", "'" + dateText + "'"));
            }
        }
        String suffix = config.getString(LOG_SUFFIX);
        if (suffix == null || suffix.isEmpty()) {
            violations.add(new Violation(p + LOG_SUFFIX, "must not be empty (the change log needs a name of its own)",
                    "'" + (suffix == null ? "" : suffix) + "'"));
        }
        List<ExtraColumn> extras = extras(config, partitioning, violations);
        PartitionLayout.Shard shard = shard(config, dialect, violations);
        return violations.size() > before ? null : new PartitionLayout(partitioning, date, suffix, extras, shard);
    }

    /** Reads {@code partitionShard}; null when absent or wrong (added to {@code violations}). */
    private static PartitionLayout.Shard shard(ConnectorConfig config, Dialect dialect, List<Violation> violations) {
        String text = config.getString(PARTITION_SHARD);
        if (text == null) {
            return null;
        }
        String key = config.path() + "." + PARTITION_SHARD;
        if (dialect.partitions().flatMap(p -> p.exclusiveLockSql(new TableName(null, "t"))).isEmpty()) {
            violations.add(new Violation(key, "cannot be set on " + dialect.name() + ": it cannot serialise the "
                    + "shards' writes of one partition (postgresql can), so a sharded source needs another target",
                    "'" + text + "'"));
            return null;
        }
        try {
            int slash = text.indexOf('/');
            return new PartitionLayout.Shard(Integer.parseInt(text.substring(0, slash).strip()),
                    Integer.parseInt(text.substring(slash + 1).strip()));
        } catch (RuntimeException e) {
            violations.add(new Violation(key, "must be index/count with 0 <= index < count and count >= 2",
                    "'" + text + "'"));
            return null;
        }
    }

    /** Reads {@code constantColumns} and {@code businessDateColumns}: names unique and not the Business-Date column's. */
    private static List<ExtraColumn> extras(ConnectorConfig config, Partitioning partitioning, List<Violation> violations) {
        List<ExtraColumn> extras = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (partitioning != null) {
            names.add(partitioning.column().toLowerCase(java.util.Locale.ROOT));
        }
        for (String key : List.of(CONSTANT_COLUMNS, BUSINESS_DATE_COLUMNS)) {
            List<String> entries = config.getStringList(key);
            String path = config.path() + "." + key;
            for (String entry : entries == null ? List.<String>of() : entries) {
                int eq = entry.indexOf('=');
                String name = eq < 0 ? "" : entry.substring(0, eq).strip();
                String value = eq < 0 ? "" : entry.substring(eq + 1);
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
                    violations.add(new Violation(path, "must be entries \"column=" + (key.equals(CONSTANT_COLUMNS)
                            ? "value" : "pattern") + "\" whose column is a name of letters, digits and '_'", "'" + entry + "'"));
                    continue;
                }
                if (!names.add(name.toLowerCase(java.util.Locale.ROOT)) || name.toLowerCase(java.util.Locale.ROOT)
                        .startsWith("_ferry_")) {
                    violations.add(new Violation(path, "must name each extra column once, and neither the Business-Date "
                            + "column nor a name starting with _ferry_", "'" + name + "'"));
                    continue;
                }
                if (key.equals(CONSTANT_COLUMNS)) {
                    extras.add(ExtraColumn.constant(name, value));
                    continue;
                }
                try {
                    extras.add(ExtraColumn.businessDate(name, value));
                } catch (IllegalArgumentException e) {
                    violations.add(new Violation(path, "must give a date pattern such as yyyy-MM-dd after '=' ("
                            + e.getMessage() + ")", "'" + entry + "'"));
                }
            }
        }
        return extras;
    }

    /**
     * Where the entry's target starts: at the first {@code =}, or when the table part opens a
     * regular expression ({@code schema./…}), at the first {@code =} after a slash, so that the
     * expression may hold one.
     */
    private static int separator(String entry) {
        int dot = entry.indexOf('.');
        if (dot >= 0 && entry.startsWith("/", dot + 1)) {
            int end = entry.indexOf("/=", dot + 2);
            if (end >= 0) {
                return end + 1;
            }
        }
        return entry.indexOf('=');
    }
}
