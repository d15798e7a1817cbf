package dev.ferry.connector.jdbc;

import dev.ferry.api.Source;
import dev.ferry.api.SourceFactory;
import dev.ferry.api.Target;
import dev.ferry.api.TargetFactory;
import dev.ferry.api.AttachedSource;
import dev.ferry.api.AttachedTarget;
import dev.ferry.api.JobContext;
import dev.ferry.api.SourcePlan;
import dev.ferry.api.SupportsAttach;
import dev.ferry.api.TargetPlan;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.SupportsChangeApply;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * The base of every JDBC connector: the keys of {@link JdbcKeys} plus a dialect's own, and a
 * {@link JdbcSource} / {@link JdbcTarget} driven by the dialect. A database's connector is a
 * subclass that names its dialect and adds keys.
 *
 * <p>Threading: stateless; safe to share.
 */
public abstract class JdbcConnectorFactory implements SourceFactory, TargetFactory, SupportsChangeApply, SupportsAttach {

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

    /** The dialect of a target block (a connector whose keys change how it writes overrides it). */
    protected Dialect targetDialect(ConnectorConfig config) {
        return dialect();
    }

    @Override
    public Target createTarget(ConnectorConfig config) {
        return new JdbcTarget(targetDialect(config), targetConfig(config));
    }

    @Override
    public AttachedSource attachSource(ConnectorConfig config, SourcePlan plan, JobContext context) {
        if (!(plan instanceof JdbcReadPlan readPlan)) {
            throw new IllegalArgumentException("not a plan of a JDBC source: " + plan);
        }
        return AttachedJdbc.source(dialect(), endpoint(config), readPlan, context);
    }

    @Override
    public AttachedTarget attachTarget(ConnectorConfig config, TargetPlan plan, JobContext context) {
        if (!(plan instanceof JdbcTargetPlan targetPlan)) {
            throw new IllegalArgumentException("not a plan of a JDBC target: " + plan);
        }
        return AttachedJdbc.target(targetDialect(config), endpoint(config), targetPlan, context);
    }

    /**
     * Where to connect, from any kind of block (a batch job's, a task's capture or apply block): all
     * that attaching needs besides the plan.
     */
    private JdbcEndpoint endpoint(ConnectorConfig config) {
        List<Violation> violations = new ArrayList<>();
        JdbcEndpoint endpoint = JdbcSourceConfig.endpoint(config, dialect(), violations);
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return endpoint;
    }

    @Override
    public List<ConfigKey> applyKeys() {
        return JdbcChangeTargetConfig.keys();
    }

    @Override
    public ChangeTarget createChangeTarget(ConnectorConfig config) {
        JdbcChangeTargetConfig changeConfig = JdbcChangeTargetConfig.from(config, dialect());
        return changeConfig.partitioned() ? new PartitionedChangeTarget(dialect(), changeConfig)
                : new JdbcChangeTarget(dialect(), changeConfig);
    }
}
