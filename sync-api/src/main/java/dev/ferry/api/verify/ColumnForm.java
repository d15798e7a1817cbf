package dev.ferry.api.verify;

import java.util.Objects;

/**
 * How one column's values are written in {@link SplitDigest}'s canonical form, beyond what their
 * type decides: decided by the engine from both sides' columns, so that both sides write it alike.
 *
 * @param column             the column's name on the side that reads it
 * @param trimTrailingSpaces whether trailing spaces of a string are removed first (either side's
 *                           column is a fixed-length {@code char(n)}, which one database pads and
 *                           another does not)
 */
public record ColumnForm(String column, boolean trimTrailingSpaces) {

    public ColumnForm {
        Objects.requireNonNull(column, "column");
    }
}
