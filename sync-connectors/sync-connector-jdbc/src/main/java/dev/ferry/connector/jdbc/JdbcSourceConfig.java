package dev.ferry.connector.jdbc;

import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The validated {@code source} block of a JDBC connector.
 *
 * @param path       the block's path in the job file, for messages ({@code "source"})
 * @param endpoint   where to connect
 * @param table      the table to read, or null with {@code querySql}
 * @param columns    the columns to read, or null for all
 * @param where      a row filter, or null
 * @param querySql   the queries to read instead of a table (one split each), or empty
 * @param splitPk    the split column, or null
 * @param splitCount the number of key ranges, or null for concurrency x 4
 * @param fetchSize  rows per round trip while streaming
 * @param consistent whether all splits read one exported snapshot (PostgreSQL only)
 */
public record JdbcSourceConfig(String path, JdbcEndpoint endpoint, TableName table, List<String> columns, String where,
                               List<String> querySql, String splitPk, Integer splitCount, int fetchSize,
                               boolean consistent) {

    public JdbcSourceConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(endpoint, "endpoint");
        columns = columns == null ? null : List.copyOf(columns);
        querySql = querySql == null ? List.of() : List.copyOf(querySql);
    }

    /**
     * Reads and checks the keys of {@link JdbcKeys#sourceKeys()}.
     *
     * @throws ConfigException listing every violation
     */
    public static JdbcSourceConfig from(ConnectorConfig config, Dialect dialect) {
        String p = config.path();
        List<Violation> violations = new ArrayList<>();
        JdbcEndpoint endpoint = endpoint(config, dialect, violations);
        String tableText = config.getString(JdbcKeys.TABLE);
        List<String> columns = config.getStringList(JdbcKeys.COLUMNS);
        String where = blankToNull(config.getString(JdbcKeys.WHERE));
        List<String> querySql = SqlScript.statements(config.getStringList(JdbcKeys.QUERY_SQL), dialect.sql().backslashEscapes());
        String splitPk = config.getString(JdbcKeys.SPLIT_PK);
        Integer splitCount = config.getInt(JdbcKeys.SPLIT_COUNT);
        int fetchSize = config.getInt(JdbcKeys.FETCH_SIZE);

        boolean hasQuery = config.isSet(JdbcKeys.QUERY_SQL);
        TableName table = null;
        if (hasQuery) {
            if (querySql.isEmpty()) {
                violations.add(new Violation(p + "." + JdbcKeys.QUERY_SQL, "must hold at least one statement", "empty"));
            }
            if (tableText != null) {
                violations.add(new Violation(p + "." + JdbcKeys.TABLE, "cannot be combined with " + p + "." + JdbcKeys.QUERY_SQL,
                        "'" + tableText + "'"));
            }
            if (columns != null) {
                violations.add(new Violation(p + "." + JdbcKeys.COLUMNS,
                        "cannot be combined with " + p + "." + JdbcKeys.QUERY_SQL + " (select the columns in the query)",
                        columns.toString()));
            }
            if (where != null) {
                violations.add(new Violation(p + "." + JdbcKeys.WHERE,
                        "cannot be combined with " + p + "." + JdbcKeys.QUERY_SQL + " (filter in the query)", "'" + where + "'"));
            }
        } else if (tableText == null) {
            violations.add(new Violation(p + "." + JdbcKeys.TABLE, "is required unless " + p + "." + JdbcKeys.QUERY_SQL
                    + " is given", null));
        } else {
            try {
                table = TableName.parse(p + "." + JdbcKeys.TABLE, tableText);
            } catch (ConfigException e) {
                violations.addAll(e.violations());
            }
        }
        if (columns != null && columns.isEmpty()) {
            violations.add(new Violation(p + "." + JdbcKeys.COLUMNS, "must name at least one column (leave it out for all)", "[]"));
        }
        if (splitPk != null && splitPk.isBlank()) {
            violations.add(new Violation(p + "." + JdbcKeys.SPLIT_PK, "must not be blank", "'" + splitPk + "'"));
        }
        if (splitCount != null && (splitCount < 1 || splitCount > JdbcKeys.MAX_SPLITS)) {
            violations.add(new Violation(p + "." + JdbcKeys.SPLIT_COUNT, "must be between 1 and " + JdbcKeys.MAX_SPLITS,
                    splitCount.toString()));
        }
        if (fetchSize < 1) {
            violations.add(new Violation(p + "." + JdbcKeys.FETCH_SIZE, "must be >= 1", Integer.toString(fetchSize)));
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return new JdbcSourceConfig(p, endpoint, table, columns, where, querySql, blankToNull(splitPk), splitCount,
                fetchSize, false);
    }

    /** This configuration with {@code consistent} set (the PostgreSQL connector's extra key). */
    public JdbcSourceConfig withConsistent(boolean value) {
        return new JdbcSourceConfig(path, endpoint, table, columns, where, querySql, splitPk, splitCount, fetchSize, value);
    }

    /** Reads the connection keys, adding a violation for each bad value; null when the URL is unusable. */
    public static JdbcEndpoint endpoint(ConnectorConfig config, Dialect dialect, List<Violation> violations) {
        String p = config.path();
        String url = config.getString(JdbcKeys.URL);
        int connectTimeout = config.getInt(JdbcKeys.CONNECT_TIMEOUT_SECONDS);
        int socketTimeout = config.getInt(JdbcKeys.SOCKET_TIMEOUT_SECONDS);
        int before = violations.size();
        Redactor redactor = Redactor.of(config.getSecret(JdbcKeys.PASSWORD));
        if (url == null || !dialect.acceptsUrl(url)) {
            violations.add(new Violation(p + "." + JdbcKeys.URL, "must be a " + dialect.name() + " JDBC URL such as "
                    + dialect.urlExample(), url == null ? null : "'" + redactor.mask(url) + "'"));
        }
        if (connectTimeout < 1) {
            violations.add(new Violation(p + "." + JdbcKeys.CONNECT_TIMEOUT_SECONDS, "must be >= 1",
                    Integer.toString(connectTimeout)));
        }
        if (socketTimeout < 0) {
            violations.add(new Violation(p + "." + JdbcKeys.SOCKET_TIMEOUT_SECONDS, "must be >= 0 (0 = no timeout)",
                    Integer.toString(socketTimeout)));
        }
        if (violations.size() > before) {
            return null;
        }
        String driverClass = dialect.name().equals("jdbc") ? config.getString(JdbcKeys.DRIVER_CLASS_NAME) : null;
        return new JdbcEndpoint(url, config.getString(JdbcKeys.USERNAME), config.getSecret(JdbcKeys.PASSWORD),
                connectTimeout, socketTimeout, driverClass);
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
