package dev.ferry.api;

import dev.ferry.api.data.TableSchema;
import java.util.List;

/**
 * Where a job reads from.
 *
 * <p>Lifecycle, driven by the engine:
 * <ol>
 *   <li>A {@link SourceFactory} creates the source from validated configuration. Creating it
 *       opens nothing, so a job can be validated without reaching any system.</li>
 *   <li>{@link #prepare} runs once in the PRE stage: connect, check that the table or files exist,
 *       resolve {@link #schema()}.</li>
 *   <li>{@link #planSplits} runs once in the SPLIT stage.</li>
 *   <li>{@link #createReader} is called once per split attempt, possibly concurrently from several
 *       channel threads; each reader is used by one thread.</li>
 *   <li>{@link #close} runs once at the end, whatever happened; it must be idempotent.</li>
 * </ol>
 *
 * <p>Threading: {@code prepare}, {@code schema}, {@code planSplits} and {@code close} are called
 * from the job's driver thread; {@code createReader} from channel threads concurrently.
 */
public interface Source extends AutoCloseable {

    /** PRE stage: validate against the real system and resolve the schema. */
    void prepare(JobContext context);

    /** The schema of every record this source emits; valid after {@link #prepare}. */
    TableSchema schema();

    /**
     * SPLIT stage: divide the data into splits. Sources should make more splits than
     * {@code context.concurrency()} when they can, so that fast channels take more of them; sharded
     * sources split by shard and file sources by file. Never empty: a source with no data returns
     * one empty split.
     */
    List<? extends Split> planSplits(JobContext context);

    /** Opens a reader for one split (a split that is retried gets a new reader). */
    SourceReader createReader(Split split);

    @Override
    void close();
}
