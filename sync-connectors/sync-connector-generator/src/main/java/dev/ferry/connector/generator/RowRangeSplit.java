package dev.ferry.connector.generator;

import dev.ferry.api.Split;
import java.util.Objects;

/**
 * The rows {@code [startInclusive, endExclusive)} of a generator source.
 *
 * <p>Threading: immutable; safe to share.
 *
 * @param id             unique within the plan, e.g. {@code "generator[0,5000)"}
 * @param startInclusive first row index, >= 0
 * @param endExclusive   one past the last row index, >= {@code startInclusive}; equal for an empty split
 */
public record RowRangeSplit(String id, long startInclusive, long endExclusive) implements Split {

    public RowRangeSplit {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("split id must not be empty");
        }
        if (startInclusive < 0) {
            throw new IllegalArgumentException("startInclusive of split '" + id + "' must be >= 0, got " + startInclusive);
        }
        if (endExclusive < startInclusive) {
            throw new IllegalArgumentException("endExclusive of split '" + id + "' must be >= startInclusive ("
                    + startInclusive + "), got " + endExclusive);
        }
    }

    /** A split named {@code "generator[start,end)"}. */
    public static RowRangeSplit of(long startInclusive, long endExclusive) {
        return new RowRangeSplit("generator[" + startInclusive + "," + endExclusive + ")", startInclusive, endExclusive);
    }

    /** Number of rows in the split. */
    public long rows() {
        return endExclusive - startInclusive;
    }
}
