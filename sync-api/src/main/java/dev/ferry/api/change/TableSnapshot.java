package dev.ferry.api.change;

import dev.ferry.api.Source;
import dev.ferry.api.state.Position;

/**
 * A consistent snapshot of some tables of a change source, as of one position in its log: copying
 * the tables from {@link #source} and then applying the changes of every transaction committed
 * after {@link #position()} leaves a target equal to the source.
 *
 * <p>Lifecycle: opened by {@link SupportsJoiningTables#openSnapshot}; its sources are valid until
 * {@link #close}, which releases what holds the snapshot (a replication connection, a transaction);
 * idempotent.
 *
 * <p>Threading: {@code source} and {@code close} from the driver thread; the sources' readers run
 * on channel threads as batch readers do.
 */
public interface TableSnapshot extends AutoCloseable {

    /** The log position the snapshot is consistent with. */
    Position position();

    /**
     * A batch source reading {@code table} as of {@link #position()}.
     *
     * @throws IllegalArgumentException when the table is not one of the snapshot's
     */
    Source source(TableId table);

    @Override
    void close();
}
