package dev.ferry.connector.jdbc;

import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The validated {@code target} block of a JDBC connector.
 *
 * @param path                the block's path in the job file ({@code "target"})
 * @param endpoint            where to connect
 * @param table               the table to write
 * @param columns             target columns fed by the source columns in order, or null for the
 *                            source's names
 * @param writeMode           insert, upsert or update
 * @param keyColumns          key columns for upsert/update, or null for the primary key
 * @param batchSize           rows per batch
 * @param preSql              statements run once in PRE
 * @param postSql             statements run once in POST
 * @param truncateBeforeWrite delete every row in PRE
 * @param createTable         create the table from the source schema when missing
 * @param fastPath            let the dialect use its bulk path for inserts (PostgreSQL COPY)
 */
public record JdbcTargetConfig(String path, JdbcEndpoint endpoint, TableName table, List<String> columns,
                               WriteMode writeMode, List<String> keyColumns, int batchSize, List<String> preSql,
                               List<String> postSql, boolean truncateBeforeWrite, boolean createTable,
                               boolean fastPath) {

    public JdbcTargetConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(writeMode, "writeMode");
        columns = columns == null ? null : List.copyOf(columns);
        keyColumns = keyColumns == null ? null : List.copyOf(keyColumns);
        preSql = List.copyOf(preSql);
        postSql = List.copyOf(postSql);
    }

    /**
     * Reads and checks the keys of {@link JdbcKeys#targetKeys()}.
     *
     * @throws ConfigException listing every violation
     */
    public static JdbcTargetConfig from(ConnectorConfig config, Dialect dialect) {
        String p = config.path();
        List<Violation> violations = new ArrayList<>();
        JdbcEndpoint endpoint = JdbcSourceConfig.endpoint(config, dialect, violations);
        TableName table = null;
        try {
            table = TableName.parse(p + "." + JdbcKeys.TABLE, config.getString(JdbcKeys.TABLE));
        } catch (ConfigException e) {
            violations.addAll(e.violations());
        }
        List<String> columns = config.getStringList(JdbcKeys.COLUMNS);
        if (columns != null && columns.isEmpty()) {
            violations.add(new Violation(p + "." + JdbcKeys.COLUMNS, "must name at least one column (leave it out for the source's)", "[]"));
        }
        String mode = config.getString(JdbcKeys.WRITE_MODE);
        WriteMode writeMode = null;
        try {
            writeMode = WriteMode.fromKey(mode);
        } catch (IllegalArgumentException | NullPointerException e) {
            violations.add(new Violation(p + "." + JdbcKeys.WRITE_MODE, "must be insert, upsert or update",
                    mode == null ? null : "'" + mode + "'"));
        }
        List<String> keyColumns = config.getStringList(JdbcKeys.KEY_COLUMNS);
        if (keyColumns != null && keyColumns.isEmpty()) {
            violations.add(new Violation(p + "." + JdbcKeys.KEY_COLUMNS, "must name at least one column (leave it out for the primary key)", "[]"));
        }
        int batchSize = config.getInt(JdbcKeys.BATCH_SIZE);
        if (batchSize < 1) {
            violations.add(new Violation(p + "." + JdbcKeys.BATCH_SIZE, "must be >= 1", Integer.toString(batchSize)));
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        boolean backslash = dialect.sql().backslashEscapes();
        return new JdbcTargetConfig(p, endpoint, table, columns, writeMode, keyColumns, batchSize,
                SqlScript.statements(config.getStringList(JdbcKeys.PRE_SQL), backslash),
                SqlScript.statements(config.getStringList(JdbcKeys.POST_SQL), backslash),
                Boolean.TRUE.equals(config.getBoolean(JdbcKeys.TRUNCATE_BEFORE_WRITE)),
                Boolean.TRUE.equals(config.getBoolean(JdbcKeys.CREATE_TABLE)), true);
    }

    /** This configuration with the bulk path switched on or off (the PostgreSQL connector's {@code copy} key). */
    public JdbcTargetConfig withFastPath(boolean value) {
        return new JdbcTargetConfig(path, endpoint, table, columns, writeMode, keyColumns, batchSize, preSql, postSql,
                truncateBeforeWrite, createTable, value);
    }
}
