package io.jobwatch.core.run;

import java.util.Objects;

/**
 * Identifies one job: the same job name in two accounts or regions is two jobs.
 *
 * @param account 12-digit AWS account id (from the event envelope)
 * @param region  AWS region (from the event envelope)
 * @param source  the service that runs the job
 * @param jobName the job's name as the service knows it
 */
public record JobKey(String account, String region, JobSource source, String jobName) {
    public JobKey {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(jobName, "jobName");
    }

    /** Stable text form {@code source:account:region:jobName}, also used as correlation key and store key. */
    public String id() {
        return source.id() + ":" + account + ":" + region + ":" + jobName;
    }

    /** Parses {@link #id()}; the job name may itself contain ':' (it is the last part). */
    public static JobKey parse(String id) {
        String[] parts = id.split(":", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a job key (source:account:region:jobName): " + id);
        }
        JobSource source = JobSource.byId(parts[0])
                .orElseThrow(() -> new IllegalArgumentException("unknown source '" + parts[0] + "' in job key: " + id));
        return new JobKey(parts[1], parts[2], source, parts[3]);
    }

    @Override
    public String toString() {
        return id();
    }
}
