package dev.ferry.benchmarks;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;
import dev.ferry.engine.runtime.BenchmarkBatches;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The record every conversion benchmark moves: the same five columns as the {@code generator}'s
 * default (int64 {@code id}, string {@code name}, float64 {@code amount}, timestamp
 * {@code created_at}, boolean {@code active}) and the same shape of values, drawn once from a fixed
 * seed so that every run converts the same data.
 *
 * <p>Threading: immutable; safe to share.
 */
public final class BenchmarkRecords {

    /** The five columns, all nullable as a database would report them. */
    public static final TableSchema SCHEMA = new TableSchema("bench", List.of(
            Column.of("id", DataType.INT64),
            Column.of("name", DataType.STRING),
            Column.of("amount", DataType.FLOAT64),
            Column.of("created_at", DataType.TIMESTAMP),
            Column.of("active", DataType.BOOLEAN)), List.of("id"));

    private static final int DISTINCT = 1 << 16;
    private static final long MICROS_2000 = 946_684_800_000_000L;
    private static final long MICROS_IN_30_YEARS = 946_728_000_000_000L;
    private static final String[] NAMES = new String[DISTINCT];
    private static final double[] AMOUNTS = new double[DISTINCT];
    private static final long[] TIMESTAMPS = new long[DISTINCT];

    static {
        SplittableRandom random = new SplittableRandom(42);
        char[] alphabet = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
        for (int i = 0; i < DISTINCT; i++) {
            char[] name = new char[12];
            for (int c = 0; c < name.length; c++) {
                name[c] = alphabet[random.nextInt(alphabet.length)];
            }
            NAMES[i] = new String(name);
            AMOUNTS[i] = random.nextInt(100_000_000) / 100.0;
            TIMESTAMPS[i] = MICROS_2000 + random.nextLong(MICROS_IN_30_YEARS);
        }
    }

    private BenchmarkRecords() {
    }

    /** Sets the five columns of record {@code row} (any non-negative number) and does not emit. */
    public static void fill(RecordSink sink, int row) {
        int i = row & (DISTINCT - 1);
        sink.setLong(0, row);
        sink.setObject(1, NAMES[i]);
        sink.setDouble(2, AMOUNTS[i]);
        sink.setLong(3, TIMESTAMPS[i]);
        sink.setBoolean(4, (row % 3) == 0);
    }

    /** The engine's own batch holding records {@code 0 .. rows - 1}. */
    public static RowBatch batch(int rows) {
        return BenchmarkBatches.filled(SCHEMA, rows, BenchmarkRecords::fill);
    }
}
