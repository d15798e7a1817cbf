package dev.ferry.connector.jdbc;

import dev.ferry.api.Source;
import dev.ferry.api.SourceFactory;
import dev.ferry.api.Target;
import dev.ferry.api.TargetFactory;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.SupportsChangeApply;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The base of every JDBC connector: the keys of {@link JdbcKeys} plus a dialect's own, and a
 * {@link JdbcSource} / {@link JdbcTarget} driven by the dialect. A database's connector is a
 * subclass that names its dialect and adds keys.
 *
 * <p>Threading: stateless; safe to share.
 */
public abstract class JdbcConnectorFactory implements SourceFactory, TargetFactory, SupportsChangeApply {

    /** The dialect of this connector (immutable, shared). */
    protected abstract Dialect dialect();

    /** Keys a subclass adds to the source block. */
    protected List<ConfigKey> extraSourceKeys() {
        return List.of();
    }

    /** Keys a subclass adds to the target block. */
    protected List<ConfigKey> extraTargetKeys() {
        return List.of();
    }

    /** Reads the source block; subclasses read their extra keys on top. */
    protected JdbcSourceConfig sourceConfig(ConnectorConfig config) {
        return JdbcSourceConfig.from(config, dialect());
    }

    /** Reads the target block; subclasses read their extra keys on top. */
    protected JdbcTargetConfig targetConfig(ConnectorConfig config) {
        return JdbcTargetConfig.from(config, dialect());
    }

    @Override
    public String name() {
        return dialect().name();
    }

    @Override
    public List<ConfigKey> sourceKeys() {
        List<ConfigKey> keys = new ArrayList<>(JdbcKeys.sourceKeys());
        keys.addAll(extraSourceKeys());
        return List.copyOf(keys);
    }

    @Override
    public List<ConfigKey> targetKeys() {
        List<ConfigKey> keys = new ArrayList<>(JdbcKeys.targetKeys());
        keys.addAll(extraTargetKeys());
        return List.copyOf(keys);
    }

    @Override
    public Source createSource(ConnectorConfig config) {
        return new JdbcSource(dialect(), sourceConfig(config));
    }

    @Override
    public Target createTarget(ConnectorConfig config) {
        return new JdbcTarget(dialect(), targetConfig(config));
    }

    @Override
    public List<ConfigKey> applyKeys() {
        return JdbcChangeTargetConfig.keys();
    }

    @Override
    public ChangeTarget createChangeTarget(ConnectorConfig config) {
        return new JdbcChangeTarget(dialect(), JdbcChangeTargetConfig.from(config, dialect()));
    }
}
