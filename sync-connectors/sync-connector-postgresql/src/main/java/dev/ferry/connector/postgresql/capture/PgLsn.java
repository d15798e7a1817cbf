package dev.ferry.connector.postgresql.capture;

import dev.ferry.api.state.Position;
import org.postgresql.replication.LogSequenceNumber;

/**
 * A PostgreSQL WAL position, written the way PostgreSQL writes it ({@code 16/B374D848}).
 *
 * @param value the LSN as an unsigned 64-bit number
 */
public record PgLsn(long value) implements Position {

    public static final String FAMILY = "postgresql";

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public String asText() {
        return Long.toHexString(value >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
                + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * Parses {@code X/Y} (hexadecimal halves).
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static PgLsn parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("a PostgreSQL position must look like 16/B374D848, got '" + text + "'");
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            return new PgLsn(high << 32 | low);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a PostgreSQL position must look like 16/B374D848, got '" + text + "'");
        }
    }

    static PgLsn of(LogSequenceNumber lsn) {
        return new PgLsn(lsn.asLong());
    }

    LogSequenceNumber toLsn() {
        return LogSequenceNumber.valueOf(value);
    }

    /** The LSN as 16 hexadecimal digits. */
    @Override
    public String orderKey() {
        return String.format("%016X", value);
    }

    @Override
    public int compareTo(Position other) {
        if (!(other instanceof PgLsn lsn)) {
            throw new IllegalArgumentException("cannot compare a PostgreSQL position with a " + other.family() + " one");
        }
        return Long.compareUnsigned(value, lsn.value);
    }

    @Override
    public String toString() {
        return asText();
    }
}
