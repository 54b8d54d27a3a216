package io.jobwatch.core.catalog;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/** A time when a job's failures and misses are expected and do not page (digests still list them). */
public sealed interface MaintenanceWindow permits MaintenanceWindow.Recurring, MaintenanceWindow.Fixed {

    /** True when {@code at} falls inside the window (start inclusive, end exclusive). */
    boolean covers(Instant at);

    /** Starts at each firing of {@code start} in {@code zone} and lasts {@code duration}. */
    record Recurring(Schedule.Cron start, Duration duration, ZoneId zone) implements MaintenanceWindow {
        public Recurring {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(zone, "zone");
        }

        @Override
        public boolean covers(Instant at) {
            return start.previousAtOrBefore(at, zone).map(s -> at.isBefore(s.plus(duration))).orElse(false);
        }
    }

    /** One absolute range, e.g. a year-end freeze. */
    record Fixed(Instant from, Instant to) implements MaintenanceWindow {
        public Fixed {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public boolean covers(Instant at) {
            return !at.isBefore(from) && at.isBefore(to);
        }
    }
}
