package dev.ferry.engine.runtime;

import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeSink;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.api.job.DirtyRecord;
import dev.ferry.api.state.Position;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link ChangeSink} a change reader fills. Each record is staged, then routed by the hash of
 * its table and key to one writer {@link ChangeChannel}, so all changes of a key go through one
 * channel in source order while different keys are applied in parallel. Commits are recorded in
 * {@link Checkpoints} with the routed counts that make them safe.
 *
 * <p>Threading: used by the one reader thread; {@link #counts()} may be read from any thread.
 */
final class ChangeRouter implements ChangeSink {

    /**
     * One version of a table's schema, with where its key columns are; a held table's changes are
     * dropped (it is being copied, and its changes are read again once the copy is done).
     */
    record TableState(TableId id, TableSchema schema, int[] keyIndexes, int handle, int version, boolean held) {
    }

    private final ChangeChannel[] channels;
    private final Checkpoints checkpoints;
    private final StreamMetrics metrics;
    private final DirtyData dirty;
    private final List<TableState> tables = new ArrayList<>();
    private final Set<TableId> held;
    private final long[] routed;
    private long[] longs = new long[16];
    private Object[] objects = new Object[16];
    private byte[] states = new byte[16];
    private TableState current;
    private ChangeKind kind;
    private Position position;
    private long commitMicros;
    private long sequence;
    private int rowBytes;

    ChangeRouter(ChangeChannel[] channels, Checkpoints checkpoints, StreamMetrics metrics, DirtyData dirty) {
        this(channels, checkpoints, metrics, dirty, Set.of());
    }

    /** @param held tables whose changes are dropped by readers attached while this router lives */
    ChangeRouter(ChangeChannel[] channels, Checkpoints checkpoints, StreamMetrics metrics, DirtyData dirty,
                 Set<TableId> held) {
        this.held = ConcurrentHashMap.newKeySet();
        this.held.addAll(held);
        this.channels = channels;
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.dirty = dirty;
        this.routed = new long[channels.length];
    }

    @Override
    public int table(TableId id, TableSchema schema) {
        if (schema.primaryKey().isEmpty()) {
            throw new SyncException(ErrorKind.CONFIGURATION, "table " + id + " has no primary key: its changes cannot be "
                    + "applied by key; give it a primary key or leave it out of source.tables");
        }
        int[] keys = new int[schema.primaryKey().size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = schema.indexOf(schema.primaryKey().get(i));
        }
        int version = 0;
        for (TableState t : tables) {
            if (t.id().equals(id)) {
                version = Math.max(version, t.version() + 1);
            }
        }
        TableState state = new TableState(id, schema, keys, tables.size(), version, held.contains(id));
        tables.add(state);
        if (schema.arity() > longs.length) {
            longs = new long[schema.arity()];
            objects = new Object[schema.arity()];
            states = new byte[schema.arity()];
        }
        return state.handle();
    }

    @Override
    public void begin(int table, ChangeKind changeKind, Position changePosition, long commit) {
        current = tables.get(table);
        kind = changeKind;
        position = changePosition;
        commitMicros = commit;
        rowBytes = 0;
        Arrays.fill(states, 0, current.schema().arity(), ChangeRows.VALUE);
        Arrays.fill(objects, 0, current.schema().arity(), null);
    }

    @Override
    public void setNull(int column) {
        states[column] = ChangeRows.NULL;
        rowBytes += 1;
    }

    @Override
    public void setUnchanged(int column) {
        states[column] = ChangeRows.UNCHANGED;
    }

    @Override
    public void setBoolean(int column, boolean value) {
        longs[column] = value ? 1 : 0;
        rowBytes += 1;
    }

    @Override
    public void setLong(int column, long value) {
        longs[column] = value;
        rowBytes += 8;
    }

    @Override
    public void setDouble(int column, double value) {
        longs[column] = Double.doubleToRawLongBits(value);
        rowBytes += 8;
    }

    @Override
    public void setObject(int column, Object value) {
        if (value == null) {
            setNull(column);
            return;
        }
        objects[column] = value;
        rowBytes += ChannelSink.sizeOf(value);
    }

    /** Tables declared from now on (by the next reader) are no longer held. */
    void release(Collection<TableId> tables) {
        held.removeAll(tables);
    }

    @Override
    public void emit() {
        TableState table = requireRecord();
        if (table.held()) {
            current = null;
            return;
        }
        int channel = Math.floorMod(spread(keyHash(table)), channels.length);
        channels[channel].append(table, kind, position, commitMicros, sequence++, longs, objects, states, rowBytes);
        routed[channel]++;
        metrics.read(rowBytes);
        current = null;
    }

    @Override
    public void dirty(String reason, String raw) {
        TableState table = requireRecord();
        if (table.held()) {
            current = null;
            return;
        }
        metrics.readDirty();
        dirty.add(new DirtyRecord(table.id().toString(), 0, "read", kind + " " + reason, raw));
        current = null;
    }

    @Override
    public void commit(Position commitPosition, long commit) {
        checkpoints.committed(commitPosition, commit, routed);
        sequence = 0;
    }

    @Override
    public void advance(Position advancePosition) {
        checkpoints.committed(advancePosition, System.currentTimeMillis() * 1000, routed);
    }

    /** No more changes: every channel applies what it holds and ends. */
    void finish() {
        for (ChangeChannel channel : channels) {
            channel.finish();
        }
    }

    private TableState requireRecord() {
        if (current == null) {
            throw new IllegalStateException("emit() or dirty() without begin()");
        }
        return current;
    }

    private int keyHash(TableState table) {
        int h = table.id().hashCode();
        for (int k : table.keyIndexes()) {
            int v;
            if (states[k] != ChangeRows.VALUE) {
                v = 0;
            } else if (table.schema().column(k).type().isObjectBacked()) {
                Object o = objects[k];
                v = o instanceof byte[] b ? Arrays.hashCode(b)
                        : o instanceof java.math.BigDecimal d ? d.stripTrailingZeros().hashCode() : o.hashCode();
            } else {
                v = Long.hashCode(longs[k]);
            }
            h = 31 * h + v;
        }
        return h;
    }

    /** Murmur3's finaliser: neighbouring keys land on different channels. */
    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
