package dev.ferry.api;

import dev.ferry.api.data.TableSchema;

/**
 * Where a job writes to.
 *
 * <p>Lifecycle, driven by the engine:
 * <ol>
 *   <li>A {@link TargetFactory} creates the target from validated configuration; it opens nothing.</li>
 *   <li>{@link #prepare} runs once in the PRE stage, with the source's schema: connect, run
 *       pre-SQL, delete existing data when asked.</li>
 *   <li>{@link #createWriter} is called once per channel in the SYNC stage.</li>
 *   <li>When every split succeeded: {@link #commit} makes the output visible (a rename, a final
 *       transaction), then {@link #post} runs post-SQL. Both run in the POST stage.</li>
 *   <li>When the job failed or was cancelled: {@link #abort} removes what can be removed so that
 *       nothing half-written looks complete.</li>
 *   <li>{@link #close} runs once at the end, whatever happened; it must be idempotent.</li>
 * </ol>
 *
 * <p>Threading: every method but {@code createWriter} is called from the job's driver thread;
 * {@code createWriter} from channel threads concurrently.
 */
public interface Target extends AutoCloseable {

    /** PRE stage. */
    void prepare(JobContext context, TableSchema sourceSchema);

    /** Opens the writer of one channel. */
    TargetWriter createWriter(WriterContext context);

    /** POST stage, first step: make everything written visible. */
    void commit();

    /** POST stage, second step: post-SQL and similar. */
    void post();

    /** The job failed or was cancelled after {@link #prepare}: discard partial output; idempotent. */
    void abort();

    @Override
    void close();
}
