package dev.ferry.api.change;

import dev.ferry.api.JobContext;
import dev.ferry.api.Target;
import dev.ferry.api.WriterContext;
import java.util.List;

/**
 * Where a streaming job applies changes.
 *
 * <p>Lifecycle, driven by the engine:
 * <ol>
 *   <li>A {@link SupportsChangeApply} factory creates it; creating it opens nothing.</li>
 *   <li>{@link #prepare} runs once per start: it decides which target table receives each source
 *       table (the same name in the target's database or default schema unless its configuration
 *       maps it), finds it and creates it when missing. It never truncates or drops anything, so
 *       running it again is harmless.</li>
 *   <li>{@link #snapshot} gives a batch {@link Target} for copying one table before streaming; it
 *       writes idempotently by key, so a copy that is repeated after a crash leaves no
 *       duplicates.</li>
 *   <li>{@link #createWriter} is called once per writer channel.</li>
 *   <li>{@link #close} at the end, whatever happened; idempotent.</li>
 * </ol>
 *
 * <p>Threading: {@code createWriter} from channel threads; everything else from the driver thread.
 */
public interface ChangeTarget extends AutoCloseable {

    /** Resolves (and creates when missing) the target table of every captured table. */
    List<TableMapping> prepare(JobContext context, List<CapturedTable> tables);

    /** A batch target for copying one prepared table. */
    Target snapshot(TableMapping table);

    ChangeWriter createWriter(WriterContext context);

    @Override
    void close();
}
