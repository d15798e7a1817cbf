package dev.ferry.api.error;

import java.util.Objects;

/**
 * The source no longer holds the changes after a stream's position: its binlog file was purged,
 * its replication slot was dropped or fell behind, its change table was trimmed. Nothing can resume
 * the stream; only a new snapshot, which copies the tables again, can go on. Never retried.
 *
 * <p>The message is {@link #whatHappened()} followed by {@code "A new snapshot is needed: "} and the
 * remedy for a stream; callers with a remedy of their own (a task's rerun) use
 * {@link #whatHappened()} alone.
 */
public final class PositionLostException extends SyncException {

    private final String position;
    private final String whatHappened;

    /**
     * @param position     the lost position, in its text form
     * @param whatHappened what the source no longer has and why, as a sentence
     * @param remedy       how to start the stream again
     */
    public PositionLostException(String position, String whatHappened, String remedy, Throwable cause) {
        super(ErrorKind.EXTERNAL, whatHappened + " A new snapshot is needed: " + remedy, cause);
        this.position = Objects.requireNonNull(position, "position");
        this.whatHappened = Objects.requireNonNull(whatHappened, "whatHappened");
    }

    public PositionLostException(String position, String whatHappened, String remedy) {
        this(position, whatHappened, remedy, null);
    }

    /** The position whose following changes are lost. */
    public String position() {
        return position;
    }

    /** What the source no longer has and why, without a remedy. */
    public String whatHappened() {
        return whatHappened;
    }
}
