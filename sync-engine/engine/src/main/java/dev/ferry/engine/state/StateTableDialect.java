package dev.ferry.engine.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * How the {@link JdbcStateStore}'s table is declared in each database. Keys and values compare
 * exactly, character for character: MariaDB's default collations ignore case, accents and
 * trailing spaces, so its columns name a binary collation without padding.
 */
enum StateTableDialect {

    /** H2, the embedded store of a {@code --state} directory; values up to a million characters. */
    H2("VARCHAR(1000000)", ""),
    /** PostgreSQL: text compares exactly under every deterministic collation. */
    POSTGRESQL("TEXT", ""),
    /** MariaDB: binary UTF-8 without padding, so that {@code 'a'} and {@code 'a '} differ. */
    MARIADB("MEDIUMTEXT", "utf8mb4_nopad_bin"),
    /** MySQL, reached with its own driver: binary UTF-8. */
    MYSQL("MEDIUMTEXT", "utf8mb4_bin");

    private final String valueType;
    private final String collation;

    StateTableDialect(String valueType, String collation) {
        this.valueType = valueType;
        this.collation = collation;
    }

    /** The dialect of the database at {@code url}. */
    static StateTableDialect of(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:mariadb:")) {
            return MARIADB;
        }
        if (lower.startsWith("jdbc:mysql:")) {
            return MYSQL;
        }
        return lower.startsWith("jdbc:postgresql:") ? POSTGRESQL : H2;
    }

    /**
     * Creates the table when missing, and gives a table created before its columns named a
     * collation the exact comparison it needs.
     */
    void createTable(Connection c) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + JdbcStateStore.TABLE + " (" + keyColumn()
                    + " PRIMARY KEY, " + valueColumn() + ")");
            if (!collation.isEmpty() && comparesLoosely(c)) {
                statement.execute("ALTER TABLE " + JdbcStateStore.TABLE + " MODIFY " + keyColumn() + ", MODIFY "
                        + valueColumn());
            }
        }
    }

    private String keyColumn() {
        return "state_key VARCHAR(" + JdbcStateStore.MAX_KEY_LENGTH + ")" + collate() + " NOT NULL";
    }

    private String valueColumn() {
        return "state_value " + valueType + collate() + " NOT NULL";
    }

    private String collate() {
        return collation.isEmpty() ? "" : " CHARACTER SET utf8mb4 COLLATE " + collation;
    }

    private boolean comparesLoosely(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM information_schema.columns"
                + " WHERE table_schema = DATABASE() AND table_name = ? AND collation_name <> ?")) {
            ps.setString(1, JdbcStateStore.TABLE);
            ps.setString(2, collation);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }
}
