package dev.ferry.connector.jdbc;

import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import java.util.List;

/**
 * How a change source copies its tables, the same for a stream's first snapshot and for tables that
 * join it later: each captured table is read by a {@link JdbcSource} of its own, split into key
 * ranges when its primary key is one integer column (the only key {@link SplitPlanner} ranges over)
 * and read whole otherwise.
 */
public final class TableCopies {

    private TableCopies() {
    }

    /**
     * The batch source configuration that copies {@code table} of {@code plan}.
     *
     * @param path      the capture block's path, for messages
     * @param fetchSize rows per round trip
     * @throws IllegalArgumentException when the plan does not capture the table
     */
    public static JdbcSourceConfig sourceConfig(String path, JdbcEndpoint endpoint, int fetchSize, CapturePlan plan,
                                                TableId table) {
        CapturedTable captured = captured(plan, table);
        return new JdbcSourceConfig(path, endpoint, new TableName(table.schema(), table.name()), null, null, List.of(),
                splitKey(captured.schema()), null, fetchSize, false);
    }

    /** The column a copy is split by: the primary key when it is a single 64-bit integer column, else null. */
    public static String splitKey(TableSchema schema) {
        List<String> key = schema.primaryKey();
        if (key.size() != 1) {
            return null;
        }
        return schema.column(schema.indexOf(key.get(0))).type() == DataType.INT64 ? key.get(0) : null;
    }

    /** The plan's table {@code table}. @throws IllegalArgumentException when the plan does not capture it */
    public static CapturedTable captured(CapturePlan plan, TableId table) {
        return plan.tables().stream().filter(t -> t.id().equals(table)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("table " + table + " is not in the plan"));
    }
}
