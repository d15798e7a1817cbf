package dev.ferry.api.job;

/**
 * Receives a job's events: state changes, stage boundaries, progress and the final report.
 *
 * <p>Threading: called from the job's driver thread (progress from the engine's timer thread),
 * never concurrently for one job. Keep it quick; an exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface JobListener {

    void onEvent(JobEvent event);
}
