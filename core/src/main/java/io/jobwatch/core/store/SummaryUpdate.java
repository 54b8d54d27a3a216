package io.jobwatch.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A change to a job's summary decided by the apply algorithm ({@link RecordRunStore}); {@link #applyTo} is the rule,
 * which a back end either runs (read, apply, write) or writes as an equivalent blind update.
 */
public sealed interface SummaryUpdate {

    /** The run (terminal) the summary remembers after the change. */
    Run run();

    JobSummaryState applyTo(JobSummaryState state, Instant now);

    /** A run reached a terminal state: count it and remember it (a run the summary holds already is not counted again). */
    record Finished(Run run) implements SummaryUpdate {
        public Finished {
            Objects.requireNonNull(run, "run");
        }

        @Override
        public JobSummaryState applyTo(JobSummaryState state, Instant now) {
            return state.finished(run, now);
        }
    }

    /** A finished run learned something (e.g. its start, which may move it to another slot). */
    record Refreshed(Run before, Run run) implements SummaryUpdate {
        public Refreshed {
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(run, "run");
        }

        @Override
        public JobSummaryState applyTo(JobSummaryState state, Instant now) {
            return state.refreshed(run, now);
        }
    }

    /** A crawl known by its end ({@code orphan}) got its final id: it was absorbed by its Started's run. */
    record Rekeyed(Run orphan, Run run) implements SummaryUpdate {
        public Rekeyed {
            Objects.requireNonNull(orphan, "orphan");
            Objects.requireNonNull(run, "run");
        }

        @Override
        public JobSummaryState applyTo(JobSummaryState state, Instant now) {
            return state.rekeyed(orphan.runId(), run, now);
        }
    }
}
