package dev.ferry.connector.jdbc.testing;

import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.engine.testing.CollectingRecordSink;
import dev.ferry.engine.testing.RecordingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What reading every split of a prepared source produced: the splits, the rows of each, and the
 * warnings the source raised. For source tests that run without the engine.
 *
 * @param splits   the planned splits, in order
 * @param rows     each split's rows (object form, see {@link CollectingRecordSink})
 * @param warnings the warnings the context received
 */
public record ReadResult(List<Split> splits, Map<String, List<Object[]>> rows, List<String> warnings) {

    /** Prepares the source, plans it and reads every split on this thread; closes nothing. */
    public static ReadResult readAll(Source source, RecordingContext context) {
        source.prepare(context);
        return readPlanned(source, context);
    }

    /** Plans an already prepared source and reads every split. */
    public static ReadResult readPlanned(Source source, RecordingContext context) {
        List<Split> splits = new ArrayList<>(source.planSplits(context));
        Map<String, List<Object[]>> rows = new LinkedHashMap<>();
        for (Split split : splits) {
            CollectingRecordSink sink = new CollectingRecordSink(source.schema());
            try (SourceReader reader = source.createReader(split)) {
                reader.read(sink);
            }
            rows.put(split.id(), sink.rows());
        }
        return new ReadResult(splits, rows, List.copyOf(context.warnings()));
    }

    public List<Object[]> allRows() {
        List<Object[]> all = new ArrayList<>();
        rows.values().forEach(all::addAll);
        return all;
    }

    public long total() {
        return rows.values().stream().mapToLong(List::size).sum();
    }

    public long largest() {
        return rows.values().stream().mapToLong(List::size).max().orElse(0);
    }

    public double mean() {
        return (double) total() / splits.size();
    }
}
