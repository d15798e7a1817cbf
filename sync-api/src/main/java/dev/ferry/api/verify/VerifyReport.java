package dev.ferry.api.verify;

import java.util.List;
import java.util.Objects;

/**
 * What comparing a source with its target found: one entry per split, as immutable values.
 *
 * @param splits         every split compared, in plan order
 * @param durationMillis how long the comparison took
 * @param sourcePath     how the source's digests were computed: {@code database}, {@code java}
 *                       (rows read and hashed while streaming) or {@code mixed}
 * @param targetPath     likewise for the target
 * @param notes          what the comparison could not do as asked (splits compared together, keys
 *                       that could not be named), for the user
 */
public record VerifyReport(List<SplitCheck> splits, long durationMillis, String sourcePath, String targetPath,
                           List<String> notes) {

    public VerifyReport {
        splits = List.copyOf(splits);
        notes = List.copyOf(notes);
        Objects.requireNonNull(sourcePath, "sourcePath");
        Objects.requireNonNull(targetPath, "targetPath");
    }

    /** True when every split is {@link Outcome#EQUAL}. */
    public boolean matches() {
        return splits.stream().allMatch(s -> s.outcome() == Outcome.EQUAL);
    }

    /** The splits that are not equal. */
    public List<SplitCheck> mismatches() {
        return splits.stream().filter(s -> s.outcome() != Outcome.EQUAL).toList();
    }

    /** How a split's target compares with its source. */
    public enum Outcome {
        /** Same rows (count and checksum). */
        EQUAL,
        /** Same number of rows, different values. */
        DIFFERENT,
        /** The target has fewer rows than the source. */
        MISSING_ROWS,
        /** The target has more rows than the source. */
        EXTRA_ROWS
    }

    /**
     * One split's comparison.
     *
     * @param split         the split's id
     * @param outcome       how the target compares
     * @param sourceRows    rows the source has in the split
     * @param targetRows    rows the target has in the split
     * @param keys          when asked for details, the first differing keys found (at most the limit)
     * @param moreKeys      differing keys found beyond {@code keys}
     */
    public record SplitCheck(String split, Outcome outcome, long sourceRows, long targetRows, List<KeyDifference> keys,
                             long moreKeys) {

        public SplitCheck {
            Objects.requireNonNull(split, "split");
            Objects.requireNonNull(outcome, "outcome");
            keys = List.copyOf(keys);
        }
    }

    /** How one key differs. */
    public enum KeyOutcome {
        /** Both sides have the key with different values. */
        DIFFERENT,
        /** Only the source has the key. */
        MISSING,
        /** Only the target has the key. */
        EXTRA
    }

    /**
     * One differing key.
     *
     * @param key     the key's values in canonical text, comma-separated for several columns
     * @param outcome how it differs
     */
    public record KeyDifference(String key, KeyOutcome outcome) {

        public KeyDifference {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(outcome, "outcome");
        }
    }
}
