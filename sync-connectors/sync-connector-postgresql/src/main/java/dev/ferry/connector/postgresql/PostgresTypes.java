package dev.ferry.connector.postgresql;

import dev.ferry.api.data.Column;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.RowBatch;
import dev.ferry.connector.jdbc.ColumnReader;
import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.GenericTypes;
import dev.ferry.connector.jdbc.TimeCodec;
import dev.ferry.connector.jdbc.ValueBinder;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Set;

/**
 * PostgreSQL types through pgjdbc: {@code timestamptz} and {@code timestamp} by name, types whose
 * pgjdbc getters are not faithful ({@code timetz}, {@code money}, {@code interval}) read as text;
 * text bound to non-text columns (uuid, json, jsonb, enums…) with an unspecified type so the
 * server casts it; dates and timestamps bound as PostgreSQL's own text; PostgreSQL's type names
 * in column definitions.
 *
 * <p>The change capture ({@code capture.PgColumnType}, {@code capture.PgText}) derives the same
 * logical columns and values from pgoutput, so that a snapshot and the stream after it agree: a
 * change here needs the same change there.
 *
 * <p>Threading: immutable; safe to share.
 */
final class PostgresTypes extends GenericTypes {

    private static final Set<String> TEXT_TYPES = Set.of("text", "varchar", "bpchar", "char", "name", "citext",
            "character varying", "character");

    // ---------------------------------------------------------------- database to logical

    @Override
    protected DataType dataType(int jdbcType, String typeName, int precision, int scale) {
        return switch (typeName) {
            case "timestamptz" -> DataType.TIMESTAMPTZ;
            case "timestamp" -> DataType.TIMESTAMP;
            // pgjdbc reports these with types whose getters cannot read them faithfully.
            case "timetz", "money", "interval" -> DataType.STRING;
            case "bool" -> DataType.BOOLEAN;
            default -> super.dataType(jdbcType, typeName, precision, scale);
        };
    }

    /**
     * Dates and timestamps straight from their binary form: the reader asks for binary results,
     * and pgjdbc hands a binary field's bytes over as they came ({@code getBytes}), so the days or
     * microseconds since 2000-01-01 become Ferry's since 1970 with one addition, where pgjdbc's
     * own getters would build a {@code LocalDateTime} (and its date and time) for every value. A
     * field in text form (never 4 or 8 bytes long for these types) and {@code ±infinity} take the
     * standard path.
     */
    @Override
    public ColumnReader reader(DbColumn column) {
        ColumnReader standard = super.reader(column);
        boolean timestamp = (column.nativeType().equals("timestamp") || column.nativeType().equals("timestamptz"))
                && (column.type() == DataType.TIMESTAMP || column.type() == DataType.TIMESTAMPTZ);
        boolean date = column.nativeType().equals("date") && column.type() == DataType.DATE;
        if (!timestamp && !date) {
            return standard;
        }
        int width = timestamp ? 8 : 4;
        long epoch = timestamp ? EPOCH_2000_MICROS : EPOCH_2000_DAYS;
        long infinity = timestamp ? Long.MAX_VALUE : Integer.MAX_VALUE;
        long minusInfinity = timestamp ? Long.MIN_VALUE : Integer.MIN_VALUE;
        return (rs, i, sink, c) -> {
            byte[] raw = rs.getBytes(i);
            if (raw == null) {
                sink.setNull(c);
                return;
            }
            long since2000 = raw.length == width ? bigEndian(raw, width) : infinity;
            if (since2000 == infinity || since2000 == minusInfinity) {
                standard.read(rs, i, sink, c);
            } else {
                sink.setLong(c, Math.addExact(since2000, epoch));
            }
        };
    }

    /** Days from 1970-01-01 to PostgreSQL's epoch, 2000-01-01, and the same in microseconds. */
    private static final long EPOCH_2000_DAYS = 10_957;
    private static final long EPOCH_2000_MICROS = EPOCH_2000_DAYS * 86_400_000_000L;

    /** The first {@code length} bytes as a signed big-endian integer. */
    private static long bigEndian(byte[] bytes, int length) {
        long value = bytes[0];
        for (int i = 1; i < length; i++) {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }

    // ---------------------------------------------------------------- logical to database

    @Override
    protected void bindText(PreparedStatement statement, int index, String value, DbColumn target) throws SQLException {
        if (isText(target)) {
            statement.setString(index, value);
        } else {
            // Unspecified type: the server parses the text as the column's type (uuid, jsonb, enum…)
            // and rejects what does not fit.
            statement.setObject(index, value, Types.OTHER);
        }
    }

    /**
     * Dates and timestamps are bound as text in PostgreSQL's own form: pgjdbc turns
     * {@code java.time} values beyond PostgreSQL's range into {@code -infinity}/{@code infinity}
     * without a word, which would be a silent change; as text, the server rejects them instead.
     */
    /**
     * As described, except that an array or an interval has no length: pgjdbc's precision for
     * them (its element's, or 49) is a display size, which their text can exceed, not a maximum.
     */
    @Override
    public DbColumn column(ResultSetMetaData metaData, int index) throws SQLException {
        DbColumn described = super.column(metaData, index);
        Column c = described.column();
        if (c.type() == DataType.STRING && c.precision() > 0 && !lengthBoundsText(c.nativeType())) {
            return new DbColumn(new Column(c.name(), c.type(), c.nullable(), 0, 0, c.nativeType()), described.jdbcType());
        }
        return described;
    }

    /** Whether the precision pgjdbc reports for a text-read type is a maximum length of its text. */
    private static boolean lengthBoundsText(String nativeType) {
        return !nativeType.startsWith("_") && !nativeType.equals("interval");
    }

    @Override
    protected ValueBinder nativeBinder(DataType type, DbColumn target) {
        if (type == DataType.BOOLEAN && target.nativeType().equals("bit")) {
            // A bit(1) column is BOOLEAN, but the server casts no boolean to bit: send its digit.
            return (ps, i, b, r, c) -> ps.setObject(i, b.getBoolean(r, c) ? "1" : "0", Types.OTHER);
        }
        return switch (type) {
            case DATE -> (ps, i, b, r, c) -> ps.setObject(i, dateText(b.getLong(r, c)), Types.OTHER);
            case TIMESTAMP -> (ps, i, b, r, c) -> ps.setObject(i, timestampText(b.getLong(r, c), false), Types.OTHER);
            case TIMESTAMPTZ -> (ps, i, b, r, c) -> ps.setObject(i, timestampText(b.getLong(r, c), true), Types.OTHER);
            default -> super.nativeBinder(type, target);
        };
    }

    @Override
    protected String text(RowBatch batch, int row, int column, DataType from, DataType to) {
        return switch (from) {
            case DATE -> dateText(batch.getLong(row, column));
            case TIMESTAMP -> timestampText(batch.getLong(row, column), false);
            case TIMESTAMPTZ -> timestampText(batch.getLong(row, column), to != DataType.DATE);
            default -> super.text(batch, row, column, from, to);
        };
    }

    /** {@code 2024-02-29}, or {@code 0044-03-15 BC} for years before 1. */
    static String dateText(long epochDay) {
        StringBuilder sb = new StringBuilder(16);
        boolean bc = appendDay(sb, LocalDate.ofEpochDay(epochDay));
        return bc ? sb.append(" BC").toString() : sb.toString();
    }

    /** {@code 2024-02-29 13:45:07.123456}, with {@code +00} when {@code utc}, and {@code BC} for years before 1. */
    static String timestampText(long micros, boolean utc) {
        StringBuilder sb = new StringBuilder(36);
        LocalDateTime value = TimeCodec.localDateTime(micros);
        boolean bc = appendDay(sb, value.toLocalDate());
        sb.append(' ');
        TimeCodec.appendTime(sb, value.toLocalTime().toNanoOfDay());
        if (utc) {
            sb.append("+00");
        }
        return bc ? sb.append(" BC").toString() : sb.toString();
    }

    private static boolean appendDay(StringBuilder sb, LocalDate date) {
        int year = date.getYear();
        boolean bc = year <= 0;
        String shown = Integer.toString(bc ? 1 - year : year);
        sb.append("0000", 0, Math.max(0, 4 - shown.length())).append(shown).append('-');
        int month = date.getMonthValue();
        int day = date.getDayOfMonth();
        sb.append(month < 10 ? "0" : "").append(month).append('-').append(day < 10 ? "0" : "").append(day);
        return bc;
    }

    static boolean isText(DbColumn column) {
        return TEXT_TYPES.contains(column.nativeType());
    }

    @Override
    public void bindNull(PreparedStatement statement, int index, DbColumn target) throws SQLException {
        statement.setNull(index, isText(target) ? Types.VARCHAR : Types.OTHER);
    }

    @Override
    public String columnDefinition(Column column) {
        int p = column.precision();
        String nativeType = column.nativeType();
        return switch (column.type()) {
            case BOOLEAN -> "boolean";
            case INT64 -> "bigint";
            case DECIMAL -> p > 0 ? "numeric(" + p + "," + column.scale() + ")" : "numeric";
            case FLOAT64 -> "double precision";
            case STRING -> nativeType.equals("uuid") ? "uuid" : p > 0 && p <= 10_485_760 ? "varchar(" + p + ")" : "text";
            case BYTES -> "bytea";
            case DATE -> "date";
            case TIME -> "time";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMPTZ -> "timestamptz";
            case JSON -> nativeType.equals("json") ? "json" : "jsonb";
            case NULL -> "text";
        };
    }
}
