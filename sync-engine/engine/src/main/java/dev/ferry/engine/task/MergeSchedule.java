package dev.ferry.engine.task;

import dev.ferry.api.change.Partitioning;
import dev.ferry.api.task.MergeInstance;
import dev.ferry.api.task.StageState;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;
import java.util.function.Function;

/**
 * When a partitioned task's Incremental Merge is due. A Business Date D is due once the time of day
 * {@code at} of D + 1 has come in the task's zone and the stream has applied every change committed
 * before D ended; dates are merged in order, from the date of the last Full Initialization on, each
 * once. A failed merge is tried again after {@link #RETRY_AFTER}, and the dates after it wait, since
 * they build on it.
 *
 * @param partitioning the task's Business-Date calendar
 * @param at           the time of day the merge of the day before runs
 */
record MergeSchedule(Partitioning partitioning, LocalTime at) {

    /** How long a failed merge waits before it is tried again. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(10);

    /**
     * The date to merge now, if any.
     *
     * @param now          the clock
     * @param from         the first date that may need a merge: the last Full Initialization's, or
     *                     the day after the last date merged
     * @param merges       the recorded merge of a date
     * @param appliedUntil every change committed before this moment is applied
     */
    Optional<LocalDate> due(Instant now, LocalDate from, Function<LocalDate, Optional<MergeInstance>> merges,
                            Instant appliedUntil) {
        for (LocalDate date = from; !startOf(date).isAfter(now); date = date.plusDays(1)) {
            if (now.isBefore(mergeTime(date))) {
                return Optional.empty();
            }
            Optional<MergeInstance> merged = merges.apply(date);
            if (merged.isPresent() && merged.get().status() == StageState.DONE) {
                continue;
            }
            if (merged.isPresent() && merged.get().status() == StageState.RUNNING) {
                return Optional.empty();
            }
            if (merged.isPresent() && merged.get().status() == StageState.FAILED && merged.get().endedAt() != null
                    && now.isBefore(merged.get().endedAt().plus(RETRY_AFTER))) {
                return Optional.empty();
            }
            return appliedUntil.isBefore(partitioning.endOf(date)) ? Optional.empty() : Optional.of(date);
        }
        return Optional.empty();
    }

    /** When the merge of {@code date} runs: {@code at} on the next day, in the task's zone. */
    Instant mergeTime(LocalDate date) {
        return date.plusDays(1).atTime(at).atZone(partitioning.zone()).toInstant();
    }

    private Instant startOf(LocalDate date) {
        return date.atStartOfDay(partitioning.zone()).toInstant();
    }
}
