package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.state.Position;
import dev.ferry.engine.testing.SeqPosition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableCopiesTest {

    private static final TableId ORDERS = new TableId("shop", "orders");
    private static final TableId LINES = new TableId("shop", "lines");
    private static final TableId CODES = new TableId("shop", "codes");
    private static final CapturePlan PLAN = new CapturePlan("test", List.of(
            new CapturedTable(ORDERS, new TableSchema("shop.orders", List.of(Column.of("id", DataType.INT64),
                    Column.of("note", DataType.STRING)), List.of("id"))),
            new CapturedTable(LINES, new TableSchema("shop.lines", List.of(Column.of("order_id", DataType.INT64),
                    Column.of("line", DataType.INT64)), List.of("order_id", "line"))),
            new CapturedTable(CODES, new TableSchema("shop.codes", List.of(Column.of("code", DataType.STRING)),
                    List.of("code")))),
            new SeqPosition(1), true, Map.of());
    private static final JdbcEndpoint ENDPOINT = JdbcEndpoint.of("jdbc:h2:mem:copies", "sa", "");

    @Test
    void aCopyIsSplitByItsKeyOnlyWhenThatIsOneIntegerColumn() {
        JdbcSourceConfig orders = TableCopies.sourceConfig("source", ENDPOINT, 500, Map.of(), PLAN, ORDERS);
        assertEquals(new TableName("shop", "orders"), orders.table());
        assertEquals("id", orders.splitPk());
        assertEquals(500, orders.fetchSize());
        assertNull(TableCopies.sourceConfig("source", ENDPOINT, 500, Map.of(), PLAN, LINES).splitPk(), "a composite key");
        assertNull(TableCopies.sourceConfig("source", ENDPOINT, 500, Map.of(), PLAN, CODES).splitPk(), "a text key");
    }

    @Test
    void aNamedSplitColumnWinsAndMustBeAColumnOfTheTable() {
        assertEquals("line", TableCopies.sourceConfig("source", ENDPOINT, 500, Map.of(LINES, "line"), PLAN, LINES)
                .splitPk());
        assertEquals("id", TableCopies.sourceConfig("source", ENDPOINT, 500, Map.of(LINES, "line"), PLAN, ORDERS)
                .splitPk(), "other tables keep their key");
        dev.ferry.api.error.ConfigException bad = assertThrows(dev.ferry.api.error.ConfigException.class,
                () -> TableCopies.sourceConfig("source", ENDPOINT, 500, Map.of(ORDERS, "nope"), PLAN, ORDERS));
        assertEquals("source.capture.splitPk", bad.violations().get(0).key());
        assertTrue(bad.getMessage().contains("must name a column of shop.orders ([id, note])"), bad.getMessage());
        assertTrue(bad.getMessage().contains("shop.orders=nope"), bad.getMessage());
    }

    @Test
    void aTableOutsideThePlanIsRefused() {
        assertEquals("table shop.other is not in the plan", assertThrows(IllegalArgumentException.class,
                () -> TableCopies.sourceConfig("source", ENDPOINT, 500, Map.of(), PLAN, new TableId("shop", "other"))).getMessage());
    }

    @Test
    void startPositionsAreCheckedAgainstThePlanAndTheReadersStart() {
        Map<TableId, Position> tablesFrom = Map.of(ORDERS, new SeqPosition(7), LINES, new SeqPosition(5));
        assertEquals(Map.of(ORDERS, new SeqPosition(7), LINES, new SeqPosition(5)),
                TableCopies.startPositions(PLAN, new SeqPosition(5), tablesFrom, SeqPosition.class));
        assertEquals("table shop.orders starts at tx-4, before the reader's start tx-5: the changes in between would "
                + "not be delivered", assertThrows(IllegalArgumentException.class, () -> TableCopies.startPositions(PLAN,
                new SeqPosition(5), Map.of(ORDERS, new SeqPosition(4)), SeqPosition.class)).getMessage());
        assertEquals("table shop.other is not in the plan", assertThrows(IllegalArgumentException.class,
                () -> TableCopies.startPositions(PLAN, new SeqPosition(5), Map.of(new TableId("shop", "other"),
                        new SeqPosition(6)), SeqPosition.class)).getMessage());
    }
}
