package io.jobwatch.core.normalize;

import io.jobwatch.core.source.Fields;
import io.jobwatch.core.source.MalformedEventException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Which envelope {@code time}s are plausible, relative to the injected clock's now: at most {@code maxAge} before it
 * and at most {@code maxAhead} after it. An event outside is rejected at normalization ({@code time: expected a time
 * between …, found "…"}): a far-future time would become a run's latest event time for ever, and 1970 is an unset
 * field, not a run.
 *
 * <p>{@link #DEFAULT}: 3,650 days back, 1 day ahead. The day ahead absorbs clock skew between AWS and this host. The
 * past bound is deliberately wide rather than tied to the store's retention (7 days by default): EventBridge archive
 * replays, {@code reconcile} backfills and the repository's dated sample events legitimately bring events weeks or
 * months old, and an old run is harmless (it is stored as an older run and expires with the retention).
 *
 * @param maxAge   how far before now a time may be
 * @param maxAhead how far after now a time may be
 */
public record EventTimeWindow(Duration maxAge, Duration maxAhead) {
    public static final EventTimeWindow DEFAULT = new EventTimeWindow(Duration.ofDays(3650), Duration.ofDays(1));

    public EventTimeWindow {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(maxAhead, "maxAhead");
        if (maxAge.isNegative() || maxAhead.isNegative()) {
            throw new IllegalArgumentException("the event time window must not be negative: " + maxAge + ", " + maxAhead);
        }
    }

    /** Throws the normalizer's rejection when {@code time} is outside the window around {@code now}. */
    public void check(String field, Instant time, String raw, Instant now) {
        Instant earliest = now.minus(maxAge);
        Instant latest = now.plus(maxAhead);
        if (time.isBefore(earliest) || time.isAfter(latest)) {
            throw new MalformedEventException(field, "a time between " + earliest + " and " + latest + " (at most "
                    + maxAge.toDays() + " days before and " + describe(maxAhead) + " after now)",
                    "\"" + Fields.clip(raw) + "\"");
        }
    }

    private static String describe(Duration d) {
        return d.toDays() == 1 && d.toHoursPart() == 0 ? "1 day"
                : d.toHoursPart() == 0 && d.toMinutesPart() == 0 ? d.toDays() + " days" : d.toString();
    }
}
