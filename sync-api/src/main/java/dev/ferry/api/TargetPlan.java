package dev.ferry.api;

import java.io.Serializable;

/**
 * What preparing a target decided, as a small serialisable value (the resolved table, the column
 * mapping, the statement), free of connections and secrets, so that
 * {@link SupportsAttach#attachTarget} can open writers from it in another process without running
 * pre-SQL, creating or truncating anything again.
 *
 * <p>Threading: immutable; safe to share.
 */
public interface TargetPlan extends Serializable {
}
