package dev.ferry.connector.jdbc;

import dev.ferry.api.change.TableId;
import dev.ferry.api.config.ConfigKey;
import dev.ferry.api.config.ConfigType;
import dev.ferry.api.config.ConnectorConfig;
import dev.ferry.api.error.Violation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys every change-capture source shares: {@code tables} (qualified table names) and
 * {@code capture.startFrom} ({@code snapshot}, {@code latest} or a position of the source's own
 * form), declared and read in one place.
 */
public final class CaptureTables {

    public static final String TABLES = "tables";
    public static final String START_FROM = "capture.startFrom";
    public static final String START_SNAPSHOT = "snapshot";
    public static final String START_LATEST = "latest";

    private CaptureTables() {
    }

    /**
     * @param qualifier what qualifies a table name on this source ({@code "schema"}, {@code "database"})
     * @param example   a qualified table name for the description
     */
    public static ConfigKey tablesKey(String qualifier, String example) {
        return ConfigKey.required(TABLES, ConfigType.STRING_LIST, "Tables to capture, each " + qualifier
                + "-qualified (\"" + example + "\"); each needs a primary key.");
    }

    /** @param positionExample a position of this source, for the description */
    public static ConfigKey startFromKey(String positionExample) {
        return ConfigKey.optional(START_FROM, ConfigType.STRING, START_SNAPSHOT, "Where a new stream starts: snapshot "
                + "(copy the tables, then stream from that point), latest (only changes from now on), or a position "
                + "such as " + positionExample + ".");
    }

    /** Reads {@code tables}, adding a violation for each unqualified or repeated name. */
    public static List<TableId> tables(ConnectorConfig config, String qualifier, List<Violation> violations) {
        String key = config.path() + "." + TABLES;
        List<TableId> tables = new ArrayList<>();
        Set<TableId> seen = new LinkedHashSet<>();
        List<String> texts = config.getStringList(TABLES);
        for (String text : texts) {
            try {
                TableId id = TableId.parse(text.strip());
                if (!seen.add(id)) {
                    violations.add(new Violation(key, "must name each table once", "'" + text + "'"));
                }
                tables.add(id);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(key, "must name each table as " + qualifier + ".table", "'" + text + "'"));
            }
        }
        if (texts.isEmpty()) {
            violations.add(new Violation(key, "must name at least one table", "[]"));
        }
        return tables;
    }

    /** Whether {@code startFrom} names a position rather than {@code snapshot} or {@code latest}. */
    public static boolean isPosition(String startFrom) {
        return !startFrom.equals(START_SNAPSHOT) && !startFrom.equals(START_LATEST);
    }
}
