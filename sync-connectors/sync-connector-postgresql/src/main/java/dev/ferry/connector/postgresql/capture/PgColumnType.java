package dev.ferry.connector.postgresql.capture;

import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.BIT;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.BOOL;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.BOX;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.BPCHAR;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.BYTEA;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.BYTEA_ARRAY;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.CHAR;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.DATE;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.FLOAT4;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.FLOAT4_ARRAY;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.FLOAT8;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.FLOAT8_ARRAY;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.INT2;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.INT2_ARRAY;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.INT4;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.INT4_ARRAY;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.INT8;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.INT8_ARRAY;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.INTERVAL;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.JSON;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.JSONB;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.NUMERIC;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.OID;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.OID_ARRAY;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.POINT;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.TEXT_ARRAY;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.TIME;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.TIMESTAMP;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.TIMESTAMPTZ;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.TIMETZ;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.VARBIT;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.VARCHAR;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.VARCHAR_ARRAY;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.element;
import static dev.ferry.connector.postgresql.capture.PgBuiltinTypes.name;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RecordSink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A column of a pgoutput {@link PgOutputMessage.Relation} as a Ferry {@link Column}, and the
 * reader of its text values, both matching what the batch source (JdbcSource with
 * {@code PostgresDialect}'s {@code PostgresTypes} over pgjdbc) derives and reads for the same
 * column of the same table, so that a snapshot and the change stream after it agree.
 *
 * <h2>Types</h2>
 * Built-in types are mapped by OID the way pgjdbc's result-set metadata and
 * {@code PostgresTypes}/{@code GenericTypes} map them:
 * <table>
 *   <caption>Type mapping</caption>
 *   <tr><th>PostgreSQL (OID)</th><th>DataType</th><th>precision, scale</th></tr>
 *   <tr><td>bool (16)</td><td>BOOLEAN</td><td></td></tr>
 *   <tr><td>int2 (21), int4 (23), int8 (20), oid (26)</td><td>INT64</td><td></td></tr>
 *   <tr><td>numeric (1700)</td><td>DECIMAL</td><td>from typmod when 1..1000 digits, else 0, 0</td></tr>
 *   <tr><td>float4 (700), float8 (701)</td><td>FLOAT64</td><td></td></tr>
 *   <tr><td>bytea (17)</td><td>BYTES</td><td>0</td></tr>
 *   <tr><td>date (1082)</td><td>DATE</td><td></td></tr>
 *   <tr><td>time (1083)</td><td>TIME</td><td>fractional digits: typmod, 6 without one</td></tr>
 *   <tr><td>timestamp (1114)</td><td>TIMESTAMP</td><td>fractional digits: typmod, 6 without one</td></tr>
 *   <tr><td>timestamptz (1184)</td><td>TIMESTAMPTZ</td><td>fractional digits: typmod, 6 without one</td></tr>
 *   <tr><td>json (114), jsonb (3802)</td><td>JSON</td><td></td></tr>
 *   <tr><td>bit(1) (1560)</td><td>BOOLEAN</td><td></td></tr>
 *   <tr><td>bit(n), n &gt; 1</td><td>INT64 (its digits read as a decimal number, as pgjdbc's getLong does)</td><td></td></tr>
 *   <tr><td>varchar(n) (1043), char(n) (1042)</td><td>STRING</td><td>n; 0 without a length</td></tr>
 *   <tr><td>"char" (18)</td><td>STRING</td><td>1</td></tr>
 *   <tr><td>varbit(n) (1562)</td><td>STRING</td><td>n</td></tr>
 *   <tr><td>interval (1186)</td><td>STRING</td><td>0 (pgjdbc's 49 is a display size, not a maximum length)</td></tr>
 *   <tr><td>timetz (1266)</td><td>STRING</td><td>pgjdbc's display size: 14, +3 for (1), +n+1 for (n &gt; 1), 21 without typmod</td></tr>
 *   <tr><td>arrays of int2/int4/int8/oid/numeric/float4/float8/bool/"char"/bpchar/varchar/bit/varbit/date/time/timetz/timestamp/timestamptz</td><td>STRING</td><td>0 (pgjdbc reports the element's precision, which the array's text exceeds)</td></tr>
 *   <tr><td>text, uuid, money, xml, inet, point, other arrays, every other built-in type</td><td>STRING</td><td>0</td></tr>
 *   <tr><td>not built in: enum, composite, range, domain over a non-built-in type, their arrays</td><td>STRING</td><td>0; native type from the {@link PgOutputMessage.TypeInfo} ({@code ""} when none was seen)</td></tr>
 *   <tr><td>domain over a built-in type</td><td>as its base type (named by the TypeInfo)</td><td>as the base type without typmod: the domain's own length/precision is not in the stream</td></tr>
 * </table>
 * The native type is pgjdbc's type name: {@code pg_type.typname} ({@code "int4"}, {@code "_text"},
 * {@code "bpchar"}), for types outside {@code pg_catalog} and {@code public}
 * {@code "schema"."name"} as pgjdbc writes types off the search path.
 *
 * <h2>Nullability</h2>
 * pgoutput does not say which columns are {@code NOT NULL}: a replica identity (key) column is
 * not nullable, every other column nullable, except under {@code REPLICA IDENTITY FULL}, where
 * every column is flagged as key and {@link #of(PgOutputMessage.Relation, IntFunction)} makes them
 * all nullable. The batch source reads {@code attnotnull}, so its non-key {@code NOT NULL} columns
 * differ; pass {@code nullable} explicitly to align them.
 *
 * <h2>Values</h2>
 * {@link #set} parses the type's text output and calls the sink's setter for the column's
 * DataType with the value the batch reader reads for the same stored value, including pgjdbc's
 * quirks: {@code float4} widened from float ({@code 1.1} reads 1.100000023841858); numerics keep
 * their scale ({@code 1.50}); date {@code infinity}/{@code -infinity} become LocalDate.MAX/MIN's
 * epoch days; time {@code 24:00:00} becomes 23:59:59.999999999; {@code timetz} is rewritten in UTC
 * ({@code 08:15:07.5+00}); arrays that pgjdbc receives in binary (int2/int4/int8/oid/float4/
 * float8/text/varchar/bytea) come out with every element quoted and floats in Java's notation
 * ({@code {"1",NULL,"2.0"}}); {@code point}/{@code box} coordinates in Java's notation. Values the
 * batch reader fails on (numeric NaN/Infinity, infinite or out-of-range timestamps, timetz
 * {@code 24:00}) throw an {@link IllegalArgumentException} naming the column and the value. A
 * {@code timestamptz} carries its offset in whatever TimeZone the walsender runs in; it is parsed,
 * never assumed. Only the ISO DateStyle is understood (pgjdbc sets it on every connection).
 *
 * <p>Threading: immutable; safe to share.
 */
public final class PgColumnType {

    /** pgjdbc's "unknown length" for unbounded types (Integer.MAX_VALUE), which the dialect maps to precision 0. */
    private static final int UNKNOWN_LENGTH = Integer.MAX_VALUE;
    private static final int UNBOUNDED = Integer.MAX_VALUE / 2;
    private static final int MAX_SHOWN = 100;

    /** How a text value becomes a sink call. */
    private enum Reader {
        BOOLEAN, BIT_BOOLEAN, INT64, DECIMAL, FLOAT4, FLOAT8, TEXT, BYTES, DATE, TIME, TIMESTAMP, TIMESTAMPTZ,
        TIMETZ, ARRAY, FLOAT4_ARRAY, FLOAT8_ARRAY, BYTEA_ARRAY, POINT, BOX
    }

    private final Column column;
    private final int typeOid;
    private final int typeModifier;
    private final Reader reader;

    private PgColumnType(Column column, int typeOid, int typeModifier, Reader reader) {
        this.column = column;
        this.typeOid = typeOid;
        this.typeModifier = typeModifier;
        this.reader = reader;
    }

    /**
     * The column with key columns not null and the others nullable.
     *
     * @param type the TypeInfo announced for {@code column.typeOid()}, or null (built-in types have none)
     */
    public static PgColumnType of(RelationColumn column, PgOutputMessage.TypeInfo type) {
        return of(column, type, !column.key());
    }

    /**
     * @param type     the TypeInfo announced for {@code column.typeOid()}, or null
     * @param nullable the nullability to report (pgoutput does not carry it)
     */
    public static PgColumnType of(RelationColumn column, PgOutputMessage.TypeInfo type, boolean nullable) {
        Objects.requireNonNull(column, "column");
        int oid = column.typeOid();
        if (name(oid) != null) {
            return builtin(column, nullable, oid, column.typeModifier());
        }
        if (type != null) {
            if (type.oid() != oid) {
                throw new IllegalArgumentException("type " + type + " is not the type of column '" + column.name()
                        + "' (OID " + oid + ")");
            }
            int base = PgOutputMessage.PG_CATALOG.equals(type.namespace()) ? PgBuiltinTypes.oid(type.name()) : 0;
            if (base != 0) {
                // A domain: the server names its built-in base type; the base's typmod is not sent.
                return builtin(column, nullable, base, -1);
            }
            return text(column, nullable, pgjdbcName(type.namespace(), type.name()));
        }
        return text(column, nullable, "");
    }

    /**
     * The column with key columns not null, naming a non-built-in type by {@code typeNameOrNull}
     * (a {@link PgOutputMessage.TypeInfo}'s name). A name of a built-in type is taken as a domain
     * over that type.
     */
    public static PgColumnType of(RelationColumn column, String typeNameOrNull) {
        Objects.requireNonNull(column, "column");
        if (typeNameOrNull == null || name(column.typeOid()) != null) {
            return of(column, (PgOutputMessage.TypeInfo) null);
        }
        int base = PgBuiltinTypes.oid(typeNameOrNull);
        return of(column, new PgOutputMessage.TypeInfo(column.typeOid(),
                base != 0 ? PgOutputMessage.PG_CATALOG : "public", typeNameOrNull));
    }

    /**
     * Every column of a relation: key columns not null unless the replica identity is FULL (where
     * the server flags every column as key), all others nullable.
     *
     * @param types the TypeInfo seen for a type OID, or null
     */
    public static List<PgColumnType> of(PgOutputMessage.Relation relation, IntFunction<PgOutputMessage.TypeInfo> types) {
        List<PgColumnType> result = new ArrayList<>(relation.columns().size());
        boolean full = relation.replicaIdentity() == 'f';
        for (RelationColumn column : relation.columns()) {
            result.add(of(column, types.apply(column.typeOid()), full || !column.key()));
        }
        return result;
    }

    /** The column as the batch source describes it (see the class comment for nullability). */
    public Column column() {
        return column;
    }

    /** The type OID the Relation message gave. */
    public int typeOid() {
        return typeOid;
    }

    /** The type modifier the Relation message gave. */
    public int typeModifier() {
        return typeModifier;
    }

    // ---------------------------------------------------------------- schema

    private static PgColumnType text(RelationColumn column, boolean nullable, String nativeType) {
        return new PgColumnType(new Column(column.name(), DataType.STRING, nullable, 0, 0, nativeType),
                column.typeOid(), column.typeModifier(), Reader.TEXT);
    }

    private static PgColumnType builtin(RelationColumn relationColumn, boolean nullable, int oid, int typmod) {
        DataType type = dataType(oid, typmod);
        int precision = 0;
        int scale = 0;
        switch (type) {
            case DECIMAL -> {
                int p = pgjdbcPrecision(oid, typmod);
                if (p > 0 && p <= 1000) {
                    precision = p;
                    scale = Math.max(0, Math.min(pgjdbcScale(oid, typmod), p));
                }
            }
            case STRING, BYTES -> {
                int p = pgjdbcPrecision(oid, typmod);
                // As PostgresDialect: an array's or an interval's pgjdbc precision is no maximum length.
                precision = p > 0 && p < UNBOUNDED && pgjdbcArrayElement(oid) == 0 && oid != INTERVAL ? p : 0;
            }
            case TIME, TIMESTAMP, TIMESTAMPTZ -> {
                int s = pgjdbcScale(oid, typmod);
                precision = s > 0 && s <= 9 ? s : 0;
            }
            default -> {
            }
        }
        Column column = new Column(relationColumn.name(), type, nullable, precision, scale, name(oid));
        return new PgColumnType(column, relationColumn.typeOid(), relationColumn.typeModifier(), reader(oid, type));
    }

    /** PostgresTypes.dataType over GenericTypes.dataType, with the JDBC type pgjdbc reports for each OID. */
    private static DataType dataType(int oid, int typmod) {
        return switch (oid) {
            case JSON, JSONB -> DataType.JSON;
            case TIMESTAMPTZ -> DataType.TIMESTAMPTZ;
            case TIMESTAMP -> DataType.TIMESTAMP;
            case BOOL -> DataType.BOOLEAN;
            // Types.BIT with pgjdbc's precision (the typmod): more than one bit reads as a number.
            case BIT -> typmod > 1 ? DataType.INT64 : DataType.BOOLEAN;
            case INT2, INT4, INT8, OID -> DataType.INT64;
            case NUMERIC -> DataType.DECIMAL;
            case FLOAT4, FLOAT8 -> DataType.FLOAT64;
            case BYTEA -> DataType.BYTES;
            case DATE -> DataType.DATE;
            case TIME -> DataType.TIME;
            // uuid, money, interval, timetz, text types, arrays and everything else.
            default -> DataType.STRING;
        };
    }

    private static Reader reader(int oid, DataType type) {
        return switch (oid) {
            case BOOL -> Reader.BOOLEAN;
            case BIT -> type == DataType.BOOLEAN ? Reader.BIT_BOOLEAN : Reader.INT64;
            case INT2, INT4, INT8, OID -> Reader.INT64;
            case NUMERIC -> Reader.DECIMAL;
            case FLOAT4 -> Reader.FLOAT4;
            case FLOAT8 -> Reader.FLOAT8;
            case BYTEA -> Reader.BYTES;
            case DATE -> Reader.DATE;
            case TIME -> Reader.TIME;
            case TIMESTAMP -> Reader.TIMESTAMP;
            case TIMESTAMPTZ -> Reader.TIMESTAMPTZ;
            case TIMETZ -> Reader.TIMETZ;
            case INT2_ARRAY, INT4_ARRAY, INT8_ARRAY, OID_ARRAY, TEXT_ARRAY, VARCHAR_ARRAY -> Reader.ARRAY;
            case FLOAT4_ARRAY -> Reader.FLOAT4_ARRAY;
            case FLOAT8_ARRAY -> Reader.FLOAT8_ARRAY;
            case BYTEA_ARRAY -> Reader.BYTEA_ARRAY;
            case POINT -> Reader.POINT;
            case BOX -> Reader.BOX;
            default -> Reader.TEXT;
        };
    }

    /**
     * The element of the array types pgjdbc (42.7) knows without asking the server (its core types
     * and uuid, xml), for which its metadata reports the element's precision; 0 for other types,
     * whose precision pgjdbc reports as unknown (interval[], inet[], …).
     */
    private static int pgjdbcArrayElement(int oid) {
        return switch (oid) {
            case 1000, 1001, 1002, 1003, 1005, 1007, 1009, 1014, 1015, 1016, 1017, 1020, 1021, 1022, 1028, 1115,
                 1182, 1183, 1185, 1231, 1270, 1561, 1563, 199, 791, 2201, 3807, 2951, 143 -> element(oid);
            default -> 0;
        };
    }

    /** pgjdbc's TypeInfoCache.getPrecision. */
    private static int pgjdbcPrecision(int oid, int typmod) {
        int element = pgjdbcArrayElement(oid);
        int base = element != 0 ? element : oid;
        return switch (base) {
            case INT2 -> 5;
            case OID, INT4 -> 10;
            case INT8 -> 19;
            case FLOAT4 -> 8;
            case FLOAT8 -> 17;
            case NUMERIC -> typmod == -1 ? 0 : ((typmod - 4) & 0xFFFF0000) >> 16;
            case CHAR, BOOL -> 1;
            case BPCHAR, VARCHAR -> typmod == -1 ? UNKNOWN_LENGTH : typmod - 4;
            case DATE -> 13;
            case TIME, TIMETZ, TIMESTAMP, TIMESTAMPTZ -> {
                int second = switch (typmod) {
                    case -1 -> 7;
                    case 0 -> 0;
                    case 1 -> 3;
                    default -> typmod + 1;
                };
                yield switch (base) {
                    case TIME -> 8 + second;
                    case TIMETZ -> 8 + second + 6;
                    case TIMESTAMP -> 13 + 1 + 8 + second;
                    default -> 13 + 1 + 8 + second + 6;
                };
            }
            case INTERVAL -> 49;
            case BIT -> typmod;
            case VARBIT -> typmod == -1 ? UNKNOWN_LENGTH : typmod;
            default -> UNKNOWN_LENGTH;
        };
    }

    /** pgjdbc's TypeInfoCache.getScale. */
    private static int pgjdbcScale(int oid, int typmod) {
        int element = pgjdbcArrayElement(oid);
        return switch (element != 0 ? element : oid) {
            case FLOAT4 -> 8;
            case FLOAT8 -> 17;
            case NUMERIC -> typmod == -1 ? 0 : (typmod - 4) & 0xFFFF;
            case TIME, TIMETZ, TIMESTAMP, TIMESTAMPTZ -> typmod == -1 ? 6 : typmod;
            case INTERVAL -> typmod == -1 ? 6 : typmod & 0xFFFF;
            default -> 0;
        };
    }

    /** The name pgjdbc gives a type: bare on the (default) search path, else {@code "schema"."name"}; lower case as the dialect keeps it. */
    private static String pgjdbcName(String namespace, String name) {
        String shown = namespace.equals("public") || namespace.equals(PgOutputMessage.PG_CATALOG) ? name
                : "\"" + namespace + "\".\"" + name + "\"";
        return shown.toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- values

    /**
     * Sets column {@code index} of the sink from a pgoutput text value (kind {@code 't'}).
     *
     * @throws IllegalArgumentException naming the column and the value when the text is not a
     *         value of the type or is a value the batch reader cannot read either
     */
    public void set(RecordSink sink, int index, byte[] text) {
        set(sink, index, text, 0, text.length);
    }

    /** {@link #set(RecordSink, int, byte[])} for the text in {@code data[offset, offset + length)}. */
    public void set(RecordSink sink, int index, byte[] data, int offset, int length) {
        try {
            switch (reader) {
                case BOOLEAN -> sink.setBoolean(index, PgText.parseBoolean(data, offset, length, false));
                case BIT_BOOLEAN -> sink.setBoolean(index, PgText.parseBoolean(data, offset, length, true));
                case INT64 -> sink.setLong(index, PgText.parseLong(data, offset, length));
                case DECIMAL -> sink.setObject(index, PgText.parseNumeric(data, offset, length));
                case FLOAT4 -> sink.setDouble(index, PgText.parseFloat4(data, offset, length));
                case FLOAT8 -> sink.setDouble(index, PgText.parseFloat8(data, offset, length));
                case TEXT -> sink.setObject(index, new String(data, offset, length, StandardCharsets.UTF_8));
                case BYTES -> sink.setObject(index, PgText.parseBytea(data, offset, length));
                case DATE -> sink.setLong(index, PgText.parseDate(data, offset, length));
                case TIME -> sink.setLong(index, PgText.parseTime(data, offset, length));
                case TIMESTAMP -> sink.setLong(index, PgText.parseTimestamp(data, offset, length));
                case TIMESTAMPTZ -> sink.setLong(index, PgText.parseTimestamptz(data, offset, length));
                case TIMETZ -> sink.setObject(index, PgText.timetzAsUtc(data, offset, length));
                case ARRAY -> sink.setObject(index, PgPgjdbcText.array(data, offset, length, PgPgjdbcText.Element.VERBATIM));
                case FLOAT4_ARRAY -> sink.setObject(index, PgPgjdbcText.array(data, offset, length, PgPgjdbcText.Element.FLOAT4));
                case FLOAT8_ARRAY -> sink.setObject(index, PgPgjdbcText.array(data, offset, length, PgPgjdbcText.Element.FLOAT8));
                case BYTEA_ARRAY -> sink.setObject(index, PgPgjdbcText.array(data, offset, length, PgPgjdbcText.Element.BYTEA));
                case POINT -> sink.setObject(index, PgPgjdbcText.point(data, offset, length));
                case BOX -> sink.setObject(index, PgPgjdbcText.box(data, offset, length));
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("column '" + column.name() + "' (" + describeType() + "): cannot read '"
                    + shown(data, offset, length) + "': " + e.getMessage(), e);
        }
    }

    /**
     * Sets column {@code index} of the sink from column {@code column} of a tuple: null for
     * {@code 'n'}, the parsed value for {@code 't'}.
     *
     * @throws IllegalStateException for {@code 'u'} (an unchanged TOAST value: the caller must take
     *         it from the row it already has)
     * @throws IllegalArgumentException for {@code 'b'} (binary values are not read) or a bad text
     */
    public void set(RecordSink sink, int index, TupleData tuple, int column) {
        switch (tuple.kind(column)) {
            case TupleData.NULL -> sink.setNull(index);
            case TupleData.TEXT -> set(sink, index, tuple.data(), tuple.offset(column), tuple.length(column));
            case TupleData.UNCHANGED -> throw new IllegalStateException("column '" + this.column.name()
                    + "' is an unchanged TOAST value ('u'): the change does not carry it");
            default -> throw new IllegalArgumentException("column '" + this.column.name() + "' has a binary value ('b'):"
                    + " only text values are read (do not set the pgoutput option binary)");
        }
    }

    private String describeType() {
        return column.nativeType().isEmpty() ? "type OID " + typeOid : column.nativeType();
    }

    private static String shown(byte[] data, int offset, int length) {
        String text = new String(data, offset, Math.min(length, MAX_SHOWN * 4), StandardCharsets.UTF_8);
        return text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "…" : text;
    }

    @Override
    public String toString() {
        return "PgColumnType[" + column + ", oid=" + typeOid + ", typmod=" + typeModifier + "]";
    }
}
