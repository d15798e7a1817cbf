package dev.ferry.api.job;

/**
 * A running job's counters at one moment.
 *
 * @param job              the job's name
 * @param recordsRead      records read so far, dirty ones included
 * @param recordsWritten   records written so far
 * @param bytes            approximate bytes read so far
 * @param dirtyRecords     dirty records so far
 * @param splitsDone       splits finished
 * @param splitsTotal      splits planned
 * @param elapsedMillis    time since SYNC began
 * @param recordsPerSecond average since SYNC began (a stream: changes applied per second since STREAM began)
 * @param lagMillis        a stream's lag: now minus the commit time of the oldest change not yet
 *                         applied, 0 when caught up; 0 for a batch job
 * @param position         a stream's last checkpointed position, or null (always null for a batch job)
 */
public record Progress(String job, long recordsRead, long recordsWritten, long bytes, long dirtyRecords,
                       int splitsDone, int splitsTotal, long elapsedMillis, double recordsPerSecond, long lagMillis,
                       String position) {

    /** A batch job's progress. */
    public Progress(String job, long recordsRead, long recordsWritten, long bytes, long dirtyRecords,
                    int splitsDone, int splitsTotal, long elapsedMillis, double recordsPerSecond) {
        this(job, recordsRead, recordsWritten, bytes, dirtyRecords, splitsDone, splitsTotal, elapsedMillis,
                recordsPerSecond, 0, null);
    }
}
