package dev.ferry.connector.jdbc.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The row trigger that writes each insert, update and delete of a captured table into its
 * stream's change table ({@link ChangeLog}), in the writing transaction: the change is in the log
 * exactly when the transaction commits.
 *
 * <p>Each change first takes the next number from the stream's clock row. That update locks the
 * row until the transaction ends (the statement's {@link ClockLockTrigger} has normally taken the
 * lock already), so a second transaction writing captured tables waits (up to the database's
 * {@code LOCK_TIMEOUT}) until the first has committed or rolled back, and the numbers of committed
 * changes follow commit order without gaps: a reader that has seen change {@code n} has seen every
 * change before it. The change row also keeps the writing session's id with H2's transaction id,
 * which tell the reader where each transaction ends; the old and new row as {@link RowImage}s; the
 * column names they follow; and the time of the change.
 *
 * <p>H2 creates the trigger by class name, so this class must be on the class path of the JVM
 * that opens the database (an embedded database in the application that runs Ferry) for as long
 * as the trigger exists: {@link H2ChangeSource#drop} removes it. H2 runs {@link #init} again
 * when it alters the table (with the name of the table's copy), so a column added mid-stream is
 * written from the next change on.
 *
 * <p>Threading: H2 calls {@code fire} from the writing sessions' threads at once; what it writes
 * with is one immutable value, replaced whole.
 */
public final class ChangeTrigger extends ChangeLogTrigger {

    private volatile Target target;

    /**
     * Where and how this trigger writes.
     *
     * @param schema     the captured table's schema
     * @param table      the captured table's name (as the stream knows it, also while H2 alters it)
     * @param insertSql  inserts a change row
     * @param nextSeqSql numbers a change
     * @param columns    the table's column names, as many as a row has values
     * @param encoded    the column names as a change row keeps them
     */
    private record Target(String schema, String table, String insertSql, String nextSeqSql, int columns,
                          String encoded) {
    }

    @Override
    void init(Connection conn, String schemaName, String tableName, ChangeLog.Owner owner) throws SQLException {
        List<String> names = columns(conn, schemaName, tableName);
        target = new Target(schemaName, owner.table(), owner.log().insertSql(), owner.log().nextSeqSql(), names.size(),
                RowImage.encodeNames(names));
    }

    @Override
    void call(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        Object[] row = newRow != null ? newRow : oldRow;
        Target to = target;
        if (row.length != to.columns()) {
            // A trigger that outlived an ALTER without init: the table as it is now.
            List<String> names = columns(conn, to.schema(), to.table());
            to = new Target(to.schema(), to.table(), to.insertSql(), to.nextSeqSql(), names.size(),
                    RowImage.encodeNames(names));
            target = to;
        }
        String oldImage = oldRow == null ? null : RowImage.encode(oldRow, conn);
        String newImage = newRow == null ? null : RowImage.encode(newRow, conn);
        long changedAt = System.currentTimeMillis() * 1000;
        long seq;
        String tx;
        try (PreparedStatement next = conn.prepareStatement(to.nextSeqSql()); ResultSet rs = next.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
            tx = rs.getInt(2) + ":" + rs.getString(3);
        }
        try (PreparedStatement insert = conn.prepareStatement(to.insertSql())) {
            insert.setLong(1, seq);
            insert.setString(2, tx);
            insert.setString(3, to.schema());
            insert.setString(4, to.table());
            insert.setString(5, oldRow == null ? "I" : newRow == null ? "D" : "U");
            insert.setLong(6, changedAt);
            insert.setString(7, to.encoded());
            insert.setString(8, oldImage);
            insert.setString(9, newImage);
            insert.executeUpdate();
        }
    }

    private static List<String> columns(Connection conn, String schema, String table) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement statement = conn.prepareStatement("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS "
                + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            statement.setString(1, schema);
            statement.setString(2, table);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }
}
