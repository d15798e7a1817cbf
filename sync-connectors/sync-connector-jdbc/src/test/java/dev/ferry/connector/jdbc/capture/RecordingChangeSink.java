package dev.ferry.connector.jdbc.capture;

import static org.junit.jupiter.api.Assertions.fail;

import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeSink;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.state.Position;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ChangeSink} that keeps what a reader delivered: the declared schemas, each committed
 * transaction with its changes, and the advances. Values are in object form (Long for every
 * long-backed type, Double, Boolean, the object; null for setNull; {@link #UNCHANGED} for an
 * unchanged marker). Tests wait on it from their own thread.
 */
final class RecordingChangeSink implements ChangeSink {

    /** The value of a column marked unchanged. */
    static final Object UNCHANGED = new Object() {
        @Override
        public String toString() {
            return "<unchanged>";
        }
    };

    /** A delivered change. */
    record Change(TableId table, ChangeKind kind, long seq, List<Object> values, TableSchema schema) {

        /** The value of the named column. */
        Object get(String column) {
            int index = schema.indexOf(column);
            if (index < 0) {
                throw new IllegalArgumentException("no column " + column + " in " + schema.columns());
            }
            return values.get(index);
        }
    }

    /** A committed transaction. */
    record Transaction(long position, List<Change> changes) {
    }

    private record Declared(TableId table, TableSchema schema) {
    }

    private final List<Declared> declared = new ArrayList<>();
    private final List<Transaction> transactions = new ArrayList<>();
    private final List<Long> advances = new ArrayList<>();
    private final List<String> dirty = new ArrayList<>();
    private List<Change> open = new ArrayList<>();
    private volatile Runnable afterEmit = () -> { };
    private Declared current;
    private ChangeKind kind;
    private long seq;
    private Object[] values;

    @Override
    public synchronized int table(TableId table, TableSchema schema) {
        declared.add(new Declared(table, schema));
        return declared.size() - 1;
    }

    @Override
    public synchronized void begin(int table, ChangeKind changeKind, Position position, long commitMicros) {
        current = declared.get(table);
        kind = changeKind;
        seq = ((H2Position) position).seq();
        values = new Object[current.schema().arity()];
    }

    @Override
    public synchronized void setUnchanged(int column) {
        values[column] = UNCHANGED;
    }

    @Override
    public synchronized void setNull(int column) {
        values[column] = null;
    }

    @Override
    public synchronized void setBoolean(int column, boolean value) {
        values[column] = value;
    }

    @Override
    public synchronized void setLong(int column, long value) {
        values[column] = value;
    }

    @Override
    public synchronized void setDouble(int column, double value) {
        values[column] = value;
    }

    @Override
    public synchronized void setObject(int column, Object value) {
        values[column] = value;
    }

    @Override
    public void emit() {
        synchronized (this) {
            open.add(new Change(current.table(), kind, seq, Arrays.asList(values.clone()), current.schema()));
        }
        afterEmit.run();
    }

    /** Runs {@code hook} on the reader's thread after every emitted change. */
    void afterEmit(Runnable hook) {
        afterEmit = hook;
    }

    @Override
    public synchronized void dirty(String reason, String raw) {
        dirty.add(reason + ": " + raw);
    }

    @Override
    public synchronized void commit(Position position, long commitMicros) {
        transactions.add(new Transaction(((H2Position) position).seq(), List.copyOf(open)));
        open = new ArrayList<>();
        notifyAll();
    }

    @Override
    public synchronized void advance(Position position) {
        advances.add(((H2Position) position).seq());
        notifyAll();
    }

    synchronized List<Transaction> transactions() {
        return List.copyOf(transactions);
    }

    /** Every committed change, in delivery order. */
    synchronized List<Change> changes() {
        List<Change> all = new ArrayList<>();
        transactions.forEach(t -> all.addAll(t.changes()));
        return all;
    }

    /** Changes begun since the last commit. */
    synchronized List<Change> uncommitted() {
        return List.copyOf(open);
    }

    synchronized List<Long> advances() {
        return List.copyOf(advances);
    }

    synchronized List<String> dirty() {
        return List.copyOf(dirty);
    }

    /** The schemas declared for a table, in order. */
    synchronized List<TableSchema> schemas(TableId table) {
        return declared.stream().filter(d -> d.table().equals(table)).map(Declared::schema).toList();
    }

    /** The last committed or advanced position, or -1. */
    synchronized long lastPosition() {
        long last = -1;
        if (!transactions.isEmpty()) {
            last = transactions.get(transactions.size() - 1).position();
        }
        if (!advances.isEmpty()) {
            last = Math.max(last, advances.get(advances.size() - 1));
        }
        return last;
    }

    /** Waits until at least {@code count} changes were committed; fails after ten seconds. */
    synchronized List<Change> awaitChanges(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (changes().size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("expected " + count + " committed changes, got " + changes().size() + ": " + changes());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return changes();
    }

    /** Waits until the committed or advanced position reaches {@code seq}; fails after ten seconds. */
    synchronized void awaitPosition(long position) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lastPosition() < position) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("expected position " + position + ", got " + lastPosition());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
