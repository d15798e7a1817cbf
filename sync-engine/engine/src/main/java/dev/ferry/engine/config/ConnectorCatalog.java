package dev.ferry.engine.config;

import dev.ferry.api.ConnectorFactory;
import dev.ferry.api.SourceFactory;
import dev.ferry.api.TargetFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The connectors an engine knows: those found with {@link ServiceLoader} plus any registered by
 * the embedder, by name.
 *
 * <p>Threading: immutable after construction; safe to share.
 */
public final class ConnectorCatalog {

    private final Map<String, ConnectorFactory> byName;

    private ConnectorCatalog(Map<String, ConnectorFactory> byName) {
        this.byName = byName;
    }

    /**
     * Discovers connectors on {@code loader}'s class path and adds {@code extra} ones.
     *
     * @throws IllegalStateException when two connectors share a name
     */
    public static ConnectorCatalog discover(ClassLoader loader, Collection<? extends ConnectorFactory> extra) {
        Map<String, ConnectorFactory> byName = new TreeMap<>();
        List<ConnectorFactory> all = new ArrayList<>();
        ServiceLoader.load(ConnectorFactory.class, loader).forEach(all::add);
        all.addAll(extra);
        for (ConnectorFactory factory : all) {
            ConnectorFactory previous = byName.putIfAbsent(factory.name(), factory);
            if (previous != null && previous.getClass() != factory.getClass()) {
                throw new IllegalStateException("two connectors are named '" + factory.name() + "': "
                        + previous.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        return new ConnectorCatalog(byName);
    }

    public Optional<SourceFactory> source(String name) {
        return byName.get(name) instanceof SourceFactory f ? Optional.of(f) : Optional.empty();
    }

    public Optional<TargetFactory> target(String name) {
        return byName.get(name) instanceof TargetFactory f ? Optional.of(f) : Optional.empty();
    }

    /** Every connector, sorted by name. */
    public List<ConnectorFactory> all() {
        return List.copyOf(byName.values());
    }

    public List<String> sourceNames() {
        return byName.values().stream().filter(f -> f instanceof SourceFactory).map(ConnectorFactory::name).toList();
    }

    public List<String> targetNames() {
        return byName.values().stream().filter(f -> f instanceof TargetFactory).map(ConnectorFactory::name).toList();
    }
}
