package dev.ferry.engine.testing;

import dev.ferry.api.Source;
import dev.ferry.api.SourceFactory;
import dev.ferry.api.Target;
import dev.ferry.api.TargetFactory;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import java.util.List;
import java.util.function.Supplier;

/**
 * A connector named {@code "test"} that hands out a source and a target the test built, for
 * {@code SyncEngine.builder().connector(...)}. It declares no keys.
 */
public final class TestConnector implements SourceFactory, TargetFactory {

    private final Supplier<? extends Source> source;
    private final Supplier<? extends Target> target;

    public TestConnector(Supplier<? extends Source> source, Supplier<? extends Target> target) {
        this.source = source;
        this.target = target;
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public String description() {
        return "test double";
    }

    @Override
    public List<ConfigKey> sourceKeys() {
        return List.of();
    }

    @Override
    public Source createSource(ConnectorConfig config) {
        return source.get();
    }

    @Override
    public List<ConfigKey> targetKeys() {
        return List.of();
    }

    @Override
    public Target createTarget(ConnectorConfig config) {
        return target.get();
    }
}
