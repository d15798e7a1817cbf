package dev.ferry.connector.jdbc.testing;

import dev.ferry.api.SourceFactory;
import dev.ferry.api.TargetFactory;
import dev.ferry.api.change.SupportsChangeCapture;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.engine.config.ConnectorConfigs;
import java.util.Map;

/**
 * Configuration for connector tests that drive a factory without running a job, checked exactly as
 * the engine checks a job file's {@code source} or {@code target} block (of a batch job or a stream).
 */
public final class MapConfig {

    private MapConfig() {
    }

    public static ConnectorConfig source(SourceFactory factory, Map<String, Object> values) {
        return ConnectorConfigs.validate(factory.name(), "source", factory.sourceKeys(), values);
    }

    /** The {@code source} block of a streaming job, checked against the factory's capture keys. */
    public static <F extends SourceFactory & SupportsChangeCapture> ConnectorConfig capture(F factory,
                                                                                           Map<String, Object> values) {
        return ConnectorConfigs.validate(factory.name(), "source", factory.captureKeys(), values);
    }

    public static ConnectorConfig target(TargetFactory factory, Map<String, Object> values) {
        return ConnectorConfigs.validate(factory.name(), "target", factory.targetKeys(), values);
    }
}
