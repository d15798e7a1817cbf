package dev.ferry.api;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import java.util.List;

/** A connector that can be a job's source. */
public interface SourceFactory extends ConnectorFactory {

    /** Every key the {@code source} block may hold besides {@code connector}. */
    List<ConfigKey> sourceKeys();

    /**
     * Creates a source without opening anything. Checks the rules that span several keys (e.g.
     * {@code querySql} excludes {@code table}) and throws
     * {@link dev.ferry.api.error.ConfigException} listing every violation.
     */
    Source createSource(ConnectorConfig config);
}
