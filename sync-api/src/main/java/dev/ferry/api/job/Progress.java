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
 * @param recordsPerSecond average since SYNC began
 */
public record Progress(String job, long recordsRead, long recordsWritten, long bytes, long dirtyRecords,
                       int splitsDone, int splitsTotal, long elapsedMillis, double recordsPerSecond) {
}
