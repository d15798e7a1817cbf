package dev.ferry.connector.jdbc.capture;

import dev.ferry.api.JobContext;
import dev.ferry.api.Source;
import dev.ferry.api.SourceReader;
import dev.ferry.api.Split;
import dev.ferry.api.SupportsSplitResume;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.data.RecordSink;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.CancelledException;
import dev.ferry.connector.jdbc.CancellableQuery;
import dev.ferry.connector.jdbc.CaptureTables;
import dev.ferry.connector.jdbc.ColumnReader;
import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.ResolvedTable;
import dev.ferry.connector.jdbc.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.util.List;

/**
 * One table of a {@link HeldSnapshot}, as a batch source of one split: its rows as the snapshot
 * shows them, read with the column readers the H2 batch source uses, so a copied row and a
 * streamed change of it carry the same values.
 *
 * <p>Threading: {@code prepare}, {@code planSplits} and {@code close} from the driver thread, the
 * reader on a channel thread; both use the snapshot's one session in turn.
 */
final class SnapshotTableSource implements Source, SupportsSplitResume {

    private final HeldSnapshot.CopySession session;
    private final CapturedTable table;
    private volatile TableSchema schema;
    private volatile String selectSql;
    private volatile ColumnReader[] readers;

    /** The one split of a table's copy. */
    record WholeTable(String id) implements Split {
    }

    SnapshotTableSource(HeldSnapshot.CopySession session, CapturedTable table) {
        this.session = session;
        this.table = table;
    }

    @Override
    public void prepare(JobContext context) {
        TableName name = new TableName(table.id().schema(), table.id().name());
        ResolvedTable resolved;
        try {
            synchronized (session.connection()) {
                resolved = ResolvedTable.resolve(session.connection(), session.dialect(), name, session.tablesKey());
            }
        } catch (SQLException e) {
            throw session.errors().translate("describing " + table.id() + " in the snapshot", e);
        }
        schema = CaptureTables.schema(table.id(), resolved, table.schema().primaryKey());
        List<DbColumn> columns = resolved.columns();
        ColumnReader[] chosen = new ColumnReader[columns.size()];
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = session.dialect().types().reader(columns.get(i));
            sql.append(i == 0 ? "" : ", ").append(session.dialect().sql().quoteIdentifier(columns.get(i).name()));
        }
        selectSql = sql.append(" FROM ").append(session.dialect().sql().quoteTable(resolved.name())).toString();
        readers = chosen;
    }

    @Override
    public TableSchema schema() {
        if (schema == null) {
            throw new IllegalStateException("the schema is known after prepare()");
        }
        return schema;
    }

    @Override
    public List<? extends Split> planSplits(JobContext context) {
        return List.of(new WholeTable(table.id() + "[*]"));
    }

    /** One split per table, so the table is all there is to it. */
    @Override
    public String splitDesign() {
        return table.id() + " whole";
    }

    @Override
    public SourceReader createReader(Split split) {
        if (readers == null) {
            throw new IllegalStateException("createReader() is valid after prepare()");
        }
        return new Reader(split.id());
    }

    @Override
    public void close() {
        // The session belongs to the snapshot, which closes it.
    }

    /** Reads the table through the snapshot's session. */
    private final class Reader implements SourceReader {

        private final String splitId;
        private final CancellableQuery running;

        Reader(String splitId) {
            this.splitId = splitId;
            this.running = new CancellableQuery("split " + splitId);
        }

        @Override
        public void read(RecordSink sink) {
            Connection connection = session.connection();
            synchronized (connection) {
                try (PreparedStatement statement = connection.prepareStatement(selectSql)) {
                    statement.setFetchSize(session.fetchSize());
                    running.started(statement);
                    try (ResultSet rs = statement.executeQuery()) {
                        while (!running.isCancelled() && rs.next()) {
                            readRow(rs, sink);
                        }
                    }
                } catch (SQLException e) {
                    if (!running.isCancelled()) {
                        throw session.errors().translate("copying " + splitId + " from the snapshot", e);
                    }
                } finally {
                    running.ended();
                }
            }
            if (running.isCancelled()) {
                throw new CancelledException("split " + splitId + " was cancelled");
            }
        }

        private void readRow(ResultSet rs, RecordSink sink) throws SQLException {
            int column = 0;
            try {
                for (; column < readers.length; column++) {
                    readers[column].read(rs, column + 1, sink, column);
                }
            } catch (DateTimeException | ArithmeticException | IllegalArgumentException e) {
                sink.dirty("cannot read column '" + schema.column(column).name() + "' of " + splitId + ": "
                        + e.getMessage(), String.valueOf(rs.getString(column + 1)));
                return;
            }
            sink.emit();
        }

        @Override
        public void cancel() {
            running.cancel();
        }

        @Override
        public void close() {
            // read() closes its statement; the session stays with the snapshot.
        }
    }
}
