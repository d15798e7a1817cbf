package dev.ferry.connector.jdbc;

import dev.ferry.api.WriterContext;
import dev.ferry.api.change.ChangeBatch;
import dev.ferry.api.change.ChangeKind;
import dev.ferry.api.change.ChangeWriter;
import dev.ferry.api.change.Partitioning;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming into a partitioned target: every change becomes one row of its table's change log, and
 * nothing else is written (the base table changes only by merges and partition writes).
 *
 * <p>A row holds the change's kind ({@code I}, {@code U}, {@code D}), its position's order key, its
 * sequence in its transaction, its commit time, its Business Date (the commit time's date in the
 * partitioning's zone) and the row's after image; a delete sets only the key columns. The log is
 * keyed on position and sequence and rows are inserted only when missing, so changes replayed after
 * a crash are not logged twice. Before images ({@link ChangeKind#UPDATE_BEFORE}) are not logged.
 *
 * <p>A change log keeps whole rows: an insert or update with a value the source did not send
 * (PostgreSQL leaves an unchanged large TOAST value out unless the table has {@code REPLICA IDENTITY
 * FULL}) fails the write with a configuration error that says so, instead of logging a NULL that a
 * merge would take for the value.
 *
 * <p>Rows go to the database as statements of up to {@link #ROWS_PER_STATEMENT} rows each (the rest
 * of a batch as a JDBC batch of one-row statements) on the channel's {@link ChangeConnection},
 * committed and rolled back as the engine asks; a statement the database refuses is replayed row
 * by row, so only the refused rows become dirty.
 *
 * <p>Threading: one channel thread.
 */
final class ChangeLogWriter implements ChangeWriter {

    private final JdbcChangeTarget tables;
    private final PartitionLayout settings;
    private final ChangeConnection session;
    private final PlanCache<LogPlan> plans = new PlanCache<>();
    private final int[] rows = new int[Math.max(JdbcChangeWriter.STATEMENT_BATCH, ROWS_PER_STATEMENT)];

    /**
     * How one schema version of one source table is logged.
     *
     * @param log     the change log's exact name
     * @param sql     the insert
     * @param binders the source columns' binders into the log
     * @param isKey   per source column, whether it is a key column
     */
    private record LogPlan(TableName log, String sql, String groupSql, int rowsPerStatement, ColumnBinders binders,
                           boolean[] isKey) {
    }

    /** The most rows one statement logs. */
    static final int ROWS_PER_STATEMENT = 256;
    /** The most parameters one statement takes (PostgreSQL's limit is 65,535). */
    static final int MAX_PARAMETERS = 32_767;

    ChangeLogWriter(JdbcChangeTarget tables, PartitionLayout settings, WriterContext context) {
        this.tables = tables;
        this.settings = settings;
        this.session = new ChangeConnection(tables.pool(), tables.dialect(), tables.errors(), context);
    }

    @Override
    public void write(ChangeBatch batch) {
        try {
            Connection connection = session.open();
            LogPlan plan = plans.get(batch.table(), batch.schema(), (table, schema) -> newPlan(connection, table, schema));
            PreparedStatement single = session.statement(plan.sql());
            PreparedStatement group = plan.rowsPerStatement() > 1 ? session.statement(plan.groupSql()) : null;
            String table = plan.log().toString();
            int pending = 0;
            for (int row = 0; row < batch.size(); row++) {
                if (batch.kind(row) == ChangeKind.UPDATE_BEFORE) {
                    continue;
                }
                rows[pending++] = row;
                if (group != null && pending == plan.rowsPerStatement()) {
                    int count = pending;
                    session.flushGroup(group, () -> {
                        int p = 1;
                        for (int i = 0; i < count; i++) {
                            p = bind(plan, group, batch, rows[i], p);
                        }
                    }, batch, rows, count, table, single, r -> bind(plan, single, batch, r, 1));
                    pending = 0;
                } else if (pending == rows.length) {
                    flushSingly(plan, single, batch, pending, table);
                    pending = 0;
                }
            }
            flushSingly(plan, single, batch, pending, table); // fewer than a statement's rows
        } catch (SQLException e) {
            throw session.fail("logging changes of " + batch.table(), e);
        }
    }

    /** Logs {@code rows[0..pending)} as a batch of one-row statements. */
    private void flushSingly(LogPlan plan, PreparedStatement single, ChangeBatch batch, int pending, String table)
            throws SQLException {
        for (int i = 0; i < pending; i++) {
            bind(plan, single, batch, rows[i], 1);
            single.addBatch();
        }
        session.flush(single, batch, rows, pending, table, r -> bind(plan, single, batch, r, 1));
    }

    /** Binds {@code row} from parameter {@code first} on; returns the parameter after its last. */
    private int bind(LogPlan plan, PreparedStatement statement, ChangeBatch batch, int row, int first)
            throws SQLException {
        ChangeKind kind = batch.kind(row);
        long micros = batch.commitMicros(row);
        int p = first;
        statement.setString(p++, String.valueOf(kind.code()));
        statement.setString(p++, settings.loggedPosition(batch.position(row).orderKey()));
        statement.setLong(p++, batch.sequence(row));
        statement.setObject(p++, TimeCodec.offsetDateTime(micros));
        BusinessDay day = dayOf(micros);
        statement.setString(p++, day.text());
        for (int c = 0; c < batch.schema().arity(); c++) {
            if (kind == ChangeKind.DELETE && !plan.isKey()[c]) {
                plan.binders().bindNull(statement, p++, c);
            } else if (batch.isUnchanged(row, c)) {
                throw incomplete(batch, row, c);
            } else {
                plan.binders().bind(statement, p++, batch, row, c);
            }
        }
        for (String extra : day.extras()) {
            statement.setString(p++, extra);
        }
        return p;
    }

    /**
     * A Business Date as a change's row writes it: its text, the extra columns' values, and the
     * commit times it covers, {@code [fromMicros, untilMicros)}.
     */
    private record BusinessDay(long fromMicros, long untilMicros, String text, String[] extras) {
    }

    /** The last day a change fell on: most changes of a batch share it, so its texts are made once. */
    private BusinessDay lastDay = new BusinessDay(0, 0, null, null);

    private BusinessDay dayOf(long commitMicros) {
        if (commitMicros >= lastDay.fromMicros() && commitMicros < lastDay.untilMicros()) {
            return lastDay;
        }
        Partitioning partitioning = settings.partitioning();
        LocalDate date = partitioning.dateOfMicros(commitMicros);
        String[] extras = settings.extras().stream().map(e -> e.value(date)).toArray(String[]::new);
        lastDay = new BusinessDay(micros(date.atStartOfDay(partitioning.zone()).toInstant()),
                micros(partitioning.endOf(date)), partitioning.value(date), extras);
        return lastDay;
    }

    private static long micros(java.time.Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
    }

    private static SyncException incomplete(ChangeBatch batch, int row, int column) {
        return new SyncException(ErrorKind.CONFIGURATION, "cannot log the " + batch.kind(row) + " of " + batch.table()
                + " at " + batch.position(row).asText() + ": the source did not send column '"
                + batch.schema().column(column).name() + "' because it did not change (a large PostgreSQL TOAST value), "
                + "and a change log keeps whole rows; set ALTER TABLE " + batch.table()
                + " REPLICA IDENTITY FULL on the source so that such values are sent");
    }

    /**
     * Resolves the log of a schema seen the first time, adding the columns it or the base table
     * lack. What this connection logged so far is committed first: the changes are replayable, and
     * DDL must not wait on this transaction.
     */
    private LogPlan newPlan(Connection connection, TableId source, TableSchema schema) throws SQLException {
        connection.commit();
        TableName base = tables.tableOf(source);
        ResolvedTable log = tables.withColumns(connection, settings.logOf(base), schema, source);
        tables.withColumns(connection, base, schema, source);
        ColumnBinders binders = ColumnBinders.of(tables.dialect().types(), log, schema);
        boolean[] isKey = new boolean[schema.arity()];
        for (int c = 0; c < schema.arity(); c++) {
            isKey[c] = schema.primaryKey().contains(schema.column(c).name());
        }
        PartitionSql sql = tables.dialect().partitions().orElseThrow();
        List<String> columns = new ArrayList<>(binders.names());
        settings.extras().forEach(extra -> columns.add(log.find(extra.name()).map(DbColumn::name).orElse(extra.name())));
        int perRow = 5 + columns.size();
        int rowsPerStatement = Math.max(1, Math.min(ROWS_PER_STATEMENT, MAX_PARAMETERS / perRow));
        String column = settings.partitioning().column();
        return new LogPlan(log.name(), sql.logInsertSql(log.name(), columns, column, 1),
                sql.logInsertSql(log.name(), columns, column, rowsPerStatement), rowsPerStatement, binders, isKey);
    }

    @Override
    public void commit() {
        session.commit();
    }

    @Override
    public void rollback() {
        session.rollback();
    }

    @Override
    public void close() {
        session.close();
    }
}
