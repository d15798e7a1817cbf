package dev.ferry.api.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PartitioningTest {

    private final Partitioning shanghai = new Partitioning("ds", "yyyyMMdd", ZoneId.of("Asia/Shanghai"));

    @Test
    void aChangeBelongsToTheBusinessDateOfItsCommitInTheTasksZone() {
        // 2026-12-01 17:30 UTC is already 2026-12-02 01:30 in Shanghai.
        long micros = Instant.parse("2026-12-01T17:30:00Z").toEpochMilli() * 1000 + 5;
        assertEquals(LocalDate.of(2026, 12, 2), shanghai.dateOfMicros(micros));
        assertEquals(LocalDate.of(2026, 12, 1), new Partitioning("ds", "yyyyMMdd", ZoneId.of("UTC")).dateOfMicros(micros));
        assertEquals("20261202", shanghai.value(shanghai.dateOfMicros(micros)));
        assertEquals(LocalDate.of(2026, 12, 2), shanghai.date("20261202"));
        assertEquals(Instant.parse("2026-12-02T16:00:00Z"), shanghai.endOf(LocalDate.of(2026, 12, 2)));
    }

    @Test
    void aFormatMustKeepTheWholeDate() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Partitioning("ds", "yyyyMM", ZoneId.of("UTC")))
                .getMessage().contains("'yyyyMM'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Partitioning("ds", "qqq-bad{", ZoneId.of("UTC")))
                .getMessage().contains("not a date pattern"));
        assertEquals("2026-12-01", new Partitioning("ds", "yyyy-MM-dd", ZoneId.of("UTC")).value(LocalDate.of(2026, 12, 1)));
    }
}
