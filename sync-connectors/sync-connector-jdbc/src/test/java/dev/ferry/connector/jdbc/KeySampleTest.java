package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeySampleTest {

    @Test
    void countsKeysInInclusiveRangesScaledByTheSampledFraction() {
        KeySample.Builder builder = KeySample.builder(100);
        for (long key : new long[] {5, 1, 3, 3, Long.MAX_VALUE, Long.MIN_VALUE}) {
            builder.add(key);
        }
        KeySample sample = builder.build(0.5, List.of(1L, 4L), "test");
        assertEquals(6, sample.size());
        assertEquals(8, sample.rows(1, 5));
        assertEquals(4, sample.rows(3, 3));
        assertEquals(0, sample.rows(6, 100));
        assertEquals(2, sample.rows(Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(12, sample.rows(Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(List.of(1L, 4L), sample.hints());
        assertThrows(IllegalArgumentException.class, () -> sample.rows(2, 1));
    }

    @Test
    void aSampleLargerThanItsCapacityIsThinnedAndStillScalesToEveryKeyOffered() {
        KeySample.Builder builder = KeySample.builder(1000);
        for (long key = 0; key < 100_000; key++) {
            builder.add(key);
        }
        KeySample sample = builder.build(1.0, List.of(), "test");
        assertEquals(1000, sample.size());
        assertEquals(100_000, builder.seen());
        assertEquals(100_000, sample.rows(0, 99_999), 1e-6);
        double half = sample.rows(0, 49_999);
        assertTrue(half > 40_000 && half < 60_000, "half the keys estimated as " + half);
    }

    @Test
    void rejectsBadArguments() {
        assertEquals("capacity must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> KeySample.builder(0)).getMessage());
        assertEquals("sampledFraction must be in (0, 1], got 0.0",
                assertThrows(IllegalArgumentException.class, () -> KeySample.builder(1).build(0, List.of(), "x")).getMessage());
    }
}
