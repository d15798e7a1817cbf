package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.change.TableId;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

/** The forms of a table entry: a table, a pattern with *, a regular expression, and the schema ~. */
class TablePatternTest {

    @Test
    void aTableIsOneName() {
        TablePattern table = TablePattern.parse(" shop.orders ");
        assertTrue(table.isTable());
        assertEquals("shop", table.schema());
        assertEquals("orders", table.table());
        assertTrue(table.matches(new TableId("shop", "orders")));
        assertFalse(table.matches(new TableId("other", "orders")));
        assertFalse(table.matchesName("orders_1"));
        assertEquals("orders", table.like());
        assertEquals("shop.orders", table.toString());
    }

    @Test
    void aRegularExpressionMustMatchTheWholeName() {
        TablePattern regex = TablePattern.parse("shop./orders_[0-9]+/");
        assertFalse(regex.isTable());
        assertEquals("orders_[0-9]+", regex.table());
        assertTrue(regex.matchesName("orders_0"));
        assertTrue(regex.matchesName("orders_12"));
        assertFalse(regex.matchesName("orders_x"), "no match");
        assertFalse(regex.matchesName("orders_1_old"), "a match of a part only is none");
        assertFalse(regex.matchesName("old_orders_1"), "a match of a part only is none");
        assertEquals("%", regex.like(), "the database lists the schema's tables, the expression picks");
        assertEquals("shop./orders_[0-9]+/", regex.toString());
    }

    @Test
    void theTablePartRunsFromTheFirstDotSoAnExpressionMayHoldDotsAndSlashes() {
        TablePattern regex = TablePattern.parse("shop./a\\.b/c|d/");
        assertEquals("shop", regex.schema());
        assertEquals("a\\.b/c|d", regex.table());
        assertTrue(regex.matchesName("a.b/c"));
        assertTrue(regex.matchesName("d"));
        assertFalse(regex.matchesName("axb/c"));
    }

    @Test
    void aPatternsStarIsAnyRunAndEverythingElseIsLiteral() {
        TablePattern pattern = TablePattern.parse("shop.order_*");
        assertFalse(pattern.isTable());
        assertTrue(pattern.matchesName("order_"));
        assertTrue(pattern.matchesName("order_2024"));
        assertFalse(pattern.matchesName("orderx2024"), "_ is literal");
        assertTrue(TablePattern.parse("shop.a.b*").matchesName("a.b.c"), ". is literal");
        assertTrue(TablePattern.parse("shop.*").matchesName("anything"), "a lone star is every table");
        assertTrue(TablePattern.parse("shop.*_log").matchesName("orders_log"), "a leading star");
        assertFalse(TablePattern.parse("shop.*_log").matchesName("orders_logs"));
        assertFalse(TablePattern.parse("shop.a.b*").matchesName("aXb"), ". is literal");
        assertEquals("order!_%", pattern.like());
        assertEquals("100!%!!%", TablePattern.parse("s.100%!*").like());
    }

    @Test
    void theSchemaTildeIsLeftOpen() {
        TablePattern own = TablePattern.parse("~./orders_[0-9]+/");
        assertNull(own.schema());
        assertTrue(own.matches(new TableId("shop", "orders_1")));
        assertTrue(own.matches(new TableId("public", "orders_2")));
        assertEquals("~./orders_[0-9]+/", own.toString());
        TablePattern table = TablePattern.parse("~.orders");
        assertTrue(table.isTable());
        assertNull(table.schema());
        assertEquals("~.orders", table.toString());
    }

    @Test
    void patternsWrittenAlikeAreEqual() {
        assertEquals(TablePattern.parse("s./a+/"), TablePattern.parse(" s./a+/"));
        assertEquals(TablePattern.parse("s./a+/").hashCode(), TablePattern.parse("s./a+/").hashCode());
        assertFalse(TablePattern.parse("s./a+/").equals(TablePattern.parse("s./a*/")));
        assertFalse(TablePattern.parse("~.a").equals(TablePattern.parse("s.a")));
    }

    @Test
    void aBadFormIsAnIllegalArgument() {
        for (String bad : new String[] {"orders", ".orders", "shop.", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TablePattern.parse(bad), bad);
            assertFalse(e instanceof PatternSyntaxException, bad);
        }
    }

    @Test
    void aBadRegularExpressionIsRefusedWithWhatIsWrong() {
        assertEquals("s.x must hold a valid regular expression between the slashes (Unclosed character class near "
                + "index 7), got 's./orders_[/'", refusal("s./orders_[/"));
        assertEquals("s.x must hold a valid regular expression between the slashes (no closing slash), got 's./orders'",
                refusal("s./orders"));
        assertEquals("s.x must hold a valid regular expression between the slashes (empty), got 's.//'", refusal("s.//"));
        assertEquals("s.x must hold a valid regular expression between the slashes (text after the closing slash near "
                + "index 3), got 's./a/b'", refusal("s./a/b"));
        assertEquals("s.x must be schema.table, got 'nodot'", refusal("nodot"));
    }

    private static String refusal(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TablePattern.parse(text));
        return TablePattern.refusal("s.x", "'" + text + "'", "must be schema.table", e).toString();
    }
}
