package dev.ferry.connector.jdbc.capture;

import dev.ferry.api.JobContext;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.ChangeSink;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.Column;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ErrorKind;
import dev.ferry.api.error.SyncException;
import dev.ferry.connector.jdbc.CaptureTables;
import dev.ferry.connector.jdbc.DbColumn;
import dev.ferry.connector.jdbc.H2Dialect;
import dev.ferry.connector.jdbc.ResolvedTable;
import dev.ferry.connector.jdbc.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tables a change reader has declared to its sink, each with the schema of the column layout
 * its latest changes were written in.
 *
 * <p>Every change row names the columns its images follow. When they differ from what was
 * declared for the table (a column was added or dropped), the table is described again as the
 * batch source describes it, keeping the row's columns in the row's order, and declared again if
 * its schema changed. A column the row has but the table has lost since cannot be typed: its
 * values are left out, with a warning, and the target keeps the column as it is.
 *
 * <p>Threading: the reader's thread.
 */
final class DeclaredTables {

    /**
     * A declared layout.
     *
     * @param columnNames the encoded column names of the change rows it serves
     * @param width       how many values each of their images holds
     * @param handle      the sink's handle
     * @param schema      the declared schema
     * @param imageIndex  for each schema column, where its value is in a row image
     * @param keyIndex    for each key column, where its value is in a row image
     */
    record Declared(String columnNames, int width, int handle, TableSchema schema, int[] imageIndex, int[] keyIndex) {
    }

    private final Map<TableId, CapturedTable> planned;
    private final H2Dialect dialect;
    private final JobContext context;
    private final String tablesKey;
    private final Map<TableId, Declared> declared = new HashMap<>();
    private final Set<String> warned = new HashSet<>();

    DeclaredTables(Map<TableId, CapturedTable> planned, H2Dialect dialect, JobContext context, String tablesKey) {
        this.planned = planned;
        this.dialect = dialect;
        this.context = context;
        this.tablesKey = tablesKey;
    }

    /** The declaration for a change of {@code table} written with {@code columnNames}, declaring it when needed. */
    Declared of(Connection c, ChangeSink sink, TableId table, String columnNames) throws SQLException {
        Declared current = declared.get(table);
        if (current != null && current.columnNames().equals(columnNames)) {
            return current;
        }
        List<String> names = RowImage.decodeNames(columnNames);
        TableSchema schema = describe(c, table, names);
        int handle = current != null && current.schema().equals(schema) ? current.handle() : sink.table(table, schema);
        int[] imageIndex = new int[schema.arity()];
        for (int i = 0; i < imageIndex.length; i++) {
            imageIndex[i] = names.indexOf(schema.column(i).name());
        }
        int[] keyIndex = new int[schema.primaryKey().size()];
        for (int k = 0; k < keyIndex.length; k++) {
            keyIndex[k] = names.indexOf(schema.primaryKey().get(k));
        }
        Declared next = new Declared(columnNames, names.size(), handle, schema, imageIndex, keyIndex);
        declared.put(table, next);
        return next;
    }

    private TableSchema describe(Connection c, TableId table, List<String> names) throws SQLException {
        TableName name = new TableName(table.schema(), table.name());
        ResolvedTable live;
        List<String> primaryKey;
        try {
            live = ResolvedTable.resolve(c, dialect, name, tablesKey);
            primaryKey = dialect.primaryKey(c, live.name());
        } catch (SyncException e) {
            if (e.kind() != ErrorKind.CONFIGURATION || !planned.get(table).schema().columns().stream()
                    .map(Column::name).toList().equals(names)) {
                throw e;
            }
            // The table is gone, but its remaining changes were written in the planned layout.
            return planned.get(table).schema();
        }
        List<DbColumn> columns = new ArrayList<>();
        for (String column : names) {
            DbColumn found = live.columns().stream().filter(col -> col.name().equals(column)).findFirst().orElse(null);
            if (found != null) {
                columns.add(found);
            } else if (warned.add(table + "." + column)) {
                context.warn("column " + column + " of " + table + " was dropped after some of its changes were "
                        + "captured: those changes are applied without it");
            }
        }
        if (!columns.stream().map(DbColumn::name).toList().containsAll(primaryKey)) {
            throw new SyncException(ErrorKind.DATA, "changes of " + table + " were captured without its primary key "
                    + primaryKey + " (columns " + names + "): its key changed mid-stream, so they cannot be applied");
        }
        return CaptureTables.schema(table, new ResolvedTable(live.name(), columns), primaryKey);
    }
}
