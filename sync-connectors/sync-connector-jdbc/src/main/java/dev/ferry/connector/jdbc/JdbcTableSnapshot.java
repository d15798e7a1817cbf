package dev.ferry.connector.jdbc;

import dev.ferry.api.Source;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableSnapshot;
import dev.ferry.api.state.Position;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A {@link TableSnapshot} whose tables are read by JDBC batch sources, valid while something the
 * change source opened on the server (a replication connection and its slot, a transaction) is
 * held; {@link #close} lets go of it once.
 *
 * <p>Threading: {@link #source} and {@link #close} from the driver thread (both synchronized).
 */
public final class JdbcTableSnapshot implements TableSnapshot {

    private final Position position;
    private final Map<TableId, JdbcSourceConfig> tables;
    private final Function<JdbcSourceConfig, Source> sources;
    private Runnable release;

    /**
     * @param tables  the snapshot's tables and the batch source configuration that copies each
     * @param sources makes the source reading one table's configuration as of {@code position}
     * @param release lets go of what keeps the snapshot valid; runs once, must not throw
     */
    public JdbcTableSnapshot(Position position, Map<TableId, JdbcSourceConfig> tables,
                             Function<JdbcSourceConfig, Source> sources, Runnable release) {
        this.position = Objects.requireNonNull(position, "position");
        this.tables = Map.copyOf(tables);
        this.sources = Objects.requireNonNull(sources, "sources");
        this.release = Objects.requireNonNull(release, "release");
        if (this.tables.isEmpty()) {
            throw new IllegalArgumentException("a snapshot needs at least one table");
        }
    }

    @Override
    public Position position() {
        return position;
    }

    @Override
    public synchronized Source source(TableId table) {
        JdbcSourceConfig config = tables.get(table);
        if (config == null) {
            throw new IllegalArgumentException("table " + table + " is not one of the snapshot's tables "
                    + tables.keySet());
        }
        if (release == null) {
            throw new IllegalStateException("the snapshot of " + tables.keySet() + " at " + position.asText()
                    + " is closed");
        }
        return sources.apply(config);
    }

    @Override
    public synchronized void close() {
        Runnable held = release;
        release = null;
        if (held != null) {
            held.run();
        }
    }
}
