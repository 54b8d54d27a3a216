package io.jobwatch.core.export;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The export's rows from the run store: one {@link RunStore#runsBetween} call per UTC day (a key/index query per day
 * bucket, never a scan), enriched with the catalog (system, team, criticality) and the job's incident number.
 * A run belongs to the day the store buckets it in (its start, else its end), so it is in exactly one day.
 */
public final class StoreExportSource implements ExportSource {
    private final RunStore store;
    private final Catalog catalog;
    private final IncidentStore incidents;
    private final Map<JobKey, Optional<IncidentRecord>> incidentOfJob = new ConcurrentHashMap<>();

    /**
     * @param catalog   for system/team/criticality, or null (system from nothing: the account id is kept)
     * @param incidents for the incident number of failed runs, or null
     */
    public StoreExportSource(RunStore store, Catalog catalog, IncidentStore incidents) {
        this.store = store;
        this.catalog = catalog;
        this.incidents = incidents;
    }

    @Override
    public void rowsOfDay(LocalDate day, Consumer<ExportRow> sink) {
        store.runsBetween(day.atStartOfDay(ZoneOffset.UTC).toInstant(),
                day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), run -> sink.accept(row(run)));
    }

    private ExportRow row(Run run) {
        JobKey job = run.job();
        JobPolicy policy = catalog == null ? null : catalog.resolve(job);
        String incident = run.failed() ? incidentNumber(job, run) : null;
        return new ExportRow(run.runId(), job.source(), job.account(), policy == null ? null : policy.system(),
                job.region(), job.jobName(), policy == null ? null : policy.team().name(),
                policy == null ? null : policy.criticality().id(), run.state(), run.sourceState(), run.startedAt(),
                run.endedAt(), ExportRow.durationSeconds(run.startedAt(), run.endedAt()), run.error(), incident,
                run.eventCount(), run.firstSeen(), run.lastUpdated(), run.attempt(), run.warning(),
                run.serviceJobName());
    }

    /** The job's failure incident, when it was opened no later than this run ended (the run is part of it). */
    private String incidentNumber(JobKey job, Run run) {
        if (incidents == null) {
            return null;
        }
        Optional<IncidentRecord> r = incidentOfJob.computeIfAbsent(job,
                j -> incidents.load(j, ProblemKind.FAILURE).map(io.jobwatch.core.incident.IncidentState::record));
        return r.filter(rec -> rec.number() != null)
                .filter(rec -> run.endedAt() == null || !rec.openedAt().isAfter(run.lastUpdated()))
                .map(IncidentRecord::number).orElse(null);
    }
}
