package dev.ferry.connector.mariadb.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.connector.mariadb.capture.BinlogSettings.Flavour;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinlogSettingsTest {

    private static BinlogSettings mariadb(boolean logBin, String format, String image, String metadata, long serverId) {
        return new BinlogSettings(Flavour.MARIADB, "10.11.6-MariaDB-log", logBin, format, image, metadata, serverId, "OFF",
                "ON", null);
    }

    @Test
    void aServerSetUpForCaptureHasNoProblem() {
        assertEquals(List.of(), mariadb(true, "ROW", "FULL", "FULL", 1).check());
        assertEquals(List.of(), new BinlogSettings(Flavour.MYSQL, "8.0.36", true, "row", "full", "full", 7, null, null, "")
                .check());
    }

    @Test
    void eachWrongSettingIsNamedWithItsValueTheRequiredValueAndTheFix() {
        assertEquals(List.of("binlog_format is MIXED, must be ROW: set binlog_format=ROW in the server configuration and "
                + "restart"), mariadb(true, "MIXED", "FULL", "FULL", 1).check());
        assertEquals(List.of("binlog_row_image is MINIMAL, must be FULL: set binlog_row_image=FULL in the server "
                + "configuration and restart"), mariadb(true, "ROW", "minimal", "FULL", 1).check());
        assertEquals(List.of("binlog_row_metadata is MINIMAL, must be FULL: set binlog_row_metadata=FULL in the server "
                + "configuration and restart"), mariadb(true, "ROW", "FULL", "MINIMAL", 1).check());
        assertEquals(List.of("log_bin is OFF, must be ON: add log_bin=mariadb-bin in the server configuration and restart"),
                mariadb(false, "ROW", "FULL", "FULL", 1).check());
        assertEquals(List.of("server_id is 0, must be a non-zero id: set server_id=1 (or any id no other server or "
                + "replication client uses) in the server configuration and restart"),
                mariadb(true, "ROW", "FULL", "FULL", 0).check());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<String> problems = mariadb(false, "STATEMENT", "NOBLOB", "NO_LOG", 0).check();
        assertEquals(5, problems.size(), problems.toString());
        assertEquals(List.of("log_bin", "server_id", "binlog_format", "binlog_row_image", "binlog_row_metadata"),
                problems.stream().map(p -> p.substring(0, p.indexOf(' '))).toList());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> mariadb(false, "STATEMENT", "NOBLOB", "NO_LOG", 0).requireCapture());
        assertEquals("MariaDB 10.11.6-MariaDB-log cannot stream row changes:\n  " + String.join("\n  ", problems),
                e.getMessage());
    }

    @Test
    void aServerWithoutRowMetadataIsToldToUpgrade() {
        List<String> problems = new BinlogSettings(Flavour.MARIADB, "10.4.32-MariaDB", true, "ROW", "FULL", null, 1, "OFF",
                "ON", null).check();
        assertEquals(List.of("binlog_row_metadata does not exist on MariaDB 10.4.32-MariaDB, must be FULL: upgrade to "
                + "MariaDB 10.5 or later (MySQL 8.0.14 or later) and set binlog_row_metadata=FULL in the server "
                + "configuration and restart"), problems);
    }

    @Test
    void flavourSpecificSettingsAreChecked() {
        assertEquals(List.of("log_bin_compress is ON, must be OFF: set log_bin_compress=OFF in the server configuration "
                + "and restart"), new BinlogSettings(Flavour.MARIADB, "10.11.6-MariaDB", true, "ROW", "FULL", "FULL", 1,
                "1", "ON", null).check());
        assertEquals(List.of("mysql56_temporal_format is OFF, must be ON: set mysql56_temporal_format=ON in the server "
                + "configuration and restart (tables created while it was OFF also need ALTER TABLE ... FORCE to rewrite "
                + "their TIME, DATETIME and TIMESTAMP columns)"), new BinlogSettings(Flavour.MARIADB, "10.11.6-MariaDB",
                true, "ROW", "FULL", "FULL", 1, "OFF", "0", null).check());
        assertEquals(List.of("binlog_row_value_options is PARTIAL_JSON, must be empty: set binlog_row_value_options='' in "
                + "the server configuration and restart"), new BinlogSettings(Flavour.MYSQL, "8.0.36", true, "ROW", "FULL",
                "FULL", 1, null, null, "PARTIAL_JSON").check());
    }

    @Test
    void theFlavourComesFromTheVersion() {
        assertEquals(Flavour.MARIADB, BinlogSettings.flavourOf("10.11.6-MariaDB-0+deb12u1-log", "Debian 12"));
        assertEquals(Flavour.MARIADB, BinlogSettings.flavourOf("5.5.5-10.11.6", "mariadb.org binary distribution"));
        assertEquals(Flavour.MYSQL, BinlogSettings.flavourOf("8.0.36", "MySQL Community Server - GPL"));
    }
}
