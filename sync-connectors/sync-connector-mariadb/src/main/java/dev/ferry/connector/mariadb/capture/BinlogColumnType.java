package dev.ferry.connector.mariadb.capture;

import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import com.github.shyiko.mysql.binlog.network.ServerException;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import dev.ferry.connector.jdbc.TimeCodec;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TimeZone;

/**
 * One column of a captured table: the Ferry {@link Column} it is, exactly as the batch reader
 * ({@code MariaDbDialect} over MariaDB Connector/J) describes it, and the conversion of the value
 * the binlog client decoded for it into the value the batch reader reads for the same stored data
 * (session time zone UTC).
 *
 * <table>
 *   <caption>Types</caption>
 *   <tr><th>column type</th><th>Ferry type (native type)</th><th>binlog value</th></tr>
 *   <tr><td>tinyint(1), boolean</td><td>BOOLEAN (boolean)</td><td>Integer, non-zero is true</td></tr>
 *   <tr><td>tinyint, smallint, mediumint, int [unsigned]</td><td>INT64 (tinyint, …, integer [unsigned])</td>
 *       <td>Integer, unsigned ones unmasked</td></tr>
 *   <tr><td>bigint</td><td>INT64 (bigint)</td><td>Long</td></tr>
 *   <tr><td>bigint unsigned</td><td>DECIMAL(20,0) (bigint unsigned)</td><td>Long, read unsigned</td></tr>
 *   <tr><td>decimal(p,s) [unsigned]</td><td>DECIMAL(p,s) (decimal [unsigned])</td><td>BigDecimal, scale s</td></tr>
 *   <tr><td>float [unsigned]</td><td>FLOAT64 (float)</td><td>Float, rounded to the 6 significant digits
 *       the server prints (FLOAT(m,d): to d decimals)</td></tr>
 *   <tr><td>double [unsigned]</td><td>FLOAT64 (double)</td><td>Double (DOUBLE(m,d): rounded to d decimals)</td></tr>
 *   <tr><td>bit(1)</td><td>BOOLEAN (bit)</td><td>BitSet</td></tr>
 *   <tr><td>bit(n), n &gt; 1</td><td>INT64 (bit)</td><td>BitSet, as the unsigned number (bit(64) wraps like getLong)</td></tr>
 *   <tr><td>year</td><td>INT64 (year)</td><td>Integer (0000 arrives as 1900)</td></tr>
 *   <tr><td>char, varchar, tinytext … longtext</td><td>STRING (char, varchar, …), precision in characters</td>
 *       <td>byte[] decoded with the column's charset</td></tr>
 *   <tr><td>text types holding JSON (MariaDB's JSON: {@code CHECK (json_valid(c))})</td><td>JSON (json)</td>
 *       <td>byte[] decoded with the column's charset</td></tr>
 *   <tr><td>json (MySQL)</td><td>JSON (json)</td><td>byte[] in MySQL's binary JSON, printed by {@link JsonBinary}</td></tr>
 *   <tr><td>enum</td><td>STRING (char)</td><td>Integer index into the definition, 0 is ''</td></tr>
 *   <tr><td>set</td><td>STRING (char)</td><td>Long bitmap, members joined with commas in definition order</td></tr>
 *   <tr><td>binary, varbinary, tinyblob … longblob</td><td>BYTES (binary, …)</td><td>byte[]</td></tr>
 *   <tr><td>date</td><td>DATE (date)</td><td>LocalDate</td></tr>
 *   <tr><td>time(n)</td><td>TIME (time), precision n</td><td>Duration; negative or 24 h and more is an error</td></tr>
 *   <tr><td>datetime(n)</td><td>TIMESTAMP (datetime), precision n</td><td>LocalDateTime, the wall clock as stored</td></tr>
 *   <tr><td>timestamp(n)</td><td>TIMESTAMPTZ (timestamp), precision n</td><td>Instant</td></tr>
 * </table>
 * The binlog values are those of {@link #deserializer()}; temporal values as microseconds (the
 * client's {@code DATE_AND_TIME_AS_LONG_MICRO}) are accepted too. Zero and impossible dates, TIMEs
 * outside a day and ENUM/SET values the definition lacks raise {@link BinlogValueException} naming
 * the column and the value (the batch reader reads zero dates as NULL). Other types (uuid, inet4,
 * inet6, geometry, vector) are rejected when the column is described.
 *
 * <p>Threading: immutable; safe to share.
 */
public final class BinlogColumnType {

    /**
     * What {@code information_schema.COLUMNS} says about a column, plus whether the server treats
     * it as JSON.
     *
     * @param name                    COLUMN_NAME
     * @param ordinal                 ORDINAL_POSITION (1-based), which is the column's place in row events
     * @param dataType                DATA_TYPE, e.g. {@code bigint}
     * @param columnType              COLUMN_TYPE, e.g. {@code bigint(20) unsigned} or {@code enum('a','b')}
     * @param numericPrecision        NUMERIC_PRECISION, or null
     * @param numericScale            NUMERIC_SCALE, or null
     * @param datetimePrecision       DATETIME_PRECISION, or null
     * @param characterMaximumLength  CHARACTER_MAXIMUM_LENGTH, or null
     * @param characterSetName        CHARACTER_SET_NAME, or null
     * @param nullable                IS_NULLABLE is YES
     * @param invisible               EXTRA says INVISIBLE: in row events but not in {@code SELECT *}
     * @param json                    a MariaDB text column with a column-level {@code json_valid} check
     *                                (its JSON type), or a MySQL {@code json} column
     */
    public record Metadata(String name, int ordinal, String dataType, String columnType, Long numericPrecision,
                           Long numericScale, Long datetimePrecision, Long characterMaximumLength,
                           String characterSetName, boolean nullable, boolean invisible, boolean json) {

        public Metadata {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(dataType, "dataType");
            Objects.requireNonNull(columnType, "columnType");
            dataType = dataType.toLowerCase(Locale.ROOT);
        }

        boolean unsigned() {
            return columnType.toLowerCase(Locale.ROOT).contains("unsigned");
        }
    }

    private enum Kind {
        BOOLEAN_INT, BOOLEAN_BIT, INT, UINT8, UINT16, UINT24, UINT32, UINT64, BIT, YEAR, DECIMAL, FLOAT, DOUBLE,
        TEXT, JSON_BINARY, ENUM, SET, BYTES, DATE, TIME, DATETIME, TIMESTAMP
    }

    /** Columns whose text is longer than this have no precision in the batch reader either. */
    private static final long UNBOUNDED = Integer.MAX_VALUE / 2;
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;
    /** 1582-10-15T00:00Z in microseconds: the client's calendar is Julian before it. */
    private static final long GREGORIAN_CUTOVER_MICROS = -12_219_292_800_000_000L;
    private static final MathContext FLOAT_DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

    private final String table;
    private final Metadata metadata;
    private final Column column;
    private final Kind kind;
    private final int scale;
    private final ServerCharsets.Decoder decoder;
    private final String[] names;
    private final int length;

    private BinlogColumnType(String table, Metadata metadata, Column column, Kind kind, int scale,
                             ServerCharsets.Decoder decoder, String[] names, int length) {
        this.table = table;
        this.metadata = metadata;
        this.column = column;
        this.kind = kind;
        this.scale = scale;
        this.decoder = decoder;
        this.names = names;
        this.length = length;
    }

    /**
     * The type of a column from its metadata.
     *
     * @param table the table's name for messages ({@code test.orders})
     * @throws IllegalArgumentException naming the table, column and type when the type is not supported
     */
    public static BinlogColumnType of(String table, Metadata m) {
        Objects.requireNonNull(table, "table");
        String type = m.dataType();
        boolean unsigned = m.unsigned();
        String suffix = unsigned ? " unsigned" : "";
        switch (type) {
            case "tinyint":
                if (m.columnType().toLowerCase(Locale.ROOT).startsWith("tinyint(1)")) {
                    // Connector/J's tinyInt1isBit: TINYINT(1), signed or not, is a boolean.
                    return simple(table, m, DataType.BOOLEAN, "boolean", Kind.BOOLEAN_INT);
                }
                return simple(table, m, DataType.INT64, "tinyint" + suffix, unsigned ? Kind.UINT8 : Kind.INT);
            case "smallint":
                return simple(table, m, DataType.INT64, "smallint" + suffix, unsigned ? Kind.UINT16 : Kind.INT);
            case "mediumint":
                return simple(table, m, DataType.INT64, "mediumint" + suffix, unsigned ? Kind.UINT24 : Kind.INT);
            case "int":
            case "integer":
                return simple(table, m, DataType.INT64, "integer" + suffix, unsigned ? Kind.UINT32 : Kind.INT);
            case "bigint":
                if (unsigned) {
                    return new BinlogColumnType(table, m, new Column(m.name(), DataType.DECIMAL, m.nullable(), 20, 0,
                            "bigint unsigned"), Kind.UINT64, 0, null, null, 0);
                }
                return simple(table, m, DataType.INT64, "bigint", Kind.INT);
            case "decimal":
            case "numeric": {
                int precision = (int) number(m.numericPrecision());
                int decimalScale = (int) number(m.numericScale());
                boolean known = precision > 0 && precision <= 1000;
                return new BinlogColumnType(table, m, new Column(m.name(), DataType.DECIMAL, m.nullable(),
                        known ? precision : 0, known ? Math.max(0, Math.min(decimalScale, precision)) : 0,
                        "decimal" + suffix), Kind.DECIMAL, decimalScale, null, null, 0);
            }
            case "float":
                return new BinlogColumnType(table, m, new Column(m.name(), DataType.FLOAT64, m.nullable(), 0, 0,
                        "float" + suffix), Kind.FLOAT, fixedDecimals(m), null, null, 0);
            case "double":
            case "double precision":
            case "real":
                return new BinlogColumnType(table, m, new Column(m.name(), DataType.FLOAT64, m.nullable(), 0, 0,
                        "double" + suffix), Kind.DOUBLE, fixedDecimals(m), null, null, 0);
            case "bit":
                return number(m.numericPrecision()) > 1
                        ? simple(table, m, DataType.INT64, "bit", Kind.BIT)
                        : simple(table, m, DataType.BOOLEAN, "bit", Kind.BOOLEAN_BIT);
            case "year":
                return simple(table, m, DataType.INT64, "year", Kind.YEAR);
            case "char":
            case "varchar":
            case "tinytext":
            case "text":
            case "mediumtext":
            case "longtext": {
                ServerCharsets.Decoder decoder = decoder(table, m);
                if (m.json()) {
                    return new BinlogColumnType(table, m, new Column(m.name(), DataType.JSON, m.nullable(), 0, 0, "json"),
                            Kind.TEXT, 0, decoder, null, 0);
                }
                return new BinlogColumnType(table, m, new Column(m.name(), DataType.STRING, m.nullable(),
                        textPrecision(m), 0, type), Kind.TEXT, 0, decoder, null, 0);
            }
            case "json":
                return simple(table, m, DataType.JSON, "json", Kind.JSON_BINARY);
            case "enum":
            case "set": {
                String[] members = members(table, m);
                return new BinlogColumnType(table, m, new Column(m.name(), DataType.STRING, m.nullable(),
                        textPrecision(m), 0, "char"), type.equals("enum") ? Kind.ENUM : Kind.SET, 0, null, members, 0);
            }
            case "binary":
            case "varbinary":
            case "tinyblob":
            case "blob":
            case "mediumblob":
            case "longblob":
                return new BinlogColumnType(table, m, new Column(m.name(), DataType.BYTES, m.nullable(), textPrecision(m),
                        0, type), Kind.BYTES, 0, null, null, type.equals("binary") ? textPrecision(m) : 0);
            case "date":
                return simple(table, m, DataType.DATE, "date", Kind.DATE);
            case "time":
                return temporal(table, m, DataType.TIME, "time", Kind.TIME);
            case "datetime":
                return temporal(table, m, DataType.TIMESTAMP, "datetime", Kind.DATETIME);
            case "timestamp":
                return temporal(table, m, DataType.TIMESTAMPTZ, "timestamp", Kind.TIMESTAMP);
            default:
                throw new IllegalArgumentException("column '" + m.name() + "' of " + table + " has type " + m.columnType()
                        + ", which binlog capture does not decode (supported: integers, bit, year, decimal, float, "
                        + "double, char, varchar, text, json, enum, set, binary, varbinary, blob, date, time, "
                        + "datetime, timestamp)");
        }
    }

    private static BinlogColumnType simple(String table, Metadata m, DataType type, String nativeType, Kind kind) {
        return new BinlogColumnType(table, m, new Column(m.name(), type, m.nullable(), 0, 0, nativeType), kind, 0,
                null, null, 0);
    }

    private static BinlogColumnType temporal(String table, Metadata m, DataType type, String nativeType, Kind kind) {
        long digits = number(m.datetimePrecision());
        return new BinlogColumnType(table, m, new Column(m.name(), type, m.nullable(), digits > 0 && digits <= 9
                ? (int) digits : 0, 0, nativeType), kind, (int) digits, null, null, 0);
    }

    /** FLOAT(m,d) and DOUBLE(m,d) print d decimals; plain FLOAT and DOUBLE have no scale (-1). */
    private static int fixedDecimals(Metadata m) {
        return m.numericScale() == null ? -1 : m.numericScale().intValue();
    }

    private static int textPrecision(Metadata m) {
        long max = number(m.characterMaximumLength());
        return max > 0 && max < UNBOUNDED ? (int) max : 0;
    }

    private static long number(Long value) {
        return value == null ? 0 : value;
    }

    private static ServerCharsets.Decoder decoder(String table, Metadata m) {
        ServerCharsets.Decoder decoder = ServerCharsets.decoder(m.characterSetName());
        if (decoder == null) {
            throw new IllegalArgumentException("column '" + m.name() + "' of " + table + " uses charset "
                    + m.characterSetName() + ", which binlog capture does not decode (supported: "
                    + ServerCharsets.supported() + ")");
        }
        return decoder;
    }

    /** The members of {@code enum('a','it''s')} or {@code set(...)}, unquoted, in definition order. */
    static String[] members(String table, Metadata m) {
        String definition = m.columnType();
        int open = definition.indexOf('(');
        List<String> members = new ArrayList<>();
        if (open < 0 || !definition.endsWith(")")) {
            throw new IllegalArgumentException("column '" + m.name() + "' of " + table + " has a definition "
                    + definition + " that is not " + m.dataType() + "('...', ...)");
        }
        int i = open + 1;
        int end = definition.length() - 1;
        while (i < end) {
            if (definition.charAt(i) != '\'') {
                throw new IllegalArgumentException("column '" + m.name() + "' of " + table + ": cannot read the members of "
                        + definition + " at position " + i);
            }
            StringBuilder member = new StringBuilder();
            i++;
            while (true) {
                if (i >= end) {
                    throw new IllegalArgumentException("column '" + m.name() + "' of " + table
                            + ": unterminated member in " + definition);
                }
                char c = definition.charAt(i);
                if (c == '\'' && i + 1 < end && definition.charAt(i + 1) == '\'') {
                    member.append('\'');
                    i += 2;
                } else if (c == '\'') {
                    i++;
                    break;
                } else if (c == '\\' && i + 1 < end) {
                    member.append(unescape(definition.charAt(i + 1)));
                    i += 2;
                } else {
                    member.append(c);
                    i++;
                }
            }
            members.add(member.toString());
            if (i < end && definition.charAt(i) == ',') {
                i++;
            }
        }
        return members.toArray(new String[0]);
    }

    private static char unescape(char c) {
        return switch (c) {
            case '0' -> '\0';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'Z' -> '\u001A';
            default -> c;
        };
    }

    /** The Ferry column, as the batch reader describes it. */
    public Column column() {
        return column;
    }

    /** The metadata it was made from. */
    public Metadata metadata() {
        return metadata;
    }

    /**
     * ENUM or SET members in definition order (index 1 is the first), or empty for other types.
     */
    public List<String> members() {
        return names == null ? List.of() : List.of(names);
    }

    /**
     * Puts a value of a binlog row event into the sink, in the representation of the column's
     * {@link DataType}; null sets null.
     *
     * @param index the column's index in the sink's record
     * @param value what {@link #deserializer()}'s row event holds for this column
     * @throws BinlogValueException naming the column and the value when it has no Ferry value (zero
     *         dates, TIMEs beyond a day, unknown ENUM/SET members) or arrived in an unexpected form
     */
    public void set(RecordSink sink, int index, Serializable value) {
        if (value == null) {
            sink.setNull(index);
            return;
        }
        switch (kind) {
            case BOOLEAN_INT -> sink.setBoolean(index, integer(value) != 0);
            case BOOLEAN_BIT -> sink.setBoolean(index, !bits(value).isEmpty());
            case INT -> sink.setLong(index, integer(value));
            case UINT8 -> sink.setLong(index, integer(value) & 0xFFL);
            case UINT16 -> sink.setLong(index, integer(value) & 0xFFFFL);
            case UINT24 -> sink.setLong(index, integer(value) & 0xFFFFFFL);
            case UINT32 -> sink.setLong(index, integer(value) & 0xFFFFFFFFL);
            case UINT64 -> sink.setObject(index, new BigDecimal(Long.toUnsignedString(integer(value))));
            case BIT -> {
                long[] words = bits(value).toLongArray();
                sink.setLong(index, words.length == 0 ? 0 : words[0]);
            }
            case YEAR -> {
                long year = integer(value);
                // YEAR stores 1901..2155 as 1..255 and 0000 as 0, which the client turns into 1900.
                sink.setLong(index, year == 1900 ? 0 : year);
            }
            case DECIMAL -> sink.setObject(index, decimal(value));
            case FLOAT -> sink.setDouble(index, floatValue(value));
            case DOUBLE -> sink.setDouble(index, doubleValue(value));
            case TEXT -> sink.setObject(index, decoder.decode(bytes(value)));
            case JSON_BINARY -> sink.setObject(index, json(value));
            case ENUM -> sink.setObject(index, enumMember(value));
            case SET -> sink.setObject(index, setMembers(value));
            case BYTES -> sink.setObject(index, binary(value));
            case DATE -> sink.setLong(index, epochDay(value));
            case TIME -> sink.setLong(index, nanoOfDay(value));
            case DATETIME -> sink.setLong(index, TimeCodec.micros(dateTime(value)));
            case TIMESTAMP -> sink.setLong(index, instantMicros(value));
        }
    }

    // ---------------------------------------------------------------- conversions

    private long integer(Serializable value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        throw unexpected(value, "an Integer or Long");
    }

    private BitSet bits(Serializable value) {
        if (value instanceof BitSet bits) {
            return bits;
        }
        throw unexpected(value, "a BitSet");
    }

    private byte[] bytes(Serializable value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        throw unexpected(value, "a byte[] (the client's CHAR_AND_BINARY_AS_BYTE_ARRAY mode)");
    }

    private BigDecimal decimal(Serializable value) {
        if (!(value instanceof BigDecimal decimal)) {
            throw unexpected(value, "a BigDecimal");
        }
        try {
            return decimal.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw invalid(decimal.toPlainString(), "has more than the column's " + scale + " decimals");
        }
    }

    /**
     * The double the batch reader parses from the server's text for a FLOAT: six significant digits,
     * or the column's decimals for FLOAT(m,d), correctly rounded from the stored single-precision value.
     */
    private double floatValue(Serializable value) {
        if (!(value instanceof Float f)) {
            throw unexpected(value, "a Float");
        }
        float v = f;
        if (v == 0 || Float.isNaN(v) || Float.isInfinite(v)) {
            return v;
        }
        BigDecimal exact = new BigDecimal(v);
        BigDecimal printed = scale >= 0 ? exact.setScale(scale, RoundingMode.HALF_EVEN) : exact.round(FLOAT_DIGITS);
        return Double.parseDouble(printed.toString());
    }

    private double doubleValue(Serializable value) {
        if (!(value instanceof Double d)) {
            throw unexpected(value, "a Double");
        }
        double v = d;
        if (scale < 0 || v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        return Double.parseDouble(new BigDecimal(v).setScale(scale, RoundingMode.HALF_EVEN).toString());
    }

    private String json(Serializable value) {
        byte[] bytes = bytes(value);
        try {
            return JsonBinary.parseAsString(bytes);
        } catch (IOException | RuntimeException e) {
            throw invalid(bytes.length + " bytes of binary JSON", "cannot be read: " + e.getMessage());
        }
    }

    private String enumMember(Serializable value) {
        long index = integer(value);
        if (index == 0) {
            return ""; // the server's value for an invalid member inserted in a non-strict session
        }
        if (index < 0 || index > names.length) {
            throw invalid("ENUM index " + index, "is not one of the " + names.length + " members of " + metadata.columnType());
        }
        return names[(int) index - 1];
    }

    private String setMembers(Serializable value) {
        long bitmap = integer(value);
        if (names.length < 64 && bitmap >>> names.length != 0) {
            throw invalid("SET bitmap " + Long.toBinaryString(bitmap), "has bits beyond the " + names.length
                    + " members of " + metadata.columnType());
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            if ((bitmap & (1L << i)) != 0) {
                sb.append(sb.length() == 0 ? "" : ",").append(names[i]);
            }
        }
        return sb.toString();
    }

    private byte[] binary(Serializable value) {
        byte[] bytes = bytes(value);
        if (length > 0 && bytes.length < length) {
            // BINARY(n) is padded with zero bytes; the binlog may leave the padding out.
            byte[] padded = new byte[length];
            System.arraycopy(bytes, 0, padded, 0, bytes.length);
            return padded;
        }
        return bytes;
    }

    private long epochDay(Serializable value) {
        if (value instanceof LocalDate date) {
            return date.toEpochDay();
        }
        if (value instanceof String text) {
            throw invalid("DATE '" + text + "'", "is a zero or impossible date, which a Ferry DATE cannot hold");
        }
        if (value instanceof Long micros) {
            if (micros == Long.MIN_VALUE) {
                throw invalid("DATE 0000-00-00", "is a zero or impossible date, which a Ferry DATE cannot hold");
            }
            return fromClientMicros(micros).toLocalDate().toEpochDay();
        }
        throw unexpected(value, "a LocalDate");
    }

    private LocalDateTime dateTime(Serializable value) {
        if (value instanceof LocalDateTime dateTime) {
            return dateTime;
        }
        if (value instanceof String text) {
            throw invalid("DATETIME '" + text + "'", "is a zero or impossible date, which a Ferry TIMESTAMP cannot hold");
        }
        if (value instanceof Long micros) {
            if (micros == Long.MIN_VALUE) {
                throw invalid("DATETIME 0000-00-00 00:00:00", "is a zero or impossible date, which a Ferry TIMESTAMP "
                        + "cannot hold");
            }
            return fromClientMicros(micros);
        }
        throw unexpected(value, "a LocalDateTime");
    }

    private long instantMicros(Serializable value) {
        if (value instanceof Instant instant) {
            return TimeCodec.micros(instant);
        }
        if (value instanceof String text) {
            throw invalid("TIMESTAMP '" + text + "'", "is the zero timestamp, which a Ferry TIMESTAMPTZ cannot hold");
        }
        if (value instanceof Long micros) {
            if (micros >= 0 && micros < 1_000_000) {
                throw invalid("TIMESTAMP 0000-00-00 00:00:00", "is the zero timestamp, which a Ferry TIMESTAMPTZ "
                        + "cannot hold");
            }
            return micros;
        }
        throw unexpected(value, "an Instant");
    }

    private long nanoOfDay(Serializable value) {
        if (value instanceof Duration duration) {
            if (duration.isNegative() || duration.toNanos() >= NANOS_PER_DAY) {
                throw invalid("TIME '" + timeText(duration) + "'", "is outside 00:00:00..23:59:59.999999, which a "
                        + "Ferry TIME cannot hold");
            }
            return duration.toNanos();
        }
        if (value instanceof Long micros) {
            // The client's microseconds since midnight lose the sign of negative TIMEs, which then
            // show as 185 hours or more: every value outside one day is rejected.
            if (micros < 0 || micros >= MICROS_PER_DAY) {
                throw invalid("TIME of " + micros + " microseconds", "is outside 00:00:00..23:59:59.999999, which a "
                        + "Ferry TIME cannot hold");
            }
            return micros * 1000;
        }
        throw unexpected(value, "a Duration");
    }

    /** {@code -838:59:59.000000} style, with the column's fractional digits. */
    private String timeText(Duration duration) {
        StringBuilder sb = new StringBuilder(duration.isNegative() ? "-" : "");
        Duration magnitude = duration.abs();
        long seconds = magnitude.getSeconds();
        sb.append(seconds / 3600 < 10 ? "0" : "").append(seconds / 3600).append(':');
        sb.append(seconds / 60 % 60 < 10 ? "0" : "").append(seconds / 60 % 60).append(':');
        sb.append(seconds % 60 < 10 ? "0" : "").append(seconds % 60);
        if (scale > 0) {
            String micros = Integer.toString(magnitude.getNano() / 1000 + 1_000_000).substring(1);
            sb.append('.').append(micros, 0, Math.min(scale, 6));
        }
        return sb.toString();
    }

    /**
     * Undoes the client's DATE_AND_TIME_AS_LONG_MICRO conversion: it builds the instant with a
     * Gregorian calendar in UTC that is Julian before 1582-10-15, so earlier values are read back
     * through the same calendar to recover the stored fields. (It gives 1582-10-05..14 the instants
     * of 1582-10-15..24, which cannot be told apart; {@link #deserializer()} decodes exactly.)
     */
    static LocalDateTime fromClientMicros(long micros) {
        if (micros >= GREGORIAN_CUTOVER_MICROS) {
            return TimeCodec.localDateTime(micros);
        }
        GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"), Locale.ROOT);
        calendar.setTimeInMillis(Math.floorDiv(micros, 1000));
        int year = calendar.get(Calendar.YEAR);
        int prolepticYear = calendar.get(Calendar.ERA) == GregorianCalendar.BC ? 1 - year : year;
        return LocalDateTime.of(prolepticYear, calendar.get(Calendar.MONTH) + 1, calendar.get(Calendar.DAY_OF_MONTH),
                calendar.get(Calendar.HOUR_OF_DAY), calendar.get(Calendar.MINUTE), calendar.get(Calendar.SECOND),
                (int) Math.floorMod(micros, 1_000_000L) * 1000);
    }

    private BinlogValueException invalid(String value, String reason) {
        return new BinlogValueException(column.name(), "column '" + column.name() + "' of " + table + ": " + value + " "
                + reason);
    }

    private BinlogValueException unexpected(Serializable value, String expected) {
        return new BinlogValueException(column.name(), "column '" + column.name() + "' of " + table + " ("
                + metadata.columnType() + "): the binlog client gave a " + value.getClass().getName() + " where "
                + expected + " was expected; configure the client with BinlogColumnType.deserializer()");
    }

    @Override
    public String toString() {
        return column.name() + " " + metadata.columnType() + " -> " + column.type().typeName();
    }

    // ---------------------------------------------------------------- the binlog client

    /**
     * A new event deserializer for a {@code BinaryLogClient} (one per client: it keeps the client's
     * table maps), producing the values {@link #set} expects: strings and binary strings as
     * {@code byte[]}, DATE as {@link LocalDate}, DATETIME as {@link LocalDateTime}, TIMESTAMP as
     * {@link Instant}, TIME as {@link Duration}, zero dates as their text. Compatibility modes:
     * {@code CHAR_AND_BINARY_AS_BYTE_ARRAY}, {@code DATE_AND_TIME_AS_LONG_MICRO},
     * {@code INVALID_DATE_AND_TIME_AS_MIN_VALUE} (the last two apply only where the client decodes
     * rows itself: MySQL's compressed transaction payloads).
     */
    public static EventDeserializer deserializer() {
        return BinlogDeserializers.create();
    }

    /**
     * Whether a failure of the binlog client means that the requested position is no longer on the
     * server (its file was purged, or its GTID state is older than the oldest binlog): the server's
     * error 1236 with "Could not find first log file name in binary log index file" or its GTID
     * equivalent. Looks through causes and suppressed exceptions.
     */
    public static boolean isPurgedPosition(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            boolean purgedText = message.contains("could not find first log file name")
                    || message.contains("could not find gtid state")
                    || message.contains("have been purged") || message.contains("has been purged")
                    || message.contains("were purged");
            if (t instanceof ServerException server && server.getErrorCode() == 1236 && purgedText) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == 1236 && purgedText) {
                return true;
            }
            if (purgedText && message.contains("1236")) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (isPurgedPosition(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }
}
