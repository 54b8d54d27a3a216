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

    public Retention {
        Objects.requireNonNull(runs, "runs");
    }
}
