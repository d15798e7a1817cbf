package dev.ferry.connector.jdbc;

import dev.ferry.api.AttachedSource;
import dev.ferry.api.AttachedTarget;
import dev.ferry.api.JobContext;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.WriterContext;

/**
 * JDBC readers and writers attached to a plan made elsewhere: each opens only its own pool, so
 * attaching never exports a snapshot, runs pre-SQL or creates or truncates a table.
 */
final class AttachedJdbc {

    private AttachedJdbc() {
    }

    /** Readers of a {@link JdbcReadPlan}; they import the plan's snapshot, never export one. */
    static AttachedSource source(Dialect dialect, JdbcEndpoint endpoint, JdbcReadPlan plan, JobContext context) {
        ConnectionPool pool = ConnectionPool.open(dialect, endpoint, "ferry-" + context.jobName() + "-attached-source",
                context.concurrency() + 1);
        ColumnReader[] readers = plan.readers(dialect);
        ErrorTranslator errors = new ErrorTranslator(dialect.errors(), endpoint.redactor());
        return new AttachedSource() {
            @Override
            public SourceReader createReader(Split split) {
                if (!(split instanceof JdbcSplit jdbcSplit)) {
                    throw new IllegalArgumentException("not a split of a JDBC source: " + split);
                }
                return new JdbcReader(dialect, plan, readers, pool, errors, jdbcSplit);
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }

    /**
     * Writers of a {@link JdbcTargetPlan}, each split in its own transaction as the target's own
     * are, and recorded in the plan's split ledger, if it has one, in that transaction.
     */
    static AttachedTarget target(Dialect dialect, JdbcEndpoint endpoint, JdbcTargetPlan plan, JobContext context) {
        ConnectionPool pool = ConnectionPool.open(dialect, endpoint, "ferry-" + context.jobName() + "-attached-target",
                context.concurrency() + 1);
        ErrorTranslator errors = new ErrorTranslator(dialect.errors(), endpoint.redactor());
        WritePlan writePlan = plan.writePlan(dialect, errors.redactor());
        SplitLedger ledger = plan.splitLedger(dialect);
        return new AttachedTarget() {
            @Override
            public TargetWriter createWriter(WriterContext writerContext) {
                return new JdbcWriter(pool, writePlan, writerContext, errors, ledger);
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }
}
