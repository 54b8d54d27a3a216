package io.jobwatch.core.sla;

import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.Run;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the SLA engine knows of one job at evaluation time.
 *
 * @param policy   the catalog's policy (expectations, maintenance windows)
 * @param summary  the long-lived summary (absent for a job none of whose runs has finished yet)
 * @param openRuns the job's runs that have not finished (from {@code RunStore.openRuns()})
 */
public record JobContext(JobPolicy policy, Optional<JobSummary> summary, List<Run> openRuns) {
    public JobContext {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(summary, "summary");
        openRuns = List.copyOf(openRuns);
    }

    public JobKey job() {
        return policy.job();
    }
}
