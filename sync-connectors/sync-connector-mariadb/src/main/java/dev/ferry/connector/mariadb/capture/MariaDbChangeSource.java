package dev.ferry.connector.mariadb.capture;

import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeReader;
import dev.ferry.api.change.ChangeSource;
import dev.ferry.api.change.SupportsJoiningTables;
import dev.ferry.api.change.TableId;
import dev.ferry.api.change.TableSnapshot;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.PositionLostException;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.state.Position;
import dev.ferry.connector.jdbc.CaptureTables;
import dev.ferry.connector.jdbc.ErrorTranslator;
import dev.ferry.connector.jdbc.JdbcSource;
import dev.ferry.connector.jdbc.SharedPool;
import dev.ferry.connector.jdbc.JdbcSourceConfig;
import dev.ferry.connector.jdbc.JdbcTableSnapshot;
import dev.ferry.connector.jdbc.TableCopies;
import dev.ferry.connector.jdbc.TableName;
import dev.ferry.connector.mariadb.MariaDbDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures changes of MariaDB/MySQL tables from the binary log.
 *
 * <p>Planning checks that the server logs full row images ({@code binlog_format=ROW},
 * {@code binlog_row_image=FULL}, {@code binlog_row_metadata=FULL}) and names every setting that is
 * wrong, resolves the tables (each needs a primary key), picks the stream's replica server id and
 * its start: the binlog position now for {@code latest}, and for {@code snapshot} the position
 * taken before the tables are copied. The copy then reads each split in its own consistent
 * snapshot, every one of them at or after that position; streaming from it re-applies changes
 * the copy already saw, which applying by key with full row images absorbs, so the target ends
 * equal to the source. The binary log belongs to the server: planning creates nothing, and
 * {@link #drop} has nothing to remove.
 *
 * <p>Tables that join a running stream are copied the same way, from a position taken with
 * {@link #openSnapshot}; a reader attached with per-table positions then delivers a joining
 * table's row events only after its position.
 *
 * <p>Threading: the driver thread calls everything; readers run on their own threads.
 */
public final class MariaDbChangeSource implements ChangeSource, SupportsJoiningTables {

    private static final Logger LOG = LoggerFactory.getLogger(MariaDbChangeSource.class);
    static final String SERVER_ID = "serverId";

    private final MariaDbDialect dialect;
    private final MariaDbCaptureConfig config;
    private final ErrorTranslator errors;
    /** The pool every table's copy reads on, sized from the channels the copy was granted. */
    private final SharedPool copies;

    public MariaDbChangeSource(MariaDbDialect dialect, MariaDbCaptureConfig config) {
        this.dialect = dialect;
        this.config = config;
        this.errors = new ErrorTranslator(dialect.errors(), config.endpoint().redactor());
        this.copies = new SharedPool(dialect, config.endpoint(), "copy", 2);
    }

    @Override
    public CapturePlan plan(JobContext context, CapturePlan previous) {
        try (Connection c = connection()) {
            BinlogSettings settings = BinlogSettings.read(c);
            List<String> problems = settings.check();
            if (!problems.isEmpty()) {
                List<Violation> violations = new ArrayList<>();
                for (String problem : problems) {
                    violations.add(new Violation(config.path() + ".url", "must reach a server that logs full row "
                            + "images: " + problem, config.endpoint().maskedUrl()));
                }
                throw new ConfigException(violations);
            }
            List<CapturedTable> tables = resolveTables(c);
            long serverId = previous != null ? Long.parseLong(previous.property(SERVER_ID,
                    Long.toString(config.serverId(context.jobName())))) : config.serverId(context.jobName());
            Position start;
            boolean snapshot;
            if (previous != null) {
                start = previous.start();
                snapshot = previous.snapshot();
                List<TableId> before = previous.tables().stream().map(CapturedTable::id).toList();
                for (CapturedTable table : tables) {
                    if (!before.contains(table.id())) {
                        LOG.info("table {} joins the stream; it is copied before its changes are applied", table.id());
                    }
                }
            } else if (config.startFrom().equals(MariaDbCaptureConfig.START_LATEST)
                    || config.startFrom().equals(MariaDbCaptureConfig.START_SNAPSHOT)) {
                start = BinlogSettings.currentPosition(c);
                snapshot = config.startFrom().equals(MariaDbCaptureConfig.START_SNAPSHOT);
            } else {
                BinlogPosition requested = BinlogPosition.parse(config.startFrom());
                requireAvailable(c, requested);
                start = requested;
                snapshot = false;
            }
            LOG.info("binlog stream: server id {}, start {}", serverId, start.asText());
            return new CapturePlan(BinlogPosition.FAMILY, tables, start, snapshot, Map.of(SERVER_ID, Long.toString(serverId)));
        } catch (SQLException e) {
            throw errors.translate("planning change capture", e);
        }
    }

    private List<CapturedTable> resolveTables(Connection c) throws SQLException {
        List<CapturedTable> tables = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        String key = config.path() + "." + MariaDbCaptureConfig.TABLES;
        for (TableId id : CaptureTables.expand(c, dialect, config.tables(), key, violations)) {
            BinlogTable table;
            try {
                table = BinlogTable.read(c, new TableName(id.schema(), id.name()));
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(key, e.getMessage(), "'" + id + "'"));
                continue;
            }
            if (table.schema().primaryKey().isEmpty()) {
                violations.add(new Violation(key, "must name tables with a primary key (changes are applied by key); "
                        + id + " has none", "'" + id + "'"));
                continue;
            }
            tables.add(new CapturedTable(id, table.schema()));
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return tables;
    }

    /** Fails when the position's binlog file is no longer on the server. */
    void requireAvailable(Connection c, BinlogPosition position) throws SQLException {
        Set<String> files = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                files.add(rs.getString(1));
            }
        }
        if (!files.contains(position.file())) {
            throw purged(position, null);
        }
    }

    SyncException purged(Position position, Throwable cause) {
        return new PositionLostException(position.asText(), "binlog position " + position.asText() + " is no longer on "
                + "the server (its binlog file was purged), so the changes after it are lost.", "remove the stream's "
                + "state and start again with " + config.path() + "." + MariaDbCaptureConfig.START_FROM + "=snapshot",
                cause);
    }

    @Override
    public Source snapshot(CapturePlan plan, TableId table) {
        return JdbcSource.copying(dialect, TableCopies.sourceConfig(config.path(), config.endpoint(), config.fetchSize(),
                config.splitPks(), plan, table), copies, null);
    }

    /**
     * Takes the position in a transaction begun with {@code START TRANSACTION WITH CONSISTENT
     * SNAPSHOT}, whose binlog position MariaDB reports exactly ({@code binlog_snapshot_file} and
     * {@code binlog_snapshot_position}): that snapshot shows exactly the transactions committed at or
     * before it, since MariaDB commits in binlog order. The transaction stays open until the
     * snapshot is closed; it holds a read view but no locks, which keeps InnoDB from purging the row
     * versions newer than it meanwhile.
     *
     * <p>MariaDB cannot hand one snapshot to other sessions, so each split of the sources reads in a
     * snapshot of its own (its one SELECT's), begun after the position was taken: it shows every
     * transaction committed at or before the position, and may show some committed after it. Those
     * are exactly the ones a reader attached with the table's position delivers again, and applied
     * by key with full row images they leave each row as the source has it, so copying and then
     * applying ends equal to the source, as for the stream's first copy.
     *
     * @throws SyncException on a server that reports no snapshot position (MySQL)
     */
    @Override
    public TableSnapshot openSnapshot(CapturePlan plan, List<TableId> tables, JobContext context) {
        Map<TableId, JdbcSourceConfig> sources = TableCopies.sourceConfigs(config.path(), config.endpoint(),
                config.fetchSize(), config.splitPks(), plan, tables);
        Connection c = null;
        try {
            c = connection();
            try (Statement s = c.createStatement()) {
                s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
            }
            BinlogPosition position = BinlogSettings.snapshotPosition(c);
            LOG.info("snapshot of {} at binlog position {}", sources.keySet(), position.asText());
            Connection transaction = c;
            return new JdbcTableSnapshot(position, sources, copy -> JdbcSource.copying(dialect, copy, copies, null),
                    () -> endTransaction(transaction));
        } catch (SQLException e) {
            endTransaction(c);
            throw errors.translate("taking a consistent snapshot of " + sources.keySet(), e);
        } catch (IllegalStateException e) {
            endTransaction(c);
            throw new SyncException(ErrorKind.CONFIGURATION, "tables cannot join a running stream on this server: "
                    + e.getMessage(), e);
        }
    }

    private static void endTransaction(Connection transaction) {
        if (transaction == null) {
            return;
        }
        try (transaction; Statement s = transaction.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException e) {
            LOG.debug("ending the snapshot transaction failed", e);
        }
    }

    @Override
    public ChangeReader attach(CapturePlan plan, Position from, JobContext context) {
        return attach(plan, from, Map.of(), context);
    }

    @Override
    public ChangeReader attach(CapturePlan plan, Position from, Map<TableId, Position> tablesFrom, JobContext context) {
        Map<TableId, BinlogPosition> startAfter = TableCopies.startPositions(plan, from, tablesFrom, BinlogPosition.class);
        BinlogPosition position = (BinlogPosition) from;
        List<BinlogTable> tables = new ArrayList<>();
        try (Connection c = connection()) {
            requireAvailable(c, position);
            for (CapturedTable table : plan.tables()) {
                tables.add(BinlogTable.read(c, new TableName(table.id().schema(), table.id().name())));
            }
        } catch (SQLException e) {
            throw errors.translate("checking binlog position " + position.asText(), e);
        }
        long serverId = Long.parseLong(plan.property(SERVER_ID, Long.toString(config.serverId(context.jobName()))));
        return new BinlogChangeReader(this, plan.tables(), tables, position, startAfter, serverId);
    }

    @Override
    public Position parsePosition(String text) {
        return BinlogPosition.parse(text);
    }

    @Override
    public void drop(CapturePlan plan) {
        // The binary log is the server's own: there is nothing of the stream's to remove.
    }

    @Override
    public void close() {
        copies.close();
    }

    /** A new connection in UTC, the way the batch reader's sessions are. */
    Connection connection() throws SQLException {
        String url = dialect.driverUrl(config.endpoint().url());
        Connection c = config.endpoint().username() == null ? DriverManager.getConnection(url)
                : DriverManager.getConnection(url, config.endpoint().username(), config.endpoint().password().value());
        try (Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
        }
        return c;
    }

    /** Host and port of the URL, for the binlog client. */
    HostPort hostPort() {
        String url = config.endpoint().url();
        int start = url.indexOf("//");
        if (start < 0) {
            throw new ConfigException(new Violation(config.path() + ".url", "must name a host for the binlog client "
                    + "(jdbc:mariadb://host:port/database)", config.endpoint().maskedUrl()));
        }
        String rest = url.substring(start + 2);
        int end = rest.length();
        for (char stop : new char[] {'/', '?', ','}) {
            int i = rest.indexOf(stop);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        String authority = rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        authority = at >= 0 ? authority.substring(at + 1) : authority;
        int colon = authority.lastIndexOf(':');
        if (colon > 0 && authority.indexOf(']') < colon) {
            return new HostPort(authority.substring(0, colon), Integer.parseInt(authority.substring(colon + 1)));
        }
        return new HostPort(authority, 3306);
    }

    record HostPort(String host, int port) {
    }

    MariaDbCaptureConfig config() {
        return config;
    }

    ErrorTranslator errors() {
        return errors;
    }
}
