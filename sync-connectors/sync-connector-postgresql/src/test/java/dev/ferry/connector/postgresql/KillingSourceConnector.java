package dev.ferry.connector.postgresql;

import dev.ferry.api.Source;
import dev.ferry.api.SourceFactory;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.data.RecordSink;
import dev.ferry.engine.testing.ForwardingRecordSink;
import dev.ferry.engine.testing.ForwardingSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test connector, {@code pg-killing}: the PostgreSQL source, except that once the job has read
 * {@code killAfterRows} rows it terminates every PostgreSQL session whose application name is
 * {@code killApplicationName} (the target's, set in its URL) in the middle of the copy.
 */
final class KillingSourceConnector implements SourceFactory {

    static final AtomicInteger KILLED = new AtomicInteger();

    private final PostgresConnector delegate = new PostgresConnector();

    @Override
    public String name() {
        return "pg-killing";
    }

    @Override
    public String description() {
        return "PostgreSQL source that cuts the target's connections mid-copy (tests only).";
    }

    @Override
    public List<ConfigKey> sourceKeys() {
        List<ConfigKey> keys = new ArrayList<>(delegate.sourceKeys());
        keys.add(ConfigKey.required("killAfterRows", ConfigType.INT, "Rows read before the kill."));
        keys.add(ConfigKey.required("killApplicationName", ConfigType.STRING, "Sessions to kill."));
        return keys;
    }

    @Override
    public Source createSource(ConnectorConfig config) {
        Source source = delegate.createSource(config);
        long killAfter = config.getInt("killAfterRows");
        String application = config.getString("killApplicationName");
        String url = config.getString("url");
        AtomicLong rows = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        return new ForwardingSource(source) {
            @Override
            public SourceReader createReader(Split split) {
                SourceReader reader = source.createReader(split);
                return new SourceReader() {
                    @Override
                    public void read(RecordSink sink) {
                        reader.read(new ForwardingRecordSink(sink) {
                            @Override
                            public void emit() {
                                super.emit();
                                if (rows.incrementAndGet() == killAfter && done.compareAndSet(false, true)) {
                                    kill(url, application);
                                }
                            }
                        });
                    }

                    @Override
                    public void cancel() {
                        reader.cancel();
                    }

                    @Override
                    public void close() {
                        reader.close();
                    }
                };
            }
        };
    }

    private static void kill(String url, String application) {
        try (Connection connection = DriverManager.getConnection(url, "root", "");
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
            statement.setString(1, application);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (rs.getBoolean(1)) {
                        KILLED.incrementAndGet();
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("killing the target's sessions failed", e);
        }
    }
}
