package dev.ferry.connector.jdbc.testing;

import dev.ferry.api.change.ChangeBatch;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.state.Position;
import dev.ferry.engine.testing.ListRowBatch;
import dev.ferry.engine.testing.SeqPosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ChangeBatch} for writer tests, built change by change: each with its kind, a test
 * position, a commit time and its sequence in the transaction; an {@link #UNCHANGED} value marks a
 * column the source did not send.
 */
public final class ListChangeBatch implements ChangeBatch {

    /** The value of a column the source left out because it did not change. */
    public static final Object UNCHANGED = new Object();

    private final TableId table;
    private final TableSchema schema;
    private final List<Object[]> rows = new ArrayList<>();
    private final List<ChangeKind> kinds = new ArrayList<>();
    private final List<Position> positions = new ArrayList<>();
    private final List<Long> commits = new ArrayList<>();
    private final List<Long> sequences = new ArrayList<>();
    private ListRowBatch values;

    public ListChangeBatch(TableId table, TableSchema schema) {
        this.table = table;
        this.schema = schema;
    }

    /** Adds a change of transaction {@code transaction} committed at {@code commit}. */
    public ListChangeBatch add(ChangeKind kind, long transaction, long sequence, Instant commit, Object... row) {
        rows.add(row);
        kinds.add(kind);
        positions.add(new SeqPosition(transaction));
        commits.add(commit.getEpochSecond() * 1_000_000L + commit.getNano() / 1_000);
        sequences.add(sequence);
        values = null;
        return this;
    }

    private ListRowBatch values() {
        if (values == null) {
            List<Object[]> plain = new ArrayList<>();
            for (Object[] row : rows) {
                Object[] copy = row.clone();
                for (int i = 0; i < copy.length; i++) {
                    copy[i] = copy[i] == UNCHANGED ? null : copy[i];
                }
                plain.add(copy);
            }
            values = new ListRowBatch(schema, plain);
        }
        return values;
    }

    @Override
    public TableId table() {
        return table;
    }

    @Override
    public TableSchema schema() {
        return schema;
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public ChangeKind kind(int row) {
        return kinds.get(row);
    }

    @Override
    public boolean isUnchanged(int row, int column) {
        return rows.get(row)[column] == UNCHANGED;
    }

    @Override
    public Position position(int row) {
        return positions.get(row);
    }

    @Override
    public long commitMicros(int row) {
        return commits.get(row);
    }

    @Override
    public long sequence(int row) {
        return sequences.get(row);
    }

    @Override
    public boolean isNull(int row, int column) {
        return values().isNull(row, column);
    }

    @Override
    public boolean getBoolean(int row, int column) {
        return values().getBoolean(row, column);
    }

    @Override
    public long getLong(int row, int column) {
        return values().getLong(row, column);
    }

    @Override
    public double getDouble(int row, int column) {
        return values().getDouble(row, column);
    }

    @Override
    public Object getObject(int row, int column) {
        return values().getObject(row, column);
    }

    @Override
    public long rowBytes(int row) {
        return values().rowBytes(row);
    }
}
