package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.error.SyncException;
import dev.ferry.api.state.StateStore;
import dev.ferry.engine.state.JdbcStateStore;
import dev.ferry.engine.testing.StateStoreContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The state-store contract on a database server's shared {@value JdbcStateStore#TABLE} table, and
 * what only a server does: a connection the server ends, a login it refuses.
 */
abstract class ServerStateStoreContract extends StateStoreContract {

    private final String url;
    private final String wrongLogin;
    private final String sessionWaitingForMine;
    private final String terminate;

    /**
     * @param url                   the JDBC URL the CLI would get as {@code --state}
     * @param wrongLogin            a URL of the same server whose login fails, {@code %s} standing for a password in it
     * @param sessionWaitingForMine a query for the session id of the one session waiting for a lock of the current
     *                              one, to write to key {@code %s}
     * @param terminate             the statement ending session {@code %d}
     */
    ServerStateStoreContract(String url, String wrongLogin, String sessionWaitingForMine, String terminate) {
        this.url = url;
        this.wrongLogin = wrongLogin;
        this.sessionWaitingForMine = sessionWaitingForMine;
        this.terminate = terminate;
    }

    /** The JDBC URL the CLI would get as {@code --state}. */
    protected final String url() {
        return url;
    }

    @BeforeEach
    void serverIsUp() {
        StreamJar.assumeReachable(url());
    }

    @Override
    protected StateStore open() {
        return JdbcStateStore.open(url());
    }

    @Test
    void theCallAfterTheServerEndedTheStoresConnectionWorks() throws Exception {
        StateStore store = store();
        String key = key("dropped");
        store.put(key, "before");
        long session = sessionOf(store, key);
        StreamJar.execute(url(), terminate.formatted(session));
        assertEquals(Optional.of("after"), store.get(key), "the first call after the drop reconnects");
        store.put(key, "again");
        assertEquals(Optional.of("again"), secondStore().get(key));
    }

    @Test
    void aRefusedLoginIsReportedWithoutThePassword() {
        String password = "Wr0ng-Passw0rd-" + Long.toHexString(System.nanoTime());
        SyncException error = assertThrows(SyncException.class, () -> JdbcStateStore.open(wrongLogin.formatted(password)));
        assertFalse(error.getMessage().contains(password), error.getMessage());
        assertFalse(String.valueOf(error.getCause()).contains(password), String.valueOf(error.getCause()));
        assertTrue(error.getMessage().contains(JdbcStateStore.TABLE) || error.getMessage().contains("state store"),
                error.getMessage());
    }

    /**
     * The server's id for the store's session: while another session locks {@code key}, the store
     * writes "after" to it and waits, which names it; then the lock is let go and the write ends.
     */
    private long sessionOf(StateStore store, String key) throws Exception {
        try (Connection locker = DriverManager.getConnection(url())) {
            locker.setAutoCommit(false);
            try (PreparedStatement lock = locker.prepareStatement("SELECT state_value FROM " + JdbcStateStore.TABLE
                    + " WHERE state_key = ? FOR UPDATE")) {
                lock.setString(1, key);
                lock.executeQuery().close();
            }
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> store.put(key, "after"));
            long session = awaitWaitingSession(locker, key, write);
            locker.commit();
            write.get(30, TimeUnit.SECONDS);
            return session;
        }
    }

    private long awaitWaitingSession(Connection locker, String key, CompletableFuture<Void> write) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Statement s = locker.createStatement(); ResultSet rs = s.executeQuery(sessionWaitingForMine.formatted(key))) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
            if (write.isDone() || System.nanoTime() > deadline) {
                fail("the store's write never waited for the lock: " + write);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
