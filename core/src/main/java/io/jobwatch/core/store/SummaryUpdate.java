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

    /**
     * A terminal event of a finished run delivered again — possibly the platform's retry after the back end failed
     * between the run's write and the summary's. A back end that writes a batch's runs and summaries together
     * (SQLite's transaction, memory) has nothing to repair: the summary is unchanged. One that writes them apart
     * (DynamoDB) writes the run into its slot only if the slot is empty or holds an older run, never this one — so the
     * run lost on the first try is counted, and one already counted is not (see store-dynamodb's README for the rare
     * case it cannot tell).
     */
    record Repeated(Run run) implements SummaryUpdate {
        public Repeated {
            Objects.requireNonNull(run, "run");
        }

        @Override
        public JobSummaryState applyTo(JobSummaryState state, Instant now) {
            return state;
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
