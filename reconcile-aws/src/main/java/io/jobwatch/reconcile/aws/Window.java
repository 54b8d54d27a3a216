package io.jobwatch.reconcile.aws;

import java.time.Duration;
import java.time.Instant;

/** Whether a listed run belongs to a reconciliation that looks at runs since an instant. */
final class Window {
    /**
     * Listings that filter by creation or start time (EMR Serverless createdAtAfter, Glue ListCrawls START_TIME) ask
     * from this long before {@code since}, so that a run started earlier and finished (or still going) in the window
     * is still seen.
     */
    static final Duration LONG_RUN_LOOKBACK = Duration.ofDays(1);

    private Window() {
    }

    /** Started at or after {@code since}, ended at or after it, or still going (no end, not finished). */
    static boolean covers(Instant since, Instant startedAt, Instant endedAt, boolean terminal) {
        if (startedAt != null && !startedAt.isBefore(since)) {
            return true;
        }
        if (endedAt != null) {
            return !endedAt.isBefore(since);
        }
        return !terminal || startedAt == null;
    }
}
