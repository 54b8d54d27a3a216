package io.jobwatch.core.catalog;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * What is expected of a job's runs; the SLA engine checks them.
 *
 * @param schedule      when runs should start (AWS cron or rate), if known
 * @param timezone      the zone the schedule and deadline are read in
 * @param deadline      local time of day (in {@code timezone}) by which the day's run must have succeeded
 * @param grace         how late a start (or the deadline) may be before it counts as missed (default 15m)
 * @param maxDuration   a run longer than this is overdue
 * @param minDuration   a successful run shorter than this is suspicious
 * @param learned       learn cadence and duration from history where nothing is declared
 * @param pageOnLearned open incidents (not only digest lines) for breaches of learned expectations
 */
public record Expectations(Optional<Schedule> schedule, ZoneId timezone, Optional<LocalTime> deadline, Duration grace,
                           Optional<Duration> maxDuration, Optional<Duration> minDuration, boolean learned,
                           boolean pageOnLearned) {

    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(15);

    public Expectations {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(minDuration, "minDuration");
    }

    /** The next expected start after {@code after} in this zone (see {@link Schedule#nextAfter}); empty without schedule. */
    public Optional<Instant> nextExpectedStart(Instant after) {
        return schedule.flatMap(s -> s.nextAfter(after, timezone));
    }

    /** True when nothing at all is declared (no schedule, deadline or duration bounds). */
    public boolean none() {
        return schedule.isEmpty() && deadline.isEmpty() && maxDuration.isEmpty() && minDuration.isEmpty();
    }
}
