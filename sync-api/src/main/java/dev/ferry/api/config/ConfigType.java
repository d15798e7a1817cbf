package dev.ferry.api.config;

/** The type of a connector key's value in a job file. */
public enum ConfigType {
    /** A JSON string. */
    STRING,
    /** A JSON string that is a secret: masked in every message, log line and report. */
    PASSWORD,
    /** A JSON integer within the {@code int} range. */
    INT,
    /** A JSON integer within the {@code long} range. */
    LONG,
    /** A JSON number. */
    DOUBLE,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A JSON array of strings; a single string is accepted as a one-element list. */
    STRING_LIST,
    /** A JSON array of {@code {"name": …, "type": …}} objects (see {@link dev.ferry.api.data.DataType}). */
    COLUMNS;

    /** How the type is named in messages and documentation. */
    public String describe() {
        return switch (this) {
            case STRING -> "string";
            case PASSWORD -> "string (secret)";
            case INT -> "integer";
            case LONG -> "integer (64-bit)";
            case DOUBLE -> "number";
            case BOOLEAN -> "boolean";
            case STRING_LIST -> "string or list of strings";
            case COLUMNS -> "list of {name, type}";
        };
    }
}
