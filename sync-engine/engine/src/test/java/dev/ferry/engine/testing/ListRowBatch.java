package dev.ferry.engine.testing;

import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A {@link RowBatch} over rows given as {@code Object[]}. Long-backed columns accept either the
 * raw Long or the java.time object form (LocalDate, LocalTime, LocalDateTime, Instant). For writer
 * unit tests.
 */
public final class ListRowBatch implements RowBatch {

    private final TableSchema schema;
    private final List<Object[]> rows;

    public ListRowBatch(TableSchema schema, List<Object[]> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a batch has at least one row");
        }
        this.schema = schema;
        this.rows = List.copyOf(rows);
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
    public boolean isNull(int row, int column) {
        return rows.get(row)[column] == null;
    }

    @Override
    public boolean getBoolean(int row, int column) {
        return (Boolean) rows.get(row)[column];
    }

    @Override
    public long getLong(int row, int column) {
        Object v = rows.get(row)[column];
        if (v instanceof LocalDate d) {
            return d.toEpochDay();
        }
        if (v instanceof LocalTime t) {
            return t.toNanoOfDay();
        }
        if (v instanceof LocalDateTime ts) {
            return ChronoUnit.MICROS.between(Instant.EPOCH, ts.toInstant(ZoneOffset.UTC));
        }
        if (v instanceof Instant i) {
            return ChronoUnit.MICROS.between(Instant.EPOCH, i);
        }
        return ((Number) v).longValue();
    }

    @Override
    public double getDouble(int row, int column) {
        return ((Number) rows.get(row)[column]).doubleValue();
    }

    @Override
    public Object getObject(int row, int column) {
        Object v = rows.get(row)[column];
        if (v == null) {
            return null;
        }
        return switch (schema.column(column).type()) {
            case DATE -> LocalDate.ofEpochDay(getLong(row, column));
            case TIME -> LocalTime.ofNanoOfDay(getLong(row, column));
            case TIMESTAMP -> LocalDateTime.ofEpochSecond(Math.floorDiv(getLong(row, column), 1_000_000L),
                    (int) Math.floorMod(getLong(row, column), 1_000_000L) * 1000, ZoneOffset.UTC);
            case TIMESTAMPTZ -> Instant.EPOCH.plus(getLong(row, column), ChronoUnit.MICROS);
            default -> v;
        };
    }

    @Override
    public long rowBytes(int row) {
        return 8L * schema.arity();
    }
}
