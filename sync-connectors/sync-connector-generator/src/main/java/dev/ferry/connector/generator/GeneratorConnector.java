package dev.ferry.connector.generator;

import dev.ferry.api.SourceFactory;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import java.util.List;

/**
 * The {@code generator} connector: a source of deterministic synthetic rows (see
 * {@link RowGenerator} for the values of each type).
 *
 * <p>Keys: {@code rows} (required), {@code seed} (default {@value GeneratorSettings#DEFAULT_SEED}),
 * {@code columns} (default {@link GeneratorSettings#DEFAULT_COLUMNS}).
 *
 * <p>Threading: stateless; safe to share.
 */
public final class GeneratorConnector implements SourceFactory {

    public static final String NAME = "generator";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Generates deterministic synthetic rows of any schema, for demos, tests and benchmarks.";
    }

    @Override
    public List<ConfigKey> sourceKeys() {
        return GeneratorSettings.KEYS;
    }

    @Override
    public GeneratorSource createSource(ConnectorConfig config) {
        return new GeneratorSource(GeneratorSettings.from(config));
    }
}
