package dev.ferry.connector.mariadb.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The server settings that row-based change capture depends on, read once from a connection, and
 * the check that they allow it.
 *
 * <p>Change capture reads row events, so the server must write a binary log ({@code log_bin}) in
 * row format ({@code binlog_format=ROW}) with every column of the row before and after a change
 * ({@code binlog_row_image=FULL}) and the columns' names, signedness and charsets in the table map
 * ({@code binlog_row_metadata=FULL}, MariaDB 10.5 and MySQL 8.0.14 on). A binlog needs a non-zero
 * {@code server_id}. On MariaDB, compressed binlog events ({@code log_bin_compress}) are not decoded
 * by the binlog client, and the pre-10.0 temporal storage ({@code mysql56_temporal_format=OFF}) is
 * not read; on MySQL, partial JSON updates ({@code binlog_row_value_options=PARTIAL_JSON}) carry only
 * a diff of the document.
 *
 * @param flavour                MariaDB or MySQL
 * @param version                the server's {@code @@version}, e.g. {@code 10.11.6-MariaDB-log}
 * @param logBin                 {@code @@log_bin}
 * @param binlogFormat           {@code @@binlog_format} in upper case
 * @param binlogRowImage         {@code @@binlog_row_image} in upper case
 * @param binlogRowMetadata      {@code @@binlog_row_metadata} in upper case, null when the server has
 *                               no such variable (MariaDB before 10.5, MySQL before 8.0.14)
 * @param serverId               {@code @@server_id}
 * @param logBinCompress         MariaDB's {@code @@log_bin_compress} ({@code ON}/{@code OFF}), null on MySQL
 * @param mysql56TemporalFormat  MariaDB's {@code @@mysql56_temporal_format} ({@code ON}/{@code OFF}),
 *                               null on MySQL
 * @param binlogRowValueOptions  MySQL's {@code @@binlog_row_value_options} (empty or
 *                               {@code PARTIAL_JSON}), null on MariaDB
 */
public record BinlogSettings(Flavour flavour, String version, boolean logBin, String binlogFormat, String binlogRowImage,
                             String binlogRowMetadata, long serverId, String logBinCompress, String mysql56TemporalFormat,
                             String binlogRowValueOptions) {

    /** Which server family, which decides the variables that exist and the GTID flavour. */
    public enum Flavour {
        MARIADB("MariaDB"),
        MYSQL("MySQL");

        private final String displayName;

        Flavour(String displayName) {
            this.displayName = displayName;
        }

        public String displayName() {
            return displayName;
        }
    }

    private static final String RESTART = " in the server configuration and restart";

    public BinlogSettings {
        Objects.requireNonNull(flavour, "flavour");
        Objects.requireNonNull(version, "version");
        binlogFormat = upper(binlogFormat);
        binlogRowImage = upper(binlogRowImage);
        binlogRowMetadata = upper(binlogRowMetadata);
        logBinCompress = onOff(logBinCompress);
        mysql56TemporalFormat = onOff(mysql56TemporalFormat);
        binlogRowValueOptions = binlogRowValueOptions == null ? null : binlogRowValueOptions.strip().toUpperCase(Locale.ROOT);
    }

    /**
     * Reads the settings of the server behind the connection (plain SELECTs of global variables;
     * needs no privilege beyond connecting).
     */
    public static BinlogSettings read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            String version;
            String comment;
            try (ResultSet rs = statement.executeQuery("SELECT @@version, @@version_comment")) {
                rs.next();
                version = rs.getString(1);
                comment = rs.getString(2);
            }
            Flavour flavour = flavourOf(version, comment);
            boolean logBin;
            String format;
            String image;
            long serverId;
            try (ResultSet rs = statement.executeQuery(
                    "SELECT @@global.log_bin, @@global.binlog_format, @@global.binlog_row_image, @@global.server_id")) {
                rs.next();
                logBin = isOn(rs.getString(1));
                format = rs.getString(2);
                image = rs.getString(3);
                serverId = rs.getLong(4);
            }
            String metadata = variable(statement, "binlog_row_metadata");
            if (flavour == Flavour.MARIADB) {
                return new BinlogSettings(flavour, version, logBin, format, image, metadata, serverId,
                        variable(statement, "log_bin_compress"), variable(statement, "mysql56_temporal_format"), null);
            }
            return new BinlogSettings(flavour, version, logBin, format, image, metadata, serverId, null, null,
                    variable(statement, "binlog_row_value_options"));
        }
    }

    /** MariaDB says so in its version ({@code 10.11.6-MariaDB}) or version comment. */
    static Flavour flavourOf(String version, String versionComment) {
        String text = (version == null ? "" : version) + " " + (versionComment == null ? "" : versionComment);
        return text.toLowerCase(Locale.ROOT).contains("mariadb") ? Flavour.MARIADB : Flavour.MYSQL;
    }

    /**
     * Every setting that prevents change capture, each naming the variable, its value, the value it
     * must have and how to get there; empty when capture can run.
     */
    public List<String> check() {
        List<String> problems = new ArrayList<>();
        if (!logBin) {
            problems.add("log_bin is OFF, must be ON: add log_bin=" + (flavour == Flavour.MARIADB ? "mariadb-bin" : "binlog")
                    + RESTART);
        }
        if (serverId == 0) {
            problems.add("server_id is 0, must be a non-zero id: set server_id=1 (or any id no other server or "
                    + "replication client uses)" + RESTART);
        }
        if (!"ROW".equals(binlogFormat)) {
            problems.add(mustBe("binlog_format", binlogFormat, "ROW"));
        }
        if (!"FULL".equals(binlogRowImage)) {
            problems.add(mustBe("binlog_row_image", binlogRowImage, "FULL"));
        }
        if (binlogRowMetadata == null) {
            problems.add("binlog_row_metadata does not exist on " + flavour.displayName() + " " + version
                    + ", must be FULL: upgrade to MariaDB 10.5 or later (MySQL 8.0.14 or later) and set "
                    + "binlog_row_metadata=FULL" + RESTART);
        } else if (!"FULL".equals(binlogRowMetadata)) {
            problems.add(mustBe("binlog_row_metadata", binlogRowMetadata, "FULL"));
        }
        if ("ON".equals(logBinCompress)) {
            problems.add(mustBe("log_bin_compress", logBinCompress, "OFF"));
        }
        if ("OFF".equals(mysql56TemporalFormat)) {
            problems.add(mustBe("mysql56_temporal_format", mysql56TemporalFormat, "ON")
                    + " (tables created while it was OFF also need ALTER TABLE ... FORCE to rewrite their "
                    + "TIME, DATETIME and TIMESTAMP columns)");
        }
        if (binlogRowValueOptions != null && !binlogRowValueOptions.isEmpty()) {
            problems.add("binlog_row_value_options is " + binlogRowValueOptions + ", must be empty: set "
                    + "binlog_row_value_options=''" + RESTART);
        }
        return problems;
    }

    /** Fails with every problem {@link #check()} finds, one per line; does nothing when there are none. */
    public void requireCapture() {
        List<String> problems = check();
        if (!problems.isEmpty()) {
            throw new IllegalStateException(flavour.displayName() + " " + version + " cannot stream row changes:\n  "
                    + String.join("\n  ", problems));
        }
    }

    /**
     * The server's current end of the binary log: {@code SHOW MASTER STATUS} (MySQL 8.4:
     * {@code SHOW BINARY LOG STATUS}), and on MariaDB the GTID position at that very file and offset
     * ({@code BINLOG_GTID_POS}), so that both describe the same point even while others write.
     * Needs the {@code BINLOG MONITOR} (MariaDB) or {@code REPLICATION CLIENT} privilege.
     *
     * @throws IllegalStateException when the server writes no binary log
     */
    public static BinlogPosition currentPosition(Connection connection) throws SQLException {
        String file;
        long offset;
        try (Statement statement = connection.createStatement();
             ResultSet rs = masterStatus(statement)) {
            if (!rs.next() || rs.getString(1) == null) {
                throw new IllegalStateException("the server reports no binary log position (SHOW MASTER STATUS is "
                        + "empty): log_bin is OFF; add log_bin" + RESTART);
            }
            file = rs.getString(1);
            offset = rs.getLong(2);
        }
        return new BinlogPosition(file, offset, gtidPosition(connection, file, offset));
    }

    /**
     * The binlog position of the consistent snapshot that the connection's transaction holds (begun
     * with {@code START TRANSACTION WITH CONSISTENT SNAPSHOT}): MariaDB's {@code binlog_snapshot_file}
     * and {@code binlog_snapshot_position}, which it keeps consistent with the snapshot even while
     * others commit, so the snapshot shows exactly the transactions written to the binlog before that
     * position. With the GTID position at it, as {@link #currentPosition} has it.
     *
     * @throws IllegalStateException when the server reports no such position (MySQL has none)
     */
    public static BinlogPosition snapshotPosition(Connection connection) throws SQLException {
        String file = null;
        Long offset = null;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'")) {
            while (rs.next()) {
                if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_file")) {
                    file = rs.getString(2);
                } else if (rs.getString(1).equalsIgnoreCase("binlog_snapshot_position")) {
                    offset = Long.parseLong(rs.getString(2).strip());
                }
            }
        }
        if (file == null || file.isEmpty() || offset == null) {
            throw new IllegalStateException("the server reports no binlog position for a consistent snapshot "
                    + "(status binlog_snapshot_file and binlog_snapshot_position): MariaDB has them, MySQL does not");
        }
        return new BinlogPosition(file, offset, gtidPosition(connection, file, offset));
    }

    /** MariaDB's GTID position at a binlog file and offset ({@code BINLOG_GTID_POS}); null on MySQL. */
    private static String gtidPosition(Connection connection, String file, long offset) throws SQLException {
        String gtid = null;
        try (PreparedStatement statement = connection.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            statement.setString(1, file);
            statement.setLong(2, offset);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    gtid = rs.getString(1);
                }
            }
        } catch (SQLException e) {
            // MySQL has no BINLOG_GTID_POS (its GTIDs are a different kind): the position is file and offset.
            if (e.getErrorCode() != 1305 && e.getErrorCode() != 1064) {
                throw e;
            }
        }
        return gtid;
    }

    private static ResultSet masterStatus(Statement statement) throws SQLException {
        try {
            return statement.executeQuery("SHOW MASTER STATUS");
        } catch (SQLException e) {
            if (e.getErrorCode() != 1064) {
                throw e;
            }
            // MySQL 8.4 removed SHOW MASTER STATUS.
            return statement.executeQuery("SHOW BINARY LOG STATUS");
        }
    }

    private static String variable(Statement statement, String name) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT @@global." + name)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1193) { // unknown system variable
                return null;
            }
            throw e;
        }
    }

    private String mustBe(String variable, String value, String required) {
        return variable + " is " + (value == null ? "not set" : value.isEmpty() ? "empty" : value) + ", must be " + required
                + ": set " + variable + "=" + required + RESTART;
    }

    private static boolean isOn(String value) {
        return value != null && (value.equals("1") || value.equalsIgnoreCase("ON"));
    }

    private static String onOff(String value) {
        if (value == null) {
            return null;
        }
        return isOn(value.strip()) ? "ON" : value.strip().equals("0") ? "OFF" : value.strip().toUpperCase(Locale.ROOT);
    }

    private static String upper(String value) {
        return value == null ? null : value.strip().toUpperCase(Locale.ROOT);
    }
}
