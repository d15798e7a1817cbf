package dev.ferry.connector.postgresql.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.change.ChangeSource;
import dev.ferry.api.change.TableSnapshot;
import dev.ferry.connector.jdbc.testing.JoiningTablesContract;
import dev.ferry.connector.jdbc.testing.MapConfig;
import dev.ferry.connector.jdbc.testing.TestDatabase;
import dev.ferry.connector.postgresql.PostgresConnector;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Tables joining a PostgreSQL stream ({@link JoiningTablesContract}): the snapshot is a temporary
 * slot's, exact at its consistent point; creating it waits for a transaction that has written
 * (even before the table joined the publication), and closing the snapshot drops the slot.
 */
class PostgresJoiningTablesIT extends JoiningTablesContract {

    private static final TestDatabase DB = TestDatabase.POSTGRES;
    private static final PostgresConnector CONNECTOR = new PostgresConnector();
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    PostgresJoiningTablesIT() {
        super(DB, "public", true, true);
    }

    @Override
    protected ChangeSource changeSource(Map<String, Object> options) {
        options.put("capture.heartbeatIntervalMillis", 200L);
        return CONNECTOR.createChangeSource(MapConfig.capture(CONNECTOR, options));
    }

    private String slot() {
        return "ferry_" + job;
    }

    private String temporarySlots() {
        return "FROM pg_replication_slots WHERE starts_with(slot_name, '" + slot() + "_join_')";
    }

    @Override
    protected void awaitOpeningWaits() {
        awaitCount(1, "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'walsender' AND wait_event = "
                + "'transactionid' AND query LIKE 'CREATE_REPLICATION_SLOT " + slot() + "!_join!_%' ESCAPE '!'",
                "the temporary slot's creation to wait for a transaction");
    }

    @Override
    protected void assertHeld(TableSnapshot snapshot) {
        assertEquals(1, DB.queryLong("SELECT count(*) " + temporarySlots() + " AND temporary AND active AND "
                + "confirmed_flush_lsn = '" + snapshot.position().asText() + "'"),
                "one temporary slot, held at the snapshot's position");
    }

    @Override
    protected void assertReleased(TableSnapshot snapshot) {
        assertEquals(0, DB.queryLong("SELECT count(*) " + temporarySlots()), "close() dropped the temporary slot");
    }

    @Override
    protected void awaitReaderGone() {
        awaitCount(0, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot() + "' AND active",
                "the stream's slot to be released");
    }

    private static void awaitCount(long wanted, String countSql, String what) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (DB.queryLong(countSql) != wanted) {
            if (System.nanoTime() > deadline) {
                fail("waited in vain for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Override
    protected void dropStream() {
        List<String> leftovers = new ArrayList<>();
        try (Connection c = DB.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT slot_name " + temporarySlots())) {
            while (rs.next()) {
                leftovers.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        for (String temporary : leftovers) {
            PgSlots.drop(DB, temporary, slot());
        }
        PgSlots.drop(DB, slot(), slot());
        assertEquals(0, DB.queryLong("SELECT count(*) FROM pg_replication_slots WHERE starts_with(slot_name, '"
                + slot() + "')"), "no slot of the test is left");
    }
}
