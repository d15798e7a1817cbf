package dev.ferry.connector.generator;

import dev.ferry.api.TargetFactory;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import java.util.List;

/**
 * The {@code blackhole} connector: a target that discards every row and counts them, to measure a
 * source or the engine without a target's cost. It has no keys.
 *
 * <p>Threading: stateless; safe to share.
 */
public final class BlackholeConnector implements TargetFactory {

    public static final String NAME = "blackhole";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Discards every row, counting them; for measuring sources and the engine.";
    }

    @Override
    public List<ConfigKey> targetKeys() {
        return List.of();
    }

    @Override
    public BlackholeTarget createTarget(ConnectorConfig config) {
        return new BlackholeTarget();
    }
}
