package dev.ferry.connector.jdbc;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * H2 2.x, embedded ({@code jdbc:h2:mem:…}, {@code jdbc:h2:file:…}) or over TCP: {@code MERGE …
 * KEY} upserts, {@code TRUNCATE TABLE}, OFFSET walks and row estimates for split planning, JSON bound as UTF-8
 * bytes so H2 parses it instead of storing a JSON string.
 */
public final class H2Dialect extends GenericDialect {

    public H2Dialect() {
        super("h2", "jdbc:h2:");
    }

    @Override
    public String urlExample() {
        return "jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1 or jdbc:h2:file:/data/orders";
    }

    @Override
    protected DataType dataType(int jdbcType, String typeName, int precision, int scale) {
        if (typeName.equals("uuid")) {
            return DataType.STRING;
        }
        return super.dataType(jdbcType, typeName, precision, scale);
    }

    @Override
    protected void bindText(PreparedStatement statement, int index, String value, DbColumn target) throws SQLException {
        if (target.type() == DataType.JSON) {
            statement.setBytes(index, value.getBytes(StandardCharsets.UTF_8));
        } else {
            statement.setString(index, value);
        }
    }

    @Override
    public String columnDefinition(Column column) {
        int p = column.precision();
        if (column.nativeType().equals("uuid")) {
            return "UUID";
        }
        return switch (column.type()) {
            case STRING -> p > 0 ? "CHARACTER VARYING(" + p + ")" : "CHARACTER VARYING";
            case BYTES -> p > 0 ? "BINARY VARYING(" + p + ")" : "BINARY LARGE OBJECT";
            case DECIMAL -> p > 0 ? "NUMERIC(" + p + "," + column.scale() + ")" : "NUMERIC(100000, 50000)";
            case TIME -> "TIME(6)";
            case TIMESTAMP -> "TIMESTAMP(6)";
            case TIMESTAMPTZ -> "TIMESTAMP(6) WITH TIME ZONE";
            case JSON -> "JSON";
            default -> super.columnDefinition(column);
        };
    }

    @Override
    public String upsertSql(String quotedTable, List<String> columns, List<String> keyColumns) {
        StringBuilder sb = new StringBuilder("MERGE INTO ").append(quotedTable).append(" (");
        appendColumns(sb, columns);
        sb.append(") KEY (");
        appendColumns(sb, keyColumns);
        sb.append(") VALUES (");
        appendPlaceholders(sb, columns.size());
        return sb.append(')').toString();
    }

    @Override
    public String truncateSql(String quotedTable) {
        return "TRUNCATE TABLE " + quotedTable;
    }

    @Override
    public boolean isUndefinedTable(SQLException error) {
        // 42102, 42103 (with candidates), 42104 (empty database): table not found; 90079 schema not found.
        int code = error.getErrorCode();
        return code == 42102 || code == 42103 || code == 42104 || code == 90079 || super.isUndefinedTable(error);
    }

    @Override
    protected boolean isRetriableState(SQLException error) {
        // 90067 connection broken, 90098 database closed, 90121 closed on shutdown, 90007 object
        // closed (a session aborted by ABORT_SESSION), 90131 concurrent update, 40001 deadlock.
        int code = error.getErrorCode();
        return code == 90067 || code == 90098 || code == 90121 || code == 90007 || code == 90131 || code == 40001
                || super.isRetriableState(error);
    }

    @Override
    public long estimateRows(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT ROW_COUNT_ESTIMATE FROM "
                + "INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = COALESCE(?, SCHEMA()) AND TABLE_NAME = ?")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.name());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public String skipAndTakeOne(long offset) {
        return "OFFSET " + offset + " ROWS FETCH FIRST 1 ROW ONLY";
    }

    @Override
    public String sessionIdSql() {
        return "SELECT SESSION_ID()";
    }

    @Override
    public String killSessionSql(long sessionId) {
        return "CALL ABORT_SESSION(" + sessionId + ")";
    }
}
