package dev.ferry.connector.postgresql;

import java.util.Locale;

/** The data format of COPY inserts ({@code copyFormat}). */
enum CopyFormat {
    /** Binary where every column pair has a binary form, text otherwise. */
    BINARY,
    /** Always text. */
    TEXT;

    static CopyFormat fromKey(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
