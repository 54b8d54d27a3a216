package io.jobwatch.core.digest;

import io.jobwatch.core.run.RunState;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One run as the digest needs it. Store-agnostic: the caller maps its own run record onto this.
 *
 * @param runId     the service's run id (Glue JobRunId, execution ARN, Batch jobId …); null when the store keeps only a
 *                  lean record of the run (then it is counted but has no console link)
 * @param state     the run's state
 * @param startedAt when it started, or null if unknown
 * @param endedAt   when it reached a terminal state, or null while it runs (or if unknown)
 * @param error     the service's error message for a failed run, or null
 * @param warning   a partial failure of a run that succeeded (e.g. "12 of 63000 records failed"), or null
 * @param attempt   the attempt the run is at (1 = the first; a redrive or retry counts up)
 */
public record RunView(String runId, RunState state, Instant startedAt, Instant endedAt, String error, String warning,
                      int attempt) {
    public RunView {
        Objects.requireNonNull(state, "state");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
    }

    /** A run at its first attempt. */
    public RunView(String runId, RunState state, Instant startedAt, Instant endedAt, String error, String warning) {
        this(runId, state, startedAt, endedAt, error, warning, 1);
    }

    /** A run at its first attempt, without warning. */
    public RunView(String runId, RunState state, Instant startedAt, Instant endedAt, String error) {
        this(runId, state, startedAt, endedAt, error, null, 1);
    }

    /** Whether it succeeded, but with a partial failure. */
    public boolean succeededWithWarning() {
        return state == RunState.SUCCEEDED && warning != null;
    }

    /** Wall-clock duration of a finished run, or null when start or end is unknown. */
    public Duration duration() {
        return startedAt == null || endedAt == null ? null : Duration.between(startedAt, endedAt);
    }
}
