package io.jobwatch.core.store;

import io.jobwatch.core.run.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A finished run as the long-lived job summary remembers it (the run itself expires with the retention). The run id is
 * null only in a lean summary ({@link JobBrief}) for runs other than the job's latest.
 */
public record RecentRun(String runId, RunState state, Instant startedAt, Instant endedAt, String error) {
    public RecentRun {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(endedAt, "endedAt");
    }

    static RecentRun of(Run run) {
        return new RecentRun(run.runId(), run.state(), run.startedAt(), run.endedAt(), run.error());
    }

    public Optional<Duration> duration() {
        return startedAt == null ? Optional.empty() : Optional.of(Duration.between(startedAt, endedAt));
    }

    /** Start, else end: the order runs are listed in. */
    public Instant sortTime() {
        return startedAt != null ? startedAt : endedAt;
    }
}
