package io.jobwatch.core.reconcile;

import io.jobwatch.core.run.JobSource;
import java.time.Instant;
import java.util.List;

/**
 * A service's own record of what ran (the port the reconciler asks; adapters call the service's list APIs).
 * Implementations are read-only and bounded: one call reads at most a fixed number of pages.
 */
public interface RunSource {

    /** The service this source lists. */
    JobSource source();

    /**
     * Runs of the scope's jobs that started at or after {@code since}, or are still going, newest first within a
     * job, at most {@code limit} in all.
     *
     * @throws RunSourceException when the service cannot be asked (no access, throttled beyond retries, unreachable)
     */
    List<ObservedRun> runsSince(Scope scope, Instant since, int limit);
}
