package io.jobwatch.core.detail;

import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.Text;
import java.time.Instant;
import java.util.Objects;

/**
 * Something kept with a run beside the run model, for whoever opens the run: the body a ping carried (its log, as
 * Healthchecks keeps it) or an OpenLineage run's parent run. Kept as long as runs are, in its own record, so the run
 * item stays small on the hot path and a run's details are read only when someone looks at the run.
 *
 * @param run  the run
 * @param id   unique within the run: the ping's event id, or {@code parent}; adding the same id again changes nothing
 * @param at   when it was received (a log) or first seen
 * @param kind what it is
 * @param text the text, at most {@link #MAX_TEXT_BYTES} bytes of UTF-8
 */
public record RunDetail(RunKey run, String id, Instant at, Kind kind, String text) {
    /** A ping body's limit (Healthchecks' 10,000 bytes): the longest text kept. */
    public static final int MAX_TEXT_BYTES = 10_000;

    public enum Kind {
        /** A ping's body: what the script printed, its error output. */
        LOG,
        /** The run that spawned this one (OpenLineage {@code parent} run facet), as JSON: job, runId, rootJob, rootRun. */
        PARENT
    }

    public RunDetail {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        text = Text.truncateUtf8(Objects.requireNonNull(text, "text"), MAX_TEXT_BYTES);
    }
}
