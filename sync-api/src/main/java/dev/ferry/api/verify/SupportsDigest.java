package dev.ferry.api.verify;

import dev.ferry.api.Split;
import java.util.List;
import java.util.Optional;

/**
 * A capability of a {@link dev.ferry.api.Source} or a {@link ReadBack}: it can compute a split's
 * {@link SplitDigest} inside the database, reading the rows there instead of sending them.
 *
 * <p>Implementations must compute exactly the canonical form and hash that {@link SplitDigest}
 * defines, for every column; where the database cannot (a type whose text or arithmetic differs),
 * they return empty and the engine hashes the rows it reads instead.
 *
 * <p>Threading: called from verification threads concurrently, once per split; may block on the
 * database.
 */
public interface SupportsDigest {

    /**
     * The digest of the rows {@code split} covers, computed by the database, or empty when the
     * database cannot compute the canonical form of every column.
     *
     * @param split   a split of this source's plan (for a {@link ReadBack}: of the job's source)
     * @param columns one form per column read, in schema order
     */
    Optional<SplitDigest> digest(Split split, List<ColumnForm> columns);
}
