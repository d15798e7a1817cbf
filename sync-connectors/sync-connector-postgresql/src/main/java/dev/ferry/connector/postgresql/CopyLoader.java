package dev.ferry.connector.postgresql;

import dev.ferry.api.WriterContext;
import dev.ferry.api.data.RowBatch;
import dev.ferry.connector.jdbc.BatchLoader;
import dev.ferry.connector.jdbc.RowReplay;
import dev.ferry.connector.jdbc.WritePlan;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.DateTimeException;
import java.util.Arrays;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Inserts through {@code COPY … FROM STDIN} with pgjdbc's {@link CopyManager}, in the binary format
 * when every column pair has one ({@link CopyBinaryEncoder}) and the dialect asks for it, else in
 * the text format ({@link CopyTextEncoder}).
 *
 * <p>Design: one COPY stays open across the batches of a split and carries a <em>chunk</em> of
 * rows, up to {@value #CHUNK_BYTES} encoded bytes or {@value #CHUNK_ROWS} rows, under one savepoint
 * taken before it; the split's last chunk ends in {@link #endSplit}. The chunk's encoded rows stay
 * in the encoder's buffer until the COPY ends (the batches they came from are gone by then), and
 * are handed to the server every {@value #SEND_BYTES} bytes, so the server works while the next
 * rows are encoded and memory per writer stays near one chunk whatever the split.
 *
 * <p>COPY stops at the first bad row and aborts the transaction. When a chunk's COPY fails for
 * its data, the loader rolls back to the chunk's savepoint and copies the retained rows again in
 * halves, each under its own savepoint, narrowing every refused half down to single rows: the
 * good rows are written once and each bad one is reported dirty with PostgreSQL's reason (which
 * names the column), rendered from its encoded bytes. The split's earlier chunks survive in its
 * transaction. A value the encoder cannot encode never reaches the server: its row is reported
 * dirty at once, from its batch. A lost connection or an error that is not about the data is
 * thrown, and the writer rolls the split back.
 *
 * <p>Threading: used by one writer thread.
 */
final class CopyLoader implements BatchLoader {

    /** A chunk's COPY ends once its rows take this many encoded bytes (its buffer then fits 4 MiB). */
    static final int CHUNK_BYTES = (4 << 20) - (64 << 10);
    /** ... or once it holds this many rows, which bounds the row index and the replay's depth. */
    static final int CHUNK_ROWS = 1 << 16;
    /** Encoded bytes handed to the server at a time. */
    static final int SEND_BYTES = 256 << 10;
    /** A refused range this small is replayed row by row rather than halved again. */
    private static final int ROW_BY_ROW = 4;
    private static final int INITIAL_BYTES = 64 << 10;

    private final PostgresDialect dialect;
    private final WritePlan plan;
    private final Connection connection;
    private final WriterContext context;
    private final CopyManager copyManager;
    private final String copySql;
    private final CopyEncoder encoder;

    /** The open chunk: its COPY (null until its first bytes are sent) and the savepoint before it. */
    private CopyIn copyIn;
    private Savepoint savepoint;
    /** Bytes of the encoder's buffer already handed to the open COPY. */
    private int sent;
    /** Where each of the chunk's rows ends in the encoder's buffer. */
    private int[] rowEnds = new int[1024];
    private int rows;

    CopyLoader(PostgresDialect dialect, WritePlan plan, Connection connection, WriterContext context) throws SQLException {
        this.dialect = dialect;
        this.plan = plan;
        this.connection = connection;
        this.context = context;
        this.copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
        CopyEncoder binary = dialect.copyFormat() == CopyFormat.BINARY ? CopyBinaryEncoder.forPlan(plan, INITIAL_BYTES) : null;
        this.encoder = binary != null ? binary : new CopyTextEncoder(plan, INITIAL_BYTES);
        this.copySql = dialect.sql().copySql(plan.quotedTable(), plan.targetColumns()) + encoder.formatOption();
    }

    @Override
    public void load(RowBatch batch, int from, int to) throws SQLException {
        for (int row = from; row < to; row++) {
            try {
                encoder.encodeRow(batch, row);
            } catch (IllegalArgumentException | ArithmeticException | DateTimeException | ClassCastException e) {
                context.reportDirty(batch, row, "cannot encode a value for " + plan.table() + ": " + e.getMessage());
                continue;
            }
            if (rows == rowEnds.length) {
                rowEnds = Arrays.copyOf(rowEnds, Math.min(CHUNK_ROWS, rows * 2));
            }
            rowEnds[rows++] = encoder.size();
            if (encoder.size() >= CHUNK_BYTES || rows == CHUNK_ROWS) {
                endChunk();
            } else if (encoder.size() - sent >= SEND_BYTES) {
                send();
            }
        }
    }

    @Override
    public void endSplit() throws SQLException {
        endChunk();
    }

    @Override
    public void abandonSplit() {
        cancelQuietly();
        clearChunk();
    }

    /** Hands the chunk's unsent rows to its COPY, starting the COPY under a savepoint first. */
    private void send() throws SQLException {
        if (copyIn == null && savepoint == null) {
            // Outside the try: without its savepoint the chunk has nothing to roll back to.
            savepoint = connection.setSavepoint();
        }
        try {
            if (copyIn == null) {
                copyIn = copyManager.copyIn(copySql);
                byte[] header = encoder.header();
                if (header.length > 0) {
                    copyIn.writeToCopy(header, 0, header.length);
                }
            }
            if (encoder.size() > sent) {
                copyIn.writeToCopy(encoder.buffer(), sent, encoder.size() - sent);
                sent = encoder.size();
            }
        } catch (SQLException e) {
            chunkRefused(e);
        }
    }

    /** Ends the chunk's COPY; a refused chunk is replayed to find its bad rows. */
    private void endChunk() throws SQLException {
        if (rows == 0) {
            return;
        }
        send();
        if (copyIn != null) {
            try {
                byte[] trailer = encoder.trailer();
                if (trailer.length > 0) {
                    copyIn.writeToCopy(trailer, 0, trailer.length);
                }
                copyIn.endCopy();
                copyIn = null;
                connection.releaseSavepoint(savepoint);
            } catch (SQLException e) {
                chunkRefused(e);
            }
        }
        clearChunk();
    }

    /**
     * The server refused the open chunk (or the connection failed): rethrows what is not about the
     * data, else rolls back to the chunk's savepoint and writes its rows again, finding the bad ones.
     */
    private void chunkRefused(SQLException error) throws SQLException {
        cancelQuietly();
        if (dialect.errors().isRetriable(error)) {
            throw error;
        }
        connection.rollback(savepoint);
        savepoint = null;
        if (!dialect.errors().isDataError(error)) {
            throw error;
        }
        findBadRows(0, rows);
        clearChunk();
    }

    /** Rows {@code [from, to)} of the chunk hold at least one the server refuses. */
    private void findBadRows(int from, int to) throws SQLException {
        if (to - from <= ROW_BY_ROW) {
            RowReplay.replay(connection, dialect.errors(), plan.redactor(), plan.table().toString(), from, to, "encode",
                    row -> copyRows(row, row + 1),
                    (row, reason) -> context.reportDirty(encoder.render(encoder.buffer(), rowStart(row), rowEnds[row]),
                            reason));
            return;
        }
        int middle = (from + to) >>> 1;
        copyOrNarrow(from, middle);
        copyOrNarrow(middle, to);
    }

    private void copyOrNarrow(int from, int to) throws SQLException {
        Savepoint half = connection.setSavepoint();
        try {
            copyRows(from, to);
            connection.releaseSavepoint(half);
        } catch (SQLException e) {
            if (dialect.errors().isRetriable(e)) {
                throw e;
            }
            connection.rollback(half);
            if (!dialect.errors().isDataError(e)) {
                throw e;
            }
            findBadRows(from, to);
        }
    }

    /** One COPY of the chunk's retained rows {@code [from, to)}. */
    private void copyRows(int from, int to) throws SQLException {
        CopyIn copy = copyManager.copyIn(copySql);
        boolean done = false;
        try {
            byte[] header = encoder.header();
            byte[] trailer = encoder.trailer();
            if (header.length > 0) {
                copy.writeToCopy(header, 0, header.length);
            }
            int start = rowStart(from);
            copy.writeToCopy(encoder.buffer(), start, rowEnds[to - 1] - start);
            if (trailer.length > 0) {
                copy.writeToCopy(trailer, 0, trailer.length);
            }
            copy.endCopy();
            done = true;
        } finally {
            if (!done && copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException ignored) {
                    // The COPY already failed; the caller rolls back to its savepoint or drops the connection.
                }
            }
        }
    }

    private int rowStart(int row) {
        return row == 0 ? 0 : rowEnds[row - 1];
    }

    private void cancelQuietly() {
        CopyIn open = copyIn;
        copyIn = null;
        if (open != null && open.isActive()) {
            try {
                open.cancelCopy();
            } catch (SQLException ignored) {
                // The COPY already failed or the connection is gone; the writer rolls back or drops it.
            }
        }
    }

    /** Forgets the chunk's rows, giving back memory a single huge row made the buffer grow to. */
    private void clearChunk() {
        rows = 0;
        sent = 0;
        savepoint = null;
        encoder.reset(CHUNK_BYTES + (64 << 10));
    }

    @Override
    public void close() {
        cancelQuietly();
    }
}
