package dev.ferry.connector.jdbc;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration keys every JDBC connector accepts, with their defaults. Each default lives
 * here and nowhere else; dialect connectors add their own keys on top of these lists.
 */
public final class JdbcKeys {

    public static final String URL = "url";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String TABLE = "table";
    public static final String COLUMNS = "columns";
    public static final String WHERE = "where";
    public static final String QUERY_SQL = "querySql";
    public static final String SPLIT_PK = "splitPk";
    public static final String SPLIT_COUNT = "splitCount";
    public static final String FETCH_SIZE = "fetchSize";
    public static final String CONNECT_TIMEOUT_SECONDS = "connectTimeoutSeconds";
    public static final String SOCKET_TIMEOUT_SECONDS = "socketTimeoutSeconds";
    public static final String DRIVER_CLASS_NAME = "driverClassName";
    public static final String WRITE_MODE = "writeMode";
    public static final String KEY_COLUMNS = "keyColumns";
    public static final String BATCH_SIZE = "batchSize";
    public static final String PRE_SQL = "preSql";
    public static final String POST_SQL = "postSql";
    public static final String TRUNCATE_BEFORE_WRITE = "truncateBeforeWrite";
    public static final String CREATE_TABLE = "createTable";

    /**
     * Small enough that each reader's fetched rows die young even with four channels in a 256 MiB
     * heap (10,000 made them survive into the old generation), large enough that round trips do
     * not matter.
     */
    public static final int DEFAULT_FETCH_SIZE = 2_000;
    public static final int DEFAULT_BATCH_SIZE = 1_000;
    public static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 30;
    /** Long enough for a planning query over tens of millions of rows, short enough to end a hang. */
    public static final int DEFAULT_SOCKET_TIMEOUT_SECONDS = 600;
    /** Splits per unit of concurrency when {@code splitCount} is not given. */
    public static final int SPLITS_PER_CHANNEL = 4;
    /** Upper bound of the automatic split count. */
    public static final int MAX_AUTO_SPLITS = 256;
    /** Upper bound of an explicit {@code splitCount}. */
    public static final int MAX_SPLITS = 10_000;

    private JdbcKeys() {
    }

    /** Keys shared by sources and targets. */
    public static List<ConfigKey> connectionKeys() {
        return List.of(
                ConfigKey.required(URL, ConfigType.STRING, "JDBC URL of the database."),
                ConfigKey.optional(USERNAME, ConfigType.STRING, null, "User name to log in with."),
                ConfigKey.optional(PASSWORD, ConfigType.PASSWORD, null, "Password to log in with; never logged."),
                ConfigKey.optional(CONNECT_TIMEOUT_SECONDS, ConfigType.INT, DEFAULT_CONNECT_TIMEOUT_SECONDS,
                        "Seconds to wait for a new connection before failing."),
                ConfigKey.optional(SOCKET_TIMEOUT_SECONDS, ConfigType.INT, DEFAULT_SOCKET_TIMEOUT_SECONDS,
                        "Seconds one network read may block before the connection fails with a timeout (0 = never)."));
    }

    /** Keys of a JDBC source. */
    public static List<ConfigKey> sourceKeys() {
        List<ConfigKey> keys = new ArrayList<>(connectionKeys());
        keys.add(ConfigKey.optional(TABLE, ConfigType.STRING, null,
                "Table to read, optionally schema-qualified (\"public.orders\"); excludes querySql."));
        keys.add(ConfigKey.optional(COLUMNS, ConfigType.STRING_LIST, null, "Columns to read; all when absent."));
        keys.add(ConfigKey.optional(WHERE, ConfigType.STRING, null, "SQL condition that filters the rows read."));
        keys.add(ConfigKey.optional(QUERY_SQL, ConfigType.STRING_LIST, null,
                "SQL queries to read instead of table/columns/where; each statement is one split."));
        keys.add(ConfigKey.optional(SPLIT_PK, ConfigType.STRING, null,
                "Integer column whose value ranges split the table for parallel reading."));
        keys.add(ConfigKey.optional(SPLIT_COUNT, ConfigType.INT, null,
                "Number of key-range splits; default concurrency x " + SPLITS_PER_CHANNEL + " (at most "
                        + MAX_AUTO_SPLITS + ")."));
        keys.add(ConfigKey.optional(FETCH_SIZE, ConfigType.INT, DEFAULT_FETCH_SIZE,
                "Rows fetched from the server per round trip while streaming."));
        return keys;
    }

    /** Keys of a JDBC target. */
    public static List<ConfigKey> targetKeys() {
        List<ConfigKey> keys = new ArrayList<>(connectionKeys());
        keys.add(ConfigKey.required(TABLE, ConfigType.STRING,
                "Table to write, optionally schema-qualified (\"public.orders\")."));
        keys.add(ConfigKey.optional(COLUMNS, ConfigType.STRING_LIST, null,
                "Target columns receiving the source columns in order; default: the source's column names."));
        keys.add(ConfigKey.oneOf(WRITE_MODE, "insert", List.of("insert", "upsert", "update"),
                "insert, upsert (insert or update by key) or update (by key)."));
        keys.add(ConfigKey.optional(KEY_COLUMNS, ConfigType.STRING_LIST, null,
                "Key columns for upsert and update; default: the table's primary key."));
        keys.add(ConfigKey.optional(BATCH_SIZE, ConfigType.INT, DEFAULT_BATCH_SIZE,
                "Rows sent per batch; a failing batch is retried row by row."));
        keys.add(ConfigKey.optional(PRE_SQL, ConfigType.STRING_LIST, null, "SQL run once before writing."));
        keys.add(ConfigKey.optional(POST_SQL, ConfigType.STRING_LIST, null,
                "SQL run once after every split was written."));
        keys.add(ConfigKey.optional(TRUNCATE_BEFORE_WRITE, ConfigType.BOOLEAN, false,
                "Delete every row of the table before writing."));
        keys.add(ConfigKey.optional(CREATE_TABLE, ConfigType.BOOLEAN, false,
                "Create the table from the source's schema when it does not exist."));
        return keys;
    }
}
