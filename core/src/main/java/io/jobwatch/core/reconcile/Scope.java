package io.jobwatch.core.reconcile;

import io.jobwatch.core.run.JobSource;
import java.util.List;
import java.util.Objects;

/**
 * What one reconciliation call asks a service about: the runs of some jobs of one source in one account and region.
 *
 * @param account  12-digit AWS account id
 * @param region   AWS region
 * @param source   the service
 * @param jobNames the jobs to ask about, in the event normalizers' naming (Glue job name, state machine name,
 *                 DataSync {@code task-…} id, Batch job name, EMR Serverless {@code applicationId[/jobRunName]},
 *                 AppFlow flow name); empty means every job the service lists in that account and region
 */
public record Scope(String account, String region, JobSource source, List<String> jobNames) {
    public Scope {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(source, "source");
        jobNames = List.copyOf(jobNames);
    }

    /** Every job of the source in the account and region. */
    public static Scope all(String account, String region, JobSource source) {
        return new Scope(account, region, source, List.of());
    }

    public boolean allJobs() {
        return jobNames.isEmpty();
    }

    /** Short text for reports and errors: {@code source account/region (n jobs | all jobs)}. */
    public String describe() {
        return source.id() + " " + account + "/" + region + " (" + (allJobs() ? "all jobs" : jobNames.size() + " jobs") + ")";
    }
}
