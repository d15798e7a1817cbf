package dev.ferry.connector.postgresql.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.api.error.ConfigException;
import dev.ferry.api.error.Violation;
import dev.ferry.api.job.ConnectorSpec;
import dev.ferry.api.job.JobMode;
import dev.ferry.api.job.JobSettings;
import dev.ferry.api.job.JobSpec;
import dev.ferry.engine.SyncEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A streaming job's PostgreSQL capture keys, checked without connecting anywhere. */
class PostgresCaptureConfigTest {

    @Test
    void everyBadCaptureSettingIsReportedAtOnceWithoutThePassword() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("url", "jdbc:postgresql://127.0.0.1:1/test");
        source.put("password", "pg-secret-pw");
        source.put("tables", List.of("orders", "public.t", "public.t", "public./orders_[0-9/"));
        source.put("capture.startFrom", "yesterday");
        source.put("capture.slot", "Bad-Slot");
        source.put("capture.heartbeatIntervalMillis", 5L);
        JobSpec spec = new JobSpec("s", JobMode.STREAM, new ConnectorSpec("postgresql", source),
                new ConnectorSpec("postgresql", Map.of("url", "jdbc:postgresql://127.0.0.1:1/root",
                        "tableMapping", List.of("public.t", "~./(/=orders"))), JobSettings.DEFAULT);
        try (SyncEngine engine = SyncEngine.builder().build()) {
            ConfigException e = assertThrows(ConfigException.class, () -> engine.validate(spec));
            List<String> messages = e.violations().stream().map(Violation::toString).toList();
            for (String expected : List.of(
                    "source.tables must name each table as schema.table, got 'orders'",
                    "source.tables must name each table once, got 'public.t'",
                    "source.tables must hold a valid regular expression between the slashes (Unclosed character class "
                            + "near index 10), got 'public./orders_[0-9/'",
                    "source.capture.startFrom must be snapshot, latest or a position such as 0/1A2B3C4, got 'yesterday'",
                    "source.capture.slot must be 1 to 63 lower-case letters, digits or _, not starting with a digit, got 'Bad-Slot'",
                    "source.capture.heartbeatIntervalMillis must be 0 or >= 100, got 5",
                    "target.tableMapping entries must be written schema.table=target, got 'public.t'",
                    "target.tableMapping must hold a valid regular expression between the slashes (Unclosed group near "
                            + "index 1), got '~./(/=orders'")) {
                assertTrue(messages.contains(expected), expected + " missing from:\n" + String.join("\n", messages));
            }
            assertEquals(8, messages.size(), String.join("\n", messages));
            assertFalse(e.getMessage().contains("pg-secret-pw"));
        }
    }

    @Test
    void positionsRoundTripAndOrderAsTheLog() {
        PgLsn lsn = PgLsn.parse("16/B374D848");
        assertEquals("16/B374D848", lsn.asText());
        assertEquals(lsn, PgLsn.parse(lsn.asText()));
        assertTrue(PgLsn.parse("0/FFFFFFFF").compareTo(PgLsn.parse("1/0")) < 0);
        assertTrue(PgLsn.parse("FFFFFFFF/0").compareTo(PgLsn.parse("1/0")) > 0, "compared unsigned");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> PgLsn.parse("16-B374"));
        assertEquals("a PostgreSQL position must look like 16/B374D848, got '16-B374'", bad.getMessage());
    }

    @Test
    void temporarySlotNamesStandBesideTheStreamsSlotWithinPostgresqlsLimit() {
        String name = PostgresChangeSource.temporarySlotName("ferry_orders");
        assertTrue(name.matches("ferry_orders_join_[a-z0-9]{8}"), name);
        String longest = "s".repeat(PostgresChangeSource.MAX_NAME_LENGTH);
        String shortened = PostgresChangeSource.temporarySlotName(longest);
        assertEquals(PostgresChangeSource.MAX_NAME_LENGTH, shortened.length());
        assertTrue(shortened.matches("s{49}_join_[a-z0-9]{8}"), shortened);
        assertFalse(shortened.equals(PostgresChangeSource.temporarySlotName(longest)), "a new name each time");
    }
}
