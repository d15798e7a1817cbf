package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.Split;
import dev.ferry.engine.testing.RecordingContext;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The copies of many tables hold one pool's connections, and their splits can be resumed by design. */
class SharedPoolTest {

    private static final String URL = "jdbc:h2:mem:shared_pool_test;DB_CLOSE_DELAY=-1";
    private static final int TABLES = 12;
    private Connection keeper;

    @BeforeEach
    void tables() throws SQLException {
        keeper = DriverManager.getConnection(URL, "sa", "");
        try (Statement s = keeper.createStatement()) {
            for (int i = 0; i < TABLES; i++) {
                s.execute("CREATE TABLE t" + i + " (id BIGINT PRIMARY KEY, v VARCHAR(10))");
                s.execute("INSERT INTO t" + i + " SELECT X, 'v' FROM SYSTEM_RANGE(1, 100)");
            }
        }
    }

    @AfterEach
    void drop() throws SQLException {
        try (Statement s = keeper.createStatement()) {
            s.execute("DROP ALL OBJECTS");
        }
        keeper.close();
    }

    private int sessions() throws SQLException {
        try (Statement s = keeper.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static JdbcSourceConfig table(int i, String splitPk) {
        return new JdbcSourceConfig("source", JdbcEndpoint.of(URL, "sa", ""), new TableName(null, "T" + i), null, null,
                List.of(), splitPk, null, 100, false);
    }

    @Test
    void theCopiesOfManyTablesShareOnePoolThatClosesAfterTheLast() throws SQLException {
        int before = sessions();
        SharedPool pool = new SharedPool(new H2Dialect(), JdbcEndpoint.of(URL, "sa", ""), "copy", 2);
        List<JdbcSource> sources = new ArrayList<>();
        RecordingContext context = new RecordingContext("copy", 2);
        for (int i = 0; i < TABLES; i++) {
            JdbcSource source = JdbcSource.copying(new H2Dialect(), table(i, "ID"), pool, null);
            source.prepare(context);
            source.planSplits(context);
            sources.add(source);
        }
        int open = sessions() - before;
        assertTrue(open >= 1 && open <= 2 + 2, TABLES + " prepared copies hold " + open + " sessions");

        sources.forEach(JdbcSource::close);
        assertEquals(before, sessions(), "the last copy to close closes the pool");
    }

    @Test
    void splitsAreResumedOnlyUnderTheSameDesign() {
        SharedPool pool = new SharedPool(new H2Dialect(), JdbcEndpoint.of(URL, "sa", ""), "copy", 2);
        RecordingContext context = new RecordingContext("copy", 2);
        try (JdbcSource byId = JdbcSource.copying(new H2Dialect(), table(0, "ID"), pool, null);
             JdbcSource again = JdbcSource.copying(new H2Dialect(), table(0, "ID"), pool, null);
             JdbcSource whole = JdbcSource.copying(new H2Dialect(), table(0, null), pool, null)) {
            byId.prepare(context);
            again.prepare(context);
            whole.prepare(context);
            List<? extends Split> splits = byId.planSplits(context);
            assertTrue(splits.size() > 1, splits.toString());
            assertEquals(byId.splitDesign(), again.splitDesign());
            assertNotEquals(byId.splitDesign(), whole.splitDesign());
        }
        pool.close();
    }
}
