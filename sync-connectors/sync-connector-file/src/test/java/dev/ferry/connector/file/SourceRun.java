package dev.ferry.connector.file;

import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.engine.testing.CollectingRecordSink;
import dev.ferry.engine.testing.RecordingContext;
import java.util.List;

/**
 * Runs a source the way the engine does (prepare, plan, one reader per split) into a
 * {@link CollectingRecordSink}. For source tests.
 */
final class SourceRun {

    final RecordingContext context;
    final List<? extends Split> splits;
    final CollectingRecordSink sink;

    private SourceRun(RecordingContext context, List<? extends Split> splits, CollectingRecordSink sink) {
        this.context = context;
        this.splits = splits;
        this.sink = sink;
    }

    static SourceRun of(Source source) {
        return of(source, 4);
    }

    static SourceRun of(Source source, int concurrency) {
        RecordingContext context = new RecordingContext("test", concurrency);
        source.prepare(context);
        List<? extends Split> splits = source.planSplits(context);
        CollectingRecordSink sink = new CollectingRecordSink(source.schema());
        for (Split split : splits) {
            try (SourceReader reader = source.createReader(split)) {
                reader.read(sink);
            }
        }
        source.close();
        return new SourceRun(context, splits, sink);
    }

    List<Object[]> rows() {
        return sink.rows();
    }

    List<CollectingRecordSink.Dirty> dirty() {
        return sink.dirty();
    }
}
