package dev.ferry.connector.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The range maths of planning from estimates, with exact and model estimates instead of a database. */
class KeyRangeCutterTest {

    /** An exact estimator: every key of the "table" kept. */
    private static KeySample exact(long[] keys, List<Long> hints) {
        KeySample.Builder builder = KeySample.builder(keys.length);
        for (long key : keys) {
            builder.add(key);
        }
        return builder.build(1.0, hints, "all keys");
    }

    /** 90% of the keys dense in 1..0.9n, the rest every 100,000 keys from 10^9 (90% of rows in far less than 1% of the span). */
    private static long[] clustered(int n) {
        int dense = n / 10 * 9;
        return LongStream.concat(LongStream.rangeClosed(1, dense),
                LongStream.rangeClosed(1, n - dense).map(i -> 1_000_000_000L + i * 100_000)).toArray();
    }

    /** Rows of each range the bounds make, counted from the keys themselves. */
    private static long[] sizes(long[] sortedKeys, List<Long> bounds) {
        long[] sizes = new long[bounds.size() + 1];
        int range = 0;
        for (long key : sortedKeys) {
            while (range < bounds.size() && key >= bounds.get(range)) {
                range++;
            }
            sizes[range]++;
        }
        return sizes;
    }

    private static double largestOverMean(long[] sizes) {
        long total = Arrays.stream(sizes).sum();
        return Arrays.stream(sizes).max().orElse(0) / ((double) total / sizes.length);
    }

    private static void assertAscending(List<Long> bounds, long lowest, long highest) {
        for (int i = 0; i < bounds.size(); i++) {
            assertTrue(bounds.get(i) > lowest && bounds.get(i) <= highest, "bound outside the span: " + bounds);
            assertTrue(i == 0 || bounds.get(i) > bounds.get(i - 1), "bounds not strictly ascending: " + bounds);
        }
    }

    @Test
    void clusteredKeysAreCutByRowsWithinAQuarterOfTheMean() throws Exception {
        long[] keys = clustered(100_000);
        for (int splitCount : new int[] {2, 8, 64, 256}) {
            KeyRangeCutter.Cuts cuts = KeyRangeCutter.cut(exact(keys, List.of()), keys[0], keys[keys.length - 1],
                    splitCount, 1, Integer.MAX_VALUE);
            assertNotNull(cuts);
            assertEquals(splitCount - 1, cuts.bounds().size(), "splitCount " + splitCount);
            assertAscending(cuts.bounds(), keys[0], keys[keys.length - 1]);
            long[] sizes = sizes(keys, cuts.bounds());
            assertTrue(largestOverMean(sizes) <= 1.25, splitCount + " splits: " + Arrays.toString(sizes));
            assertEquals(100_000, cuts.estimatedRows(), 1e-6);
        }
    }

    @Test
    void staleHintsCostEstimatesNotBalance() throws Exception {
        long[] keys = clustered(100_000);
        // Hints from a table that once held keys 1..1000 only: every new key lies past the last bound.
        List<Long> stale = LongStream.rangeClosed(0, 100).map(i -> i * 10).boxed().toList();
        KeyRangeCutter.Cuts cuts = KeyRangeCutter.cut(exact(keys, stale), keys[0], keys[keys.length - 1], 16, 1,
                Integer.MAX_VALUE);
        assertTrue(largestOverMean(sizes(keys, cuts.bounds())) <= 1.25, cuts.toString());
        assertAscending(cuts.bounds(), keys[0], keys[keys.length - 1]);
    }

    @Test
    void goodHintsSaveEstimates() throws Exception {
        long[] keys = clustered(100_000);
        List<Long> quantiles = new ArrayList<>();
        for (int i = 0; i < keys.length; i += keys.length / 100) {
            quantiles.add(keys[i]);
        }
        KeyRangeCutter.Cuts without = KeyRangeCutter.cut(exact(keys, List.of()), keys[0], keys[keys.length - 1], 16, 1,
                Integer.MAX_VALUE);
        KeyRangeCutter.Cuts with = KeyRangeCutter.cut(exact(keys, quantiles), keys[0], keys[keys.length - 1], 16, 1,
                Integer.MAX_VALUE);
        assertTrue(with.estimates() < without.estimates(), with.estimates() + " vs " + without.estimates());
        assertTrue(largestOverMean(sizes(keys, with.bounds())) <= 1.25);
    }

    @Test
    void aKeyHeldByMostRowsIsOneIntervalAndTheCutsStayAscending() throws Exception {
        long[] keys = LongStream.concat(LongStream.generate(() -> 7).limit(5000), LongStream.rangeClosed(8, 10_000))
                .sorted().toArray();
        KeyRangeCutter.Cuts cuts = KeyRangeCutter.cut(exact(keys, List.of()), 7, 10_000, 10, 1, Integer.MAX_VALUE);
        assertAscending(cuts.bounds(), 7, 10_000);
        assertEquals(8L, cuts.bounds().get(0), "the value 7 cannot be cut apart: " + cuts.bounds());
        assertEquals(Arrays.stream(keys).count(), Arrays.stream(sizes(keys, cuts.bounds())).sum());
    }

    @Test
    void theWholeLongSpanIsHalvedWithoutOverflow() throws Exception {
        long[] keys = {Long.MIN_VALUE, -5, 0, 3, 1L << 40, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        KeyRangeCutter.Cuts cuts = KeyRangeCutter.cut(exact(keys, List.of()), Long.MIN_VALUE, Long.MAX_VALUE, 7, 1,
                Integer.MAX_VALUE);
        assertAscending(cuts.bounds(), Long.MIN_VALUE, Long.MAX_VALUE);
        assertEquals(6, cuts.bounds().size(), cuts.bounds().toString());
        assertTrue(Arrays.stream(sizes(keys, cuts.bounds())).allMatch(s -> s == 1));
        assertEquals(-1, KeyRangeCutter.floorMean(-1, 0));
        assertEquals(Long.MAX_VALUE - 1, KeyRangeCutter.floorMean(Long.MAX_VALUE - 1, Long.MAX_VALUE));
        assertEquals(-1, KeyRangeCutter.floorMean(Long.MIN_VALUE, Long.MAX_VALUE));
    }

    @Test
    void fewerRowsThanTheWalkThresholdOrNoRowsGiveNoCuts() throws Exception {
        long[] keys = clustered(1000);
        assertNull(KeyRangeCutter.cut(exact(keys, List.of()), 1, keys[keys.length - 1], 4, 1001, Integer.MAX_VALUE));
        assertNull(KeyRangeCutter.cut(exact(keys, List.of()), 2_000_000_000_000L, 3_000_000_000_000L, 4, 1,
                Integer.MAX_VALUE));
    }

    @Test
    void aPlanNeedingMoreEstimatesThanItsBudgetGivesUp() throws Exception {
        long[] keys = clustered(100_000);
        assertNull(KeyRangeCutter.cut(exact(keys, List.of()), keys[0], keys[keys.length - 1], 64, 1, 50));
    }

    /** Estimates of a table of {@code rows} rows, 90% spread evenly over keys [0, 10^6), 10% over [10^12, 2*10^12). */
    private static KeyEstimates model(double rows, int[] asked) {
        return new KeyEstimates() {
            @Override
            public List<Long> hints() {
                return List.of();
            }

            @Override
            public double rows(long lowest, long highest) {
                asked[0]++;
                return 0.9 * rows * overlap(lowest, highest, 0, 1_000_000)
                        + 0.1 * rows * overlap(lowest, highest, 1_000_000_000_000L, 2_000_000_000_000L);
            }

            private double overlap(long lowest, long highest, long from, long to) {
                double a = Math.max(lowest, from);
                double b = Math.min((double) highest + 1, to);
                return b <= a ? 0 : (b - a) / (to - from);
            }

            @Override
            public String source() {
                return "model";
            }
        };
    }

    @Test
    void theNumberOfEstimatesDoesNotGrowWithTheTable() throws Exception {
        int[] small = {0};
        int[] large = {0};
        KeyRangeCutter.Cuts a = KeyRangeCutter.cut(model(1e6, small), 0, 2_000_000_000_000L, 32, 1, Integer.MAX_VALUE);
        KeyRangeCutter.Cuts b = KeyRangeCutter.cut(model(1e10, large), 0, 2_000_000_000_000L, 32, 1, Integer.MAX_VALUE);
        assertEquals(small[0], large[0]);
        assertEquals(a.bounds(), b.bounds());
        assertTrue(small[0] < 64 * 32, "estimates: " + small[0]);
        assertTrue(a.largestRange() <= 1.25 * 1e6 / 32, a.toString());
    }
}
