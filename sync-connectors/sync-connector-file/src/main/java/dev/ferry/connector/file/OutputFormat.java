package dev.ferry.connector.file;

import dev.ferry.api.data.RowBatch;
import dev.ferry.api.data.TableSchema;

/**
 * How a {@link FileTarget} turns rows into the lines of one file format.
 *
 * <p>Threading: implementations are immutable and shared by all writers; each writer asks for its
 * own {@link Encoder}.
 */
interface OutputFormat {

    /** The file name extension with its dot, {@code ".csv"}. */
    String extension();

    /** Text that starts every output file (a CSV header line with its line break), or empty. */
    String header(TableSchema schema);

    /** A new encoder for rows of {@code schema}. */
    Encoder encoder(TableSchema schema);

    /**
     * Encodes rows, one line each.
     *
     * <p>Threading: used by one writer thread.
     */
    interface Encoder {

        /**
         * Appends row {@code row} of the batch as one line, with its line break.
         *
         * @return null, or why the row cannot be written (naming the column); {@code out} may then
         *         hold part of the row, which the caller discards
         */
        String encode(RowBatch batch, int row, StringBuilder out);
    }
}
