package dev.ferry.engine.runtime;

import dev.ferry.api.state.Position;
import java.util.ArrayDeque;

/**
 * Decides which source position is safe to checkpoint: the latest commit whose changes every
 * writer channel has applied and committed.
 *
 * <p>Design: at each source commit (or heartbeat) the router records the position with how many
 * changes it had routed to each channel so far. A writer reports, after each target commit, how
 * many of its channel's changes are durable. A recorded commit is safe once every channel's
 * durable count reaches its recorded count; commits become safe in order, so a queue suffices.
 * Consecutive commits that routed nothing new share one entry, and every other entry holds at
 * least one change still in a buffer, so the queue is bounded by the buffers.
 *
 * <p>Threading: safe for concurrent use (one lock).
 */
final class Checkpoints {

    /** A safe-point candidate; merged commits keep the oldest commit time, which is what lag measures. */
    private record Pending(Position position, long firstCommitMicros, long commitMicros, long[] routed) {
    }

    private final long[] applied;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Pending tail;
    private Position safe;
    private long safeCommitMicros;

    Checkpoints(int channels) {
        this.applied = new long[channels];
    }

    /** Router: a source commit at {@code position}, after routing {@code routed[c]} changes to channel c. */
    synchronized void committed(Position position, long commitMicros, long[] routed) {
        long first = commitMicros;
        if (tail != null && java.util.Arrays.equals(tail.routed, routed)) {
            pending.removeLast();
            first = tail.firstCommitMicros;
        }
        tail = new Pending(position, first, commitMicros, routed.clone());
        pending.addLast(tail);
        advance();
    }

    /** Writer: the first {@code upTo} changes routed to {@code channel} are durable in the target. */
    synchronized void applied(int channel, long upTo) {
        applied[channel] = Math.max(applied[channel], upTo);
        advance();
    }

    private void advance() {
        while (!pending.isEmpty()) {
            Pending head = pending.peekFirst();
            for (int c = 0; c < applied.length; c++) {
                if (applied[c] < head.routed[c]) {
                    return;
                }
            }
            pending.pollFirst();
            if (head == tail) {
                tail = null;
            }
            safe = head.position;
            safeCommitMicros = head.commitMicros;
        }
        if (pending.isEmpty()) {
            notifyAll();
        }
    }

    /**
     * Waits until every change recorded so far is applied (the reader has stopped, so nothing new
     * comes); false when {@code timeoutMillis} passed first.
     */
    synchronized boolean awaitDrained(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!pending.isEmpty()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /**
     * The stream goes back in the log (tables joined it): positions recorded from now on may be
     * older than {@link #safe()}, which is forgotten. Call only when drained.
     */
    synchronized void rewound() {
        safe = null;
        safeCommitMicros = 0;
    }

    /** The latest position whose changes are all applied, or null before the first one. */
    synchronized Position safe() {
        return safe;
    }

    /** The commit time of {@link #safe()}'s transaction. */
    synchronized long safeCommitMicros() {
        return safeCommitMicros;
    }

    /**
     * How far the target is behind: now minus the commit time of the oldest source commit not yet
     * applied; 0 when everything committed at the source is applied.
     */
    synchronized long lagMillis(long nowMicros) {
        Pending head = pending.peekFirst();
        return head == null ? 0 : Math.max(0, (nowMicros - head.firstCommitMicros) / 1000);
    }

    /** Entries waiting, for tests. */
    synchronized int pendingCount() {
        return pending.size();
    }
}
