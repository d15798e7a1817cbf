package dev.ferry.flink;

import java.util.ArrayList;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Sits in the operator chain between the Ferry reader and writer, passing every chunk on, and
 * keeps the job's {@link CopyTotals} (which the enumerator sends at the end) in an accumulator, the
 * way a Flink job hands results to its client; meanwhile it counts the records and splits that went
 * through, which the client reads as the run's progress. Costs one call per batch.
 */
final class TotalsTap extends ProcessFunction<Chunk, Chunk> {

    private static final long serialVersionUID = 1L;

    /** The accumulator's name in the job's result. */
    static final String ACCUMULATOR = "ferry-totals";
    /** Records passed to the writers so far (dirty ones read are not among them). */
    static final String RECORDS = "ferry-records";
    /** Splits read to their end so far. */
    static final String SPLITS = "ferry-splits";

    private transient Totals totals;
    private transient LongCounter records;
    private transient LongCounter splits;

    @Override
    public void open(OpenContext openContext) {
        totals = new Totals();
        records = new LongCounter();
        splits = new LongCounter();
        getRuntimeContext().addAccumulator(ACCUMULATOR, totals);
        getRuntimeContext().addAccumulator(RECORDS, records);
        getRuntimeContext().addAccumulator(SPLITS, splits);
    }

    @Override
    public void processElement(Chunk chunk, Context context, Collector<Chunk> out) {
        switch (chunk.kind) {
            case TOTALS -> totals.add(chunk.totals);
            case ROWS -> {
                records.add(chunk.rows.size());
                out.collect(chunk);
            }
            case END -> {
                out.collect(chunk);
                splits.add(1);
            }
            default -> out.collect(chunk);
        }
    }

    /** The totals a job's result holds; null when the job ended without them. */
    static CopyTotals totals(JobExecutionResult result) {
        ArrayList<CopyTotals> totals = result.getAccumulatorResult(ACCUMULATOR);
        return totals == null || totals.isEmpty() ? null : totals.get(0);
    }

    /**
     * Holds the totals, as a list that is empty until they arrive (Flink serialises accumulators
     * while the job runs, and a null value cannot be); every reader receives the same totals, so
     * merging keeps any one.
     */
    static final class Totals implements Accumulator<CopyTotals, ArrayList<CopyTotals>> {

        private static final long serialVersionUID = 1L;

        private final ArrayList<CopyTotals> value = new ArrayList<>(1);

        @Override
        public void add(CopyTotals totals) {
            value.clear();
            value.add(totals);
        }

        @Override
        public ArrayList<CopyTotals> getLocalValue() {
            return value;
        }

        @Override
        public void resetLocal() {
            value.clear();
        }

        @Override
        public void merge(Accumulator<CopyTotals, ArrayList<CopyTotals>> other) {
            if (value.isEmpty()) {
                value.addAll(other.getLocalValue());
            }
        }

        @Override
        public Totals clone() {
            Totals copy = new Totals();
            copy.value.addAll(value);
            return copy;
        }
    }
}
