package dev.ferry.api.verify;

/**
 * The row count and the order-independent checksum of a set of rows: what verification compares
 * between a source split and the same rows read back from the target.
 *
 * <p><b>The canonical form.</b> Every value is written as text that depends only on its value,
 * never on the database or the column's declared precision, so that the same rows read from
 * PostgreSQL, MariaDB/MySQL, H2 or a file give the same text:
 * <table>
 *   <caption>Canonical text of one value</caption>
 *   <tr><th>value</th><th>text</th></tr>
 *   <tr><td>NULL (any type)</td><td>{@code \N}</td></tr>
 *   <tr><td>BOOLEAN, INT64, DECIMAL</td><td>{@code n} and the exact decimal number without
 *       exponent, trailing fractional zeros or a trailing point ({@code n1.5} for 1.50,
 *       {@code n0} for 0.000 and for false, {@code n1} for true, {@code n-12})</td></tr>
 *   <tr><td>FLOAT64</td><td>{@code f} and the 16 lower-case hex digits of the IEEE 754 bits,
 *       -0 written as 0 and every NaN as {@code 7ff8000000000000} (so floats compare by exact
 *       value, not by a printed approximation)</td></tr>
 *   <tr><td>STRING, JSON</td><td>{@code s} and the text with {@code \} written {@code \\}, tab
 *       {@code \t} and line feed {@code \n}; when either side's column is fixed-length
 *       ({@code char(n)}) the trailing spaces are removed first. The empty string is {@code s},
 *       distinct from NULL</td></tr>
 *   <tr><td>BYTES</td><td>{@code x} and the lower-case hex digits</td></tr>
 *   <tr><td>DATE</td><td>{@code d} and the days since 1970-01-01</td></tr>
 *   <tr><td>TIME</td><td>{@code h} and the nanoseconds since midnight</td></tr>
 *   <tr><td>TIMESTAMP, TIMESTAMPTZ</td><td>{@code t} and the microseconds since
 *       1970-01-01T00:00Z: a zoned timestamp as its UTC instant, a zone-less one as if its wall
 *       clock were UTC (how Ferry writes a zoned value into a zone-less column)</td></tr>
 * </table>
 * A row's canonical text is its values' texts in column order, separated by a tab. Its hash is
 * the first 8 bytes of the MD5 digest of that text's UTF-8 bytes, read as a big-endian signed
 * 64-bit integer. A set's {@link #sum} is the sum of its rows' hashes modulo 2<sup>64</sup>
 * (wrapping, so the order of rows and of additions does not matter, and it never overflows), and
 * {@link #rows} counts them: equal sets of rows have equal digests, and a row changed, missing or
 * added changes the digest (but for a 2<sup>-64</sup> chance).
 *
 * @param rows the number of rows, >= 0
 * @param sum  the sum of the rows' hashes, modulo 2<sup>64</sup>
 */
public record SplitDigest(long rows, long sum) {

    /** The digest of no rows. */
    public static final SplitDigest EMPTY = new SplitDigest(0, 0);

    public SplitDigest {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
    }

    /** The digest of both sets of rows together. */
    public SplitDigest plus(SplitDigest other) {
        return new SplitDigest(rows + other.rows, sum + other.sum);
    }
}
