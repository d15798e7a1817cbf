package dev.ferry.engine.runtime;

import dev.ferry.api.change.ChangeBatch;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.state.Position;
import java.util.Arrays;

/**
 * The changes of one table (one schema version) gathered for one writer channel: a growable
 * row-major store like {@link ColumnarBatch}, with a value state per cell (value, null,
 * unchanged) and per row its kind, position, commit time and in-transaction sequence.
 *
 * <p>Threading: filled by the router thread under its channel's lock, then handed whole to the
 * channel's writer thread.
 */
final class ChangeRows implements ChangeBatch {

    static final byte VALUE = 0;
    static final byte NULL = 1;
    static final byte UNCHANGED = 2;
    private static final ChangeKind[] KINDS = ChangeKind.values();
    private static final int INITIAL_ROWS = 16;

    final ChangeRouter.TableState table;
    private final TableSchema schema;
    private final DataType[] types;
    private final int arity;
    private long[] longs;
    private Object[] objects;
    private byte[] states;
    private byte[] kinds;
    private Position[] positions;
    private long[] commitMicros;
    private long[] sequences;
    private int[] rowBytes;
    int size;

    ChangeRows(ChangeRouter.TableState table) {
        this.table = table;
        this.schema = table.schema();
        this.arity = schema.arity();
        this.types = new DataType[arity];
        for (int i = 0; i < arity; i++) {
            types[i] = schema.column(i).type();
        }
        allocate(INITIAL_ROWS);
    }

    private void allocate(int rows) {
        longs = longs == null ? new long[rows * arity] : Arrays.copyOf(longs, rows * arity);
        objects = objects == null ? new Object[rows * arity] : Arrays.copyOf(objects, rows * arity);
        states = states == null ? new byte[rows * arity] : Arrays.copyOf(states, rows * arity);
        kinds = kinds == null ? new byte[rows] : Arrays.copyOf(kinds, rows);
        positions = positions == null ? new Position[rows] : Arrays.copyOf(positions, rows);
        commitMicros = commitMicros == null ? new long[rows] : Arrays.copyOf(commitMicros, rows);
        sequences = sequences == null ? new long[rows] : Arrays.copyOf(sequences, rows);
        rowBytes = rowBytes == null ? new int[rows] : Arrays.copyOf(rowBytes, rows);
    }

    /** Appends the staged record; the stage's arrays hold at least {@code arity} cells. */
    void add(ChangeKind kind, Position position, long commit, long sequence, long[] stagedLongs,
             Object[] stagedObjects, byte[] stagedStates, int bytes) {
        if (size == kinds.length) {
            allocate(size * 2);
        }
        int base = size * arity;
        System.arraycopy(stagedLongs, 0, longs, base, arity);
        System.arraycopy(stagedObjects, 0, objects, base, arity);
        System.arraycopy(stagedStates, 0, states, base, arity);
        kinds[size] = (byte) kind.ordinal();
        positions[size] = position;
        commitMicros[size] = commit;
        sequences[size] = sequence;
        rowBytes[size] = bytes;
        size++;
    }

    @Override
    public TableId table() {
        return table.id();
    }

    @Override
    public TableSchema schema() {
        return schema;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public ChangeKind kind(int row) {
        return KINDS[kinds[row]];
    }

    @Override
    public boolean isUnchanged(int row, int column) {
        return states[row * arity + column] == UNCHANGED;
    }

    @Override
    public boolean isNull(int row, int column) {
        return states[row * arity + column] == NULL;
    }

    @Override
    public boolean getBoolean(int row, int column) {
        return longs[row * arity + column] != 0;
    }

    @Override
    public long getLong(int row, int column) {
        return longs[row * arity + column];
    }

    @Override
    public double getDouble(int row, int column) {
        return Double.longBitsToDouble(longs[row * arity + column]);
    }

    @Override
    public Object getObject(int row, int column) {
        int i = row * arity + column;
        return states[i] != VALUE ? null : ColumnarBatch.objectOf(types[column], longs[i], objects[i]);
    }

    @Override
    public long rowBytes(int row) {
        return rowBytes[row];
    }

    @Override
    public Position position(int row) {
        return positions[row];
    }

    @Override
    public long commitMicros(int row) {
        return commitMicros[row];
    }

    @Override
    public long sequence(int row) {
        return sequences[row];
    }
}
