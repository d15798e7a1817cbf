package dev.ferry.api.data;

/**
 * Where a {@link dev.ferry.api.SourceReader} puts the records it reads.
 *
 * <p>A reader builds one record at a time: it sets every column of the source's schema by index
 * (calling {@link #setNull} for nulls) and then calls {@link #emit()}. Values are stored into
 * engine-owned buffers without boxing; the accessor for a column must match its
 * {@link DataType} (see the representation table there). A column not set before {@code emit()}
 * holds an unspecified value, so readers set them all.
 *
 * <p>Threading: a sink belongs to the one thread that runs {@code SourceReader.read}; it is not
 * safe for use from any other thread.
 */
public interface RecordSink {

    void setNull(int column);

    void setBoolean(int column, boolean value);

    /** For INT64, DATE, TIME, TIMESTAMP and TIMESTAMPTZ columns. */
    void setLong(int column, long value);

    void setDouble(int column, double value);

    /**
     * For DECIMAL ({@link java.math.BigDecimal}), STRING and JSON ({@link String}) and BYTES
     * ({@code byte[]}) columns. A null value is the same as {@link #setNull}. The sink keeps the
     * reference: the reader must not modify an array after handing it over.
     */
    void setObject(int column, Object value);

    /**
     * Completes the current record and hands it to the engine.
     *
     * <p>May block while the channel's buffer is full or the job's rate limit is reached: this is
     * how back-pressure reaches the reader.
     *
     * @throws dev.ferry.api.error.CancelledException when the job or this split was cancelled;
     *         the reader must let it propagate
     */
    void emit();

    /**
     * Drops the record being built and reports it as dirty data instead of emitting it.
     *
     * @param reason why it cannot be read (names the column and the rule where it can)
     * @param raw    the record as the source had it (a CSV line, a JSON text), for the dirty-data
     *               file; may be null
     * @throws dev.ferry.api.error.DirtyDataLimitException when this record exceeds the job's
     *         tolerance; the reader must let it propagate
     */
    void dirty(String reason, String raw);
}
