package dev.ferry.connector.jdbc;

import java.util.Optional;

/**
 * How a database computes the canonical form and row hash of
 * {@link dev.ferry.api.verify.SplitDigest} in SQL, so that verification reads a split's count and
 * checksum instead of its rows. A dialect offers it ({@link Dialect#digestSql()}) only when its
 * expressions give, for every value of the columns they accept, exactly the text the engine writes
 * for the value the dialect's column reader produces.
 *
 * <p>Threading: immutable; safe to share.
 */
public interface DigestSql {

    /**
     * An expression of the column's canonical text, NULL for a NULL value; or empty when this
     * database cannot write the canonical form of this column's type exactly (verification then
     * hashes the rows it reads).
     *
     * @param column             the column as the database described it
     * @param quoted             its quoted name
     * @param trimTrailingSpaces whether the form removes trailing spaces of strings
     */
    Optional<String> canonical(DbColumn column, String quoted, boolean trimTrailingSpaces);

    /**
     * An expression of the row's hash as a signed 64-bit integer, from the canonical texts of its
     * values (each already NULL for a NULL value), in column order.
     */
    String rowHash(java.util.List<String> canonicalValues);
}
