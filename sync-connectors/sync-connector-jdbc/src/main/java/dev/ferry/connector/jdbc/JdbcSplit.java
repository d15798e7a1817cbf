package dev.ferry.connector.jdbc;

import dev.ferry.api.Split;
import java.util.Objects;

/**
 * The splits a {@link JdbcSource} plans: small immutable values that name what to read, never how
 * to connect.
 */
public sealed interface JdbcSplit extends Split
        permits JdbcSplit.KeyRange, JdbcSplit.NullKeys, JdbcSplit.Whole, JdbcSplit.Query {

    /**
     * Rows whose split key is in {@code [lowerInclusive, upperExclusive)}; a null bound is open
     * (the first split has no lower bound and the last no upper bound, so keys written after
     * planning are still read). Rows with a NULL key are never in a key range.
     */
    record KeyRange(String id, Long lowerInclusive, Long upperExclusive) implements JdbcSplit {

        public KeyRange {
            Objects.requireNonNull(id, "id");
            if (lowerInclusive != null && upperExclusive != null && lowerInclusive >= upperExclusive) {
                throw new IllegalArgumentException("split " + id + ": lower bound " + lowerInclusive
                        + " must be < upper bound " + upperExclusive);
            }
        }
    }

    /** Rows whose split key is NULL; planned only when there are some. */
    record NullKeys(String id) implements JdbcSplit {

        public NullKeys {
            Objects.requireNonNull(id, "id");
        }
    }

    /** Every row (no split key). */
    record Whole(String id) implements JdbcSplit {

        public Whole {
            Objects.requireNonNull(id, "id");
        }
    }

    /** The result of one statement of {@code querySql}. */
    record Query(String id, int index, String sql) implements JdbcSplit {

        public Query {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(sql, "sql");
            if (index < 0) {
                throw new IllegalArgumentException("split " + id + ": index must be >= 0, got " + index);
            }
        }
    }
}
