package dev.ferry.engine.testing;

import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.data.TableSchema;
import java.util.List;

/**
 * A {@link Source} that forwards every call to another; tests override the calls they watch (wrap
 * readers to count rows or kill a connection) or add a capability the delegate lacks.
 */
public class ForwardingSource implements Source {

    private final Source delegate;

    public ForwardingSource(Source delegate) {
        this.delegate = delegate;
    }

    @Override
    public void prepare(JobContext context) {
        delegate.prepare(context);
    }

    @Override
    public TableSchema schema() {
        return delegate.schema();
    }

    @Override
    public List<? extends Split> planSplits(JobContext context) {
        return delegate.planSplits(context);
    }

    @Override
    public SourceReader createReader(Split split) {
        return delegate.createReader(split);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
