package dev.ferry.api.state;

import java.io.Serializable;

/**
 * A point in a source's change stream from which reading can resume: a PostgreSQL LSN, a MariaDB
 * binlog file and offset or GTID set. Positions are immutable values that turn into text and back
 * (for a {@link StateStore}) without loss, and positions of one family are ordered as the log is.
 *
 * <p>Threading: immutable; safe to share.
 */
public interface Position extends Serializable, Comparable<Position> {

    /** The source family that understands it, e.g. {@code "postgresql"}. */
    String family();

    /** A lossless text form, parsed back by the family's connector. */
    String asText();

    /**
     * A text whose order, compared character by character, is the log's order: how a target stores
     * positions in a column and orders changes by them in SQL. Positions that compare equal have
     * equal keys.
     */
    String orderKey();

    /**
     * Orders positions of one family as the log does.
     *
     * @throws IllegalArgumentException when {@code other} belongs to another family
     */
    @Override
    int compareTo(Position other);
}
