package dev.ferry.connector.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Cuts the key span of a split column into ranges of about equal estimated rows, asking
 * {@link KeyEstimates} only about key intervals, never reading rows.
 *
 * <h2>Design note: a density map refined where it is dense</h2>
 * A range's size cannot be learnt from its key span (keys cluster), and the statistics' own cut
 * points may be stale. So the span {@code [lowest, highest]} is first divided at the statistics'
 * hints (thinned to what the wanted ranges need), then the interval with the largest estimate is
 * halved by key, again and again, until none holds more than a quarter of a range's share of the
 * estimated rows or the largest holds one key value. The share is taken of the sum of the current
 * intervals, not of the first estimate of the whole span, so an estimator that caps or rounds big
 * ranges (InnoDB caps any range at half the table's statistics) does not make the intervals
 * needlessly small. Halving by key finds a cluster in about {@code log2(span / cluster)} steps and
 * costs nothing where the rows are sparse, so the number of estimates grows with the number of
 * ranges and clusters, not with the table. The ranges are then cut at interval boundaries nearest
 * to each multiple of the mean: every range is within a quarter of a share of the mean, by the
 * estimates, unless one key value alone holds more (which no cut can divide). Hints that are stale
 * only cost estimates: every interval is measured afresh.
 *
 * <p>Threading: stateless; runs on the planning thread.
 */
final class KeyRangeCutter {

    /** Intervals per range: each interval holds at most 1/4 of a range's estimated rows. */
    static final int INTERVALS_PER_RANGE = 4;

    private KeyRangeCutter() {
    }

    /**
     * Where ranges were cut, by the estimates.
     *
     * @param bounds        the lower bound of every range but the first, strictly ascending
     * @param estimatedRows the estimated rows of the whole span
     * @param largestRange  the largest range's estimated rows
     * @param estimates     how many estimates were asked for
     */
    record Cuts(List<Long> bounds, double estimatedRows, double largestRange, int estimates) {

        Cuts {
            bounds = List.copyOf(bounds);
        }
    }

    /**
     * Cuts {@code [lowest, highest]} into at most {@code splitCount} ranges.
     *
     * @param minRows  below this many estimated rows in the whole span the result is null (a walk
     *                 is exact and cheap there)
     * @param budget   the most estimates to ask for; null is returned when more would be needed
     * @return the cuts, or null when the estimates see fewer than {@code minRows} rows (or none)
     *         or the budget ran out
     */
    static Cuts cut(KeyEstimates estimates, long lowest, long highest, int splitCount, double minRows, int budget)
            throws SQLException {
        if (lowest > highest) {
            throw new IllegalArgumentException("lowest " + lowest + " must be <= highest " + highest);
        }
        if (splitCount < 1) {
            throw new IllegalArgumentException("splitCount must be >= 1, got " + splitCount);
        }
        double total = estimates.rows(lowest, highest);
        int asked = 1;
        if (!(total > 0) || total < minRows) {
            return null;
        }
        PriorityQueue<Interval> open = new PriorityQueue<>(Comparator.comparingDouble(Interval::rows).reversed());
        List<Interval> done = new ArrayList<>();
        List<Long> starts = seeds(estimates.hints(), lowest, highest, splitCount * INTERVALS_PER_RANGE);
        double sum = 0;
        for (int i = 0; i < starts.size(); i++) {
            long end = i + 1 < starts.size() ? starts.get(i + 1) - 1 : highest;
            double rows = starts.size() == 1 ? total : estimates.rows(starts.get(i), end);
            asked += starts.size() == 1 ? 0 : 1;
            open.add(new Interval(starts.get(i), end, Math.max(0, rows)));
            sum += Math.max(0, rows);
        }
        double parts = (double) splitCount * INTERVALS_PER_RANGE;
        while (!open.isEmpty() && open.peek().rows() > sum / parts) {
            Interval largest = open.poll();
            if (largest.lowest() == largest.highest()) {
                done.add(largest);
                continue;
            }
            asked += 2;
            if (asked > budget) {
                return null;
            }
            long mid = floorMean(largest.lowest(), largest.highest());
            Interval left = new Interval(largest.lowest(), mid, Math.max(0, estimates.rows(largest.lowest(), mid)));
            Interval right = new Interval(mid + 1, largest.highest(), Math.max(0, estimates.rows(mid + 1, largest.highest())));
            sum += left.rows() + right.rows() - largest.rows();
            open.add(left);
            open.add(right);
        }
        done.addAll(open);
        done.sort(Comparator.comparingLong(Interval::lowest));
        return cutAtShares(done, splitCount, asked);
    }

    /** A key interval {@code [lowest, highest]} and its estimated rows. */
    private record Interval(long lowest, long highest, double rows) {
    }

    /** The interval starts: {@code lowest}, then the hints inside the span, thinned to at most {@code most}. */
    static List<Long> seeds(List<Long> hints, long lowest, long highest, int most) {
        List<Long> inside = new ArrayList<>();
        long previous = lowest;
        for (Long hint : hints) {
            if (hint != null && hint > previous && hint <= highest) {
                inside.add(hint);
                previous = hint;
            }
        }
        List<Long> starts = new ArrayList<>();
        starts.add(lowest);
        int stride = Math.max(1, (inside.size() + most - 1) / Math.max(1, most));
        for (int i = stride - 1; i < inside.size(); i += stride) {
            starts.add(inside.get(i));
        }
        return starts;
    }

    /** Cuts at the interval boundaries nearest to each multiple of the mean. */
    private static Cuts cutAtShares(List<Interval> intervals, int splitCount, int asked) {
        int n = intervals.size();
        double[] before = new double[n + 1];
        for (int i = 0; i < n; i++) {
            before[i + 1] = before[i] + intervals.get(i).rows();
        }
        double sum = before[n];
        List<Long> bounds = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        int boundary = 0;
        int last = 0;
        for (int j = 1; j < splitCount && sum > 0; j++) {
            double share = sum * j / splitCount;
            while (boundary + 1 < n && before[boundary + 1] <= share) {
                boundary++;
            }
            int chosen = boundary;
            if (boundary + 1 < n && before[boundary + 1] - share < share - before[boundary]) {
                chosen = boundary + 1;
            }
            if (chosen > last) {
                bounds.add(intervals.get(chosen).lowest());
                at.add(chosen);
                last = chosen;
            }
        }
        double largest = 0;
        int from = 0;
        for (int i = 0; i <= at.size(); i++) {
            int to = i < at.size() ? at.get(i) : n;
            largest = Math.max(largest, before[to] - before[from]);
            from = to;
        }
        return new Cuts(bounds, sum, largest, asked);
    }

    /** {@code floor((a + b) / 2)} without overflow. */
    static long floorMean(long a, long b) {
        return (a & b) + ((a ^ b) >> 1);
    }
}
