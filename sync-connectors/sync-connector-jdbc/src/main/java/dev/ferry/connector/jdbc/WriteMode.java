package dev.ferry.connector.jdbc;

import java.util.Locale;

/** How a JDBC target writes rows ({@code writeMode}). */
public enum WriteMode {
    /** Plain inserts (PostgreSQL: COPY). */
    INSERT,
    /** Insert, or update the existing row with the same key (the dialect's native upsert). */
    UPSERT,
    /** Update the existing row with the same key; rows without a match change nothing. */
    UPDATE;

    public static WriteMode fromKey(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
