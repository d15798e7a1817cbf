package dev.ferry.connector.jdbc.testing;

import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeSink;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.state.Position;
import dev.ferry.engine.testing.CollectingRecordSink;
import dev.ferry.engine.testing.ForwardingRecordSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;

/**
 * A {@link ChangeSink} that keeps every committed change with its values, its position and the
 * position of its transaction's commit, every commit and the last position reached. Each table's
 * values go through a {@link CollectingRecordSink} of its schema, which checks that every setter
 * suits its column's type. For tests that drive a change reader without the engine.
 *
 * <p>Threading: the reader's thread feeds it; other threads read copies of what it kept.
 */
public final class RecordingChangeSink extends ForwardingRecordSink implements ChangeSink {

    /** Stands for a value marked unchanged ({@link #setUnchanged}). */
    public static final Object UNCHANGED = new Object() {
        @Override
        public String toString() {
            return "<unchanged>";
        }
    };

    /**
     * A committed change.
     *
     * @param values the row in object form (see {@link CollectingRecordSink}), {@link #UNCHANGED}
     *               where marked so
     * @param key    the value of the table's first key column
     * @param commit the position its transaction's commit reported
     */
    public record Change(TableId table, ChangeKind kind, Object key, List<Object> values, Position position,
                         Position commit) {
    }

    private final List<TableId> tables = new ArrayList<>();
    private final List<TableSchema> schemas = new ArrayList<>();
    private final List<CollectingRecordSink> rows = new ArrayList<>();
    private final List<Change> pending = new ArrayList<>();
    private final List<Change> committed = new ArrayList<>();
    private final List<Position> commits = new ArrayList<>();
    private final BitSet unchanged = new BitSet();
    private Position reached;
    private int table;
    private ChangeKind kind;
    private Position position;

    @Override
    protected RecordSink delegate() {
        return rows.get(table);
    }

    @Override
    public synchronized int table(TableId id, TableSchema schema) {
        tables.add(id);
        schemas.add(schema);
        rows.add(new CollectingRecordSink(schema));
        return tables.size() - 1;
    }

    @Override
    public synchronized void begin(int handle, ChangeKind changeKind, Position changePosition, long commitMicros) {
        table = handle;
        kind = changeKind;
        position = changePosition;
        unchanged.clear();
    }

    @Override
    public void setUnchanged(int column) {
        unchanged.set(column);
    }

    @Override
    public synchronized void emit() {
        super.emit();
        List<Object[]> emitted = rows.get(table).rows();
        Object[] values = emitted.remove(emitted.size() - 1);
        unchanged.stream().forEach(column -> values[column] = UNCHANGED);
        TableSchema schema = schemas.get(table);
        Object key = values[schema.indexOf(schema.primaryKey().get(0))];
        pending.add(new Change(tables.get(table), kind, key, Collections.unmodifiableList(Arrays.asList(values)), position,
                null));
    }

    @Override
    public void dirty(String reason, String raw) {
        throw new AssertionError("dirty change: " + reason + " (" + raw + ")");
    }

    @Override
    public synchronized void commit(Position commit, long commitMicros) {
        for (Change change : pending) {
            committed.add(new Change(change.table(), change.kind(), change.key(), change.values(), change.position(),
                    commit));
        }
        pending.clear();
        commits.add(commit);
        reached = commit;
    }

    @Override
    public synchronized void advance(Position advanced) {
        reached = advanced;
    }

    /** The committed changes so far, in order. */
    public synchronized List<Change> changes() {
        return List.copyOf(committed);
    }

    /** Every commit position so far, in order. */
    public synchronized List<Position> commits() {
        return List.copyOf(commits);
    }

    /** The last commit or advance position, or null before the first. */
    public synchronized Position reached() {
        return reached;
    }
}
