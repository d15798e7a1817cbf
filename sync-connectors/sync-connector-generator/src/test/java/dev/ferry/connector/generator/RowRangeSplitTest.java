package dev.ferry.connector.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.engine.testing.JavaSerialisation;
import org.junit.jupiter.api.Test;

class RowRangeSplitTest {

    @Test
    void namesItsRangeAndCountsRows() {
        RowRangeSplit split = RowRangeSplit.of(10, 25);
        assertEquals("generator[10,25)", split.id());
        assertEquals(15, split.rows());
    }

    @Test
    void acceptsAnEmptyRange() {
        assertEquals(0, RowRangeSplit.of(0, 0).rows());
    }

    @Test
    void rejectsANegativeStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RowRangeSplit("s", -1, 3));
        assertEquals("startInclusive of split 's' must be >= 0, got -1", e.getMessage());
    }

    @Test
    void rejectsAnEndBeforeTheStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RowRangeSplit("s", 5, 4));
        assertEquals("endExclusive of split 's' must be >= startInclusive (5), got 4", e.getMessage());
    }

    @Test
    void rejectsAnEmptyId() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RowRangeSplit("", 0, 1));
        assertEquals("split id must not be empty", e.getMessage());
        assertThrows(NullPointerException.class, () -> new RowRangeSplit(null, 0, 1));
    }

    @Test
    void survivesJavaSerialisation() throws Exception {
        RowRangeSplit split = RowRangeSplit.of(3, 9);
        assertEquals(split, JavaSerialisation.roundTrip(split));
    }
}
