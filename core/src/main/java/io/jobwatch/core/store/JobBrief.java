package io.jobwatch.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A job summary as the readers of every job at once (the digest, the SLA checks) get it from
 * {@link RunStore#briefPerJob()}: possibly lean, and saying how far back its recent runs are complete.
 *
 * @param summary       the summary; in a lean one (DynamoDB) only the latest run carries its run id and error, the
 *                      other recent runs have a null run id and no error, and times are to the second
 * @param completeSince every finished run of the job whose sort time (start, else end) is at or after this instant
 *                      is among {@code summary.recentRuns()}; null when the store does not know (then read the runs)
 */
public record JobBrief(JobSummary summary, Instant completeSince) {
    public JobBrief {
        Objects.requireNonNull(summary, "summary");
    }

    /** Whether the recent runs hold every finished run with a sort time at or after {@code t}. */
    public boolean completeFrom(Instant t) {
        return completeSince != null && !completeSince.isAfter(t);
    }
}
