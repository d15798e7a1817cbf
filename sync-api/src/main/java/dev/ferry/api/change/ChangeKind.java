package dev.ferry.api.change;

/**
 * What a change record does to its table's row.
 *
 * <p>An update that changes the key is never one record: the source emits a {@link #DELETE} of the
 * old key followed by an {@link #INSERT} of the new row, so that a target applying by key needs
 * no before image.
 */
public enum ChangeKind {
    /** A new row; the record holds the row. */
    INSERT,
    /**
     * The row as it was before the {@link #UPDATE} that follows it; emitted only where the source
     * has the whole old row (PostgreSQL {@code REPLICA IDENTITY FULL}, a binlog with full row
     * images). Targets applying by key skip it; change-log targets may keep it.
     */
    UPDATE_BEFORE,
    /** A changed row with the same key; the record holds the new row, possibly with unchanged markers. */
    UPDATE,
    /** A removed row; the record holds at least its key columns, the rest may be unchanged markers. */
    DELETE;

    /** One letter for logs and change-log tables: {@code I}, {@code B}, {@code U} or {@code D}. */
    public char code() {
        return switch (this) {
            case INSERT -> 'I';
            case UPDATE_BEFORE -> 'B';
            case UPDATE -> 'U';
            case DELETE -> 'D';
        };
    }
}
