package io.jobwatch.core.catalog;

import java.time.Duration;
import java.util.Objects;

/**
 * How long things are kept.
 *
 * @param runs a run record expires this long after its last update (store TTL); default 7 days
 */
public record Retention(Duration runs) {
    public static final Duration DEFAULT_RUNS = Duration.ofDays(7);
    /**
     * The shortest run retention the catalog accepts: what the scheduled export needs (the day, a day for late runs to
     * finish, a 2-day margin; {@code ExportPlan.MINIMUM_RETENTION} is this, and its test checks the sum).
     */
    public static final Duration MINIMUM_RUNS = Duration.ofDays(4);

    public Retention {
        Objects.requireNonNull(runs, "runs");
    }
}
