package dev.ferry.connector.jdbc.capture;

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
import dev.ferry.connector.jdbc.H2Dialect;
import dev.ferry.connector.jdbc.ResolvedTable;
import dev.ferry.connector.jdbc.TableName;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures changes of H2 tables with triggers: the capture for a database that has no log Ferry
 * can read. Each write to a captured table also writes a row into the stream's change table, in
 * the same transaction, which costs the writer that extra insert and serialises the transactions
 * that write captured tables from their first change to their commit (see {@link ChangeTrigger});
 * keep them short, and raise H2's {@code LOCK_TIMEOUT} (2 s by default) when some are long. The
 * trigger class must be on the class path of whatever opens the database, so this is for an
 * embedded database in the application that runs Ferry.
 *
 * <p>Planning a new stream resolves the tables (each needs a primary key), installs the
 * {@link ChangeLog} (change table, clock, a trigger per table; see {@link ChangeLogInstaller}) and
 * takes its start: for {@code snapshot}, a {@link HeldSnapshot} whose position is its start and
 * through which every table is copied, so the copy and the stream meet exactly; for
 * {@code latest}, the clock now; for a position, that position, when the existing change table
 * still holds every change after it. Planning an existing stream only sets the triggers to the
 * new table list. The guarantee: every transaction that commits a change to a captured table after
 * its trigger exists is delivered once, whole, in commit order, after the start; a transaction
 * that was writing a table when its trigger was created is waited for before the start is taken,
 * so it is in the copy.
 *
 * <p>Threading: the driver thread calls everything; readers and copies run on their own threads.
 */
public final class H2ChangeSource implements ChangeSource, SupportsJoiningTables {

    private static final Logger LOG = LoggerFactory.getLogger(H2ChangeSource.class);
    /** The plan property naming the stream's {@link ChangeLog}. */
    static final String CHANGE_LOG = "changeLog";

    private final H2Dialect dialect;
    private final H2CaptureConfig config;
    private final H2Connections connections;
    private final ErrorTranslator errors;
    private HeldSnapshot planSnapshot;
    private HeldSnapshot lateSnapshot;

    public H2ChangeSource(H2Dialect dialect, H2CaptureConfig config) {
        this.dialect = dialect;
        this.config = config;
        this.connections = new H2Connections(dialect, config.endpoint());
        this.errors = connections.errors();
    }

    private String tablesKey() {
        return config.path() + "." + CaptureTables.TABLES;
    }

    private String startFromKey() {
        return config.path() + "." + CaptureTables.START_FROM;
    }

    @Override
    public CapturePlan plan(JobContext context, CapturePlan previous) {
        ChangeLog log = previous != null ? changeLog(previous) : ChangeLog.forJob(context.jobName());
        ChangeLogInstaller installer = new ChangeLogInstaller(log);
        try (Connection c = connections.open()) {
            List<CapturedTable> tables = resolveTables(c, log);
            List<TableId> ids = tables.stream().map(CapturedTable::id).toList();
            boolean existed = installer.exists(c);
            Position start;
            boolean snapshot = false;
            if (previous != null) {
                if (!existed) {
                    throw lostLog(log, previous.start());
                }
                joinedOrLeft(previous, ids, context);
                installer.install(c, ids);
                start = previous.start();
                snapshot = previous.snapshot();
            } else if (CaptureTables.isPosition(config.startFrom())) {
                H2Position requested = H2Position.parse(config.startFrom());
                if (!existed) {
                    throw new ConfigException(new Violation(startFromKey(), "can be a position only for a stream whose "
                            + "change table " + log.quotedChanges() + " exists, and it does not (use snapshot or latest)",
                            "'" + config.startFrom() + "'"));
                }
                requireAvailable(c, log, requested);
                installer.install(c, ids);
                start = requested;
            } else {
                if (existed) {
                    throw new SyncException(ErrorKind.CONFIGURATION, "change table " + log.quotedChanges() + " already "
                            + "exists, but this job has no stored stream plan: another job may be using it, or the "
                            + "job's state was lost. Drop it (DROP TABLE " + log.quotedChanges() + ", DROP TABLE "
                            + log.quotedClock() + " and the triggers named " + log.triggerPrefix() + "*) and start again");
                }
                installer.install(c, ids);
                if (config.startFrom().equals(CaptureTables.START_SNAPSHOT)) {
                    planSnapshot = HeldSnapshot.open(connections, log, tables, config.fetchSize(), tablesKey());
                    start = planSnapshot.position();
                    snapshot = true;
                } else {
                    start = new H2Position(clock(c, log));
                }
            }
            LOG.info("change log {}: start {}", log.id(), start.asText());
            return new CapturePlan(H2Position.FAMILY, tables, start, snapshot, Map.of(CHANGE_LOG, log.id()));
        } catch (SQLException e) {
            throw errors.translate("planning change capture", e);
        }
    }

    private ChangeLog changeLog(CapturePlan plan) {
        String id = plan.property(CHANGE_LOG, null);
        if (id == null) {
            throw new SyncException(ErrorKind.INTERNAL, "the stream's plan does not name its change log");
        }
        return new ChangeLog(id);
    }

    private List<CapturedTable> resolveTables(Connection c, ChangeLog log) throws SQLException {
        List<CapturedTable> tables = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        String key = tablesKey();
        for (TableId id : CaptureTables.expand(c, dialect, config.tables(), key, violations, dialect.sql()::nameCandidates)) {
            ResolvedTable resolved;
            try {
                resolved = ResolvedTable.resolve(c, dialect, new TableName(id.schema(), id.name()), key);
            } catch (SyncException e) {
                violations.add(new Violation(key, e.getMessage(), "'" + id + "'"));
                continue;
            }
            TableId exact = new TableId(resolved.name().schema(), resolved.name().name());
            List<String> primaryKey = dialect.primaryKey(c, resolved.name());
            if (exact.schema().equals(ChangeLog.SCHEMA)) {
                violations.add(new Violation(key, "must not name tables of schema " + ChangeLog.SCHEMA
                        + ", where change tables live", "'" + id + "'"));
            } else if (primaryKey.isEmpty()) {
                violations.add(new Violation(key, "must name tables with a primary key (changes are applied by key); "
                        + exact + " has none", "'" + id + "'"));
            } else if (log.lockTriggerName(exact.name()).length() > ChangeLog.MAX_TRIGGER_NAME) {
                violations.add(new Violation(key, "must name tables whose trigger name " + log.lockTriggerName(exact.name())
                        + " fits in " + ChangeLog.MAX_TRIGGER_NAME + " characters (use a shorter job name)",
                        "'" + id + "'"));
            } else {
                tables.add(new CapturedTable(exact, CaptureTables.schema(exact, resolved, primaryKey)));
            }
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return tables;
    }

    private static void joinedOrLeft(CapturePlan previous, List<TableId> now, JobContext context) {
        List<TableId> before = previous.tables().stream().map(CapturedTable::id).toList();
        for (TableId table : now) {
            if (!before.contains(table)) {
                LOG.info("table {} joins the stream; it is copied before its changes are applied", table);
            }
        }
        for (TableId table : before) {
            if (!now.contains(table)) {
                LOG.info("table {} left the stream; its trigger is dropped and its target table keeps its rows", table);
            }
        }
    }

    private static long clock(Connection c, ChangeLog log) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(log.clockSql())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Fails unless the change table holds every change after {@code from}. */
    private void requireAvailable(Connection c, ChangeLog log, H2Position from) throws SQLException {
        long clock = clock(c, log);
        if (from.seq() > clock) {
            throw new PositionLostException(from.asText(), "position " + from.asText() + " is ahead of change log "
                    + log.id() + ", whose last change is " + clock + ": the change log was made again since.", restart());
        }
        long oldest;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(log.oldestSql())) {
            rs.next();
            oldest = rs.getLong(1);
            if (rs.wasNull()) {
                oldest = clock + 1;
            }
        }
        if (oldest > from.seq() + 1) {
            throw lostLog(log, from);
        }
    }

    private SyncException lostLog(ChangeLog log, Position from) {
        return new PositionLostException(from.asText(), "change table " + log.quotedChanges() + " no longer holds the "
                + "changes after position " + from.asText() + ", so they are lost.", restart());
    }

    /** How a stream whose position is lost starts again. */
    private String restart() {
        return "remove the stream's state, drop the stream and start again with " + startFromKey() + "=snapshot";
    }

    @Override
    public Source snapshot(CapturePlan plan, TableId table) {
        if (planSnapshot != null) {
            return planSnapshot.source(table);
        }
        if (lateSnapshot == null) {
            LOG.warn("the plan's snapshot is gone (the copy is being redone after a restart): copying from a snapshot "
                    + "taken now, and streaming re-applies what changed since the start");
            try {
                lateSnapshot = HeldSnapshot.open(connections, changeLog(plan), plan.tables(), config.fetchSize(),
                        tablesKey());
            } catch (SQLException e) {
                throw errors.translate("opening a snapshot of the captured tables", e);
            }
        }
        return lateSnapshot.source(table);
    }

    @Override
    public TableSnapshot openSnapshot(CapturePlan plan, List<TableId> tables, JobContext context) {
        Map<TableId, CapturedTable> planned = planned(plan);
        List<CapturedTable> joining = new ArrayList<>();
        for (TableId table : tables) {
            CapturedTable captured = planned.get(table);
            if (captured == null) {
                throw new IllegalArgumentException("table " + table + " is not in the plan, whose tables are "
                        + planned.keySet());
            }
            joining.add(captured);
        }
        try {
            return HeldSnapshot.open(connections, changeLog(plan), joining, config.fetchSize(), tablesKey());
        } catch (SQLException e) {
            throw errors.translate("opening a snapshot of " + tables, e);
        }
    }

    @Override
    public ChangeReader attach(CapturePlan plan, Position from, JobContext context) {
        return attach(plan, from, Map.of(), context);
    }

    @Override
    public ChangeReader attach(CapturePlan plan, Position from, Map<TableId, Position> tablesFrom, JobContext context) {
        releaseSnapshots();
        ChangeLog log = changeLog(plan);
        H2Position start = (H2Position) from;
        Map<TableId, CapturedTable> planned = planned(plan);
        Map<TableId, Long> skipUpTo = new HashMap<>();
        tablesFrom.forEach((table, position) -> {
            if (!planned.containsKey(table)) {
                throw new IllegalArgumentException("joining table " + table + " is not in the plan");
            }
            if (position.compareTo(start) < 0) {
                throw new IllegalArgumentException("joining table " + table + " starts at " + position.asText()
                        + ", before the stream's " + start.asText());
            }
            skipUpTo.put(table, ((H2Position) position).seq());
        });
        try (Connection c = connections.open()) {
            requireAvailable(c, log, start);
        } catch (SQLException e) {
            throw errors.translate("checking change log " + log.id() + " at " + start.asText(), e);
        }
        return new H2ChangeReader(connections, log, planned, skipUpTo,
                new DeclaredTables(planned, dialect, context, tablesKey()), start, config.pollMillis());
    }

    private static Map<TableId, CapturedTable> planned(CapturePlan plan) {
        Map<TableId, CapturedTable> planned = new LinkedHashMap<>();
        plan.tables().forEach(t -> planned.put(t.id(), t));
        return planned;
    }

    @Override
    public Position parsePosition(String text) {
        return H2Position.parse(text);
    }

    @Override
    public void drop(CapturePlan plan) {
        ChangeLog log = changeLog(plan);
        try (Connection c = connections.open()) {
            new ChangeLogInstaller(log).uninstall(c);
        } catch (SQLException e) {
            throw errors.translate("dropping change log " + log.id(), e);
        }
    }

    private void releaseSnapshots() {
        if (planSnapshot != null) {
            planSnapshot.close();
            planSnapshot = null;
        }
        if (lateSnapshot != null) {
            lateSnapshot.close();
            lateSnapshot = null;
        }
    }

    @Override
    public void close() {
        releaseSnapshots();
    }
}
