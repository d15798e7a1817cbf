package dev.ferry.api.change;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * How a {@code partitioned} target divides tables by Business Date: the column holding a row's
 * date, the date's text form in it, and the time zone whose calendar decides which date a moment
 * belongs to. A change belongs to the Business Date of its transaction's commit time in that zone,
 * so every change is in exactly one day, whenever it is applied.
 *
 * @param column the Business-Date column of every base and change-log table ({@code ds})
 * @param format the column's text form of a date, a {@link DateTimeFormatter} pattern ({@code yyyyMMdd})
 * @param zone   the zone of the Business-Date calendar (one per task)
 */
public record Partitioning(String column, String format, ZoneId zone) {

    /** The default column. */
    public static final String DEFAULT_COLUMN = "ds";
    /** The default format. */
    public static final String DEFAULT_FORMAT = "yyyyMMdd";

    public Partitioning {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(zone, "zone");
        if (column.isBlank()) {
            throw new IllegalArgumentException("the partition column must not be blank");
        }
        LocalDate sample = LocalDate.of(2024, 12, 31);
        boolean whole;
        try {
            DateTimeFormatter formatter = DateTimeFormatter.ofPattern(format);
            whole = LocalDate.parse(sample.format(formatter), formatter).equals(sample);
        } catch (DateTimeException | IllegalArgumentException e) {
            throw new IllegalArgumentException("partition format '" + format + "' is not a date pattern such as "
                    + DEFAULT_FORMAT + " (" + e.getMessage() + ")", e);
        }
        if (!whole) {
            throw new IllegalArgumentException("partition format '" + format + "' does not keep the whole date");
        }
    }

    /** The column's value for {@code date}. */
    public String value(LocalDate date) {
        return date.format(DateTimeFormatter.ofPattern(format));
    }

    /** The date of a column value. @throws DateTimeException when it is not in the format */
    public LocalDate date(String value) {
        return LocalDate.parse(value, DateTimeFormatter.ofPattern(format));
    }

    /** The Business Date of a moment. */
    public LocalDate dateOf(Instant moment) {
        return LocalDate.ofInstant(moment, zone);
    }

    /** The Business Date of a commit time in microseconds since the epoch (as {@link ChangeBatch#commitMicros}). */
    public LocalDate dateOfMicros(long commitMicros) {
        return dateOf(Instant.ofEpochSecond(Math.floorDiv(commitMicros, 1_000_000L),
                Math.floorMod(commitMicros, 1_000_000L) * 1_000L));
    }

    /** The first moment of {@code date}'s successor: where the day's changes end. */
    public Instant endOf(LocalDate date) {
        return date.plusDays(1).atStartOfDay(zone).toInstant();
    }
}
