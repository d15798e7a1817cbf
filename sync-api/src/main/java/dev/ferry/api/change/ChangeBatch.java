package dev.ferry.api.change;

import dev.ferry.api.data.RowBatch;
import dev.ferry.api.state.Position;

/**
 * Changes of one table handed to a {@link ChangeWriter}: rows in source order, each with its kind
 * and log position. A row's columns follow {@link #schema()}; a column marked
 * {@link #isUnchanged} has no value and must be left as the target has it.
 *
 * <p>Threading and lifetime: as for {@link RowBatch}, valid only during the call that received
 * it, on that call's thread.
 */
public interface ChangeBatch extends RowBatch {

    /** The source table every row belongs to. */
    TableId table();

    ChangeKind kind(int row);

    /** Whether the column's value was not sent because it did not change. */
    boolean isUnchanged(int row, int column);

    /** The position of the change in the source's log. */
    Position position(int row);

    /** The commit time of the row's transaction, microseconds since the epoch (UTC). */
    long commitMicros(int row);

    /**
     * The change's sequence within its transaction, from 0: with {@link #position} it orders
     * changes totally even where a source gives one position to several rows.
     */
    long sequence(int row);
}
