package dev.ferry.connector.postgresql;

import dev.ferry.api.WriterContext;
import dev.ferry.api.data.RowBatch;
import dev.ferry.connector.jdbc.RowReplay;
import dev.ferry.connector.jdbc.BatchLoader;
import dev.ferry.connector.jdbc.WritePlan;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.DateTimeException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Inserts through {@code COPY … FROM STDIN} with pgjdbc's {@link CopyManager}, in the binary format
 * when every column pair has one ({@link CopyBinaryEncoder}) and the dialect asks for it, else in
 * the text format ({@link CopyTextEncoder}): rows
 * are encoded into a reusable buffer that is handed to the server every {@value #FLUSH_BYTES}
 * bytes, so memory per writer stays around one MiB whatever the batch.
 *
 * <p>COPY stops at the first bad row and aborts the transaction, so each batch runs under a
 * savepoint. When a batch fails for a reason other than the connection, the loader rolls back to
 * the savepoint and copies the batch's rows one at a time, each under its own savepoint: the good
 * rows are written and each bad one is reported dirty with PostgreSQL's reason (which names the
 * column). The split's earlier batches survive in its transaction.
 *
 * <p>Threading: used by one writer thread.
 */
final class CopyLoader implements BatchLoader {

    /** Hand the buffer to the server once it holds this much. */
    static final int FLUSH_BYTES = 1 << 20;
    private static final int RETAINED_BYTES = 4 * FLUSH_BYTES;

    private final PostgresDialect dialect;
    private final WritePlan plan;
    private final Connection connection;
    private final WriterContext context;
    private final CopyManager copyManager;
    private final String copySql;
    private final CopyEncoder encoder;

    CopyLoader(PostgresDialect dialect, WritePlan plan, Connection connection, WriterContext context) throws SQLException {
        this.dialect = dialect;
        this.plan = plan;
        this.connection = connection;
        this.context = context;
        this.copyManager = connection.unwrap(PGConnection.class).getCopyAPI();
        CopyEncoder binary = dialect.copyFormat() == CopyFormat.BINARY ? CopyBinaryEncoder.forPlan(plan, 64 * 1024) : null;
        this.encoder = binary != null ? binary : new CopyTextEncoder(plan, 64 * 1024);
        this.copySql = dialect.sql().copySql(plan.quotedTable(), plan.targetColumns()) + encoder.formatOption();
    }

    @Override
    public void load(RowBatch batch, int from, int to) throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            copy(batch, from, to);
        } catch (SQLException | IllegalArgumentException | ArithmeticException | DateTimeException | ClassCastException e) {
            if (e instanceof SQLException sql && dialect.errors().isRetriable(sql)) {
                throw sql;
            }
            connection.rollback(savepoint);
            copyRowByRow(batch, from, to);
            return;
        }
        connection.releaseSavepoint(savepoint);
    }

    private void copyRowByRow(RowBatch batch, int from, int to) throws SQLException {
        RowReplay.replay(connection, dialect.errors(), plan, context, batch, from, to, "encode", row -> {
            copy(batch, row, row + 1);
        });
    }

    private void copy(RowBatch batch, int from, int to) throws SQLException {
        encoder.reset(RETAINED_BYTES);
        CopyIn copyIn = copyManager.copyIn(copySql);
        boolean done = false;
        try {
            encoder.start();
            for (int row = from; row < to; row++) {
                encoder.encodeRow(batch, row);
                if (encoder.size() >= FLUSH_BYTES) {
                    copyIn.writeToCopy(encoder.buffer(), 0, encoder.size());
                    encoder.reset(RETAINED_BYTES);
                }
            }
            encoder.end();
            if (encoder.size() > 0) {
                copyIn.writeToCopy(encoder.buffer(), 0, encoder.size());
            }
            copyIn.endCopy();
            done = true;
        } finally {
            encoder.reset(RETAINED_BYTES);
            if (!done && copyIn.isActive()) {
                try {
                    copyIn.cancelCopy();
                } catch (SQLException ignored) {
                    // The COPY already failed; the caller rolls back to the savepoint or drops the connection.
                }
            }
        }
    }

    @Override
    public void close() {
        // The encoder's buffer is garbage once the loader goes; the connection belongs to the writer.
    }
}
