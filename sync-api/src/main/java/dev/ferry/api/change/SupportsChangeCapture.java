package dev.ferry.api.change;

import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConnectorConfig;
import java.util.List;

/**
 * A {@link dev.ferry.api.SourceFactory} capability: the connector can also capture changes, as
 * the source of a streaming job ({@code "mode": "stream"}).
 */
public interface SupportsChangeCapture {

    /** Every key a streaming job's {@code source} block may hold besides {@code connector}. */
    List<ConfigKey> captureKeys();

    /** Creates a change source without opening anything; see {@link dev.ferry.api.SourceFactory#createSource}. */
    ChangeSource createChangeSource(ConnectorConfig config);
}
