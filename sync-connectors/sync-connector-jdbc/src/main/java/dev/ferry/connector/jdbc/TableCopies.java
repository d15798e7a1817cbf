package dev.ferry.connector.jdbc;

import dev.ferry.api.change.CapturePlan;
import dev.ferry.api.change.CapturedTable;
import dev.ferry.api.change.TableId;
import dev.ferry.api.data.DataType;
import dev.ferry.api.data.TableSchema;
import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.state.Position;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a change source copies its tables, the same for a stream's first snapshot and for tables that
 * join it later: each captured table is read by a {@link JdbcSource} of its own, split into key
 * ranges when its primary key is one integer column (the only key {@link SplitPlanner} ranges over)
 * and read whole otherwise; and where each copied table's changes then start.
 */
public final class TableCopies {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TableCopies.class);

    private TableCopies() {
    }

    /**
     * The batch source configuration that copies {@code table} of {@code plan}.
     *
     * @param path      the capture block's path, for messages
     * @param fetchSize rows per round trip
     * @param splitPks  columns that split named tables' copies ({@code capture.splitPk})
     * @throws IllegalArgumentException when the plan does not capture the table
     * @throws ConfigException          when the table's split column is not one of its columns
     */
    public static JdbcSourceConfig sourceConfig(String path, JdbcEndpoint endpoint, int fetchSize,
                                                Map<TableId, String> splitPks, CapturePlan plan, TableId table) {
        CapturedTable captured = captured(plan, table);
        String splitPk = splitPks.get(table);
        if (splitPk != null && captured.schema().indexOf(splitPk) < 0) {
            throw new ConfigException(new Violation(path + "." + CaptureTables.SPLIT_PK, "must name a column of " + table
                    + " (" + captured.schema().columns().stream().map(c -> c.name()).toList() + ")", "'" + table + "="
                    + splitPk + "'"));
        }
        String column = splitPk != null ? splitPk : splitKey(captured.schema());
        if (column == null) {
            LOG.warn("table {} has no single integer primary key, so its copy is one split read by one channel; name an "
                    + "integer column in {}.{} to copy it in parallel", table, path, CaptureTables.SPLIT_PK);
        }
        return new JdbcSourceConfig(path, endpoint, new TableName(table.schema(), table.name()), null, null, List.of(),
                column, null, fetchSize, false);
    }

    /**
     * {@link #sourceConfig} for each of {@code tables}, in their order.
     *
     * @throws IllegalArgumentException when the plan does not capture one of them
     */
    public static Map<TableId, JdbcSourceConfig> sourceConfigs(String path, JdbcEndpoint endpoint, int fetchSize,
                                                               Map<TableId, String> splitPks, CapturePlan plan,
                                                               List<TableId> tables) {
        Map<TableId, JdbcSourceConfig> configs = new LinkedHashMap<>();
        for (TableId table : tables) {
            configs.put(table, sourceConfig(path, endpoint, fetchSize, splitPks, plan, table));
        }
        return configs;
    }

    /** The column a copy is split by: the primary key when it is a single 64-bit integer column, else null. */
    public static String splitKey(TableSchema schema) {
        List<String> key = schema.primaryKey();
        if (key.size() != 1) {
            return null;
        }
        return schema.column(schema.indexOf(key.get(0))).type() == DataType.INT64 ? key.get(0) : null;
    }

    /**
     * Checks the per-table positions given to a joining attach and returns them in the source's own
     * position type.
     *
     * @param from the position the reader starts from, which no table's position may be older than
     * @throws IllegalArgumentException naming a table the plan does not capture, a position of
     *         another type, or a position older than {@code from}
     */
    public static <P extends Position> Map<TableId, P> startPositions(CapturePlan plan, Position from,
                                                                      Map<TableId, Position> tablesFrom, Class<P> type) {
        Map<TableId, P> positions = new HashMap<>();
        for (Map.Entry<TableId, Position> entry : tablesFrom.entrySet()) {
            TableId table = entry.getKey();
            captured(plan, table);
            if (!type.isInstance(entry.getValue())) {
                throw new IllegalArgumentException("table " + table + " starts at a " + entry.getValue().family()
                        + " position, not a " + from.family() + " one: " + entry.getValue().asText());
            }
            P position = type.cast(entry.getValue());
            if (position.compareTo(from) < 0) {
                throw new IllegalArgumentException("table " + table + " starts at " + position.asText() + ", before "
                        + "the reader's start " + from.asText() + ": the changes in between would not be delivered");
            }
            positions.put(table, position);
        }
        return positions;
    }

    /** The plan's table {@code table}. @throws IllegalArgumentException when the plan does not capture it */
    public static CapturedTable captured(CapturePlan plan, TableId table) {
        return plan.tables().stream().filter(t -> t.id().equals(table)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("table " + table + " is not in the plan"));
    }
}
