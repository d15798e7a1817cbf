package dev.ferry.engine.testing;

import dev.ferry.api.Source;
import dev.ferry.api.SourceFactory;
import dev.ferry.api.Target;
import dev.ferry.api.TargetFactory;
import dev.ferry.api.change.ChangeSource;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.SupportsChangeApply;
import dev.ferry.api.change.SupportsChangeCapture;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import java.util.List;

/**
 * A connector named {@code "test-stream"} that hands out a change source and target the test
 * built, for {@code SyncEngine.builder().connector(...)}. It declares no keys and cannot run batch
 * jobs.
 */
public final class TestStreamConnector implements SourceFactory, TargetFactory, SupportsChangeCapture,
        SupportsChangeApply {

    private final ChangeSource source;
    private final ChangeTarget target;

    public TestStreamConnector(ChangeSource source, ChangeTarget target) {
        this.source = source;
        this.target = target;
    }

    @Override
    public String name() {
        return "test-stream";
    }

    @Override
    public String description() {
        return "streaming test double";
    }

    @Override
    public List<ConfigKey> sourceKeys() {
        return List.of();
    }

    @Override
    public Source createSource(ConnectorConfig config) {
        throw new UnsupportedOperationException("streaming only");
    }

    @Override
    public List<ConfigKey> targetKeys() {
        return List.of();
    }

    @Override
    public Target createTarget(ConnectorConfig config) {
        throw new UnsupportedOperationException("streaming only");
    }

    @Override
    public List<ConfigKey> captureKeys() {
        return List.of();
    }

    @Override
    public ChangeSource createChangeSource(ConnectorConfig config) {
        return source;
    }

    @Override
    public List<ConfigKey> applyKeys() {
        return List.of();
    }

    @Override
    public ChangeTarget createChangeTarget(ConnectorConfig config) {
        return target;
    }
}
