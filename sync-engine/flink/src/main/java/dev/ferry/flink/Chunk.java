package dev.ferry.flink;

import dev.ferry.api.data.RowBatch;

/**
 * What flows from a Ferry reader to a Ferry writer inside one Flink operator chain: a split's
 * start, its batches of rows, its end (or abort), and at the very end the job's totals. Chunks are
 * handed over by reference and reused ({@link ChunkType} never copies or serialises them), so the
 * engine's columnar batches reach the writer as the reader filled them.
 *
 * <p>Threading: lives on one task thread.
 */
public final class Chunk {

    /** What a chunk says. */
    enum Kind {
        /** {@link #run} begins: the writer starts the split. */
        START,
        /** {@link #rows} of the current split: valid only while the writer takes them. */
        ROWS,
        /** The current split is read to its end: the writer commits it and fills in {@link #run}. */
        END,
        /** The current split failed: the writer discards its effects. */
        ABORT,
        /** The job is done; {@link #totals} go to the client. */
        TOTALS
    }

    Kind kind;
    SplitRun run;
    RowBatch rows;
    CopyTotals totals;

    Chunk set(Kind what, SplitRun split, RowBatch batch) {
        this.kind = what;
        this.run = split;
        this.rows = batch;
        this.totals = null;
        return this;
    }

    Chunk totals(CopyTotals value) {
        set(Kind.TOTALS, null, null);
        this.totals = value;
        return this;
    }

    @Override
    public String toString() {
        return "Chunk[" + kind + (run == null ? "" : " " + run.split().id()) + (rows == null ? "" : ", " + rows.size()
                + " rows") + "]";
    }
}
