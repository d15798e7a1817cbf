package dev.ferry.connector.file;

import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.Violation;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * How a CSV file is laid out (RFC 4180 with a configurable delimiter, quote and null text).
 *
 * <p>Serialisable as part of a {@link CsvReadPlan}. Threading: immutable; safe to share.
 *
 * @param delimiter the character between fields; not the quote, not a line break
 * @param quote     the character around fields that hold delimiters, quotes or line breaks; inside
 *                  such a field a quote is written twice
 * @param header    whether the first record of each file holds the column names
 * @param nullValue the unquoted field text that reads as null (by default the empty string, so an
 *                  empty unquoted field is null and {@code ""} is an empty string); must not hold the
 *                  delimiter, the quote or a line break
 */
record CsvFormat(char delimiter, char quote, boolean header, String nullValue) implements Serializable {

    static final CsvFormat DEFAULT = new CsvFormat(FileKeys.DEFAULT_DELIMITER.charAt(0),
            FileKeys.DEFAULT_QUOTE.charAt(0), FileKeys.DEFAULT_HEADER, FileKeys.DEFAULT_NULL_VALUE);

    CsvFormat {
        Objects.requireNonNull(nullValue, "nullValue");
        if (isLineBreak(delimiter)) {
            throw new IllegalArgumentException("delimiter must not be a line break");
        }
        if (isLineBreak(quote)) {
            throw new IllegalArgumentException("quote must not be a line break");
        }
        if (delimiter == quote) {
            throw new IllegalArgumentException("delimiter and quote must differ, both are '" + quote + "'");
        }
        if (nullValueConflict(nullValue, delimiter, quote)) {
            throw new IllegalArgumentException("nullValue must not contain the delimiter, the quote or a line break");
        }
    }

    /**
     * Reads the format keys of {@code config}, adding a violation for each broken rule.
     *
     * @return the format, or null when a violation was added
     */
    static CsvFormat from(ConnectorConfig config, List<Violation> violations) {
        String prefix = config.path() + ".";
        int before = violations.size();
        String delimiter = config.getString(FileKeys.DELIMITER.name());
        String quote = config.getString(FileKeys.QUOTE.name());
        String nullValue = config.getString(FileKeys.NULL_VALUE.name());
        boolean delimiterOk = singleCharacter(prefix + FileKeys.DELIMITER.name(), delimiter, violations);
        boolean quoteOk = singleCharacter(prefix + FileKeys.QUOTE.name(), quote, violations);
        if (delimiterOk && quoteOk && delimiter.equals(quote)) {
            violations.add(new Violation(prefix + FileKeys.QUOTE.name(), "must differ from the delimiter", quoted(quote)));
        }
        if (delimiterOk && quoteOk && nullValueConflict(nullValue, delimiter.charAt(0), quote.charAt(0))) {
            violations.add(new Violation(prefix + FileKeys.NULL_VALUE.name(),
                    "must not contain the delimiter, the quote or a line break", quoted(nullValue)));
        }
        if (violations.size() > before) {
            return null;
        }
        return new CsvFormat(delimiter.charAt(0), quote.charAt(0), config.getBoolean(FileKeys.HEADER.name()), nullValue);
    }

    private static boolean singleCharacter(String key, String value, List<Violation> violations) {
        if (value.length() != 1) {
            violations.add(new Violation(key, "must be a single character", quoted(value)));
            return false;
        }
        if (isLineBreak(value.charAt(0))) {
            violations.add(new Violation(key, "must not be a line break", quoted(value)));
            return false;
        }
        return true;
    }

    private static boolean nullValueConflict(String nullValue, char delimiter, char quote) {
        for (int i = 0; i < nullValue.length(); i++) {
            char c = nullValue.charAt(i);
            if (c == delimiter || c == quote || isLineBreak(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r';
    }

    static String quoted(String value) {
        return "'" + value + "'";
    }
}
