package dev.ferry.api.job;

import java.io.Serializable;

/**
 * The size of each channel's buffer between its reader and its writer. A reader blocks when
 * either bound is reached, so memory per channel stays bounded whatever the table size.
 *
 * @param records   records in flight per channel, >= 1
 * @param bytes     approximate bytes in flight per channel, >= 1024
 * @param batchSize records handed to a writer at once, between 1 and {@code records}
 */
public record BufferSettings(int records, long bytes, int batchSize) implements Serializable {

    public static final int DEFAULT_RECORDS = 16_384;
    public static final long DEFAULT_BYTES = 16L << 20;
    public static final int DEFAULT_BATCH_SIZE = 1024;
    public static final BufferSettings DEFAULT = new BufferSettings(DEFAULT_RECORDS, DEFAULT_BYTES, DEFAULT_BATCH_SIZE);

    public BufferSettings {
        if (records < 1) {
            throw new IllegalArgumentException("settings.buffer.records must be >= 1, got " + records);
        }
        if (bytes < 1024) {
            throw new IllegalArgumentException("settings.buffer.bytes must be >= 1024, got " + bytes);
        }
        if (batchSize < 1 || batchSize > records) {
            throw new IllegalArgumentException("settings.buffer.batchSize must be between 1 and settings.buffer.records ("
                    + records + "), got " + batchSize);
        }
    }
}
