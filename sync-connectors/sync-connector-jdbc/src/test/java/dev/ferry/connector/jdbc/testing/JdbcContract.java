package dev.ferry.connector.jdbc.testing;

import dev.ferry.connector.jdbc.Dialect;
import dev.ferry.connector.jdbc.JdbcConnectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the source and target contracts share: the database and connector under test, a reachability
 * check before each test, and tables that are created per test and dropped after it.
 */
public abstract class JdbcContract {

    protected final List<String> tables = new ArrayList<>();
    /**
     * The split ledgers a test kept: their entries are removed after it, while the ledger table,
     * which every run writing into the schema shares, stays.
     */
    protected final List<String> ledgers = new ArrayList<>();

    /** The database under test. */
    protected abstract TestDatabase database();

    /** The connector under test. */
    protected abstract JdbcConnectorFactory connector();

    /** The connector's dialect, for quoting in test DDL. */
    protected abstract Dialect dialect();

    @BeforeEach
    void databaseIsReachable() {
        database().assumeReachable();
    }

    @AfterEach
    void dropTables() {
        for (String ledger : ledgers) {
            try {
                database().execute("DELETE FROM " + dialect().sql().quoteIdentifier("ferry_split_ledger") + " WHERE "
                        + dialect().sql().quoteIdentifier("ledger") + " = '" + ledger + "'");
            } catch (IllegalStateException e) {
                // best effort
            }
        }
        for (String table : tables) {
            try {
                database().execute("DROP TABLE IF EXISTS " + table);
            } catch (IllegalStateException e) {
                // best effort
            }
        }
    }

    /** Creates a table (the name is remembered and dropped after the test); returns the quoted name. */
    protected String createTable(String name, String columnsDdl) {
        String quoted = dialect().sql().quoteIdentifier(name);
        tables.add(quoted);
        database().execute("DROP TABLE IF EXISTS " + quoted, "CREATE TABLE " + quoted + " (" + columnsDdl + ")");
        return quoted;
    }
}
