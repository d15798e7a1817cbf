package dev.ferry.engine.config;

import dev.ferry.api.SourceFactory;
import dev.ferry.api.TargetFactory;
import dev.ferry.api.Source;
import dev.ferry.api.Target;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobSpec;
import dev.ferry.api.config.Redaction;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

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
     * Checks only the connector blocks that could be read (either may be null): connector names and
     * keys. Used to report a broken job file's connector problems together with the rest.
     */
    public List<Violation> connectorViolations(ConnectorSpec source, ConnectorSpec target) {
        List<Violation> violations = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        if (source != null) {
            Optional<SourceFactory> factory = catalog.source(source.connector());
            if (factory.isEmpty()) {
                violations.add(unknownConnector("source", source.connector(), catalog.sourceNames()));
            } else {
                config(factory.get().name(), "source", factory.get().sourceKeys(), source, violations, secrets);
            }
        }
        if (target != null) {
            Optional<TargetFactory> factory = catalog.target(target.connector());
            if (factory.isEmpty()) {
                violations.add(unknownConnector("target", target.connector(), catalog.targetNames()));
            } else {
                config(factory.get().name(), "target", factory.get().targetKeys(), target, violations, secrets);
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
        if (!violations.isEmpty()) {
            closeQuietly(source, target);
            throw redacted(violations, secrets);
        }
        return new ValidatedJob(spec, source, target, Redaction.of(secrets));
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

    private static void closeQuietly(Source source, Target target) {
        try {
            if (source != null) {
                source.close();
            }
        } catch (RuntimeException ignored) {
            // nothing was opened yet; closing is best effort
        }
        try {
            if (target != null) {
                target.close();
            }
        } catch (RuntimeException ignored) {
            // as above
        }
    }
}
