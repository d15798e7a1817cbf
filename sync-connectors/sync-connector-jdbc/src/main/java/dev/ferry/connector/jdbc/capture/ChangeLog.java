package dev.ferry.connector.jdbc.capture;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One stream's change log in an H2 database: what its objects are called and the SQL that writes
 * and reads them. Everything is named from one id (the job name made into an identifier), so two
 * streams never share anything:
 * <ul>
 *   <li>{@code FERRY."<ID>_CHANGES"}: one row per captured row change, numbered by {@code SEQ};</li>
 *   <li>{@code FERRY."<ID>_CLOCK"}: one row whose {@code SEQ} is the number of the last change;</li>
 *   <li>on each captured table, in its schema, the row trigger {@code "FERRY$<ID>$ROW$<table>"}
 *       ({@link ChangeTrigger}) and the statement trigger {@code "FERRY$<ID>$LOCK$<table>"}
 *       ({@link ClockLockTrigger}).</li>
 * </ul>
 * A trigger learns its stream and table from its own name ({@link #ownerOf}), so nothing else
 * about the stream has to be stored in the database.
 *
 * @param id the stream's id: upper-case letters, digits and {@code _}
 */
public record ChangeLog(String id) {

    /** The schema of every stream's change table and clock. */
    public static final String SCHEMA = "FERRY";
    static final String TRIGGER_PREFIX = "FERRY$";
    private static final String ROW = "ROW$";
    private static final String LOCK = "LOCK$";
    /**
     * The longest trigger name planned; H2 allows 256 characters, and while it alters a table it
     * renames the trigger with the name of the table's copy in front.
     */
    static final int MAX_TRIGGER_NAME = 120;
    private static final Pattern ID = Pattern.compile("[A-Z0-9_]{1,64}");
    private static final String COLUMNS = "SEQ, TX, TABLE_SCHEMA, TABLE_NAME, OP, CHANGED_AT, COLUMN_NAMES, OLD_ROW, NEW_ROW";

    public ChangeLog {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a change-log id must be 1 to 64 upper-case letters, digits or _, got '"
                    + id + "'");
        }
    }

    /** The change log of a job: its name in upper case, other characters as {@code _}, at most 64 characters. */
    public static ChangeLog forJob(String jobName) {
        String id = jobName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        return new ChangeLog(id.length() > 64 ? id.substring(0, 64) : id);
    }

    /**
     * The stream and table a trigger belongs to.
     *
     * @param log     the stream's change log
     * @param table   the captured table's name
     * @param trigger the trigger's own name (without the name of a table's copy in front)
     */
    record Owner(ChangeLog log, String table, String trigger) {
    }

    /**
     * The stream and table of a trigger of this layout, from the names H2 gives its {@code init}:
     * its own name, or, while H2 alters the table, that name behind the name of the table's copy
     * and an underscore.
     *
     * @throws IllegalArgumentException when the trigger is not named as {@link #rowTriggerName} or
     *         {@link #lockTriggerName} name it
     */
    static Owner ownerOf(String triggerName, String tableName) {
        String name = triggerName;
        if (!name.startsWith(TRIGGER_PREFIX) && name.startsWith(tableName + "_" + TRIGGER_PREFIX)) {
            name = name.substring(tableName.length() + 1);
        }
        int end = name.indexOf('$', TRIGGER_PREFIX.length());
        String table = end < 0 ? null : tableOf(name.substring(end + 1));
        if (!name.startsWith(TRIGGER_PREFIX) || table == null) {
            throw new IllegalArgumentException("trigger " + triggerName + " on " + tableName + " is not named "
                    + TRIGGER_PREFIX + "<stream>$ROW$<table> or " + TRIGGER_PREFIX + "<stream>$LOCK$<table>, so its "
                    + "change table is unknown");
        }
        return new Owner(new ChangeLog(name.substring(TRIGGER_PREFIX.length(), end)), table, name);
    }

    /** The table of a trigger name without the stream's prefix ({@code ROW$ORDERS}), or null. */
    private static String tableOf(String kindAndTable) {
        for (String kind : List.of(ROW, LOCK)) {
            if (kindAndTable.startsWith(kind) && kindAndTable.length() > kind.length()) {
                return kindAndTable.substring(kind.length());
            }
        }
        return null;
    }

    public String changesTable() {
        return id + "_CHANGES";
    }

    public String clockTable() {
        return id + "_CLOCK";
    }

    /** The name of the row trigger on {@code table} (in the table's schema). */
    public String rowTriggerName(String table) {
        return triggerPrefix() + ROW + table;
    }

    /** The name of the statement trigger on {@code table} (in the table's schema). */
    public String lockTriggerName(String table) {
        return triggerPrefix() + LOCK + table;
    }

    /** What the names of this stream's triggers start with. */
    public String triggerPrefix() {
        return TRIGGER_PREFIX + id + "$";
    }

    String quotedChanges() {
        return quote(SCHEMA) + "." + quote(changesTable());
    }

    String quotedClock() {
        return quote(SCHEMA) + "." + quote(clockTable());
    }

    // ---------------------------------------------------------------- creating and removing

    /** Creates schema, change table and clock when missing; running them again changes nothing. */
    List<String> createSql() {
        return List.of("CREATE SCHEMA IF NOT EXISTS " + quote(SCHEMA),
                "CREATE TABLE IF NOT EXISTS " + quotedChanges() + " (SEQ BIGINT PRIMARY KEY, TX CHARACTER VARYING(64) "
                        + "NOT NULL, TABLE_SCHEMA CHARACTER VARYING NOT NULL, TABLE_NAME CHARACTER VARYING NOT NULL, "
                        + "OP CHARACTER(1) NOT NULL, CHANGED_AT BIGINT NOT NULL, COLUMN_NAMES CHARACTER VARYING NOT NULL, "
                        + "OLD_ROW CHARACTER VARYING, NEW_ROW CHARACTER VARYING)",
                "CREATE TABLE IF NOT EXISTS " + quotedClock() + " (ID INT PRIMARY KEY, SEQ BIGINT NOT NULL)",
                "INSERT INTO " + quotedClock() + " SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM " + quotedClock() + ")");
    }

    List<String> dropSql() {
        return List.of("DROP TABLE IF EXISTS " + quotedChanges(), "DROP TABLE IF EXISTS " + quotedClock());
    }

    /** Creates the row trigger on a table. */
    String createRowTriggerSql(String schema, String table) {
        return "CREATE TRIGGER IF NOT EXISTS " + quote(schema) + "." + quote(rowTriggerName(table)) + " AFTER INSERT, "
                + "UPDATE, DELETE ON " + quote(schema) + "." + quote(table) + " FOR EACH ROW CALL '"
                + ChangeTrigger.class.getName() + "'";
    }

    /** Creates the statement trigger on a table. */
    String createLockTriggerSql(String schema, String table) {
        return "CREATE TRIGGER IF NOT EXISTS " + quote(schema) + "." + quote(lockTriggerName(table)) + " BEFORE INSERT, "
                + "UPDATE, DELETE ON " + quote(schema) + "." + quote(table) + " CALL '" + ClockLockTrigger.class.getName()
                + "'";
    }

    String dropTriggerSql(String schema, String trigger) {
        return "DROP TRIGGER IF EXISTS " + quote(schema) + "." + quote(trigger);
    }

    /** Lists this stream's triggers: schema and name (H2 lists a trigger once per event). */
    String triggersSql() {
        return "SELECT DISTINCT TRIGGER_SCHEMA, TRIGGER_NAME FROM INFORMATION_SCHEMA.TRIGGERS WHERE TRIGGER_NAME LIKE '"
                + triggerPrefix().replace("_", "!_") + "%' ESCAPE '!' ORDER BY TRIGGER_SCHEMA, TRIGGER_NAME";
    }

    // ---------------------------------------------------------------- writing (the trigger)

    /** What tells the connection's database apart from others open in the same JVM: its file, or its in-memory name. */
    static String databaseKey(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(DATABASE_PATH(), 'mem:' || DATABASE())")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Takes the clock's row lock, which the writing transaction then holds until it ends. */
    String lockClockSql() {
        return "SELECT SEQ FROM " + quotedClock() + " WHERE ID = 1 FOR UPDATE";
    }

    /**
     * Numbers the next change: the clock's row lock, held until the writing transaction ends, is
     * what orders changes by commit. Returns the number, the session id and H2's transaction id.
     */
    String nextSeqSql() {
        return "SELECT SEQ, SESSION_ID(), TRANSACTION_ID() FROM FINAL TABLE (UPDATE " + quotedClock()
                + " SET SEQ = SEQ + 1)";
    }

    String insertSql() {
        return "INSERT INTO " + quotedChanges() + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    // ---------------------------------------------------------------- reading

    /** The changes after a number ({@code ?} 1), in order, at most {@code ?} 2 of them. */
    String pollSql() {
        return "SELECT " + COLUMNS + " FROM " + quotedChanges() + " WHERE SEQ > ? ORDER BY SEQ FETCH FIRST ? ROWS ONLY";
    }

    String clockSql() {
        return "SELECT SEQ FROM " + quotedClock();
    }

    String oldestSql() {
        return "SELECT MIN(SEQ) FROM " + quotedChanges();
    }

    /** Removes the changes up to a number ({@code ?} 1). */
    String trimSql() {
        return "DELETE FROM " + quotedChanges() + " WHERE SEQ <= ?";
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
