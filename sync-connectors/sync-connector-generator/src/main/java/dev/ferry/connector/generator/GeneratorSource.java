package dev.ferry.connector.generator;

import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.data.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A source of {@link GeneratorSettings#rows()} synthetic rows, split into row ranges.
 *
 * <p>It touches no external system: {@link #prepare} does nothing and the schema is known from
 * the configuration. It makes {@code 4 × concurrency} splits of nearly equal size (the first
 * {@code rows % splits} get one row more), fewer when there are fewer rows than that, and one
 * empty split when there are no rows.
 *
 * <p>Threading: {@code createReader} may be called from several threads at once; the source holds
 * only immutable state.
 */
public final class GeneratorSource implements Source {

    /** Splits per unit of concurrency, so that fast channels can take more of them. */
    static final int SPLITS_PER_CHANNEL = 4;

    private final GeneratorSettings settings;
    private final TableSchema schema;

    public GeneratorSource(GeneratorSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.schema = settings.schema();
    }

    public GeneratorSettings settings() {
        return settings;
    }

    @Override
    public void prepare(JobContext context) {
        // Nothing to reach or check: the configuration defines everything.
    }

    @Override
    public TableSchema schema() {
        return schema;
    }

    @Override
    public List<RowRangeSplit> planSplits(JobContext context) {
        return plan(settings.rows(), Math.max(context.concurrency() * SPLITS_PER_CHANNEL, 1));
    }

    /** Divides {@code rows} rows into at most {@code maxSplits} contiguous ranges of near-equal size. */
    static List<RowRangeSplit> plan(long rows, int maxSplits) {
        if (rows == 0) {
            return List.of(RowRangeSplit.of(0, 0));
        }
        int count = (int) Math.min(rows, maxSplits);
        long base = rows / count;
        long remainder = rows % count;
        List<RowRangeSplit> splits = new ArrayList<>(count);
        long start = 0;
        for (int i = 0; i < count; i++) {
            long end = start + base + (i < remainder ? 1 : 0);
            splits.add(RowRangeSplit.of(start, end));
            start = end;
        }
        return List.copyOf(splits);
    }

    @Override
    public SourceReader createReader(Split split) {
        if (!(split instanceof RowRangeSplit range)) {
            throw new IllegalArgumentException("generator source reads RowRangeSplit, got "
                    + (split == null ? "null" : split.getClass().getName()));
        }
        if (range.endExclusive() > settings.rows()) {
            throw new IllegalArgumentException("split '" + range.id() + "' ends after the last row "
                    + settings.rows());
        }
        return new GeneratorReader(range, new RowGenerator(settings.seed(), settings.columns()));
    }

    @Override
    public void close() {
        // Holds no resources.
    }
}
