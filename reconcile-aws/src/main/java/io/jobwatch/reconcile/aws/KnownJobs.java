package io.jobwatch.reconcile.aws;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The jobs Jobwatch knows of (the catalog's named jobs, the store's jobs), for the services whose run history can only
 * be asked per job and that Jobwatch is not allowed to enumerate (EMR Serverless applications, AppFlow flows, Glue
 * crawlers: the read-only role has no ListApplications / ListFlows / ListCrawlers). A scope that names no jobs
 * asks about these.
 */
@FunctionalInterface
public interface KnownJobs {

    /** The job names (as the event normalizers write them) of one source in one account and region. */
    List<String> jobNames(String account, String region, JobSource source);

    /** Knows no job: a scope must name its jobs for the services that cannot be enumerated. */
    static KnownJobs none() {
        return (account, region, source) -> List.of();
    }

    /** The given jobs (e.g. the catalog's named jobs and the store's), sorted by name per account, region, source. */
    static KnownJobs of(Collection<JobKey> jobs) {
        List<JobKey> copy = List.copyOf(jobs);
        return (account, region, source) -> {
            TreeSet<String> names = new TreeSet<>();
            for (JobKey j : copy) {
                if (j.account().equals(account) && j.region().equals(region) && j.source() == source) {
                    names.add(j.jobName());
                }
            }
            return List.copyOf(names);
        };
    }
}
