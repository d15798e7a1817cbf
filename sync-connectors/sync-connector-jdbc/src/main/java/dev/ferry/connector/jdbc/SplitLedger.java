package dev.ferry.connector.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * The split ledger of a JDBC target run with its progress kept: table {@value #TABLE} in the
 * target table's schema, one row per split committed, inserted by the writer in the split's own
 * transaction just before COMMIT. The row and the split's records are therefore committed
 * together or not at all, and a later run learns from the table exactly which splits are in the
 * target, whatever moment a crash or kill hit. Rows are keyed by the run's ledger id (one per kept
 * plan) and split id; the engine removes a ledger's rows when its job succeeds.
 *
 * <p>Threading: immutable; each call uses the connection it is given.
 */
final class SplitLedger {

    /** The ledger table's name, created where missing. */
    static final String TABLE = "ferry_split_ledger";
    /** The longest split id the ledger keeps. */
    static final int MAX_SPLIT_ID = 512;

    private final String ledger;
    private final String createSql;
    private final String insertSql;
    private final String selectSql;
    private final String deleteSql;

    SplitLedger(Dialect dialect, TableName targetTable, String ledger) {
        this.ledger = ledger;
        SqlRenderer sql = dialect.sql();
        String table = sql.quoteTable(new TableName(targetTable.schema(), TABLE));
        String ledgerColumn = sql.quoteIdentifier("ledger");
        String split = sql.quoteIdentifier("split_id");
        String records = sql.quoteIdentifier("records");
        this.createSql = sql.splitLedgerTableSql(table, ledgerColumn, split, records, MAX_SPLIT_ID);
        this.insertSql = "INSERT INTO " + table + " (" + ledgerColumn + ", " + split + ", " + records
                + ") VALUES (?, ?, ?)";
        this.selectSql = "SELECT " + split + ", " + records + " FROM " + table + " WHERE " + ledgerColumn + " = ?";
        this.deleteSql = "DELETE FROM " + table + " WHERE " + ledgerColumn + " = ?";
    }

    /** Creates the table where missing (on an autocommit connection). */
    void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(createSql);
        } catch (SQLException e) {
            // Another job may have created it at the same moment: fine if it is there now.
            try {
                committed(connection);
            } catch (SQLException stillMissing) {
                e.addSuppressed(stillMissing);
                throw e;
            }
        }
    }

    /** Records split {@code id} with its records in the connection's open transaction. */
    void record(Connection connection, String id, long records) throws SQLException {
        if (id.length() > MAX_SPLIT_ID) {
            throw new SQLException("split id longer than " + MAX_SPLIT_ID + " characters cannot be kept in " + TABLE
                    + ": " + id.substring(0, 80) + "...");
        }
        try (PreparedStatement statement = connection.prepareStatement(insertSql)) {
            statement.setString(1, ledger);
            statement.setString(2, id);
            statement.setLong(3, records);
            statement.executeUpdate();
        }
    }

    /** The splits committed under this ledger, with their records. */
    Map<String, Long> committed(Connection connection) throws SQLException {
        Map<String, Long> splits = new TreeMap<>();
        try (PreparedStatement statement = connection.prepareStatement(selectSql)) {
            statement.setString(1, ledger);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    splits.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return splits;
    }

    /** Removes this ledger's rows (on an autocommit connection). */
    void drop(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(deleteSql)) {
            statement.setString(1, ledger);
            statement.executeUpdate();
        }
    }
}
