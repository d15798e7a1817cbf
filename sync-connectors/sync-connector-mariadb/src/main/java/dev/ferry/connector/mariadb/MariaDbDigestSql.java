package dev.ferry.connector.mariadb;

import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.DigestSql;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Verification's canonical form ({@link dev.ferry.api.verify.SplitDigest}) in MariaDB/MySQL SQL,
 * for the types whose value the server writes exactly as the engine does from what Connector/J
 * reads, in the UTC session {@link MariaDbDialect} sets up:
 * <ul>
 *   <li>integers as their text; {@code DECIMAL} without trailing fractional zeros (0 as {@code 0});
 *       {@code BOOLEAN} ({@code TINYINT(1)}, {@code BIT(1)}) as 1 or 0, as the reader's
 *       {@code getBoolean} sees any non-zero value;</li>
 *   <li>text converted to utf8mb4 (so MD5 hashes UTF-8 bytes whatever the column's character set),
 *       {@code \}, tab and line feed escaped with {@code CHAR(n USING utf8mb4)} (independent of
 *       {@code NO_BACKSLASH_ESCAPES}), trailing spaces trimmed when the form asks;</li>
 *   <li>binary types in hex; {@code DATE} as days since 1970-01-01; {@code DATETIME} and
 *       {@code TIMESTAMP} as microseconds since 1970-01-01 00:00 in the UTC session.</li>
 * </ul>
 * {@code DOUBLE}/{@code FLOAT} (no way to reach their bits in SQL), {@code TIME} (which may be
 * negative or beyond a day, values the reader reports as dirty), {@code JSON} (MySQL's binary JSON
 * prints its own text), {@code BIT(n)} and unknown types make the statement unavailable, and the
 * split is hashed while its rows are read. The row hash is the first 16 hex digits of {@code MD5()}
 * of the tab-joined texts as an unsigned integer, whose sum modulo 2<sup>64</sup> equals the
 * engine's sum of signed hashes.
 *
 * <p>Threading: immutable; safe to share.
 */
final class MariaDbDigestSql implements DigestSql {

    private static final String BACKSLASH = "CHAR(92 USING utf8mb4)";

    @Override
    public Optional<String> canonical(DbColumn column, String c, boolean trimTrailingSpaces) {
        String nativeType = column.nativeType().toLowerCase(Locale.ROOT);
        if (nativeType.startsWith("bit") && column.type() != dev.ferry.api.data.DataType.BOOLEAN) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (column.type()) {
            case INT64 -> "CONCAT('n', " + c + ")";
            case BOOLEAN -> "CASE WHEN " + c + " <> 0 THEN 'n1' WHEN " + c + " = 0 THEN 'n0' END";
            case DECIMAL -> decimal(c);
            case STRING -> "CONCAT('s', " + escaped(trimTrailingSpaces ? "TRIM(TRAILING ' ' FROM CONVERT(" + c
                    + " USING utf8mb4))" : "CONVERT(" + c + " USING utf8mb4)") + ")";
            case BYTES -> "CONCAT('x', LOWER(HEX(" + c + ")))";
            case DATE -> "CONCAT('d', DATEDIFF(" + c + ", '1970-01-01'))";
            case TIMESTAMP, TIMESTAMPTZ -> "CONCAT('t', TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', " + c + "))";
            default -> null;
        });
    }

    /** The exact number without trailing fractional zeros or point; zero (also -0.00) as {@code 0}. */
    private static String decimal(String c) {
        String text = "CAST(" + c + " AS CHAR)";
        return "CASE WHEN " + c + " = 0 THEN 'n0' WHEN LOCATE('.', " + text + ") > 0 THEN CONCAT('n', TRIM(TRAILING '.' FROM "
                + "TRIM(TRAILING '0' FROM " + text + "))) ELSE CONCAT('n', " + text + ") END";
    }

    private static String escaped(String text) {
        return "REPLACE(REPLACE(REPLACE(" + text + ", " + BACKSLASH + ", CONCAT(" + BACKSLASH + ", " + BACKSLASH
                + ")), CHAR(9 USING utf8mb4), CONCAT(" + BACKSLASH + ", 't')), CHAR(10 USING utf8mb4), CONCAT("
                + BACKSLASH + ", 'n'))";
    }

    @Override
    public String rowHash(List<String> canonicalValues) {
        StringBuilder row = new StringBuilder("CONCAT(");
        for (int i = 0; i < canonicalValues.size(); i++) {
            row.append(i == 0 ? "" : ", CHAR(9 USING utf8mb4), ").append("COALESCE(").append(canonicalValues.get(i))
                    .append(", CONCAT(").append(BACKSLASH).append(", 'N'))");
        }
        row.append(')');
        return "CAST(CONV(SUBSTR(MD5(CONVERT(" + row + " USING utf8mb4)), 1, 16), 16, 10) AS UNSIGNED)";
    }
}
