package dev.ferry.api;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import java.util.List;

/** A connector that can be a job's target. */
public interface TargetFactory extends ConnectorFactory {

    /** Every key the {@code target} block may hold besides {@code connector}. */
    List<ConfigKey> targetKeys();

    /** Creates a target without opening anything; see {@link SourceFactory#createSource}. */
    Target createTarget(ConnectorConfig config);
}
