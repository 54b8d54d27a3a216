package io.jobwatch.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A change to a job's summary decided by the apply algorithm ({@link RecordRunStore}); {@link #applyTo} is the rule,
 * which a back end either runs (read, apply, write) or writes as an equivalent blind update.
 */
public sealed interface SummaryUpdate {

    /** The run the change is about (finished, except for {@link AttemptEnded}). */
    Run run();

    JobSummaryState applyTo(JobSummaryState state, Instant now);

    /**
     * A run reached a terminal state: count it and remember it (a run the summary holds already is not counted again).
     *
     * @param counted whether an earlier attempt of the run had ended before ({@link RunFold#anAttemptEnded}): the run
     *                was counted then, and only its new outcome counts now
     */
    record Finished(Run run, boolean counted) implements SummaryUpdate {
        public Finished {
            Objects.requireNonNull(run, "run");
        }

        /** A run's first ending. */
        public Finished(Run run) {
            this(run, false);
        }

        @Override
        public JobSummaryState applyTo(JobSummaryState state, Instant now) {
            return state.finished(run, counted, now);
        }
    }

    /**
     * An earlier attempt of a running run ended (its event arrived after the later attempt's): the run counts, its
     * ending counts as the arrival of that outcome would have.
     */
    record AttemptEnded(Run run, io.jobwatch.core.run.RunState endedAs, Instant endedAt) implements SummaryUpdate {
        public AttemptEnded {
            Objects.requireNonNull(run, "run");
            Objects.requireNonNull(endedAs, "endedAs");
            Objects.requireNonNull(endedAt, "endedAt");
        }

        @Override
        public JobSummaryState applyTo(JobSummaryState state, Instant now) {
            return state.attemptEnded(endedAs, endedAt, now);
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
