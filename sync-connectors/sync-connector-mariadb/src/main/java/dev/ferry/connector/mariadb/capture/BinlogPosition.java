package dev.ferry.connector.mariadb.capture;

import dev.ferry.api.state.Position;
import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A point in a MariaDB or MySQL binary log: the file, the byte offset of the next event to read in
 * it, and optionally the MariaDB GTID position that corresponds to it.
 *
 * <p>Text form: {@code mariadb-bin.000003:4521}, or {@code mariadb-bin.000003:4521;gtid=0-1-77}
 * with a GTID position (one {@code domain-server-sequence} triple per replication domain, separated
 * by commas: {@code 0-1-77,1-2-5}). {@link #asText()} and {@link #parse(String)} are exact inverses.
 *
 * <p>Positions order by the file's sequence number (the digits after its last dot), then by offset;
 * the file's base name and the GTID position only break ties, so that {@code compareTo} is zero
 * exactly when the positions are equal. A position is only a safe place to resume from when it is
 * a transaction boundary (the end of a commit event): row events are meaningless without the table
 * map event before them.
 *
 * @param file    the binlog file name without directory, e.g. {@code mariadb-bin.000003}: a base
 *                name, a dot and a sequence number; no {@code :}, {@code ;} or whitespace
 * @param offset  the byte offset in that file, at least 4 (the size of the file's magic header)
 * @param gtidSet the MariaDB GTID position, or null when unknown (an empty text is taken as null)
 */
public record BinlogPosition(String file, long offset, String gtidSet) implements Position {

    private static final long serialVersionUID = 1L;

    /** The family name the MariaDB connector answers to. */
    public static final String FAMILY = "mariadb";
    /** Where the first event of every binlog file starts, after the 4-byte magic number. */
    public static final long FIRST_EVENT_OFFSET = 4;

    private static final String GTID_SEPARATOR = ";gtid=";
    private static final String EXPECTED = "expected FILE:OFFSET or FILE:OFFSET;gtid=DOMAIN-SERVER-SEQUENCE[,...], "
            + "e.g. mariadb-bin.000003:4521 or mariadb-bin.000003:4521;gtid=0-1-77";
    private static final Pattern FILE = Pattern.compile("[^\\s:;]+\\.[0-9]+");
    private static final Pattern GTID_SET = Pattern.compile("[0-9]+-[0-9]+-[0-9]+(,[0-9]+-[0-9]+-[0-9]+)*");
    private static final Comparator<BinlogPosition> ORDER = Comparator.comparingLong(BinlogPosition::sequence)
            .thenComparingLong(BinlogPosition::offset)
            .thenComparing(BinlogPosition::file)
            .thenComparing(BinlogPosition::gtidSet, Comparator.nullsFirst(Comparator.naturalOrder()));

    public BinlogPosition {
        Objects.requireNonNull(file, "file");
        if (!FILE.matcher(file).matches()) {
            throw new IllegalArgumentException("binlog file name '" + file + "' is not a base name, a dot and a "
                    + "sequence number without ':', ';' or spaces, e.g. mariadb-bin.000003");
        }
        if (file.length() - file.lastIndexOf('.') - 1 > 18) {
            throw new IllegalArgumentException("binlog file name '" + file + "' has a sequence number of more than 18 digits");
        }
        if (offset < FIRST_EVENT_OFFSET) {
            throw new IllegalArgumentException("binlog offset " + offset + " in '" + file + "' is before the first event at "
                    + FIRST_EVENT_OFFSET);
        }
        if (gtidSet != null && gtidSet.isBlank()) {
            gtidSet = null;
        }
        if (gtidSet != null && !GTID_SET.matcher(gtidSet).matches()) {
            throw new IllegalArgumentException("GTID position '" + gtidSet + "' is not a comma-separated list of "
                    + "DOMAIN-SERVER-SEQUENCE triples, e.g. 0-1-77 or 0-1-77,1-2-5");
        }
    }

    /** A position without a GTID position. */
    public static BinlogPosition of(String file, long offset) {
        return new BinlogPosition(file, offset, null);
    }

    /** The same file and offset with another GTID position (null for none). */
    public BinlogPosition withGtidSet(String newGtidSet) {
        return new BinlogPosition(file, offset, newGtidSet);
    }

    /** The file's sequence number: {@code 3} for {@code mariadb-bin.000003}. */
    public long sequence() {
        return Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
    }

    /** True when a GTID position is known. */
    public boolean hasGtidSet() {
        return gtidSet != null;
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public String asText() {
        return gtidSet == null ? file + ":" + offset : file + ":" + offset + GTID_SEPARATOR + gtidSet;
    }

    @Override
    public String toString() {
        return asText();
    }

    /** The file's sequence number in 10 digits and the offset in 19, as {@link #compareTo} orders them. */
    @Override
    public String orderKey() {
        return String.format("%010d:%019d", sequence(), offset);
    }

    @Override
    public int compareTo(Position position) {
        if (!(position instanceof BinlogPosition other)) {
            throw new IllegalArgumentException("cannot compare a binlog position with a " + position.family() + " one");
        }
        return ORDER.compare(this, other);
    }

    /**
     * Parses {@link #asText()}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static BinlogPosition parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("binlog position is missing: " + EXPECTED);
        }
        String location = text;
        String gtid = null;
        int separator = text.indexOf(GTID_SEPARATOR);
        if (separator >= 0) {
            location = text.substring(0, separator);
            gtid = text.substring(separator + GTID_SEPARATOR.length());
            if (gtid.isEmpty()) {
                throw invalid(text, "the GTID position after ';gtid=' is empty");
            }
        } else if (text.indexOf(';') >= 0) {
            throw invalid(text, "the only suffix allowed is ';gtid=...'");
        }
        int colon = location.lastIndexOf(':');
        if (colon <= 0 || colon == location.length() - 1) {
            throw invalid(text, "it has no FILE:OFFSET");
        }
        String offsetText = location.substring(colon + 1);
        long offset;
        try {
            if (!offsetText.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new NumberFormatException();
            }
            offset = Long.parseLong(offsetText);
        } catch (NumberFormatException e) {
            throw invalid(text, "offset '" + offsetText + "' is not a non-negative 64-bit integer");
        }
        try {
            return new BinlogPosition(location.substring(0, colon), offset, gtid);
        } catch (IllegalArgumentException e) {
            throw invalid(text, e.getMessage());
        }
    }

    private static IllegalArgumentException invalid(String text, String reason) {
        return new IllegalArgumentException("invalid binlog position '" + text + "' (" + reason + "): " + EXPECTED);
    }
}
