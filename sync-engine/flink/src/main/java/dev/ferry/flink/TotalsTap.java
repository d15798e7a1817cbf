package dev.ferry.flink;

import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sits in the operator chain between the Ferry reader and writer, passing every chunk on, and
 * keeps the job's {@link CopyTotals} (which the enumerator sends at the end) in an accumulator, the
 * way a Flink job hands results to its client. Costs one call per batch.
 */
final class TotalsTap extends ProcessFunction<Chunk, Chunk> {

    private static final long serialVersionUID = 1L;

    /** The accumulator's name in the job's result. */
    static final String ACCUMULATOR = "ferry-totals";

    private transient Totals totals;

    @Override
    public void open(OpenContext openContext) {
        totals = new Totals();
        getRuntimeContext().addAccumulator(ACCUMULATOR, totals);
    }

    @Override
    public void processElement(Chunk chunk, Context context, Collector<Chunk> out) {
        if (chunk.kind == Chunk.Kind.TOTALS) {
            totals.add(chunk.totals);
        } else {
            out.collect(chunk);
        }
    }

    /** Holds the totals; every reader receives the same, so merging keeps any one. */
    static final class Totals implements Accumulator<CopyTotals, CopyTotals> {

        private static final long serialVersionUID = 1L;

        private CopyTotals value;

        @Override
        public void add(CopyTotals totals) {
            value = totals;
        }

        @Override
        public CopyTotals getLocalValue() {
            return value;
        }

        @Override
        public void resetLocal() {
            value = null;
        }

        @Override
        public void merge(Accumulator<CopyTotals, CopyTotals> other) {
            if (value == null) {
                value = other.getLocalValue();
            }
        }

        @Override
        public Totals clone() {
            Totals copy = new Totals();
            copy.value = value;
            return copy;
        }
    }
}
