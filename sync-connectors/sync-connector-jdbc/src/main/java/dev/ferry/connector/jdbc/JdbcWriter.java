package dev.ferry.connector.jdbc;

import dev.ferry.api.Split;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.WriterContext;
import dev.ferry.api.data.RowBatch;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a channel's splits, each as one transaction on the writer's pooled connection: the
 * transaction starts with the split's first batch, {@link #finishSplit} commits it and
 * {@link #abortSplit} rolls it back. Batches go through the dialect's {@link BatchLoader} in chunks
 * of {@code batchSize} rows.
 *
 * <p>A connection-level failure is thrown as a {@link dev.ferry.api.error.RetriableException}
 * and the connection is evicted from the pool, so the next split (or the retried one) starts on a
 * fresh connection; the split's uncommitted rows died with the old one. A connection lost while
 * COMMIT is in flight leaves the outcome in doubt: where the dialect can identify the transaction
 * (PostgreSQL's {@code txid_status}), the writer asks another connection and treats a committed
 * split as done, so a retry never duplicates it.
 *
 * <p>With a {@link SplitLedger} (a job run with its progress kept) the writer inserts the split's
 * ledger row, with the records it wrote (those reported dirty left out), in the split's
 * transaction just before COMMIT.
 *
 * <p>Threading: one channel thread.
 */
public final class JdbcWriter implements TargetWriter {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcWriter.class);
    /** How long to wait for the database to settle a commit whose connection was lost. */
    private static final long COMMIT_CHECK_NANOS = 30_000_000_000L;

    private final ConnectionPool pool;
    private final WritePlan plan;
    private final WriterContext context;
    private final ErrorTranslator errors;
    private final SplitLedger ledger;
    private Connection connection;
    private BatchLoader loader;
    private Split split;
    /** Rows handed to {@link #write} in the open split, and of those the rows reported dirty. */
    private long splitRows;
    private long splitDirty;

    /** @param ledger where each split is recorded in its own transaction, or null */
    JdbcWriter(ConnectionPool pool, WritePlan plan, WriterContext context, ErrorTranslator errors, SplitLedger ledger) {
        this.pool = pool;
        this.plan = plan;
        this.context = ledger == null ? context : new DirtyCounting(context);
        this.errors = errors;
        this.ledger = ledger;
    }

    @Override
    public void startSplit(Split newSplit) {
        if (split != null) {
            throw new IllegalStateException("split " + split.id() + " is still open; finish or abort it first");
        }
        split = newSplit;
        splitRows = 0;
        splitDirty = 0;
        open();
    }

    private void open() {
        if (connection != null) {
            return;
        }
        Connection fresh = null;
        try {
            fresh = pool.borrow();
            fresh.setAutoCommit(false);
            loader = plan.dialect().openLoader(plan, fresh, context);
            connection = fresh;
        } catch (SQLException e) {
            if (fresh != null) {
                pool.evict(fresh);
            }
            throw errors.translate("connecting to write split " + splitId(), e);
        }
    }

    @Override
    public void write(RowBatch batch) {
        if (split == null) {
            throw new IllegalStateException("write() outside a split; call startSplit() first");
        }
        open();
        int size = batch.size();
        splitRows += size;
        try {
            for (int from = 0; from < size; from += plan.batchSize()) {
                loader.load(batch, from, Math.min(size, from + plan.batchSize()));
            }
        } catch (SQLException e) {
            throw fail("writing split " + splitId() + " into " + plan.table(), e);
        }
    }

    @Override
    public void finishSplit() {
        if (split == null) {
            throw new IllegalStateException("finishSplit() without startSplit()");
        }
        try {
            if (connection == null) {
                throw new SyncException(ErrorKind.EXTERNAL, "split " + splitId() + " lost its connection before commit");
            }
            String token;
            try {
                loader.endSplit();
                if (ledger != null) {
                    ledger.record(connection, split.id(), splitRows - splitDirty);
                }
                token = plan.dialect().transactionToken(connection);
            } catch (SQLException e) {
                throw fail("committing split " + splitId() + " into " + plan.table(), e);
            }
            try {
                connection.commit();
            } catch (SQLException e) {
                if (token == null || !plan.dialect().errors().isRetriable(e)) {
                    throw fail("committing split " + splitId() + " into " + plan.table(), e);
                }
                discard();
                resolveCommitInDoubt(token, e);
            }
        } finally {
            split = null;
        }
    }

    /**
     * The connection died while COMMIT was in flight, so the split may or may not be in the table.
     * Asks the database on another connection: committed means done, rolled back means the split
     * may be retried, and an answer that never comes fails the job rather than risk duplicates.
     */
    private void resolveCommitInDoubt(String token, SQLException cause) {
        String action = "committing split " + splitId() + " into " + plan.table();
        long deadline = System.nanoTime() + COMMIT_CHECK_NANOS;
        SQLException last = cause;
        while (System.nanoTime() < deadline) {
            try (Connection other = pool.borrow()) {
                Boolean committed = plan.dialect().transactionCommitted(other, token);
                if (Boolean.TRUE.equals(committed)) {
                    LOG.warn("split {}: the connection was lost during COMMIT, but the transaction committed", splitId());
                    return;
                }
                if (Boolean.FALSE.equals(committed)) {
                    throw errors.translate(action, cause);
                }
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new SyncException(ErrorKind.EXTERNAL, action + ": the connection was lost during COMMIT and whether the "
                + "split committed could not be learnt, so it is not retried: " + errors.redactor().mask(
                        plan.dialect().errors().describe(last)), errors.redactor().sanitize(last));
    }

    @Override
    public void abortSplit() {
        Split aborted = split;
        split = null;
        if (connection == null) {
            return;
        }
        if (loader != null) {
            loader.abandonSplit();
        }
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rolling back split {} failed; discarding the connection", aborted == null ? "?" : aborted.id(), e);
            discard();
        }
    }

    /**
     * The server's id of this writer's session (PostgreSQL backend pid, MariaDB connection id),
     * opening the connection if needed. For diagnostics and for tests that cut connections.
     */
    public long serverSessionId() {
        if (plan.dialect().sessionIdSql() == null) {
            throw new UnsupportedOperationException(plan.dialect().name() + " has no session id");
        }
        open();
        try {
            return plan.dialect().sessionId(connection);
        } catch (SQLException e) {
            throw fail("reading the session id", e);
        }
    }

    private SyncException fail(String action, SQLException error) {
        SyncException translated = errors.translate(action, error);
        if (translated.isRetriable()) {
            discard();
        }
        return translated;
    }

    private void discard() {
        if (loader != null) {
            loader.close();
            loader = null;
        }
        if (connection != null) {
            pool.evict(connection);
            connection = null;
        }
    }

    private String splitId() {
        return split == null ? "?" : split.id();
    }

    @Override
    public void close() {
        if (split != null) {
            abortSplit();
        }
        if (loader != null) {
            loader.close();
            loader = null;
        }
        if (connection != null) {
            pool.giveBack(connection);
            connection = null;
        }
    }

    /** The channel's context, counting the rows the loaders report dirty in the open split. */
    private final class DirtyCounting implements WriterContext {

        private final WriterContext channel;

        DirtyCounting(WriterContext channel) {
            this.channel = channel;
        }

        @Override
        public int channel() {
            return channel.channel();
        }

        @Override
        public void reportDirty(dev.ferry.api.data.RowBatch batch, int row, String reason) {
            splitDirty++;
            channel.reportDirty(batch, row, reason);
        }

        @Override
        public void reportDirty(String record, String reason) {
            splitDirty++;
            channel.reportDirty(record, reason);
        }

        @Override
        public String jobName() {
            return channel.jobName();
        }

        @Override
        public int concurrency() {
            return channel.concurrency();
        }

        @Override
        public void warn(String message) {
            channel.warn(message);
        }

        @Override
        public dev.ferry.api.state.StateStore stateStore() {
            return channel.stateStore();
        }
    }
}
