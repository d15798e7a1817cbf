package dev.ferry.api.data;

import java.util.Locale;

/**
 * The logical types a value can have on its way from a source to a target.
 *
 * <p>Each type has one in-memory representation, used by {@link RecordSink} and {@link RowBatch}:
 * <table>
 *   <caption>Representations</caption>
 *   <tr><th>type</th><th>primitive accessor</th><th>object form ({@link RowBatch#getObject})</th></tr>
 *   <tr><td>BOOLEAN</td><td>{@code getBoolean}</td><td>{@link Boolean}</td></tr>
 *   <tr><td>INT64</td><td>{@code getLong}</td><td>{@link Long}</td></tr>
 *   <tr><td>DECIMAL</td><td>-</td><td>{@link java.math.BigDecimal}</td></tr>
 *   <tr><td>FLOAT64</td><td>{@code getDouble}</td><td>{@link Double}</td></tr>
 *   <tr><td>STRING</td><td>-</td><td>{@link String}</td></tr>
 *   <tr><td>BYTES</td><td>-</td><td>{@code byte[]}</td></tr>
 *   <tr><td>DATE</td><td>{@code getLong}: days since 1970-01-01</td><td>{@link java.time.LocalDate}</td></tr>
 *   <tr><td>TIME</td><td>{@code getLong}: nanoseconds since midnight</td><td>{@link java.time.LocalTime}</td></tr>
 *   <tr><td>TIMESTAMP</td><td>{@code getLong}: microseconds since 1970-01-01T00:00 (no zone)</td><td>{@link java.time.LocalDateTime}</td></tr>
 *   <tr><td>TIMESTAMPTZ</td><td>{@code getLong}: microseconds since the epoch, UTC</td><td>{@link java.time.Instant}</td></tr>
 *   <tr><td>JSON</td><td>-</td><td>{@link String} holding the JSON text</td></tr>
 *   <tr><td>NULL</td><td>-</td><td>always null (a column whose type is unknown and carries no values)</td></tr>
 * </table>
 * Timestamps keep microsecond precision, the finest that PostgreSQL and MariaDB store.
 */
public enum DataType {
    BOOLEAN,
    INT64,
    DECIMAL,
    FLOAT64,
    STRING,
    BYTES,
    DATE,
    TIME,
    TIMESTAMP,
    TIMESTAMPTZ,
    JSON,
    NULL;

    /** The name used in job files: the constant's name in lower case ({@code "timestamptz"}). */
    public String typeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when the value travels as a {@code long} (see the table above). */
    public boolean isLongBacked() {
        return this == INT64 || this == DATE || this == TIME || this == TIMESTAMP || this == TIMESTAMPTZ;
    }

    /** True when the value travels as an object reference. */
    public boolean isObjectBacked() {
        return this == DECIMAL || this == STRING || this == BYTES || this == JSON;
    }

    /**
     * Looks a type up by its job-file name, ignoring case.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static DataType fromName(String name) {
        for (DataType type : values()) {
            if (type.typeName().equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown type '" + name + "', expected one of " + names());
    }

    /** The job-file names of every type, in declaration order, for messages and documentation. */
    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (DataType type : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(type.typeName());
        }
        return sb.toString();
    }
}
