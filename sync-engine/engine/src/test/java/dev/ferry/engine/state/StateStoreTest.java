package dev.ferry.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.state.StateStore;
import dev.ferry.engine.testing.StateStoreContract;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state-store contract on the in-memory store and on the JDBC store over an embedded H2 file. */
class StateStoreTest {

    @TempDir
    Path dir;

    @Nested
    class InMemory extends StateStoreContract {
        private final InMemoryStateStore store = new InMemoryStateStore();

        @Override
        protected StateStore open() {
            return store;
        }
    }

    @Nested
    class EmbeddedH2 extends StateStoreContract {
        @Override
        protected StateStore open() {
            return JdbcStateStore.open(dir.toString());
        }

        /** The embedded table's values are {@code VARCHAR(1000000)}. */
        @Override
        protected int longestValue() {
            return 1_000_000;
        }
    }

    @Test
    void theJdbcStoreKeepsItsValuesAcrossOpens() {
        try (JdbcStateStore first = JdbcStateStore.open(dir.toString())) {
            first.putAll(Map.of("stream/s/plan", "{}", "stream/s/checkpoint", "{\"position\":\"0/16B3748\"}"));
        }
        try (JdbcStateStore second = JdbcStateStore.open(dir.toString())) {
            assertEquals(Optional.of("{\"position\":\"0/16B3748\"}"), second.get("stream/s/checkpoint"));
            assertEquals(2, second.list("stream/s/").size());
        }
    }

    @Test
    void openingWaitsOnlyWhileAnotherProcessTakesOrGivesUpTheEmbeddedDatabase() {
        assertTrue(JdbcStateStore.handingOver(new java.sql.SQLException(
                "Error opening database: \"Another process was faster\" [8000-232]", "HY000", 8000)));
        assertTrue(JdbcStateStore.handingOver(new java.sql.SQLException(
                "Error opening database: \"Lock file recently modified\" [8000-232]", "HY000", 8000)));
        assertTrue(JdbcStateStore.handingOver(new java.sql.SQLException("Database may be already in use", "90020", 90020)));
        assertFalse(JdbcStateStore.handingOver(new java.sql.SQLException(
                "File corrupted while reading record: null [90030-232]", "90030", 90030)));
    }
}
