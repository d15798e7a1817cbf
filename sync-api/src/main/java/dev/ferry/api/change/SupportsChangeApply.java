package dev.ferry.api.change;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import java.util.List;

/**
 * A {@link dev.ferry.api.TargetFactory} capability: the connector can apply changes, as the target
 * of a streaming job.
 */
public interface SupportsChangeApply {

    /** Every key a streaming job's {@code target} block may hold besides {@code connector}. */
    List<ConfigKey> applyKeys();

    /** Creates a change target without opening anything. */
    ChangeTarget createChangeTarget(ConnectorConfig config);
}
