package dev.ferry.connector.jdbc.capture;

import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeReader;
import dev.ferry.api.change.ChangeSink;
import dev.ferry.api.change.TableId;
import dev.ferry.api.state.Position;
import dev.ferry.connector.jdbc.ErrorTranslator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a stream's H2 change table ({@link ChangeLog}) from a position, on its own session.
 *
 * <p>Each poll reads the changes numbered after the last one read, in order, at most
 * {@value #POLL_ROWS} at a time. Because the trigger numbers changes under the clock's row lock,
 * the committed changes are always exactly those numbered 1 to some n, and a poll's statement sees
 * such a prefix: nothing committed later can appear below what was read. Consecutive changes with
 * the same transaction mark (session and H2 transaction id) are one source transaction; it is
 * committed to the sink at the first change of the next one, or when a poll returned fewer rows
 * than it asked for (then it read every committed change, and the last transaction whole). Its
 * commit position is its last change's number and its commit time the time of its last change (a
 * trigger cannot see the commit itself). A transaction with nothing for the stream (only tables
 * that left it, or joining tables' changes from before their copy) is passed on as an advance. A
 * quiet change log does not move, so an idle reader reports nothing until something is written.
 *
 * <p>An insert is an {@link ChangeKind#INSERT}, a delete a {@link ChangeKind#DELETE} with the whole
 * old row, an update an {@link ChangeKind#UPDATE} with the whole new row, or a delete and an insert
 * when it changed the key. {@link #acknowledge} lets the reading thread delete the acknowledged
 * changes from the table, so the table holds what is not yet safe in the target. {@link #stop}
 * ends {@link #read} after the transaction being read, however many polls that takes.
 *
 * <p>Threading: {@code read} and {@code close} on one thread; {@code acknowledge} and
 * {@code stop} from any.
 */
final class H2ChangeReader implements ChangeReader {

    private static final Logger LOG = LoggerFactory.getLogger(H2ChangeReader.class);
    /** Changes read per poll: bounded memory, few round trips. */
    static final int POLL_ROWS = 1_000;

    private final H2Connections connections;
    private final ChangeLog log;
    private final Map<TableId, CapturedTable> planned;
    private final Map<TableId, Long> skipUpTo;
    private final DeclaredTables declared;
    private final long pollNanos;
    private final ErrorTranslator errors;
    private final AtomicLong acknowledged = new AtomicLong(-1);
    private volatile boolean stopped;
    private volatile Thread reading;
    private Connection connection;
    private long readUpTo;
    private long trimmed = -1;
    private String openTx;
    private long openLast;
    private long openChangedAt;
    private boolean openEmitted;

    /**
     * @param skipUpTo for tables that join the stream, the number of the last change their copy holds
     */
    H2ChangeReader(H2Connections connections, ChangeLog log, Map<TableId, CapturedTable> planned,
                   Map<TableId, Long> skipUpTo, DeclaredTables declared, H2Position from, long pollMillis) {
        this.connections = connections;
        this.log = log;
        this.planned = Map.copyOf(planned);
        this.skipUpTo = Map.copyOf(skipUpTo);
        this.declared = declared;
        this.pollNanos = TimeUnit.MILLISECONDS.toNanos(pollMillis);
        this.errors = connections.errors();
        this.readUpTo = from.seq();
    }

    @Override
    public void read(ChangeSink sink) {
        reading = Thread.currentThread();
        LOG.info("change log {}: reading changes after {}", log.id(), readUpTo);
        try {
            connection = connections.open();
            try (PreparedStatement poll = connection.prepareStatement(log.pollSql());
                 PreparedStatement trim = connection.prepareStatement(log.trimSql())) {
                while (!stopped || openTx != null) {
                    trim(trim);
                    if (poll(poll, sink) < POLL_ROWS) {
                        if (openTx != null) {
                            finish(sink);
                        }
                        if (!stopped) {
                            LockSupport.parkNanos(this, pollNanos);
                        }
                    }
                }
                trim(trim);
            }
        } catch (SQLException e) {
            throw errors.translate("reading change log " + log.id() + " after change " + readUpTo, e);
        } finally {
            reading = null;
            closeConnection();
        }
    }

    /** Reads the next changes; returns how many rows the change table gave. */
    private int poll(PreparedStatement poll, ChangeSink sink) throws SQLException {
        poll.setLong(1, readUpTo);
        poll.setInt(2, POLL_ROWS);
        int rows = 0;
        try (ResultSet rs = poll.executeQuery()) {
            while (rs.next()) {
                rows++;
                String tx = rs.getString(2);
                if (openTx != null && !openTx.equals(tx)) {
                    finish(sink);
                    if (stopped) {
                        break;
                    }
                }
                change(rs, tx, sink);
            }
        }
        return rows;
    }

    private void change(ResultSet rs, String tx, ChangeSink sink) throws SQLException {
        long seq = rs.getLong(1);
        if (openTx == null) {
            openTx = tx;
            openEmitted = false;
        }
        long changedAt = rs.getLong(6);
        openLast = seq;
        openChangedAt = changedAt;
        readUpTo = seq;
        TableId table = new TableId(rs.getString(3), rs.getString(4));
        if (!planned.containsKey(table) || seq <= skipUpTo.getOrDefault(table, -1L)) {
            return;
        }
        DeclaredTables.Declared layout = declared.of(connection, sink, table, rs.getString(7));
        H2Position position = new H2Position(seq);
        String oldImage = rs.getString(8);
        String newImage = rs.getString(9);
        switch (rs.getString(5).charAt(0)) {
            case 'I' -> emit(sink, layout, ChangeKind.INSERT, position, changedAt, newImage);
            case 'D' -> emit(sink, layout, ChangeKind.DELETE, position, changedAt, oldImage);
            default -> update(sink, layout, position, changedAt, oldImage, newImage);
        }
        openEmitted = true;
    }

    private void update(ChangeSink sink, DeclaredTables.Declared layout, H2Position position, long changedAt,
                        String oldImage, String newImage) {
        boolean keyChanged;
        try {
            Object[] before = image(layout, oldImage);
            Object[] after = image(layout, newImage);
            keyChanged = false;
            for (int k : layout.keyIndex()) {
                keyChanged |= !CapturedValues.sameKey(before[k], after[k]);
            }
        } catch (IllegalArgumentException e) {
            sink.begin(layout.handle(), ChangeKind.UPDATE, position, changedAt);
            sink.dirty(e.getMessage(), newImage);
            return;
        }
        if (keyChanged) {
            emit(sink, layout, ChangeKind.DELETE, position, changedAt, oldImage);
            emit(sink, layout, ChangeKind.INSERT, position, changedAt, newImage);
        } else {
            emit(sink, layout, ChangeKind.UPDATE, position, changedAt, newImage);
        }
    }

    private static void emit(ChangeSink sink, DeclaredTables.Declared layout, ChangeKind kind, H2Position position,
                             long changedAt, String rowImage) {
        sink.begin(layout.handle(), kind, position, changedAt);
        try {
            Object[] values = image(layout, rowImage);
            for (int c = 0; c < layout.imageIndex().length; c++) {
                CapturedValues.set(sink, c, layout.schema().column(c).type(), values[layout.imageIndex()[c]]);
            }
        } catch (IllegalArgumentException e) {
            sink.dirty(e.getMessage(), rowImage);
            return;
        }
        sink.emit();
    }

    private static Object[] image(DeclaredTables.Declared layout, String rowImage) {
        if (rowImage == null) {
            throw new IllegalArgumentException("the change has no row image");
        }
        Object[] values = RowImage.decode(rowImage);
        if (values.length != layout.width()) {
            throw new IllegalArgumentException("the row image holds " + values.length + " values for "
                    + layout.width() + " columns");
        }
        return values;
    }

    /** The transaction being read is complete. */
    private void finish(ChangeSink sink) {
        H2Position end = new H2Position(openLast);
        if (openEmitted) {
            sink.commit(end, openChangedAt);
        } else {
            sink.advance(end);
        }
        openTx = null;
    }

    private void trim(PreparedStatement trim) throws SQLException {
        long upTo = acknowledged.get();
        if (upTo > trimmed) {
            trim.setLong(1, upTo);
            int removed = trim.executeUpdate();
            trimmed = upTo;
            LOG.debug("change log {}: {} change(s) up to {} removed", log.id(), removed, upTo);
        }
    }

    @Override
    public void acknowledge(Position position) {
        long seq = ((H2Position) position).seq();
        acknowledged.accumulateAndGet(seq, Math::max);
    }

    @Override
    public void stop() {
        stopped = true;
        Thread thread = reading;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void close() {
        stopped = true;
        closeConnection();
    }

    private void closeConnection() {
        Connection open = connection;
        connection = null;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException e) {
                LOG.debug("closing the change-log session failed", e);
            }
        }
    }
}
