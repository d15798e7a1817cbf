package dev.ferry.engine.config;

import dev.ferry.api.SourceFactory;
import dev.ferry.api.SupportsAttach;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.TargetFactory;
import dev.ferry.api.Source;
import dev.ferry.api.Target;
import dev.ferry.api.change.ChangeSource;
import dev.ferry.api.change.ChangeTarget;
import dev.ferry.api.change.SupportsChangeApply;
import dev.ferry.api.change.SupportsChangeCapture;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.verify.SupportsReadBack;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.config.Redaction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a {@link JobSpec} against the engine: connectors exist and can play their side, their keys
 * follow the declarations, the resource group exists, and the factories accept the combination.
 * Every violation is collected before one {@link ConfigException} is thrown. Nothing is opened.
 *
 * <p>Threading: immutable; safe to share.
 */
public final class JobValidator {

    private final ConnectorCatalog catalog;
    private final Collection<String> resourceGroups;

    public JobValidator(ConnectorCatalog catalog, Collection<String> resourceGroups) {
        this.catalog = catalog;
        this.resourceGroups = List.copyOf(resourceGroups);
    }

    /** A job that passed validation, with its source and target created (not yet prepared). */
    public record ValidatedJob(JobSpec spec, Source source, Target target, Redaction redaction) {
    }

    /**
     * A job that passed validation for a runner that executes its splits in other processes: the
     * factories that attach readers and writers there from the plans made in one place, and the
     * validated blocks they attach with (which carry the credentials the plans leave out).
     */
    public record AttachableJob(JobSpec spec, SupportsAttach source, ConnectorConfig sourceConfig, SupportsAttach target,
                                ConnectorConfig targetConfig, Redaction redaction) {
    }

    /** A streaming job that passed validation, with its change source and target created (not yet planned). */
    public record ValidatedStream(JobSpec spec, ChangeSource source, ChangeTarget target, Redaction redaction) {
    }

    /** The keys a connector accepts on one side of a job of the given mode, or empty when it cannot play it. */
    private static Optional<List<ConfigKey>> keys(Object factory, String side, JobMode mode) {
        if (mode == JobMode.STREAM) {
            if (side.equals("source")) {
                return factory instanceof SupportsChangeCapture c ? Optional.of(c.captureKeys()) : Optional.empty();
            }
            return factory instanceof SupportsChangeApply a ? Optional.of(a.applyKeys()) : Optional.empty();
        }
        return Optional.of(side.equals("source") ? ((SourceFactory) factory).sourceKeys() : ((TargetFactory) factory).targetKeys());
    }

    private static Violation cannotStream(String side, String connector, List<String> able) {
        return new Violation(side + ".connector", "must name a connector that can " + (side.equals("source")
                ? "capture changes" : "apply changes") + " in a streaming job (" + String.join(", ", able) + ")",
                "'" + connector + "'");
    }

    /**
     * Checks the connector blocks of a task file (either may be null): the source must capture
     * changes and the target apply them; their keys follow the connectors' streaming declarations,
     * less {@code tables}, which the task file owns (and {@code url} for a sharded source, whose
     * shards have theirs). Passwords are masked in the result.
     */
    public List<Violation> taskConnectorViolations(ConnectorSpec source, ConnectorSpec target, boolean sharded) {
        List<Violation> violations = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        if (source != null) {
            streamSide(source, "source", violations, secrets, sharded ? Set.of("tables", "url") : Set.of("tables"));
        }
        if (target != null) {
            streamSide(target, "target", violations, secrets, Set.of());
        }
        return violations.isEmpty() ? violations : redacted(violations, secrets).violations();
    }

    /**
     * Checks a streaming job completely, creating its change source and target without opening
     * anything.
     *
     * @throws ConfigException listing every problem
     */
    public ValidatedStream validateStream(JobSpec spec) {
        List<Violation> violations = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        if (!resourceGroups.contains(spec.settings().resourceGroup())) {
            violations.add(new Violation("settings.resourceGroup", "must name a resource group of this engine ("
                    + String.join(", ", resourceGroups) + ")", "'" + spec.settings().resourceGroup() + "'"));
        }
        ValidatedConnectorConfig sourceConfig = streamSide(spec.source(), "source", violations, secrets);
        ValidatedConnectorConfig targetConfig = streamSide(spec.target(), "target", violations, secrets);
        if (!violations.isEmpty()) {
            throw redacted(violations, secrets);
        }
        ChangeSource source = null;
        ChangeTarget target = null;
        try {
            source = create(() -> ((SupportsChangeCapture) catalog.source(spec.source().connector()).orElseThrow())
                    .createChangeSource(sourceConfig), violations);
            target = create(() -> ((SupportsChangeApply) catalog.target(spec.target().connector()).orElseThrow())
                    .createChangeTarget(targetConfig), violations);
        } catch (RuntimeException e) {
            closeQuietly(source, target);
            throw e;
        }
        if (!violations.isEmpty()) {
            closeQuietly(source, target);
            throw redacted(violations, secrets);
        }
        return new ValidatedStream(spec, source, target, Redaction.of(secrets));
    }

    private ValidatedConnectorConfig streamSide(ConnectorSpec spec, String side, List<Violation> violations,
                                                List<String> secrets) {
        return streamSide(spec, side, violations, secrets, Set.of());
    }

    /** @param owned declared keys the caller owns and has taken out of the block */
    private ValidatedConnectorConfig streamSide(ConnectorSpec spec, String side, List<Violation> violations,
                                                List<String> secrets, Set<String> owned) {
        Optional<? extends dev.ferry.api.ConnectorFactory> factory = side.equals("source")
                ? catalog.source(spec.connector()) : catalog.target(spec.connector());
        if (factory.isEmpty()) {
            violations.add(unknownConnector(side, spec.connector(), side.equals("source") ? catalog.sourceNames()
                    : catalog.targetNames()));
            return null;
        }
        Optional<List<ConfigKey>> keys = keys(factory.get(), side, JobMode.STREAM);
        if (keys.isEmpty()) {
            violations.add(cannotStream(side, spec.connector(), streamingNames(side)));
            return null;
        }
        List<ConfigKey> declared = keys.get().stream().filter(k -> !owned.contains(k.name())).toList();
        return config(factory.get().name(), side, declared, spec, violations, secrets);
    }

    private List<String> streamingNames(String side) {
        List<String> names = new ArrayList<>();
        for (dev.ferry.api.ConnectorFactory f : catalog.all()) {
            if (side.equals("source") ? f instanceof SupportsChangeCapture : f instanceof SupportsChangeApply) {
                names.add(f.name());
            }
        }
        return names;
    }

    /**
     * Checks only the connector blocks that could be read (either may be null): connector names and
     * keys. Used to report a broken job file's connector problems together with the rest.
     */
    public List<Violation> connectorViolations(ConnectorSpec source, ConnectorSpec target, JobMode mode) {
        List<Violation> violations = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        if (source != null) {
            Optional<SourceFactory> factory = catalog.source(source.connector());
            if (factory.isEmpty()) {
                violations.add(unknownConnector("source", source.connector(), catalog.sourceNames()));
            } else if (keys(factory.get(), "source", mode).isEmpty()) {
                violations.add(cannotStream("source", source.connector(), streamingNames("source")));
            } else {
                config(factory.get().name(), "source", keys(factory.get(), "source", mode).get(), source, violations, secrets);
            }
        }
        if (target != null) {
            Optional<TargetFactory> factory = catalog.target(target.connector());
            if (factory.isEmpty()) {
                violations.add(unknownConnector("target", target.connector(), catalog.targetNames()));
            } else if (keys(factory.get(), "target", mode).isEmpty()) {
                violations.add(cannotStream("target", target.connector(), streamingNames("target")));
            } else {
                config(factory.get().name(), "target", keys(factory.get(), "target", mode).get(), target, violations, secrets);
            }
        }
        return violations.isEmpty() ? violations : redacted(violations, secrets).violations();
    }

    private static Violation unknownConnector(String side, String name, List<String> known) {
        return new Violation(side + ".connector", "must name a " + side + " connector (" + String.join(", ", known) + ")",
                "'" + name + "'");
    }

    public ValidatedJob validate(JobSpec spec) {
        List<Violation> violations = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        if (!resourceGroups.contains(spec.settings().resourceGroup())) {
            violations.add(new Violation("settings.resourceGroup", "must name a resource group of this engine ("
                    + String.join(", ", resourceGroups) + ")", "'" + spec.settings().resourceGroup() + "'"));
        }
        Blocks blocks = blocks(spec, violations, secrets);
        Optional<SourceFactory> sourceFactory = blocks.sourceFactory();
        Optional<TargetFactory> targetFactory = blocks.targetFactory();
        ValidatedConnectorConfig sourceConfig = blocks.sourceConfig();
        ValidatedConnectorConfig targetConfig = blocks.targetConfig();
        if (!violations.isEmpty()) {
            throw redacted(violations, secrets);
        }
        Source source = null;
        Target target = null;
        try {
            source = create(() -> sourceFactory.get().createSource(sourceConfig), violations);
            target = create(() -> targetFactory.get().createTarget(targetConfig), violations);
        } catch (RuntimeException e) {
            closeQuietly(source, target);
            throw e;
        }
        if (violations.isEmpty() && spec.settings().verify() && !(target instanceof SupportsReadBack)) {
            violations.add(new Violation("settings.verify", "needs a target that can be read back; connector '"
                    + spec.target().connector() + "' cannot (it discards rows or writes files it does not read)", "true"));
        }
        if (!violations.isEmpty()) {
            closeQuietly(source, target);
            throw redacted(violations, secrets);
        }
        return new ValidatedJob(spec, source, target, Redaction.of(secrets));
    }

    /**
     * Validates {@code spec} like {@link #validate} (without creating its source and target), for a
     * runner that attaches readers and writers in other processes; both connectors must be able to
     * attach ({@link SupportsAttach}).
     *
     * @throws ConfigException naming every violation, passwords masked
     */
    public AttachableJob attachable(JobSpec spec, String runner) {
        List<Violation> violations = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        Optional<SourceFactory> sourceFactory = catalog.source(spec.source().connector());
        Optional<TargetFactory> targetFactory = catalog.target(spec.target().connector());
        ConnectorConfig sourceConfig;
        ConnectorConfig targetConfig;
        if (spec.mode() == JobMode.STREAM) {
            // A streaming job's copies (a task's Full Initialization) attach with its capture and apply blocks.
            sourceConfig = streamSide(spec.source(), "source", violations, secrets);
            targetConfig = streamSide(spec.target(), "target", violations, secrets);
        } else {
            Blocks blocks = blocks(spec, violations, secrets);
            sourceConfig = blocks.sourceConfig();
            targetConfig = blocks.targetConfig();
        }
        sourceFactory.filter(f -> !(f instanceof SupportsAttach)).ifPresent(f -> violations.add(cannotAttach("source",
                f.name(), runner)));
        targetFactory.filter(f -> !(f instanceof SupportsAttach)).ifPresent(f -> violations.add(cannotAttach("target",
                f.name(), runner)));
        if (!violations.isEmpty()) {
            throw redacted(violations, secrets);
        }
        return new AttachableJob(spec, (SupportsAttach) sourceFactory.get(), sourceConfig,
                (SupportsAttach) targetFactory.get(), targetConfig, Redaction.of(secrets));
    }

    /** A job's connectors found in the catalog (empty when unknown) and their blocks checked (null likewise). */
    private record Blocks(Optional<SourceFactory> sourceFactory, Optional<TargetFactory> targetFactory,
                          ValidatedConnectorConfig sourceConfig, ValidatedConnectorConfig targetConfig) {
    }

    /** Finds the job's connectors and checks their blocks' keys, adding to {@code violations} and {@code secrets}. */
    private Blocks blocks(JobSpec spec, List<Violation> violations, List<String> secrets) {
        Optional<SourceFactory> sourceFactory = catalog.source(spec.source().connector());
        Optional<TargetFactory> targetFactory = catalog.target(spec.target().connector());
        if (sourceFactory.isEmpty()) {
            violations.add(unknownConnector("source", spec.source().connector(), catalog.sourceNames()));
        }
        if (targetFactory.isEmpty()) {
            violations.add(unknownConnector("target", spec.target().connector(), catalog.targetNames()));
        }
        ValidatedConnectorConfig sourceConfig = sourceFactory.map(f ->
                config(f.name(), "source", f.sourceKeys(), spec.source(), violations, secrets)).orElse(null);
        ValidatedConnectorConfig targetConfig = targetFactory.map(f ->
                config(f.name(), "target", f.targetKeys(), spec.target(), violations, secrets)).orElse(null);
        return new Blocks(sourceFactory, targetFactory, sourceConfig, targetConfig);
    }

    private static Violation cannotAttach(String side, String connector, String runner) {
        return new Violation(side + ".connector", "must name a connector whose " + side + "s can be planned in one "
                + "process and attached in others to run on " + runner + "; run the job locally instead",
                "'" + connector + "'");
    }

    /** Violations may quote values that embed a secret (a URL with password=…): mask them. */
    private static ConfigException redacted(List<Violation> violations, List<String> secrets) {
        Redaction redaction = Redaction.of(secrets);
        List<Violation> clean = new ArrayList<>();
        for (Violation v : violations) {
            clean.add(new Violation(v.key(), redaction.apply(v.rule()), redaction.apply(v.value())));
        }
        return new ConfigException(clean);
    }

    private static ValidatedConnectorConfig config(String connector, String path, List<ConfigKey> keys,
                                                   ConnectorSpec spec, List<Violation> violations, List<String> secrets) {
        for (ConfigKey key : keys) {
            if (key.isSecret() && spec.options().get(key.name()) instanceof String secret) {
                secrets.add(secret);
            }
        }
        return ConnectorConfigValidator.validate(connector, path, keys, spec.options(), violations);
    }

    private static <T> T create(java.util.function.Supplier<T> factory, List<Violation> violations) {
        try {
            return factory.get();
        } catch (ConfigException e) {
            violations.addAll(e.violations());
            return null;
        }
    }

    private static void closeQuietly(AutoCloseable source, AutoCloseable target) {
        try {
            if (source != null) {
                source.close();
            }
        } catch (Exception ignored) {
            // nothing was opened yet; closing is best effort
        }
        try {
            if (target != null) {
                target.close();
            }
        } catch (Exception ignored) {
            // as above
        }
    }
}
