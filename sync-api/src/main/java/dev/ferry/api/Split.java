package dev.ferry.api;

import java.io.Serializable;

/**
 * One independently readable piece of a source: a key range, a file, a shard.
 *
 * <p>Connectors implement it as a small immutable {@code record} that validates its bounds in
 * its constructor. Splits are serialisable (Java serialisation, and Jackson as plain records) so
 * that a runner on another process or machine can execute them; keep them small and free of
 * connections, schemas or other heavy state.
 *
 * <p>Threading: immutable; safe to share.
 */
public interface Split extends Serializable {

    /** Unique within one job's plan, stable for the same input, readable in logs ({@code "orders[0,5000)"}). */
    String id();
}
