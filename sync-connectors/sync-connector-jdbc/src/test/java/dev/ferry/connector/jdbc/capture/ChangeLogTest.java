package dev.ferry.connector.jdbc.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a stream's change-log objects are named, and how a trigger finds its stream and table again. */
class ChangeLogTest {

    @Test
    void aJobNameBecomesAnIdentifier() {
        ChangeLog log = ChangeLog.forJob("demo-stream.v2");
        assertEquals("DEMO_STREAM_V2", log.id());
        assertEquals("DEMO_STREAM_V2_CHANGES", log.changesTable());
        assertEquals("DEMO_STREAM_V2_CLOCK", log.clockTable());
        assertEquals("\"FERRY\".\"DEMO_STREAM_V2_CHANGES\"", log.quotedChanges());
        assertEquals(64, ChangeLog.forJob("x".repeat(100)).id().length());
        assertThrows(IllegalArgumentException.class, () -> new ChangeLog("lower"));
    }

    @Test
    void aTriggerFindsItsStreamAndTableInItsNameAlsoWhileH2AltersTheTable() {
        ChangeLog log = ChangeLog.forJob("shop");
        assertEquals("FERRY$SHOP$ROW$ORDER$LINES", log.rowTriggerName("ORDER$LINES"));
        assertEquals(new ChangeLog.Owner(log, "ORDER$LINES", log.rowTriggerName("ORDER$LINES")),
                ChangeLog.ownerOf(log.rowTriggerName("ORDER$LINES"), "ORDER$LINES"));
        assertEquals(new ChangeLog.Owner(log, "ORDERS", log.lockTriggerName("ORDERS")),
                ChangeLog.ownerOf(log.lockTriggerName("ORDERS"), "ORDERS"));
        // ALTER TABLE copies the table and names the copy's triggers after the copy.
        assertEquals(new ChangeLog.Owner(log, "ORDERS", log.rowTriggerName("ORDERS")),
                ChangeLog.ownerOf("ORDERS_COPY_3_0_" + log.rowTriggerName("ORDERS"), "ORDERS_COPY_3_0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChangeLog.ownerOf("FERRY$SHOP$ORDERS", "ORDERS"));
        assertTrue(e.getMessage().startsWith("trigger FERRY$SHOP$ORDERS on ORDERS is not named"), e.getMessage());
    }
}
