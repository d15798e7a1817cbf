package dev.ferry.api.verify;

import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.data.TableSchema;

/**
 * What a target holds, read back for verification: for each split of the job's source, the rows
 * that copying the split wrote. Opened by {@link SupportsReadBack#openReadBack}; writes nothing.
 *
 * <p>Lifecycle: {@link #createReader} any number of times, possibly concurrently; {@link #close}
 * once at the end, idempotent. Threading: {@code createReader} and {@code isolates} from any
 * thread; each reader is used by one thread.
 */
public interface ReadBack extends AutoCloseable {

    /**
     * The target's columns that receive the source's columns, in the source's order and with the
     * source's names, as the target describes them (their types may differ from the source's).
     */
    TableSchema schema();

    /**
     * Whether {@link #createReader} can read the target rows of this split alone (a key range of
     * the source maps to the same range of the target's key column; a file of the source does
     * not). When it cannot, the engine compares all splits together with {@link #createWholeReader}.
     */
    boolean isolates(Split split);

    /**
     * A reader of the target rows of one split, ordered by the key columns given to
     * {@link SupportsReadBack#openReadBack} when {@code keyOrder}.
     *
     * @throws IllegalArgumentException when {@link #isolates} is false for the split
     */
    SourceReader createReader(Split split, boolean keyOrder);

    /** A reader of every row of the target, ordered by the key columns when {@code keyOrder}. */
    SourceReader createWholeReader(boolean keyOrder);

    @Override
    void close();
}
