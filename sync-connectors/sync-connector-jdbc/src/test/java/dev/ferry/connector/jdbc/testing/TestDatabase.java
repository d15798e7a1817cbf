package dev.ferry.connector.jdbc.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A database the tests talk to, and the check that it is there.
 *
 * <p>{@link #assumeReachable()} connects once; when that fails the test is skipped with a message
 * saying how to start the servers, unless the system property {@code ferry.it.required} is
 * {@code "true"} (CI sets it through failsafe), in which case the test fails with that message.
 *
 * @param name     for messages ("PostgreSQL")
 * @param url      JDBC URL
 * @param user     user name
 * @param password password (may be empty)
 */
public record TestDatabase(String name, String url, String user, String password) {

    public static final String REQUIRED_PROPERTY = "ferry.it.required";

    /** The PostgreSQL 15 of the development machines and CI (trust auth, role root). */
    public static final TestDatabase POSTGRES =
            new TestDatabase("PostgreSQL", "jdbc:postgresql://127.0.0.1:5432/test", "root", "");

    /** The MariaDB 10.11 of the development machines and CI (root, empty password). */
    public static final TestDatabase MARIADB =
            new TestDatabase("MariaDB", "jdbc:mariadb://127.0.0.1:3306/test", "root", "");

    /** A private in-memory H2 database that lives until the JVM ends. */
    public static TestDatabase h2(String name) {
        return new TestDatabase("H2", "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    /** Skips the test (or fails it when {@value #REQUIRED_PROPERTY} is true) if the database is down. */
    public void assumeReachable() {
        DriverManager.setLoginTimeout(10);
        try (Connection ignored = connect()) {
            return;
        } catch (SQLException e) {
            String message = name + " is not reachable at " + url + " as '" + user + "' (" + e.getMessage()
                    + "); start it with: sudo bash scripts/test-databases.sh";
            if ("true".equals(System.getProperty(REQUIRED_PROPERTY))) {
                fail(message + ". " + REQUIRED_PROPERTY + "=true, so this test fails instead of being skipped.");
            }
            Assumptions.abort(message + ". Skipped; set -D" + REQUIRED_PROPERTY + "=true to make this a failure.");
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    /** Runs statements, each in its own auto-committed transaction. */
    public void execute(String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed on " + name + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row as a long. */
    public long queryLong(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("no row from " + sql);
            }
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed on " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The rows of a query as text, each its columns' {@code getString} joined by {@code |}; a query
     * that fails (a table not created yet) gives one row saying why.
     */
    public List<String> rows(String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringJoiner row = new StringJoiner("|");
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row.toString());
            }
        } catch (SQLException e) {
            rows.add("unreadable: " + e.getMessage());
        }
        return rows;
    }

    /** A table name no other test uses: {@code prefix_} and random hex, lower case. */
    public static String uniqueName(String prefix) {
        return (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)).toLowerCase(Locale.ROOT);
    }

    /** The connection keys of a job's source or target block for this database. */
    public Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("url", url);
        options.put("username", user);
        options.put("password", password);
        return options;
    }

    /** {@link #options()} plus the given keys (pairs of name and value). */
    public Map<String, Object> options(Object... keysAndValues) {
        Map<String, Object> options = options();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            options.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return options;
    }
}
