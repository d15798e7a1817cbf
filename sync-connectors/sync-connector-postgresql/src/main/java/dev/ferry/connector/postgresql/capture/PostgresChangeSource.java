package dev.ferry.connector.postgresql.capture;

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
import dev.ferry.connector.jdbc.ResolvedTable;
import dev.ferry.connector.jdbc.TableCopies;
import dev.ferry.connector.jdbc.TableName;
import dev.ferry.connector.postgresql.PostgresDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.ReplicationSlotInfo;
import org.postgresql.replication.fluent.logical.ChainedLogicalCreateSlotBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures changes of PostgreSQL tables through logical decoding with pgoutput.
 *
 * <p>Planning a new stream checks {@code wal_level}, resolves the tables (each needs a primary key
 * and a replica identity that carries it), creates the publication for exactly those tables and
 * then the slot (publication first, or decoding fails). For {@code startFrom: snapshot} the slot's
 * exported snapshot is kept open on its replication connection until streaming starts, and every
 * split of every table's copy imports it, so the copy and the stream meet exactly at the slot's
 * consistent point. Planning an existing stream re-uses slot and publication, only setting the
 * publication's table list; it never creates a slot, so a lost slot is reported, not papered over.
 *
 * <p>Tables that join a running stream (after a plan that adds them to the publication) are copied
 * from the snapshot of a temporary slot, see {@link #openSnapshot}; a reader attached with
 * per-table positions then sends a joining table's changes only in the transactions its copy does
 * not show.
 *
 * <p>Threading: the driver thread calls everything; readers run on their own threads.
 */
public final class PostgresChangeSource implements ChangeSource, SupportsJoiningTables {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeSource.class);
    static final String SLOT = "slot";
    static final String PUBLICATION = "publication";
    private static final String PLUGIN = "pgoutput";
    /** PostgreSQL's longest name (NAMEDATALEN - 1). */
    static final int MAX_NAME_LENGTH = 63;
    private static final String TEMPORARY_SLOT_INFIX = "_join_";
    private static final int TEMPORARY_SLOT_TOKEN = 8;

    private final PostgresDialect dialect;
    private final PostgresCaptureConfig config;
    private final ErrorTranslator errors;
    private Connection snapshotHolder;
    private String snapshotName;
    /** The pool every table's copy reads on, sized from the channels the copy was granted. */
    private final SharedPool copies;

    public PostgresChangeSource(PostgresDialect dialect, PostgresCaptureConfig config) {
        this.dialect = dialect;
        this.config = config;
        this.errors = new ErrorTranslator(dialect.errors(), config.endpoint().redactor());
        this.copies = new SharedPool(dialect, config.endpoint(), "copy", 2);
    }

    @Override
    public CapturePlan plan(JobContext context, CapturePlan previous) {
        String slot = previous != null ? previous.property(SLOT, config.slotName(context.jobName()))
                : config.slotName(context.jobName());
        String publication = previous != null ? previous.property(PUBLICATION, config.publicationName(context.jobName()))
                : config.publicationName(context.jobName());
        try (Connection c = plainConnection()) {
            checkWalLevel(c);
            List<CapturedTable> tables = resolveTables(c, context);
            Position start;
            boolean snapshot;
            if (previous == null) {
                SlotState existing = slotState(c, slot);
                if (CaptureTables.isPosition(config.startFrom())) {
                    PgLsn requested = PgLsn.parse(config.startFrom());
                    if (existing == null) {
                        throw new ConfigException(new Violation(config.path() + "." + PostgresCaptureConfig.START_FROM,
                                "can be a position only for an existing replication slot, and slot '" + slot
                                        + "' does not exist (use snapshot or latest)", "'" + config.startFrom() + "'"));
                    }
                    checkNotOlder(slot, requested, existing);
                    setPublication(c, publication, tables);
                    start = requested;
                    snapshot = false;
                } else {
                    if (existing != null) {
                        throw new SyncException(ErrorKind.CONFIGURATION, "replication slot '" + slot + "' already exists, "
                                + "but this job has no stored stream plan: another job may be using it, or the job's "
                                + "state was lost. Drop it (SELECT pg_drop_replication_slot('" + slot + "')) or name "
                                + "another with " + config.path() + "." + PostgresCaptureConfig.SLOT);
                    }
                    setPublication(c, publication, tables);
                    snapshot = config.startFrom().equals(PostgresCaptureConfig.START_SNAPSHOT);
                    start = createSlot(slot, snapshot);
                }
            } else {
                SlotState existing = slotState(c, slot);
                if (existing == null) {
                    throw lostSlot(slot, previous.start());
                }
                addedOrRemoved(previous, tables, context);
                setPublication(c, publication, tables);
                start = previous.start();
                snapshot = previous.snapshot();
            }
            return new CapturePlan(PgLsn.FAMILY, tables, start, snapshot, Map.of(SLOT, slot, PUBLICATION, publication));
        } catch (SQLException e) {
            throw errors.translate("planning change capture", e);
        }
    }

    private void checkWalLevel(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW wal_level")) {
            rs.next();
            String level = rs.getString(1);
            if (!"logical".equals(level)) {
                throw new ConfigException(new Violation(config.path() + ".url", "must reach a server with wal_level = "
                        + "logical for change capture, and it has " + level + ": run ALTER SYSTEM SET wal_level = 'logical' "
                        + "and restart PostgreSQL", config.endpoint().maskedUrl()));
            }
        }
    }

    private List<CapturedTable> resolveTables(Connection c, JobContext context) throws SQLException {
        List<CapturedTable> tables = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        String key = config.path() + "." + PostgresCaptureConfig.TABLES;
        for (TableId id : CaptureTables.expand(c, dialect, config.tables(), key, violations)) {
            ResolvedTable resolved;
            try {
                resolved = ResolvedTable.resolve(c, dialect, new TableName(id.schema(), id.name()), key);
            } catch (ConfigException e) {
                violations.addAll(e.violations());
                continue;
            } catch (SyncException e) {
                violations.add(new Violation(key, e.getMessage(), "'" + id + "'"));
                continue;
            }
            TableId exact = new TableId(resolved.name().schema(), resolved.name().name());
            List<String> primaryKey = dialect.primaryKey(c, resolved.name());
            if (primaryKey.isEmpty()) {
                violations.add(new Violation(key, "must name tables with a primary key (changes are applied by key); "
                        + exact + " has none", "'" + id + "'"));
                continue;
            }
            char identity = replicaIdentity(c, resolved.name());
            if (identity == 'n') {
                violations.add(new Violation(key, "must name tables whose updates and deletes can be published; " + exact
                        + " has REPLICA IDENTITY NOTHING: run ALTER TABLE " + exact + " REPLICA IDENTITY DEFAULT",
                        "'" + id + "'"));
                continue;
            }
            if (identity == 'i') {
                context.warn(exact + " has REPLICA IDENTITY USING INDEX: deletes carry that index's columns, which "
                        + "must include the primary key " + primaryKey + " for deletes to be applied");
            }
            tables.add(new CapturedTable(exact, CaptureTables.schema(exact, resolved, primaryKey)));
        }
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
        return tables;
    }

    private static char replicaIdentity(Connection c, TableName table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT relreplident FROM pg_class WHERE oid = to_regclass(?)")) {
            ps.setString(1, "\"" + table.schema().replace("\"", "\"\"") + "\".\"" + table.name().replace("\"", "\"\"") + "\"");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1).charAt(0) : 'd';
            }
        }
    }

    private void addedOrRemoved(CapturePlan previous, List<CapturedTable> tables, JobContext context) {
        List<TableId> before = previous.tables().stream().map(CapturedTable::id).toList();
        for (CapturedTable table : tables) {
            if (!before.contains(table.id())) {
                // Decoding sees the publication as it was when each change was written, so only the
                // table's changes from now on are sent: the engine copies it before applying them.
                LOG.info("table {} joins the stream; it is copied before its changes are applied", table.id());
            }
        }
        List<TableId> now = tables.stream().map(CapturedTable::id).toList();
        for (TableId id : before) {
            if (!now.contains(id)) {
                LOG.info("table {} left the stream; its target table keeps its rows", id);
            }
        }
    }

    private void setPublication(Connection c, String publication, List<CapturedTable> tables) throws SQLException {
        StringBuilder list = new StringBuilder();
        for (CapturedTable table : tables) {
            list.append(list.length() == 0 ? "" : ", ").append(dialect.sql().quoteTable(
                    new TableName(table.id().schema(), table.id().name())));
        }
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute((exists ? "ALTER PUBLICATION " + dialect.sql().quoteIdentifier(publication) + " SET TABLE "
                    : "CREATE PUBLICATION " + dialect.sql().quoteIdentifier(publication) + " FOR TABLE ") + list);
        }
        LOG.info("publication {} {} for {}", publication, exists ? "set" : "created", list);
    }

    /** Creates the slot; with {@code exportSnapshot} keeps its replication connection open for the copy. */
    private PgLsn createSlot(String slot, boolean exportSnapshot) throws SQLException {
        Connection connection = replicationConnection();
        boolean keep = false;
        try {
            ReplicationSlotInfo info = newSlot(connection, slot).make();
            LOG.info("replication slot {} created at {}{}", slot, info.getConsistentPoint(),
                    exportSnapshot ? ", snapshot " + info.getSnapshotName() : "");
            if (exportSnapshot) {
                snapshotHolder = connection;
                snapshotName = info.getSnapshotName();
                keep = true;
            }
            return PgLsn.of(info.getConsistentPoint());
        } finally {
            if (!keep) {
                connection.close();
            }
        }
    }

    /** A pgoutput slot to be made on {@code replication}, which exports its snapshot. */
    private static ChainedLogicalCreateSlotBuilder newSlot(Connection replication, String slot) throws SQLException {
        return replication.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                .withSlotName(slot).withOutputPlugin(PLUGIN);
    }

    private record SlotState(String plugin, long confirmedFlush, boolean active, Integer activePid) {
    }

    private SlotState slotState(Connection c, String slot) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT plugin, confirmed_flush_lsn, active, active_pid "
                + "FROM pg_replication_slots WHERE slot_name = ? AND database = current_database()")) {
            ps.setString(1, slot);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String flushed = rs.getString(2);
                int pid = rs.getInt(4);
                return new SlotState(rs.getString(1), flushed == null ? 0 : PgLsn.parse(flushed).value(),
                        rs.getBoolean(3), rs.wasNull() ? null : pid);
            }
        }
    }

    private void checkNotOlder(String slot, PgLsn from, SlotState state) {
        if (Long.compareUnsigned(from.value(), state.confirmedFlush()) < 0) {
            throw new PositionLostException(from.asText(), "position " + from.asText() + " is older than replication "
                    + "slot '" + slot + "' (it keeps changes from " + new PgLsn(state.confirmedFlush()).asText() + " on): "
                    + "the changes in between are gone, so the target would miss them.", restart());
        }
    }

    private SyncException lostSlot(String slot, Position from) {
        return new PositionLostException(from.asText(), "replication slot '" + slot + "' no longer exists, so the "
                + "changes after position " + from.asText() + " are lost.", restart());
    }

    /** How a stream whose position is lost starts again. */
    private String restart() {
        return "remove the stream's state and start again with " + config.path() + "." + PostgresCaptureConfig.START_FROM
                + "=snapshot";
    }

    /**
     * When a stream failure means its position can no longer be read (the slot is gone or the
     * server removed the WAL), the failure that says so; otherwise null.
     */
    SyncException lostPosition(String slot, PgLsn from, SQLException error) {
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("does not exist") && message.contains("slot")) {
            return lostSlot(slot, from);
        }
        if (message.contains("has already been removed") || message.contains("can no longer get changes")) {
            return new PositionLostException(from.asText(), "replication slot '" + slot + "' cannot deliver changes "
                    + "after " + from.asText() + " any more (" + errors.redactor().mask(dialect.errors().describe(error))
                    + ").", restart());
        }
        return null;
    }

    @Override
    public Source snapshot(CapturePlan plan, TableId table) {
        JdbcSourceConfig source = copySource(plan, table);
        if (snapshotName == null) {
            LOG.warn("table {}: the slot's exported snapshot is gone (the copy is being redone after a restart); each "
                    + "split reads its own snapshot and streaming re-applies what changed since the slot's start", table);
        }
        return JdbcSource.copying(dialect, source, copies, snapshotName);
    }

    private JdbcSourceConfig copySource(CapturePlan plan, TableId table) {
        return TableCopies.sourceConfig(config.path(), config.endpoint(), config.fetchSize(), config.splitPks(), plan, table);
    }

    /**
     * Opens the snapshot with a temporary slot, created on a replication connection of its own and
     * exporting its snapshot; the slot's consistent point is the position, and every split of every
     * source imports the snapshot. It shows exactly the transactions whose commit record starts
     * before that point, which are the ones a slot started there does not send. The exported
     * snapshot stays valid while the connection stays open and idle; closing the snapshot drops the
     * slot. Should this process die, the server drops the temporary slot with its connection, so no
     * slot is left behind to hold WAL.
     *
     * <p>Creating a slot waits until every transaction that holds a transaction id when it begins
     * has ended, on any database of the server. This is what keeps the copy whole: a transaction
     * that changed a joining table before the plan added it to the publication is decoded without
     * those changes (decoding reads the publication as it was when each change was written), and it
     * necessarily ends before the new slot's consistent point, so the copy shows them. The other side
     * of it: a long transaction anywhere on the server delays the snapshot until it ends.
     */
    @Override
    public TableSnapshot openSnapshot(CapturePlan plan, List<TableId> tables, JobContext context) {
        Map<TableId, JdbcSourceConfig> sources = TableCopies.sourceConfigs(config.path(), config.endpoint(),
                config.fetchSize(), config.splitPks(), plan, tables);
        String slot = temporarySlotName(plan.property(SLOT, config.slotName(context.jobName())));
        Connection connection = null;
        try {
            connection = replicationConnection();
            LOG.info("creating temporary replication slot {} for a snapshot of {} (it waits for the transactions "
                    + "running now to end)", slot, sources.keySet());
            ReplicationSlotInfo info = newSlot(connection, slot).withTemporaryOption().make();
            PgLsn position = PgLsn.of(info.getConsistentPoint());
            String snapshot = info.getSnapshotName();
            LOG.info("temporary replication slot {} created at {}, snapshot {}", slot, position.asText(), snapshot);
            Connection holder = connection;
            return new JdbcTableSnapshot(position, sources, copy -> JdbcSource.copying(dialect, copy, copies, snapshot),
                    () -> dropTemporarySlot(holder, slot));
        } catch (SQLException e) {
            closeQuietly(connection);
            throw errors.translate("creating temporary replication slot " + slot + " for a snapshot of "
                    + sources.keySet(), e);
        }
    }

    /**
     * A name for a temporary slot beside the stream's {@code slot}: its name (shortened as needed),
     * {@code _join_} and eight random letters and digits, within PostgreSQL's 63 characters.
     */
    static String temporarySlotName(String slot) {
        StringBuilder name = new StringBuilder(slot.substring(0, Math.min(slot.length(),
                MAX_NAME_LENGTH - TEMPORARY_SLOT_INFIX.length() - TEMPORARY_SLOT_TOKEN))).append(TEMPORARY_SLOT_INFIX);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < TEMPORARY_SLOT_TOKEN; i++) {
            name.append(Character.forDigit(random.nextInt(Character.MAX_RADIX), Character.MAX_RADIX));
        }
        return name.toString();
    }

    /**
     * Drops a temporary slot on the connection that holds it, so that it is gone when this returns
     * (closing the connection alone drops it too, but only once the server has ended the session),
     * then closes the connection.
     */
    private static void dropTemporarySlot(Connection holder, String slot) {
        try (Statement statement = holder.createStatement()) {
            statement.execute("DROP_REPLICATION_SLOT " + slot);
            LOG.info("temporary replication slot {} dropped", slot);
        } catch (SQLException e) {
            LOG.warn("dropping temporary replication slot {} failed ({}); closing its connection drops it", slot,
                    e.getMessage());
        }
        closeQuietly(holder);
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing a replication connection failed", e);
            }
        }
    }

    @Override
    public ChangeReader attach(CapturePlan plan, Position from, JobContext context) {
        return attach(plan, from, Map.of(), context);
    }

    @Override
    public ChangeReader attach(CapturePlan plan, Position from, Map<TableId, Position> tablesFrom, JobContext context) {
        Map<TableId, PgLsn> startAfter = TableCopies.startPositions(plan, from, tablesFrom, PgLsn.class);
        releaseSnapshot();
        String slot = plan.property(SLOT, config.slotName(context.jobName()));
        try (Connection c = plainConnection()) {
            SlotState state = slotState(c, slot);
            if (state == null) {
                throw lostSlot(slot, from);
            }
            if (state.active()) {
                throw new SyncException(ErrorKind.EXTERNAL, "replication slot '" + slot + "' is in use by another "
                        + "process (backend pid " + state.activePid() + "): is another runner of job '" + context.jobName()
                        + "' streaming? Stop it first");
            }
            checkNotOlder(slot, (PgLsn) from, state);
        } catch (SQLException e) {
            throw errors.translate("checking replication slot " + slot, e);
        }
        return new PgChangeReader(this, slot, plan.property(PUBLICATION, slot), plan.tables(), (PgLsn) from,
                startAfter, config.heartbeatMillis());
    }

    @Override
    public Position parsePosition(String text) {
        return PgLsn.parse(text);
    }

    @Override
    public void drop(CapturePlan plan) {
        String slot = plan.property(SLOT, null);
        String publication = plan.property(PUBLICATION, slot);
        try (Connection c = plainConnection(); Statement s = c.createStatement()) {
            if (slot != null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(slot_name) FROM "
                        + "pg_replication_slots WHERE slot_name = ?")) {
                    ps.setString(1, slot);
                    ps.execute();
                }
            }
            if (publication != null) {
                s.execute("DROP PUBLICATION IF EXISTS " + dialect.sql().quoteIdentifier(publication));
            }
        } catch (SQLException e) {
            throw errors.translate("dropping replication slot " + slot + " and publication " + publication, e);
        }
    }

    private void releaseSnapshot() {
        if (snapshotHolder != null) {
            closeQuietly(snapshotHolder);
            snapshotHolder = null;
            snapshotName = null;
        }
    }

    @Override
    public void close() {
        releaseSnapshot();
        copies.close();
    }

    /** A new, unpooled connection for planning and heartbeats, in UTC. */
    Connection plainConnection() throws SQLException {
        Connection c = DriverManager.getConnection(config.endpoint().url(), properties(false));
        try (Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'UTC'");
        }
        return c;
    }

    /** A new replication connection; each stream needs its own. */
    Connection replicationConnection() throws SQLException {
        return DriverManager.getConnection(config.endpoint().url(), properties(true));
    }

    private Properties properties(boolean replication) {
        Properties p = new Properties();
        if (config.endpoint().username() != null) {
            PGProperty.USER.set(p, config.endpoint().username());
        }
        if (!config.endpoint().password().isEmpty()) {
            PGProperty.PASSWORD.set(p, config.endpoint().password().value());
        }
        PGProperty.CONNECT_TIMEOUT.set(p, config.endpoint().connectTimeoutSeconds());
        PGProperty.SOCKET_TIMEOUT.set(p, config.endpoint().socketTimeoutSeconds());
        PGProperty.TCP_KEEP_ALIVE.set(p, true);
        PGProperty.APPLICATION_NAME.set(p, "ferry");
        if (replication) {
            PGProperty.REPLICATION.set(p, "database");
            PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "9.4");
            PGProperty.PREFER_QUERY_MODE.set(p, "simple");
        }
        return p;
    }

    PostgresDialect dialect() {
        return dialect;
    }

    ErrorTranslator errors() {
        return errors;
    }
}
