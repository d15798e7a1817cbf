package dev.ferry.api.verify;

import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import java.util.List;

/**
 * A {@link dev.ferry.api.Source} capability for verification: its splits are key ranges of a
 * column, and it can read a split ordered by the columns that identify a row, so that a split that
 * differs from the target can be narrowed down to the differing keys by merging both sides.
 *
 * <p>Threading: {@link #splitColumn} and {@link #keyColumns} on the driver thread after
 * {@link dev.ferry.api.Source#prepare}; {@link #createOrderedReader} from any thread.
 */
public interface SupportsKeyOrder {

    /** The column whose key ranges the planned splits are, or null when they are not ranges. */
    String splitColumn();

    /**
     * The integer columns that identify a row, in ordering priority (the primary key when it is
     * made of integer columns, else the split column), or empty when there are none.
     */
    List<String> keyColumns();

    /** A reader of the split's rows in ascending order of {@link #keyColumns}. */
    SourceReader createOrderedReader(Split split);
}
