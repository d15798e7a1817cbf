package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ferry.engine.state.JdbcStateStore;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The state store in MariaDB's shared table, as {@code --state jdbc:mariadb://…} uses it. The
 * driver sends statements with their values in, so the session waiting to write a key shows it.
 */
class MariaDbStateStoreIT extends ServerStateStoreContract {

    MariaDbStateStoreIT() {
        super(StreamJar.MARIADB_SOURCE + "?user=root", StreamJar.MARIADB_SOURCE + "?user=root&password=%s",
                "SELECT id FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND info LIKE 'UPDATE %%'"
                        + " AND info LIKE '%%%s%%'",
                "KILL %d");
    }

    /** A table from before the columns named their collation compares exactly once a store opened it. */
    @Test
    void aTableThatComparedLooselyIsUpgradedWhenOpened() {
        String database = StreamJar.uniqueName("ferry_state_upgrade");
        StreamJar.execute(url(), "CREATE DATABASE " + database, "CREATE TABLE " + database + "." + JdbcStateStore.TABLE
                + " (state_key VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,"
                + " state_value MEDIUMTEXT NOT NULL)");
        try (JdbcStateStore store = JdbcStateStore.open("jdbc:mariadb://127.0.0.1:3306/" + database + "?user=root")) {
            store.put("k", "Runner");
            store.put("k ", "other");
            assertEquals(Optional.of("Runner"), store.get("k"));
            assertFalse(store.compareAndSet("k", "runner", "taken"));
        } finally {
            StreamJar.execute(url(), "DROP DATABASE IF EXISTS " + database);
        }
    }
}
