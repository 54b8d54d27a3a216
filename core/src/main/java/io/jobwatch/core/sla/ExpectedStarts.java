package io.jobwatch.core.sla;

import io.jobwatch.core.catalog.Schedule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A memo of cron expected starts: for a schedule in a zone, the interval between two consecutive expected starts that
 * contains the instant asked about. Evaluations every few minutes ask about instants in the same interval again and
 * again, so the cron search (tens of microseconds) runs only when an interval is left. Deterministic (the answer is
 * the same as without the memo) and safe to share between threads.
 */
final class ExpectedStarts {
    /** Past this many schedules the memo starts over: bounded memory whatever the catalog holds. */
    static final int MAX_SCHEDULES = 100_000;

    /**
     * @param prev the expected start before {@code due}, or null if none
     * @param due  the latest expected start at or before the instant asked about
     * @param next the expected start after {@code due}, or null if none
     */
    record Interval(Instant prev, Instant due, Instant next) {
        boolean holds(Instant x) {
            return !x.isBefore(due) && (next == null || x.isBefore(next));
        }
    }

    private record Key(Schedule.Cron cron, ZoneId zone) {
    }

    private final ConcurrentHashMap<Key, Interval> memo = new ConcurrentHashMap<>();

    /** The interval of expected starts around {@code x}; empty when the schedule never fired at or before it. */
    Optional<Interval> around(Schedule.Cron cron, ZoneId zone, Instant x) {
        Key key = new Key(cron, zone);
        Interval known = memo.get(key);
        if (known != null && known.holds(x)) {
            return Optional.of(known);
        }
        Optional<Instant> due = cron.previousAtOrBefore(x, zone);
        if (due.isEmpty()) {
            return Optional.empty();
        }
        Interval i = new Interval(cron.previousAtOrBefore(due.get().minusSeconds(1), zone).orElse(null), due.get(),
                cron.nextAfter(due.get(), zone).orElse(null));
        if (memo.size() >= MAX_SCHEDULES) {
            memo.clear();
        }
        memo.put(key, i);
        return Optional.of(i);
    }
}
