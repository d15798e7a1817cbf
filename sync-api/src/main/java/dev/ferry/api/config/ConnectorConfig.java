package dev.ferry.api.config;

import dev.ferry.api.data.Column;
import java.util.List;

/**
 * The validated keys of one side of a job ({@code source} or {@code target}), as given to a
 * connector factory.
 *
 * <p>By the time a factory sees it, every key the factory declared has been checked for presence,
 * type and allowed values, unknown keys have been rejected, and defaults are filled in: the
 * getters return the declared default for an absent key (null when it has none). Asking for a
 * key the factory did not declare is a programming error ({@link IllegalArgumentException}).
 *
 * <p>Threading: immutable; safe to share.
 */
public interface ConnectorConfig {

    /** The connector's name, e.g. {@code "csv"}. */
    String connector();

    /** The path of this block in the job file, {@code "source"} or {@code "target"}, for messages. */
    String path();

    /**
     * Whether the connector declared {@code key} for this block: a block of a streaming job or task
     * declares other keys than a batch job's, and code that serves both (attaching to a plan) asks
     * before reading a key only one of them has.
     */
    boolean declares(String key);

    /** Whether the job file gave the key (as opposed to it taking its default). */
    boolean isSet(String key);

    String getString(String key);

    Secret getSecret(String key);

    Integer getInt(String key);

    Long getLong(String key);

    Double getDouble(String key);

    Boolean getBoolean(String key);

    List<String> getStringList(String key);

    List<Column> getColumns(String key);
}
