package dev.ferry.api.job;

/**
 * What a streaming job applied, part of its {@link JobReport}.
 *
 * @param inserts      inserted rows applied
 * @param updates      updated rows applied
 * @param deletes      deleted rows applied
 * @param dirty        changes the target refused (also counted in the report's dirty records)
 * @param checkpoints  positions saved
 * @param position     the last saved position's text, or null when none was saved
 * @param lagMillis    the lag when the job ended: now minus the commit time of the last applied
 *                     change, 0 when nothing was waiting
 * @param snapshotRows rows copied by the initial snapshot in this run
 * @param positionLost when the stream failed because the source no longer holds the changes after
 *                     its position ({@link dev.ferry.api.error.PositionLostException}): what
 *                     happened, without a remedy; otherwise null
 */
public record StreamReport(long inserts, long updates, long deletes, long dirty, long checkpoints, String position,
                           long lagMillis, long snapshotRows, String positionLost) {
}
