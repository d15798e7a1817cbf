package dev.ferry.connector.mariadb.capture;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.RotateEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeReader;
import dev.ferry.api.change.ChangeSink;
import dev.ferry.api.change.TableId;
import dev.ferry.api.error.CancelledException;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.RetriableException;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.state.Position;
import dev.ferry.connector.jdbc.TableName;
import java.io.IOException;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams row changes from the binary log as a replica with its own server id.
 *
 * <p>Rows go to the sink as the row events arrive; a transaction ends at its XID event, whose end
 * is the position to resume from (a position inside a transaction would lose its table maps),
 * carrying on MariaDB the GTID position of that point (each replication domain's last GTID). An
 * update that changes the key becomes a delete of the old key and an insert. A table whose table
 * map no longer matches its description (an ALTER) is described again, and its new schema declared.
 * A dropped connection is opened again from the last delivered commit, a few times with back-off;
 * a purged position fails the stream, saying that a new snapshot is needed.
 *
 * <p>A table given its own start position (one that joined the stream after a copy) has its row
 * events delivered only after that position. The binlog holds each transaction whole, written when
 * it commits and in commit order, so a row event after the position belongs to a transaction that
 * committed after it, and one before it to a transaction committed at or before it.
 *
 * <p>Threading: {@link #read} runs the client's event loop on its own thread, which also calls the
 * sink; {@link #stop} and {@link #acknowledge} come from other threads.
 */
final class BinlogChangeReader implements ChangeReader {

    private static final Logger LOG = LoggerFactory.getLogger(BinlogChangeReader.class);
    private static final int MAX_RECONNECTS = 10;

    private final MariaDbChangeSource source;
    private final Map<TableId, BinlogTable> described = new HashMap<>();
    private final long serverId;
    private final Map<Long, TableState> tablesById = new HashMap<>();
    private final Map<TableId, TableState> tablesByName = new HashMap<>();
    private final Map<TableId, BinlogPosition> startAfter;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopped;
    private volatile BinaryLogClient client;
    private ChangeSink sink;
    private String file;
    private BinlogPosition delivered;
    private long eventMicros;
    /** MariaDB GTID position per replication domain ("domain-server-sequence"), as of the last event. */
    private final java.util.TreeMap<Long, String> gtids = new java.util.TreeMap<>();

    /**
     * A captured table as declared to the sink, with where its key columns are in a row event and
     * the position its row events are delivered after (null: from the reader's start).
     */
    private record TableState(TableId id, BinlogTable table, int handle, int[] keyColumns, BinlogPosition startAfter) {

        boolean delivers(BinlogPosition rowEvent) {
            return startAfter == null || rowEvent.compareTo(startAfter) > 0;
        }
    }

    /**
     * @param startAfter tables whose row events are delivered only after their own position (none
     *                   older than {@code from})
     */
    BinlogChangeReader(MariaDbChangeSource source, List<CapturedTable> planned, List<BinlogTable> tables,
                       BinlogPosition from, Map<TableId, BinlogPosition> startAfter, long serverId) {
        this.source = source;
        this.startAfter = Map.copyOf(startAfter);
        for (int i = 0; i < planned.size(); i++) {
            described.put(planned.get(i).id(), tables.get(i));
        }
        this.delivered = from;
        this.serverId = serverId;
        if (from.hasGtidSet()) {
            for (String gtid : from.gtidSet().split(",")) {
                String trimmed = gtid.strip();
                int dash = trimmed.indexOf('-');
                if (dash > 0) {
                    gtids.put(Long.parseLong(trimmed.substring(0, dash)), trimmed);
                }
            }
        }
    }

    @Override
    public void read(ChangeSink changeSink) {
        this.sink = changeSink;
        for (Map.Entry<TableId, BinlogTable> e : described.entrySet()) {
            declare(e.getKey(), e.getValue());
        }
        int reconnects = 0;
        while (!stopped) {
            failure.set(null);
            BinaryLogClient c = newClient();
            client = c;
            if (stopped) {
                // stop() came before this client existed, so it could not disconnect it.
                return;
            }
            try {
                c.connect();
            } catch (IOException e) {
                failure.compareAndSet(null, e);
            }
            Throwable error = failure.get();
            if (stopped && (error == null || error instanceof CancelledException || error instanceof IOException)) {
                return;
            }
            if (error instanceof SyncException sync) {
                throw sync;
            }
            if (error != null && BinlogColumnType.isPurgedPosition(error)) {
                throw source.purged(delivered, error);
            }
            if (error instanceof RuntimeException runtime && !(error instanceof IllegalStateException)) {
                throw new SyncException(ErrorKind.INTERNAL, "binlog stream failed: " + runtime.getMessage(), runtime);
            }
            if (++reconnects > MAX_RECONNECTS) {
                throw new RetriableException("binlog stream from " + delivered.asText() + " broke " + MAX_RECONNECTS
                        + " times in a row: " + (error == null ? "the server closed the connection" : error.getMessage()),
                        error);
            }
            long backoff = Math.min(30_000, 250L << Math.min(reconnects, 7));
            LOG.warn("binlog stream: the connection broke ({}); reconnecting from {} in {} ms (attempt {} of {})",
                    error == null ? "closed by the server" : source.errors().redactor().mask(String.valueOf(error.getMessage())),
                    delivered.asText(), backoff, reconnects, MAX_RECONNECTS);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
        }
    }

    private BinaryLogClient newClient() {
        MariaDbChangeSource.HostPort address = source.hostPort();
        MariaDbCaptureConfig config = source.config();
        BinaryLogClient c = new BinaryLogClient(address.host(), address.port(),
                config.endpoint().username() == null ? "" : config.endpoint().username(),
                config.endpoint().password().value());
        c.setServerId(serverId);
        c.setBinlogFilename(delivered.file());
        c.setBinlogPosition(delivered.offset());
        c.setEventDeserializer(BinlogColumnType.deserializer());
        c.setKeepAlive(false);
        c.setHeartbeatInterval(TimeUnit.SECONDS.toMillis(10));
        c.setConnectTimeout(TimeUnit.SECONDS.toMillis(config.endpoint().connectTimeoutSeconds()));
        file = delivered.file();
        c.registerEventListener(this::onEvent);
        c.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onConnect(BinaryLogClient connected) {
                // A disconnect before the connection was open did nothing: honour that stop now.
                if (stopped) {
                    disconnectLater();
                }
            }

            @Override
            public void onCommunicationFailure(BinaryLogClient failed, Exception ex) {
                fail(ex);
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient failed, Exception ex) {
                fail(new SyncException(ErrorKind.INTERNAL, "an event of the binlog after " + delivered.asText()
                        + " cannot be read: " + ex.getMessage(), ex));
            }
        });
        return c;
    }

    private void onEvent(Event event) {
        if (failure.get() != null || stopped) {
            return;
        }
        try {
            handle(event);
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void handle(Event event) {
        EventHeaderV4 header = event.getHeader();
        EventType type = header.getEventType();
        EventData data = event.getData();
        if (header.getTimestamp() > 0) {
            eventMicros = header.getTimestamp() * 1000;
        }
        if (type == EventType.ROTATE) {
            file = ((RotateEventData) data).getBinlogFilename();
        } else if (type == EventType.MARIADB_GTID && data instanceof MariadbGtidEventData gtid) {
            // The event data leaves the server id to the event header.
            gtids.put(gtid.getDomainId(), gtid.getDomainId() + "-" + header.getServerId() + "-" + gtid.getSequence());
        } else if (type == EventType.TABLE_MAP) {
            tableMap((TableMapEventData) data);
        } else if (EventType.isWrite(type)) {
            WriteRowsEventData rows = (WriteRowsEventData) data;
            TableState t = delivered(rows.getTableId(), header);
            if (t != null) {
                for (Serializable[] row : rows.getRows()) {
                    emit(t, ChangeKind.INSERT, header, row);
                }
            }
        } else if (EventType.isUpdate(type)) {
            UpdateRowsEventData rows = (UpdateRowsEventData) data;
            TableState t = delivered(rows.getTableId(), header);
            if (t != null) {
                for (Map.Entry<Serializable[], Serializable[]> row : rows.getRows()) {
                    if (keyChanged(t, row.getKey(), row.getValue())) {
                        emit(t, ChangeKind.DELETE, header, row.getKey());
                        emit(t, ChangeKind.INSERT, header, row.getValue());
                    } else {
                        emit(t, ChangeKind.UPDATE, header, row.getValue());
                    }
                }
            }
        } else if (EventType.isDelete(type)) {
            DeleteRowsEventData rows = (DeleteRowsEventData) data;
            TableState t = delivered(rows.getTableId(), header);
            if (t != null) {
                for (Serializable[] row : rows.getRows()) {
                    emit(t, ChangeKind.DELETE, header, row);
                }
            }
        } else if (type == EventType.XID) {
            BinlogPosition commit = BinlogPosition.of(file, header.getNextPosition());
            if (!gtids.isEmpty()) {
                commit = commit.withGtidSet(String.join(",", gtids.values()));
            }
            sink.commit(commit, eventMicros);
            delivered = commit;
        }
    }

    /** The captured table of a row event, or null when it is not captured or its rows are not delivered yet. */
    private TableState delivered(long tableId, EventHeaderV4 header) {
        TableState t = tablesById.get(tableId);
        return t != null && t.delivers(rowEventPosition(header)) ? t : null;
    }

    /** Where a row event starts. */
    private BinlogPosition rowEventPosition(EventHeaderV4 header) {
        return BinlogPosition.of(file, header.getNextPosition() - header.getEventLength());
    }

    private void tableMap(TableMapEventData map) {
        TableId id = new TableId(map.getDatabase(), map.getTable());
        TableState state = tablesByName.get(id);
        if (state == null) {
            return;
        }
        String mismatch = state.table().mismatch(map);
        if (mismatch != null) {
            BinlogTable again;
            try (Connection c = source.connection()) {
                again = BinlogTable.read(c, new TableName(id.schema(), id.name()));
            } catch (SQLException e) {
                throw source.errors().translate("describing " + id + " again after it changed", e);
            }
            String still = again.mismatch(map);
            if (still != null) {
                throw new SyncException(ErrorKind.EXTERNAL, "the binlog's rows of " + id + " at " + file + ":"
                        + " do not match the table as it is now (" + still + "): the table changed again since these "
                        + "changes were written; a new snapshot of it is needed");
            }
            LOG.info("binlog stream: {} changed ({}); declared with its new columns", id, mismatch);
            state = declare(id, again);
        }
        tablesById.put(map.getTableId(), state);
    }

    private TableState declare(TableId id, BinlogTable table) {
        List<String> key = table.schema().primaryKey();
        int[] keyColumns = new int[key.size()];
        for (int k = 0; k < keyColumns.length; k++) {
            keyColumns[k] = -1;
            for (int c = 0; c < table.columns().size(); c++) {
                if (table.columns().get(c).metadata().name().equals(key.get(k))) {
                    keyColumns[k] = c;
                }
            }
        }
        TableState state = new TableState(id, table, sink.table(id, table.schema()), keyColumns, startAfter.get(id));
        tablesByName.put(id, state);
        return state;
    }

    private static boolean keyChanged(TableState t, Serializable[] before, Serializable[] after) {
        for (int k : t.keyColumns()) {
            if (!Objects.deepEquals(before[k], after[k])) {
                return true;
            }
        }
        return false;
    }

    private void emit(TableState t, ChangeKind kind, EventHeaderV4 header, Serializable[] row) {
        sink.begin(t.handle(), kind, rowEventPosition(header), eventMicros);
        try {
            t.table().set(sink, row);
        } catch (IllegalArgumentException e) {
            sink.dirty(e.getMessage(), Arrays.deepToString(row));
            return;
        }
        sink.emit();
    }

    private void fail(Throwable t) {
        if (failure.compareAndSet(null, t)) {
            disconnectLater();
        }
    }

    /** Ends the client's event loop from another thread (never from inside it). */
    private void disconnectLater() {
        BinaryLogClient c = client;
        if (c == null) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                c.disconnect();
            } catch (IOException e) {
                LOG.debug("disconnecting the binlog client failed", e);
            }
        }, "ferry-binlog-disconnect");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void acknowledge(Position position) {
        // The binary log is kept by the server's own retention, not by this reader's progress.
    }

    @Override
    public void stop() {
        stopped = true;
        disconnectLater();
    }

    @Override
    public void close() {
        stopped = true;
        BinaryLogClient c = client;
        if (c != null) {
            try {
                c.disconnect();
            } catch (IOException e) {
                LOG.debug("disconnecting the binlog client failed", e);
            }
        }
    }
}
