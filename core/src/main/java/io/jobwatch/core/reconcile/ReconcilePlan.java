package io.jobwatch.core.reconcile;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.Criticality;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * When each scope is reconciled: the catalog's critical jobs every {@code criticalEvery}, every job of each service
 * in an account and region every {@code othersEvery} (which also finds jobs no event has ever named). The SLA
 * evaluation runs after a reconciliation, so a run that only lost its event is not reported missing.
 *
 * @param criticalEvery how often critical jobs are reconciled (e.g. 10 minutes)
 * @param othersEvery   how often everything else is (e.g. 1 hour)
 */
public record ReconcilePlan(Duration criticalEvery, Duration othersEvery) {
    public ReconcilePlan {
        Objects.requireNonNull(criticalEvery, "criticalEvery");
        Objects.requireNonNull(othersEvery, "othersEvery");
        if (criticalEvery.isNegative() || criticalEvery.isZero() || othersEvery.isNegative() || othersEvery.isZero()) {
            throw new IllegalArgumentException("reconcile intervals must be positive: critical " + criticalEvery
                    + ", others " + othersEvery);
        }
    }

    /** Critical jobs every 10 minutes, the rest hourly. */
    public static ReconcilePlan defaults() {
        return new ReconcilePlan(Duration.ofMinutes(10), Duration.ofHours(1));
    }

    /**
     * The scopes due at {@code now}: per account, region and source of the known jobs, one scope naming its critical
     * jobs (due {@code criticalEvery} after its last run) and one scope for all its jobs (due {@code othersEvery}
     * after its last run). A scope never run is due.
     *
     * @param lastRunByScope when each scope was last reconciled
     * @param catalog        gives each job's criticality; null: no job is critical
     * @param knownJobs      the jobs to cover (e.g. the store's jobs and the catalog's)
     * @return due scopes, critical ones first, each group ordered by account, region, source
     */
    public List<Scope> due(Instant now, Map<Scope, Instant> lastRunByScope, Catalog catalog, Collection<JobKey> knownJobs) {
        Map<String, TreeSet<String>> criticalByGroup = new TreeMap<>();
        Map<String, JobKey> groups = new TreeMap<>();
        for (JobKey job : knownJobs) {
            String group = job.account() + "/" + job.region() + "/" + job.source().id();
            groups.putIfAbsent(group, job);
            criticalByGroup.computeIfAbsent(group, g -> new TreeSet<>());
            if (catalog != null && catalog.resolve(job).criticality() == Criticality.CRITICAL) {
                criticalByGroup.get(group).add(job.jobName());
            }
        }
        List<Scope> critical = new ArrayList<>();
        List<Scope> others = new ArrayList<>();
        for (Map.Entry<String, JobKey> g : groups.entrySet()) {
            JobKey any = g.getValue();
            JobSource source = any.source();
            TreeSet<String> names = criticalByGroup.get(g.getKey());
            if (!names.isEmpty()) {
                Scope s = new Scope(any.account(), any.region(), source, List.copyOf(names));
                if (isDue(now, lastRunByScope.get(s), criticalEvery)) {
                    critical.add(s);
                }
            }
            Scope all = Scope.all(any.account(), any.region(), source);
            if (isDue(now, lastRunByScope.get(all), othersEvery)) {
                others.add(all);
            }
        }
        List<Scope> out = new ArrayList<>(critical);
        out.addAll(others);
        return out;
    }

    /** Due when never run, or when {@code every} has passed since (exactly {@code every} counts as due). */
    static boolean isDue(Instant now, Instant lastRun, Duration every) {
        return lastRun == null || !now.isBefore(lastRun.plus(every));
    }
}
