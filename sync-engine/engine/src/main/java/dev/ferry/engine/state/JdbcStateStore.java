package dev.ferry.engine.state;

import dev.ferry.api.config.Redaction;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.RetriableException;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A {@link StateStore} in one table ({@value #TABLE}) of a database reached over JDBC: an embedded
 * H2 file in a directory (the CLI's {@code --state DIR}), or a PostgreSQL or MariaDB/MySQL
 * database shared by several processes. Every call is one transaction, so {@link #putAll} is
 * atomic and a write that returned survives a crash of this process.
 *
 * <p>The engine depends on no JDBC driver; the one for the URL must be on the class path.
 *
 * <p>Threading: safe for concurrent use; calls share one connection under the store's lock. A call
 * that finds the connection lost (the server ended the session, restarted or the network broke)
 * connects again and runs once more.
 */
public final class JdbcStateStore implements StateStore, AutoCloseable {

    /** The table holding every key. */
    public static final String TABLE = "ferry_state";
    /** The longest key accepted. */
    public static final int MAX_KEY_LENGTH = 512;

    private final String url;
    private final String user;
    private final String password;
    private final Redaction redaction;
    private final StateTableDialect dialect;
    private Connection connection;
    private boolean closed;

    private JdbcStateStore(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.redaction = password == null || password.isEmpty() ? Redaction.NONE : Redaction.of(java.util.List.of(password));
        this.dialect = StateTableDialect.of(url);
    }

    /**
     * Opens the store named by the CLI's {@code --state} argument: a JDBC URL, or a directory that
     * holds an embedded H2 database (created when missing).
     *
     * @throws ConfigException when the directory cannot be created or the database not reached
     */
    public static JdbcStateStore open(String location) {
        Objects.requireNonNull(location, "location");
        if (location.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return open(location, null, null);
        }
        Path dir = Path.of(location).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new ConfigException(new Violation("--state", "must be a directory that can be created ("
                    + e.getMessage() + ")", "'" + location + "'"));
        }
        // AUTO_SERVER lets a second process (a CLI command) use the store while a runner holds it;
        // WRITE_DELAY=0 hands every commit to the operating system before it returns.
        return open("jdbc:h2:file:" + dir.resolve("state").toString().replace('\\', '/')
                + ";AUTO_SERVER=TRUE;WRITE_DELAY=0", "sa", "");
    }

    /**
     * Opens the store in the database at {@code url}, creating its table when missing.
     *
     * @throws SyncException when the database cannot be reached (message without the password)
     */
    public static JdbcStateStore open(String url, String user, String password) {
        JdbcStateStore store = new JdbcStateStore(url, user, password);
        store.call("creating table " + TABLE, c -> {
            store.dialect.createTable(c);
            return null;
        });
        return store;
    }

    @Override
    public Optional<String> get(String key) {
        checkKey(key);
        return call("reading " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state_value FROM " + TABLE + " WHERE state_key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return Optional.ofNullable(rs.next() ? rs.getString(1) : null);
                }
            }
        });
    }

    @Override
    public void put(String key, String value) {
        putAll(Map.of(key, Objects.requireNonNull(value, "value")));
    }

    @Override
    public void remove(String key) {
        checkKey(key);
        call("removing " + key, c -> {
            delete(c, key);
            return null;
        });
    }

    @Override
    public void putAll(Map<String, String> values) {
        values.keySet().forEach(JdbcStateStore::checkKey);
        call("writing " + values.keySet(), c -> {
            for (Map.Entry<String, String> e : values.entrySet()) {
                if (e.getValue() == null) {
                    delete(c, e.getKey());
                } else if (!update(c, e.getKey(), e.getValue(), null)) {
                    insert(c, e.getKey(), e.getValue());
                }
            }
            return null;
        });
    }

    @Override
    public boolean compareAndSet(String key, String expected, String value) {
        checkKey(key);
        return call("changing " + key, c -> {
            if (expected == null) {
                if (value == null) {
                    return Boolean.FALSE; // absent → absent changes nothing
                }
                try {
                    insert(c, key, value);
                    return Boolean.TRUE;
                } catch (SQLException e) {
                    if (isDuplicate(e)) {
                        c.rollback();
                        return Boolean.FALSE;
                    }
                    throw e;
                }
            }
            if (value == null) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE
                        + " WHERE state_key = ? AND state_value = ?")) {
                    ps.setString(1, key);
                    ps.setString(2, expected);
                    return ps.executeUpdate() == 1;
                }
            }
            return update(c, key, value, expected);
        });
    }

    @Override
    public SortedMap<String, String> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return call("listing " + prefix, c -> {
            TreeMap<String, String> result = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT state_key, state_value FROM " + TABLE
                    + " WHERE state_key LIKE ? ESCAPE '!'")) {
                ps.setString(1, prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return result;
        });
    }

    /** The store's URL, for messages; never holds the password. */
    public String url() {
        return redaction.apply(url);
    }

    @Override
    public synchronized void close() {
        closed = true;
        disconnect();
    }


    private static boolean update(Connection c, String key, String value, String expected) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET state_value = ? WHERE state_key = ?"
                + (expected == null ? "" : " AND state_value = ?"))) {
            ps.setString(1, value);
            ps.setString(2, key);
            if (expected != null) {
                ps.setString(3, expected);
            }
            return ps.executeUpdate() == 1;
        }
    }

    private static void insert(Connection c, String key, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (state_key, state_value) VALUES (?, ?)")) {
            ps.setString(1, key);
            ps.setString(2, value);
            ps.executeUpdate();
        }
    }

    private static void delete(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE state_key = ?")) {
            ps.setString(1, key);
            ps.executeUpdate();
        }
    }

    private static boolean isDuplicate(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }

    /** Keys are 1 to {@value #MAX_KEY_LENGTH} characters, in every store. */
    static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("state key must have 1 to " + MAX_KEY_LENGTH + " characters, got "
                    + key.length());
        }
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} as one transaction, reconnecting once when the connection was lost. */
    private synchronized <T> T call(String action, Work<T> work) {
        if (closed) {
            throw new IllegalStateException("the state store " + url() + " is closed");
        }
        SQLException last = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Connection c = connection();
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                last = e;
                boolean lost = connectionLost(e);
                disconnect();
                if (!lost) {
                    break;
                }
            }
        }
        String message = "state store " + url() + ": " + action + " failed: " + redaction.apply(String.valueOf(last.getMessage()));
        throw last.getSQLState() != null && last.getSQLState().startsWith("08")
                ? new RetriableException(message) : new SyncException(ErrorKind.EXTERNAL, message);
    }

    /**
     * Whether {@code e} came from a connection that is gone: a connection error, or any error
     * after which the connection no longer answers (PostgreSQL reports a session ended by
     * {@code pg_terminate_backend} or a server restart as {@code 57P01}, not as a connection error).
     */
    private boolean connectionLost(SQLException e) {
        if (e instanceof java.sql.SQLRecoverableException || e instanceof java.sql.SQLTransientConnectionException
                || e instanceof java.sql.SQLNonTransientConnectionException
                || (e.getSQLState() != null && e.getSQLState().startsWith("08"))) {
            return true;
        }
        try {
            return connection == null || !connection.isValid(VALID_SECONDS);
        } catch (SQLException notValid) {
            return true;
        }
    }

    /** How long {@link #connectionLost} waits for a connection to answer. */
    private static final int VALID_SECONDS = 5;

    /** How long opening waits for an embedded store another process is closing or handing over. */
    static final long HANDOVER_WAIT_MILLIS = 60_000;

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = open();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        return connection;
    }

    /**
     * Connects. An embedded H2 store refuses to open for a moment while another process closes it
     * or while the process that served it to others ends ("Lock file recently modified", "Locked by
     * another process"); a CLI command right after a runner ended meets exactly that, so opening
     * waits for the handover.
     */
    private Connection open() throws SQLException {
        long deadline = System.nanoTime() + HANDOVER_WAIT_MILLIS * 1_000_000;
        while (true) {
            try {
                return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
            } catch (SQLException e) {
                if (!url.startsWith("jdbc:h2:file:") || !handingOver(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Whether opening failed on H2's file lock changing hands: another process holds the database
     * (90020), or two processes raced for its lock file (H2 then names the lock's state). Other
     * failures to open, a damaged file for one, fail at once.
     */
    static boolean handingOver(SQLException e) {
        String message = String.valueOf(e.getMessage());
        return e.getErrorCode() == 90020 || LOCK_RACES.stream().anyMatch(message::contains);
    }

    /** H2's reasons for refusing a lock file that another process is taking or giving up. */
    private static final List<String> LOCK_RACES = List.of("Lock file recently modified", "Another process was faster",
            "Concurrent update", "Locked by another process");

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is gone either way
            }
            connection = null;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the caller reports the original failure
        }
    }
}
