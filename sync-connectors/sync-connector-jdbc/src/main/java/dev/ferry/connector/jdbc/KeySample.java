package dev.ferry.connector.jdbc;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@link KeyEstimates} from a sample of a table's keys held in memory: a range's estimate is the
 * number of sampled keys in it times the rows each sampled key stands for. Memory is bounded by
 * {@link Builder}'s capacity, never by the table: past it, the sample is thinned by reservoir
 * sampling (with a fixed seed, so one sample of one table gives one plan).
 *
 * <p>Threading: built and used on one thread.
 */
public final class KeySample implements KeyEstimates {

    private final long[] keys;
    private final double rowsPerKey;
    private final List<Long> hints;
    private final String source;

    private KeySample(long[] sortedKeys, double rowsPerKey, List<Long> hints, String source) {
        this.keys = sortedKeys;
        this.rowsPerKey = rowsPerKey;
        this.hints = List.copyOf(hints);
        this.source = source;
    }

    /** A builder keeping at most {@code capacity} keys. */
    public static Builder builder(int capacity) {
        return new Builder(capacity);
    }

    /** The number of keys kept. */
    public int size() {
        return keys.length;
    }

    @Override
    public List<Long> hints() {
        return hints;
    }

    @Override
    public double rows(long lowest, long highest) {
        if (lowest > highest) {
            throw new IllegalArgumentException("lowest " + lowest + " must be <= highest " + highest);
        }
        return (firstAbove(highest) - firstAtLeast(lowest)) * rowsPerKey;
    }

    @Override
    public String source() {
        return source;
    }

    private int firstAtLeast(long key) {
        int low = 0;
        int high = keys.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (keys[mid] < key) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private int firstAbove(long key) {
        return key == Long.MAX_VALUE ? keys.length : firstAtLeast(key + 1);
    }

    /** Collects sampled keys. Not thread-safe. */
    public static final class Builder {

        private final long[] kept;
        private final SplittableRandom random = new SplittableRandom(0x5eed);
        private long seen;

        private Builder(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
            }
            kept = new long[capacity];
        }

        /** Offers one sampled key. */
        public void add(long key) {
            if (seen < kept.length) {
                kept[(int) seen] = key;
            } else {
                long slot = random.nextLong(seen + 1);
                if (slot < kept.length) {
                    kept[(int) slot] = key;
                }
            }
            seen++;
        }

        /** How many keys were offered. */
        public long seen() {
            return seen;
        }

        /**
         * The sample.
         *
         * @param sampledFraction the fraction of the table's rows the offered keys were drawn from
         *                        (0 < fraction <= 1), to scale counts to rows
         * @param hints           the statistics' keys, ascending (see {@link KeyEstimates#hints})
         * @param source          where the sample and hints come from, for logs
         */
        public KeySample build(double sampledFraction, List<Long> hints, String source) {
            if (!(sampledFraction > 0 && sampledFraction <= 1)) {
                throw new IllegalArgumentException("sampledFraction must be in (0, 1], got " + sampledFraction);
            }
            int size = (int) Math.min(seen, kept.length);
            long[] keys = Arrays.copyOf(kept, size);
            Arrays.sort(keys);
            double rowsPerKey = size == 0 ? 0 : (double) seen / size / sampledFraction;
            return new KeySample(keys, rowsPerKey, hints, source);
        }
    }
}
