package dev.ferry.connector.file;

import dev.ferry.api.data.DataType;

/**
 * A text that does not convert to its column's type. Thrown by {@link TextValues} and turned into a
 * dirty record by the reader, which knows the column; never escapes this package. It carries no
 * stack trace because it is an expected, per-record outcome.
 *
 * <p>Threading: immutable.
 */
final class InvalidValueException extends RuntimeException {

    /** Values longer than this are shortened in messages. */
    static final int MAX_SHOWN = 64;

    private final transient DataType type;
    private final String text;
    private final String hint;

    InvalidValueException(DataType type, String text, String hint) {
        super(null, null, false, false);
        this.type = type;
        this.text = text;
        this.hint = hint;
    }

    DataType type() {
        return type;
    }

    /** {@code column 'amount': 'abc' is not a valid int64}, with the hint in parentheses when there is one. */
    String reason(String column) {
        String reason = "column '" + column + "': " + shown(text) + " is not a valid " + type.typeName();
        return hint == null ? reason : reason + " (" + hint + ")";
    }

    @Override
    public String getMessage() {
        return shown(text) + " is not a valid " + type.typeName() + (hint == null ? "" : " (" + hint + ")");
    }

    private static String shown(String text) {
        if (text.length() > MAX_SHOWN) {
            return "'" + text.substring(0, MAX_SHOWN) + "...'";
        }
        return "'" + text + "'";
    }
}
