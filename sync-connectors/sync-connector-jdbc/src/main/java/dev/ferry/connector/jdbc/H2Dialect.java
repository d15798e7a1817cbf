package dev.ferry.connector.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * H2 2.x, embedded ({@code jdbc:h2:mem:…}, {@code jdbc:h2:file:…}) or over TCP. Its types are
 * {@code H2Types} (UUID, JSON bound as UTF-8 bytes), its SQL {@code H2Sql} ({@code MERGE … KEY}
 * upserts, {@code TRUNCATE TABLE}, OFFSET walks), its errors {@code H2Errors}; the dialect itself
 * adds row estimates from {@code INFORMATION_SCHEMA} for split planning and session ids for tests.
 */
public final class H2Dialect extends GenericDialect {

    /** The H2 dialect. */
    public H2Dialect() {
        this(new H2Types());
    }

    private H2Dialect(H2Types types) {
        super("h2", "jdbc:h2:", types, new H2Sql(types), new H2Errors());
    }

    @Override
    public String urlExample() {
        return "jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1 or jdbc:h2:file:/data/orders";
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
    public String sessionIdSql() {
        return "SELECT SESSION_ID()";
    }

    @Override
    public String killSessionSql(long sessionId) {
        return "CALL ABORT_SESSION(" + sessionId + ")";
    }
}
