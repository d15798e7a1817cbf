package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.api.change.TableId;
import dev.ferry.engine.testing.SeqPosition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JdbcTableSnapshotTest {

    private static final TableId ORDERS = new TableId("shop", "orders");
    private static final JdbcSourceConfig CONFIG = new JdbcSourceConfig("source", JdbcEndpoint.of("jdbc:h2:mem:snap", "sa", ""),
            new TableName("shop", "orders"), null, null, List.of(), "id", null, 100, false);

    @Test
    void sourcesAreMadeForItsTablesUntilItIsClosedOnce() {
        AtomicInteger releases = new AtomicInteger();
        JdbcSource made = new JdbcSource(new GenericDialect(), CONFIG);
        JdbcTableSnapshot snapshot = new JdbcTableSnapshot(new SeqPosition(4), Map.of(ORDERS, CONFIG),
                config -> config == CONFIG ? made : null, releases::incrementAndGet);
        assertEquals(new SeqPosition(4), snapshot.position());
        assertSame(made, snapshot.source(ORDERS));
        assertEquals("table shop.lines is not one of the snapshot's tables [shop.orders]", assertThrows(
                IllegalArgumentException.class, () -> snapshot.source(new TableId("shop", "lines"))).getMessage());
        snapshot.close();
        snapshot.close();
        assertEquals(1, releases.get());
        assertEquals("the snapshot of [shop.orders] at tx-4 is closed",
                assertThrows(IllegalStateException.class, () -> snapshot.source(ORDERS)).getMessage());
    }

    @Test
    void aSnapshotHasTables() {
        assertEquals("a snapshot needs at least one table", assertThrows(IllegalArgumentException.class,
                () -> new JdbcTableSnapshot(new SeqPosition(1), Map.of(), config -> null, () -> { })).getMessage());
    }
}
