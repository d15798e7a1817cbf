package dev.ferry.connector.postgresql;

import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.DigestSql;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Verification's canonical form ({@link dev.ferry.api.verify.SplitDigest}) in PostgreSQL SQL, for
 * the types whose value PostgreSQL writes exactly as the engine does from what pgjdbc reads:
 * <ul>
 *   <li>integers as their text, {@code numeric} through {@code trim_scale} (no trailing zeros,
 *       never an exponent), {@code boolean} as 1 or 0;</li>
 *   <li>{@code double precision} by its IEEE bits ({@code float8send}, -0 made 0 by adding 0).
 *       Not {@code real}: pgjdbc reads it through its shortest text, a double other than the
 *       float's own value;</li>
 *   <li>text types with {@code \}, tab and line feed escaped ({@code chr()} keeps the expressions
 *       independent of {@code standard_conforming_strings}), {@code char(n)} without its padding,
 *       {@code json}/{@code jsonb} as their text;</li>
 *   <li>{@code bytea} in hex; dates as days since 1970-01-01; times and timestamps through
 *       {@code extract(epoch …)}, which is exact (numeric) since PostgreSQL 14.</li>
 * </ul>
 * Every other type (uuid, arrays, intervals, money, enums…) makes the statement unavailable, and
 * the split is hashed while its rows are read. The row hash is the first 16 hex digits of
 * {@code md5()} of the tab-joined texts, read as a signed 64-bit integer; the database's encoding
 * must be UTF-8 (the engine hashes UTF-8 bytes).
 *
 * <p>Threading: immutable; safe to share.
 */
final class PostgresDigestSql implements DigestSql {

    private static final String BACKSLASH = "chr(92)";

    @Override
    public Optional<String> canonical(DbColumn column, String c, boolean trimTrailingSpaces) {
        String type = column.nativeType().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(switch (type) {
            case "int2", "int4", "int8", "smallint", "integer", "bigint", "serial", "bigserial" -> "'n' || " + c + "::text";
            case "numeric", "decimal" -> "'n' || trim_scale(" + c + ")::text";
            case "bool", "boolean" -> "CASE WHEN " + c + " THEN 'n1' WHEN NOT " + c + " THEN 'n0' END";
            case "float8", "double precision" -> "'f' || encode(float8send(" + c + " + 0::float8), 'hex')";
            case "text", "varchar", "character varying", "bpchar", "char", "character", "name" ->
                    "'s' || " + escaped(trimTrailingSpaces ? "rtrim(" + c + "::text, ' ')" : c + "::text");
            case "json", "jsonb" -> "'s' || " + escaped(c + "::text");
            case "bytea" -> "'x' || encode(" + c + ", 'hex')";
            case "date" -> "'d' || (" + c + " - date '1970-01-01')::text";
            case "time" -> "'h' || (extract(epoch from " + c + ") * 1000000000)::bigint::text";
            case "timestamp", "timestamptz" -> "'t' || (extract(epoch from " + c + ") * 1000000)::bigint::text";
            default -> null;
        });
    }

    private static String escaped(String text) {
        return "replace(replace(replace(" + text + ", " + BACKSLASH + ", " + BACKSLASH + " || " + BACKSLASH + "), chr(9), "
                + BACKSLASH + " || 't'), chr(10), " + BACKSLASH + " || 'n')";
    }

    @Override
    public String rowHash(List<String> canonicalValues) {
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < canonicalValues.size(); i++) {
            row.append(i == 0 ? "" : " || chr(9) || ").append("coalesce(").append(canonicalValues.get(i))
                    .append(", ").append(BACKSLASH).append(" || 'N')");
        }
        return "('x' || substr(md5(" + row + "), 1, 16))::bit(64)::bigint";
    }
}
