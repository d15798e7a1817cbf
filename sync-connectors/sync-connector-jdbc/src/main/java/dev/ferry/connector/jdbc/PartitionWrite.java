package dev.ferry.connector.jdbc;

import dev.ferry.api.JobContext;
import dev.ferry.api.SupportsSplitRetry;
import dev.ferry.api.Target;
import dev.ferry.api.TargetWriter;
import dev.ferry.api.WriterContext;
import dev.ferry.api.change.TableMapping;
import dev.ferry.api.data.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch target that writes one table's partition of one Business Date: its splits go, by key,
 * into the date's staging table (created when missing, with the Business-Date column defaulting to
 * the date), and {@link #commit} swaps the staging table in as the partition, atomically. The
 * staging table outlives a failure ({@link #abort} leaves it), so a copy resumed after a crash
 * keeps the splits it had committed; a copy that starts over writes the same keys again on top.
 *
 * <p>Splits are the transactions of the {@link JdbcTarget} that writes the staging table (by key, or
 * inserting where the dialect's swap keeps one row per key), so a failed split can be written again
 * ({@link SupportsSplitRetry}).
 *
 * <p>Threading: as {@link Target}.
 */
final class PartitionWrite implements Target, SupportsSplitRetry {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionWrite.class);
    static final String PURPOSE = "stage";

    private final JdbcChangeTarget tables;
    private final PartitionStore store;
    private final TableMapping mapping;
    private final LocalDate date;
    private PartitionStore.Base base;
    private TableName staging;
    private JdbcTarget writes;

    PartitionWrite(JdbcChangeTarget tables, PartitionStore store, TableMapping mapping, LocalDate date) {
        this.tables = tables;
        this.store = store;
        this.mapping = mapping;
        this.date = date;
    }

    @Override
    public void prepare(JobContext context, TableSchema sourceSchema) {
        try (Connection connection = tables.pool().borrow()) {
            base = store.base(connection, mapping);
            staging = store.stage(connection, base, date, PURPOSE);
        } catch (SQLException e) {
            throw tables.errors().translate("preparing the partition of " + date + " of " + mapping.target(), e);
        }
        writes = tables.batchTarget(staging, store.stagingWriteMode());
        writes.prepare(context, sourceSchema);
    }

    @Override
    public TargetWriter createWriter(WriterContext context) {
        return writes.createWriter(context);
    }

    @Override
    public void commit() {
        writes.commit();
        try (Connection connection = tables.pool().borrow()) {
            store.swapWritten(connection, base, staging, date);
        } catch (SQLException e) {
            throw tables.errors().translate("replacing the partition of " + date + " of " + base.name(), e);
        }
    }

    @Override
    public void post() {
        writes.post();
    }

    @Override
    public void abort() {
        LOG.warn("target {}: the partition of {} was not replaced; staging table {} keeps the splits written so far",
                mapping.target(), date, staging);
    }

    @Override
    public void close() {
        if (writes != null) {
            writes.close();
        }
    }

    @Override
    public String toString() {
        return "PartitionWrite[" + mapping.target() + ", " + date + "]";
    }
}
