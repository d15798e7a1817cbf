package dev.ferry.connector.postgresql.capture;

import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeReader;
import dev.ferry.api.change.ChangeSink;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.state.Position;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Begin;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Commit;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Delete;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Insert;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.LogicalMessage;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Relation;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Truncate;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.TypeInfo;
import dev.ferry.connector.postgresql.capture.PgOutputMessage.Update;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a publication's changes from a logical replication slot with pgoutput (protocol v1),
 * on its own unpooled replication connection.
 *
 * <p>Each transaction's changes go to the sink between its BEGIN and COMMIT; the commit's
 * position is the end of its commit record, from which resuming does not repeat it. An update
 * that changes the key becomes a delete of the old key and an insert; an unchanged TOAST value is
 * marked unchanged (or taken from the old row where REPLICA IDENTITY FULL sends it). A quiet
 * stream writes a non-transactional heartbeat message into the WAL every heartbeat interval and
 * passes its position on, so the checkpoint and the slot keep moving and the server can recycle
 * WAL. Acknowledged positions are sent as the slot's flushed position from the reading thread
 * (the driver's automatic flush is off). A dropped connection is opened again from the last
 * delivered commit, a few times with back-off; a slot that is gone or a position the server no
 * longer has fails the stream with what was lost and what to do.
 *
 * <p>A table given its own start position (one that joined the stream after a copy) has its
 * changes sent only in transactions after that position: those whose commit record starts at or
 * after it, as BEGIN's final LSN tells before the first change. That is the server's own rule for
 * the transactions a slot started at a position sends (it skips those whose commit record starts
 * before), so the table gets exactly what a slot started at its position would give it. For the
 * positions a table can start at, a slot's consistent point, a commit's end or a heartbeat's
 * position, each where a WAL record ends or starts, the rule is the same as "the commit's end,
 * which {@code commit} reports, is beyond the position": a commit record that starts before such a
 * point ends at or before it, and one that starts at or after it ends beyond it.
 *
 * <p>Threading: {@link #read} on one thread; {@link #acknowledge} and {@link #stop} from any.
 */
final class PgChangeReader implements ChangeReader {

    private static final Logger LOG = LoggerFactory.getLogger(PgChangeReader.class);
    static final String HEARTBEAT_PREFIX = "ferry_heartbeat";
    private static final int MAX_RECONNECTS = 10;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final PostgresChangeSource source;
    private final String slot;
    private final String publication;
    private final Map<TableId, CapturedTable> planned = new HashMap<>();
    private final long heartbeatNanos;
    private final Map<Integer, RelationState> relations = new HashMap<>();
    private final Map<Integer, TypeInfo> types = new HashMap<>();
    private final Set<TableId> truncateWarned = new HashSet<>();
    private final Map<TableId, PgLsn> startAfter;
    private volatile boolean stopped;
    private volatile long acknowledged;
    private long flushed;
    private long delivered;
    private long commitMicros;
    /** Where the commit record of the transaction being read starts (BEGIN's final LSN). */
    private long commitStart;
    private Connection replication;
    private PGReplicationStream stream;
    private Connection heartbeats;

    /**
     * A relation of the stream: its table, its sink handle, its column types and key positions, and
     * where its changes start (0: no position of its own).
     */
    private record RelationState(TableId table, int handle, List<PgColumnType> types, int[] keys, TableSchema schema,
                                 long startAfter) {
    }

    /**
     * @param startAfter tables whose changes are sent only in transactions after their own position
     *                   (none older than {@code from})
     */
    PgChangeReader(PostgresChangeSource source, String slot, String publication, List<CapturedTable> tables,
                   PgLsn from, Map<TableId, PgLsn> startAfter, long heartbeatMillis) {
        this.source = source;
        this.startAfter = Map.copyOf(startAfter);
        this.slot = slot;
        this.publication = publication;
        tables.forEach(t -> planned.put(t.id(), t));
        this.delivered = from.value();
        this.acknowledged = from.value();
        this.flushed = from.value();
        this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
    }

    @Override
    public void read(ChangeSink sink) {
        int reconnects = 0;
        while (!stopped) {
            try {
                open();
                reconnects = 0;
                pump(sink);
            } catch (SQLException e) {
                if (stopped) {
                    break;
                }
                SyncException lost = source.lostPosition(slot, new PgLsn(delivered), e);
                if (lost != null) {
                    throw lost;
                }
                if (!source.dialect().errors().isRetriable(e) || ++reconnects > MAX_RECONNECTS) {
                    throw source.errors().translate("streaming from replication slot " + slot, e);
                }
                long backoff = Math.min(30_000, 250L << Math.min(reconnects, 7));
                LOG.warn("replication slot {}: the stream broke ({}); reconnecting from {} in {} ms (attempt {} of {})",
                        slot, source.errors().redactor().mask(source.dialect().errors().describe(e)), new PgLsn(delivered).asText(),
                        backoff, reconnects, MAX_RECONNECTS);
                closeStream();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
            } finally {
                if (stopped) {
                    closeStream();
                }
            }
        }
    }

    private void open() throws SQLException {
        closeStream();
        replication = source.replicationConnection();
        stream = replication.unwrap(PGConnection.class).getReplicationAPI().replicationStream().logical()
                .withSlotName(slot)
                .withStartPosition(new PgLsn(delivered).toLsn())
                .withSlotOption("proto_version", "1")
                .withSlotOption("publication_names", publication)
                .withSlotOption("messages", true)
                .withStatusInterval(10, TimeUnit.SECONDS)
                .withAutomaticFlush(false)
                .start();
        relations.clear();
        LOG.info("replication slot {}: streaming publication {} from {}", slot, publication, new PgLsn(delivered).asText());
    }

    private void pump(ChangeSink sink) throws SQLException {
        long lastActivity = System.nanoTime();
        while (!stopped) {
            flushAcknowledged();
            ByteBuffer buffer = stream.readPending();
            if (buffer == null) {
                if (heartbeatNanos > 0 && System.nanoTime() - lastActivity >= heartbeatNanos) {
                    heartbeat();
                    lastActivity = System.nanoTime();
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            lastActivity = System.nanoTime();
            long lsn = stream.getLastReceiveLSN().asLong();
            PgOutputMessage message = PgOutputDecoder.decode(buffer);
            if (message instanceof Begin begin) {
                commitMicros = begin.commitMicros();
                commitStart = begin.finalLsn();
            } else if (message instanceof Commit commit) {
                sink.commit(new PgLsn(commit.endLsn()), commit.commitMicros());
                delivered = commit.endLsn();
            } else if (message instanceof Relation relation) {
                relation(sink, relation);
            } else if (message instanceof TypeInfo type) {
                types.put(type.oid(), type);
            } else if (message instanceof Insert insert) {
                RelationState r = relations.get(insert.relationOid());
                if (r != null && sends(r)) {
                    emit(sink, r, ChangeKind.INSERT, lsn, insert.newTuple(), null);
                }
            } else if (message instanceof Update update) {
                RelationState r = relations.get(update.relationOid());
                if (r != null && sends(r)) {
                    update(sink, r, lsn, update);
                }
            } else if (message instanceof Delete delete) {
                RelationState r = relations.get(delete.relationOid());
                if (r != null && sends(r)) {
                    delete(sink, r, lsn, delete.oldTuple(), delete.oldIsKeyOnly());
                }
            } else if (message instanceof Truncate truncate) {
                for (int oid : truncate.relationOids()) {
                    RelationState r = relations.get(oid);
                    if (r != null && truncateWarned.add(r.table())) {
                        LOG.warn("table {} was truncated on the source; a truncate is not applied to the target",
                                r.table());
                    }
                }
            } else if (message instanceof LogicalMessage m && !m.transactional() && HEARTBEAT_PREFIX.equals(m.prefix())) {
                sink.advance(new PgLsn(lsn));
                delivered = Math.max(delivered, lsn);
            }
        }
    }

    private void relation(ChangeSink sink, Relation relation) {
        TableId id = new TableId(relation.namespace(), relation.name());
        CapturedTable table = planned.get(id);
        if (table == null) {
            return;
        }
        List<PgColumnType> columnTypes = PgColumnType.of(relation, types::get);
        List<Column> columns = new ArrayList<>();
        columnTypes.forEach(t -> columns.add(t.column()));
        List<String> key = table.schema().primaryKey();
        TableSchema schema = new TableSchema(id.toString(), columns, key);
        int[] keys = new int[key.size()];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = schema.indexOf(key.get(k));
        }
        RelationState previous = relations.get(relation.oid());
        int handle = previous != null && previous.schema().equals(schema) ? previous.handle() : sink.table(id, schema);
        PgLsn start = startAfter.get(id);
        relations.put(relation.oid(), new RelationState(id, handle, columnTypes, keys, schema,
                start == null ? 0 : start.value()));
    }

    /** Whether the transaction being read is after the relation's own start position. */
    private boolean sends(RelationState r) {
        return Long.compareUnsigned(commitStart, r.startAfter()) >= 0;
    }

    private void update(ChangeSink sink, RelationState r, long lsn, Update update) {
        TupleData old = update.oldTuple();
        TupleData now = update.newTuple();
        if (old != null && keyChanged(r, old, now)) {
            delete(sink, r, lsn, old, update.oldIsKeyOnly());
            emit(sink, r, ChangeKind.INSERT, lsn, now, update.oldIsKeyOnly() ? null : old);
            return;
        }
        if (old != null && !update.oldIsKeyOnly()) {
            emit(sink, r, ChangeKind.UPDATE_BEFORE, lsn, old, null);
            emit(sink, r, ChangeKind.UPDATE, lsn, now, old);
            return;
        }
        emit(sink, r, ChangeKind.UPDATE, lsn, now, null);
    }

    private static boolean keyChanged(RelationState r, TupleData old, TupleData now) {
        for (int k : r.keys()) {
            if (!Arrays.equals(old.bytes(k), now.bytes(k))) {
                return true;
            }
        }
        return false;
    }

    private void delete(ChangeSink sink, RelationState r, long lsn, TupleData old, boolean keyOnly) {
        sink.begin(r.handle(), ChangeKind.DELETE, new PgLsn(lsn), commitMicros);
        try {
            Set<Integer> keys = new HashSet<>();
            for (int k : r.keys()) {
                keys.add(k);
            }
            for (int c = 0; c < r.types().size(); c++) {
                if (keyOnly && !keys.contains(c) || old.isUnchanged(c)) {
                    sink.setUnchanged(c);
                } else {
                    r.types().get(c).set(sink, c, old, c);
                }
            }
        } catch (IllegalArgumentException e) {
            sink.dirty(e.getMessage(), old.toString());
            return;
        }
        sink.emit();
    }

    /**
     * Emits a row; an unchanged TOAST value is taken from {@code fallback} (a full old row) when
     * there is one, else marked unchanged, which an insert cannot be.
     */
    private void emit(ChangeSink sink, RelationState r, ChangeKind kind, long lsn, TupleData tuple, TupleData fallback) {
        sink.begin(r.handle(), kind, new PgLsn(lsn), commitMicros);
        try {
            for (int c = 0; c < r.types().size(); c++) {
                if (!tuple.isUnchanged(c)) {
                    r.types().get(c).set(sink, c, tuple, c);
                } else if (fallback != null && !fallback.isUnchanged(c)) {
                    r.types().get(c).set(sink, c, fallback, c);
                } else if (kind == ChangeKind.INSERT) {
                    throw new SyncException(ErrorKind.DATA, "an update of " + r.table() + " changed its key and left "
                            + "column '" + r.schema().column(c).name() + "' (a large TOAST value) unchanged, so the "
                            + "new row cannot be written whole: set ALTER TABLE " + r.table() + " REPLICA IDENTITY "
                            + "FULL so that old values are sent");
                } else {
                    sink.setUnchanged(c);
                }
            }
        } catch (IllegalArgumentException e) {
            sink.dirty(e.getMessage(), tuple.toString());
            return;
        }
        sink.emit();
    }

    private void flushAcknowledged() throws SQLException {
        long target = acknowledged;
        if (Long.compareUnsigned(target, flushed) > 0) {
            stream.setFlushedLSN(new PgLsn(target).toLsn());
            stream.setAppliedLSN(new PgLsn(target).toLsn());
            stream.forceUpdateStatus();
            flushed = target;
        }
    }

    /** Writes a non-transactional message into the WAL; it comes back through the slot as an advance. */
    private void heartbeat() {
        try {
            if (heartbeats == null || heartbeats.isClosed()) {
                heartbeats = source.plainConnection();
            }
            try (Statement statement = heartbeats.createStatement()) {
                statement.execute("SELECT pg_logical_emit_message(false, '" + HEARTBEAT_PREFIX + "', '')");
            }
        } catch (SQLException e) {
            LOG.debug("replication slot {}: heartbeat failed", slot, e);
            closeQuietly(heartbeats);
            heartbeats = null;
        }
    }

    @Override
    public void acknowledge(Position position) {
        long value = ((PgLsn) position).value();
        synchronized (this) {
            if (Long.compareUnsigned(value, acknowledged) > 0) {
                acknowledged = value;
            }
        }
    }

    @Override
    public void stop() {
        stopped = true;
    }

    private void closeStream() {
        if (stream != null) {
            try {
                if (!stream.isClosed()) {
                    flushAcknowledged();
                    stream.close();
                }
            } catch (SQLException e) {
                LOG.debug("closing the replication stream failed", e);
            }
            stream = null;
        }
        closeQuietly(replication);
        replication = null;
    }

    @Override
    public void close() {
        stopped = true;
        closeStream();
        closeQuietly(heartbeats);
        heartbeats = null;
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing more to release
            }
        }
    }
}
