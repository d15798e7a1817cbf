package dev.ferry.connector.jdbc.capture;

import dev.ferry.api.state.Position;

/**
 * A point in an H2 change log: the sequence number of the last change it covers. Every captured
 * change has its own number, given from one counter in commit order, so the numbers of committed
 * changes run without gaps and a position that ends a transaction is a safe place to resume from:
 * resuming delivers exactly the changes numbered above it.
 *
 * <p>Text form: the number in decimal ({@code 1042}); {@code 0} is the start of an empty log.
 *
 * @param seq the number of the last change covered, >= 0
 */
public record H2Position(long seq) implements Position {

    /** The family name the {@code h2} connector answers to. */
    public static final String FAMILY = "h2";

    public H2Position {
        if (seq < 0) {
            throw new IllegalArgumentException("an H2 change-log position must be >= 0, got " + seq);
        }
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public String asText() {
        return Long.toString(seq);
    }

    /**
     * Parses {@link #asText()}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static H2Position parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("an H2 change-log position must be a change number such as 1042, got '"
                    + text + "'");
        }
        return new H2Position(Long.parseLong(text));
    }

    /** The change number in 19 digits. */
    @Override
    public String orderKey() {
        return String.format("%019d", seq);
    }

    @Override
    public int compareTo(Position other) {
        if (!(other instanceof H2Position position)) {
            throw new IllegalArgumentException("cannot compare an H2 position with a " + other.family() + " one");
        }
        return Long.compare(seq, position.seq);
    }

    @Override
    public String toString() {
        return asText();
    }
}
