package dev.ferry.connector.jdbc.capture;

import dev.ferry.api.Source;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableSnapshot;
import dev.ferry.connector.jdbc.ErrorTranslator;
import dev.ferry.connector.jdbc.H2Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consistent snapshot of captured tables, held open in one H2 transaction, and the change-log
 * position it is consistent with.
 *
 * <p>The session reads in H2's {@code SNAPSHOT} isolation, in which the first statement of a
 * transaction fixes what every table of the database shows for the rest of it. That first
 * statement reads the stream's clock: the snapshot then holds exactly the transactions whose
 * changes are numbered up to the clock's value, since a change is numbered under the clock's row
 * lock and committed with it. Every table is copied through this one session, one after another.
 *
 * <p>Threading: {@link #source} and {@link #close} from the driver thread; the sources' readers
 * take turns on the session (their reads are serialised on it).
 */
final class HeldSnapshot implements TableSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(HeldSnapshot.class);

    private final CopySession session;
    private final H2Position position;
    private final Map<TableId, CapturedTable> tables = new LinkedHashMap<>();
    private boolean closed;

    /**
     * What each table's copy reads through: the snapshot's session and how to read from it.
     *
     * @param connection the session holding the snapshot; its reads are serialised on it
     * @param dialect    the H2 dialect, whose column readers the batch source uses too
     * @param errors     how failures are reported
     * @param fetchSize  rows per round trip
     * @param tablesKey  the configuration key that named the tables, for messages
     */
    record CopySession(Connection connection, H2Dialect dialect, ErrorTranslator errors, int fetchSize,
                       String tablesKey) {
    }

    private HeldSnapshot(CopySession session, H2Position position, List<CapturedTable> tables) {
        this.session = session;
        this.position = position;
        tables.forEach(t -> this.tables.put(t.id(), t));
    }

    /**
     * Opens a session, starts its snapshot by reading the clock of {@code log} and keeps it until
     * {@link #close}.
     *
     * @param tables    the tables the snapshot offers
     * @param tablesKey the configuration key that named them, for messages
     */
    static HeldSnapshot open(H2Connections connections, ChangeLog log, List<CapturedTable> tables, int fetchSize,
                             String tablesKey) throws SQLException {
        Connection session = connections.open();
        try {
            session.setAutoCommit(false);
            try (Statement s = session.createStatement()) {
                s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SNAPSHOT");
                try (ResultSet rs = s.executeQuery(log.clockSql())) {
                    rs.next();
                    H2Position position = new H2Position(rs.getLong(1));
                    LOG.info("change log {}: snapshot of {} table(s) at change {}", log.id(), tables.size(), position);
                    return new HeldSnapshot(new CopySession(session, connections.dialect(), connections.errors(),
                            fetchSize, tablesKey), position, tables);
                }
            }
        } catch (SQLException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    @Override
    public H2Position position() {
        return position;
    }

    @Override
    public synchronized Source source(TableId table) {
        if (closed) {
            throw new IllegalStateException("the snapshot at " + position.asText() + " is closed");
        }
        CapturedTable captured = tables.get(table);
        if (captured == null) {
            throw new IllegalArgumentException("table " + table + " is not in the snapshot (it has " + tables.keySet() + ")");
        }
        return new SnapshotTableSource(session, captured);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            session.connection().rollback();
            session.connection().close();
        } catch (SQLException e) {
            LOG.debug("closing the snapshot session failed", e);
        }
    }
}
