package io.jobwatch.local;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.sla.ExpectedJobs;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.digest.SlaBreach;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.detail.RunDetail;
import io.jobwatch.core.detail.RunDetails;
import io.jobwatch.core.ping.PingKeys;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.source.HttpSource;
import io.jobwatch.core.source.Sources;
import java.util.HashMap;
import java.util.Map;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** What the dashboard and the JSON API read: the store, incidents, outbox and the latest SLA breaches. */
final class LocalView {
    private final RunStore store;
    private final IncidentStore incidents;
    private final Outbox outbox;
    private final Supplier<Catalog> catalog;
    private final ScheduledWork work;
    private final Clock clock;
    private final RunDetails details;
    private final Supplier<PingKeys> pingKeys;
    private final String publicUrl;

    LocalView(RunStore store, IncidentStore incidents, Outbox outbox, Supplier<Catalog> catalog, ScheduledWork work,
              Clock clock, RunDetails details, Supplier<PingKeys> pingKeys, String publicUrl) {
        this.store = store;
        this.incidents = incidents;
        this.outbox = outbox;
        this.catalog = catalog;
        this.work = work;
        this.clock = clock;
        this.details = details;
        this.pingKeys = pingKeys;
        this.publicUrl = publicUrl;
    }

    /** Where this server is reached from outside ({@code --public-url}), or null. */
    String publicUrl() {
        return publicUrl;
    }

    /** Each run's details (ping bodies, lineage parent), by run id; runs without any are absent. */
    Map<String, List<RunDetail>> details(List<Run> runs) {
        Map<String, List<RunDetail>> out = new HashMap<>();
        Instant now = clock.instant();
        for (Run r : runs) {
            if (Sources.of(r.job().source()) instanceof HttpSource) {
                List<RunDetail> d = details.of(r.key(), now);
                if (!d.isEmpty()) {
                    out.put(r.runId(), d);
                }
            }
        }
        return out;
    }

    /** The copy-paste ping line of a pinged job, or null for other jobs. */
    Dashboard.PingLine pingLine(JobKey job, String base) {
        if (job.source() != JobSource.PING) {
            return null;
        }
        String team = job.account();
        return new Dashboard.PingLine(base.endsWith("/") ? base.substring(0, base.length() - 1) : base,
                pingKeys.get().variable(team).orElse(null), team, job.jobName());
    }

    Instant now() {
        return clock.instant();
    }

    List<JobRow> jobs() {
        Catalog c = catalog.get();
        return JobRow.of(store.latestPerJob(), store.openRuns(), c == null ? List.of() : ExpectedJobs.of(c), c,
                incidents.open(), work.breaches());
    }

    List<Run> runs(JobKey job, int limit) {
        return store.runsOfJob(job, limit);
    }

    Optional<JobSummary> summary(JobKey job) {
        return store.summary(job);
    }

    List<IncidentRecord> openIncidents() {
        return incidents.open();
    }

    /** The job's latest incident of each kind, open or resolved. */
    List<IncidentRecord> incidentsOf(JobKey job) {
        List<IncidentRecord> out = new ArrayList<>();
        for (ProblemKind k : ProblemKind.values()) {
            incidents.load(job, k).map(io.jobwatch.core.incident.IncidentState::record).ifPresent(out::add);
        }
        return out;
    }

    List<OutboxEntry> pendingOutbox() {
        return outbox.pending();
    }

    List<OutboxEntry> parkedOutbox() {
        return outbox.parked();
    }

    List<OutboxEntry> outboxOf(JobKey job) {
        List<OutboxEntry> out = new ArrayList<>();
        for (OutboxEntry e : outbox.pending()) {
            if (e.action().incident().job().equals(job)) {
                out.add(e);
            }
        }
        for (OutboxEntry e : outbox.parked()) {
            if (e.action().incident().job().equals(job)) {
                out.add(e);
            }
        }
        return out;
    }

    List<SlaBreach> breaches() {
        return work.breaches();
    }

    List<SlaBreach> breachesOf(JobKey job) {
        return work.breaches().stream().filter(b -> b.job().equals(job)).toList();
    }

    boolean slaEnabled() {
        return work.slaEnabled();
    }

    /** The job's system and team from the catalog in force (the account id and "unowned" without one). */
    String[] owner(JobKey job) {
        Catalog c = catalog.get();
        if (c == null) {
            return new String[] {job.account().isEmpty() ? job.source().label() : job.account(), Team.UNOWNED};
        }
        JobPolicy p = c.resolve(job);
        return new String[] {p.system(), p.team().name()};
    }
}
