package dev.ferry.engine.runtime;

import dev.ferry.api.Split;

/**
 * The counts of one attempt at one split, kept so that a failed attempt can be taken back out of
 * the job's totals before the split is read again.
 *
 * <p>Threading: the read-side fields belong to the reader thread and the write-side fields to the
 * channel thread; the channel reads the reader's fields only after the reader task has ended.
 */
final class SplitAttempt {

    final Split split;
    final int attempt;
    long recordsRead;
    long bytes;
    long dirtyRead;
    long recordsWritten;
    long dirtyWritten;

    SplitAttempt(Split split, int attempt) {
        this.split = split;
        this.attempt = attempt;
    }
}
