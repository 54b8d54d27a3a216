package io.jobwatch.core.store;

import io.jobwatch.core.run.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished run as the long-lived job summary remembers it (the run itself expires with the retention). The run id is
 * null only in a lean summary ({@link JobBrief}) for runs other than the job's latest.
 *
 * @param attempt the attempt that finished it (1 = the first)
 * @param warning a partial failure of a run that succeeded, or null
 */
public record RecentRun(String runId, RunState state, Instant startedAt, Instant endedAt, String error, int attempt,
                        String warning) {
    public RecentRun {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(endedAt, "endedAt");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
    }

    /** A run finished by its first attempt, without warning. */
    public RecentRun(String runId, RunState state, Instant startedAt, Instant endedAt, String error) {
        this(runId, state, startedAt, endedAt, error, 1, null);
    }

    public static RecentRun of(Run run) {
        return new RecentRun(run.runId(), run.state(), run.startedAt(), run.endedAt(), run.error(), run.attempt(),
                run.warning());
    }

    public Optional<Duration> duration() {
        return startedAt == null ? Optional.empty() : Optional.of(Duration.between(startedAt, endedAt));
    }

    /** Start, else end: the order runs are listed in. */
    public Instant sortTime() {
        return startedAt != null ? startedAt : endedAt;
    }
}
