package dev.ferry.api;

import dev.ferry.api.state.StateStore;

/**
 * What the engine tells a source or target about the job it runs in.
 *
 * <p>Threading: safe to call from any thread.
 */
public interface JobContext {

    /** The job's name from the job file. */
    String jobName();

    /** The concurrency the job asked for ({@code settings.concurrency}); splits should outnumber it. */
    int concurrency();

    /**
     * Records a warning: it is logged and listed in the job report. Use it for decisions a user
     * should know about (a split key that cannot be used, a key that is ignored).
     */
    void warn(String message);

    /** Durable state for positions and progress; an in-memory store unless the embedder gave one. */
    StateStore stateStore();
}
