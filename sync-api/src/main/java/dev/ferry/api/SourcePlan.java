package dev.ferry.api;

import dev.ferry.api.data.TableSchema;
import java.io.Serializable;

/**
 * What planning a source decided, as a small serialisable value: the resolved schema, the SQL or
 * file layout, an exported snapshot's id. It holds no connection and no secret, so it can travel
 * to another process or machine, where {@link SupportsAttach#attachSource} opens readers from it
 * without repeating the planning's global effects.
 *
 * <p>Threading: immutable; safe to share.
 */
public interface SourcePlan extends Serializable {

    /** The schema every record of the source follows. */
    TableSchema schema();
}
