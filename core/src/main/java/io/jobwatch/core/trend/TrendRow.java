package io.jobwatch.core.trend;

import io.jobwatch.core.store.DailyRollup;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One day of one group: the figures of {@code jobwatch trends}, the Trends page and the exported views, named as the
 * CLI's JSON names them.
 */
public record TrendRow(LocalDate day, String group, DailyRollup rollup) {
    public TrendRow {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(rollup, "rollup");
    }

    public int runs() {
        return rollup.runs();
    }

    public int succeeded() {
        return rollup.succeeded();
    }

    public int failed() {
        return rollup.failed();
    }

    public int timedOut() {
        return rollup.timedOut();
    }

    public int stopped() {
        return rollup.stopped();
    }

    /** succeeded / (runs − stopped), 0..1; null when no run finished (other than stopped ones). */
    public Double successRate() {
        return rollup.successRate();
    }

    /** Median duration of the day's succeeded runs, in whole seconds; null when none had a known start. */
    public Long p50Seconds() {
        return rollup.p50();
    }

    /** 95th percentile (nearest rank) of the day's succeeded runs' durations, seconds; null when none. */
    public Long p95Seconds() {
        return rollup.p95();
    }

    /** Minutes incidents of the group's jobs were open on the day. */
    public long incidentMinutes() {
        return rollup.incidentMinutes();
    }
}
