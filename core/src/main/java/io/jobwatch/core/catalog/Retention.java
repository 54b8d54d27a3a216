package io.jobwatch.core.catalog;

import java.time.Duration;
import java.util.Objects;

/**
 * How long things are kept.
 *
 * @param runs    a run record expires this long after its last update (store TTL); default 7 days
 * @param rollups a day's rollup (trends) expires this long after the day ends; default 400 days (a year and a month,
 *                so a month compares with the same month last year)
 */
public record Retention(Duration runs, Duration rollups) {
    public static final Duration DEFAULT_RUNS = Duration.ofDays(7);
    /** {@code io.jobwatch.core.store.Rollups.DEFAULT_RETENTION} is this (core's store package may not read the catalog). */
    public static final Duration DEFAULT_ROLLUPS = Duration.ofDays(400);
    /** Rollups are kept at least a day: the daily pass writes a day once the day is over. */
    public static final Duration MINIMUM_ROLLUPS = Duration.ofDays(1);
    /**
     * The shortest run retention the catalog accepts: what the scheduled export needs (the day, a day for late runs to
     * finish, a 2-day margin; {@code ExportPlan.MINIMUM_RETENTION} is this, and its test checks the sum).
     */
    public static final Duration MINIMUM_RUNS = Duration.ofDays(4);

    public Retention {
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(rollups, "rollups");
    }

    public Retention(Duration runs) {
        this(runs, DEFAULT_ROLLUPS);
    }
}
