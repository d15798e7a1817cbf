package dev.ferry.engine.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.api.change.Partitioning;
import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.StageState;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MergeScheduleTest {

    /** Shanghai is UTC+8: its 00:30 on 2 December is 16:30 UTC on 1 December. */
    private final MergeSchedule schedule = new MergeSchedule(new Partitioning("ds", "yyyyMMdd",
            ZoneId.of("Asia/Shanghai")), LocalTime.of(0, 30));
    private final Map<LocalDate, MergeInstance> merges = new HashMap<>();
    private static final LocalDate D1 = LocalDate.of(2026, 12, 1);

    private Optional<LocalDate> due(String now, String appliedUntil) {
        return schedule.due(Instant.parse(now), D1, date -> Optional.ofNullable(merges.get(date)),
                Instant.parse(appliedUntil));
    }

    @Test
    void aDayIsDueAtTheMergeTimeOfTheNextDayInTheTasksZone() {
        assertEquals(Optional.empty(), due("2026-12-01T16:29:59Z", "2026-12-01T16:29:59Z"));
        assertEquals(Optional.of(D1), due("2026-12-01T16:30:00Z", "2026-12-01T16:30:00Z"));
    }

    @Test
    void aDayWaitsUntilTheStreamHasAppliedEveryChangeOfIt() {
        // The day ends at 16:00 UTC; changes committed until 15:59 are applied: not yet.
        assertEquals(Optional.empty(), due("2026-12-01T16:40:00Z", "2026-12-01T15:59:00Z"));
        assertEquals(Optional.of(D1), due("2026-12-01T16:40:00Z", "2026-12-01T16:00:00Z"));
    }

    @Test
    void daysAreMergedInOrderOnceAndAFailureHoldsTheNextOnesUntilItsRetry() {
        merges.put(D1, new MergeInstance(D1, StageState.DONE, Instant.EPOCH, Instant.EPOCH, 5, null));
        assertEquals(Optional.of(D1.plusDays(1)), due("2026-12-03T17:00:00Z", "2026-12-03T17:00:00Z"));
        LocalDate d2 = D1.plusDays(1);
        merges.put(d2, new MergeInstance(d2, StageState.FAILED, Instant.parse("2026-12-03T16:55:00Z"),
                Instant.parse("2026-12-03T16:56:00Z"), 0, "the partition of 2026-12-01 is missing"));
        assertEquals(Optional.empty(), due("2026-12-03T17:00:00Z", "2026-12-03T17:00:00Z"), "retried after 10 minutes");
        assertEquals(Optional.of(d2), due("2026-12-03T17:06:00Z", "2026-12-03T17:06:00Z"));
        merges.put(d2, new MergeInstance(d2, StageState.RUNNING, Instant.parse("2026-12-03T17:06:00Z"), null, 0, null));
        assertEquals(Optional.empty(), due("2026-12-03T17:07:00Z", "2026-12-03T17:07:00Z"));
        merges.put(d2, new MergeInstance(d2, StageState.DONE, Instant.EPOCH, Instant.EPOCH, 5, null));
        assertEquals(Optional.of(D1.plusDays(2)), due("2026-12-03T17:07:00Z", "2026-12-03T17:07:00Z"));
    }
}
