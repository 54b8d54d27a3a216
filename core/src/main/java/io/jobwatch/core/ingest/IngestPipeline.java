package io.jobwatch.core.ingest;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.JobIncidentPolicy;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.incident.Health;
import io.jobwatch.core.incident.IncidentDecision;
import io.jobwatch.core.incident.IncidentRules;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.JobHistory;
import io.jobwatch.core.incident.Transition;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one ingest path every entry point shares (CLI, local server, Lambda, reconciler): store the events
 * idempotently, then turn each run that has just finished into a health transition for the incident tracker. The
 * tracker writes the decided action to the outbox; sending is the outbox processor's job, not ingest's.
 */
public final class IngestPipeline {
    private final RunStore store;
    private final Supplier<Catalog> catalog;
    private final IncidentTracker incidents;

    /**
     * @param store     where runs live
     * @param catalog   the current catalog (hot-reloadable), or null: every failure is incident-worthy (the seed's rule)
     * @param incidents the incident tracker, or null when incidents are off
     */
    public IngestPipeline(RunStore store, Supplier<Catalog> catalog, IncidentTracker incidents) {
        this.store = Objects.requireNonNull(store, "store");
        this.catalog = catalog;
        this.incidents = incidents;
    }

    /** What one batch did: a result per event, and the incident decisions of the runs it finished. */
    public record Result(List<ApplyResult> applied, List<IncidentDecision> decisions) {
        public long actions() {
            return decisions.stream().filter(d -> d.action() != null).count();
        }
    }

    public Result ingest(List<RunEvent> events) {
        List<ApplyResult> applied = store.applyAll(events);
        List<IncidentDecision> decisions = new ArrayList<>();
        if (incidents != null) {
            for (int i = 0; i < applied.size(); i++) {
                ApplyResult r = applied.get(i);
                if (r.becameTerminal()) {
                    decide(r.run(), events.get(i)).ifPresent(decisions::add);
                }
            }
        }
        return new Result(applied, decisions);
    }

    private Optional<IncidentDecision> decide(Run run, RunEvent event) {
        Optional<JobSummary> summary = store.summary(run.job());
        List<RecentRun> recent = summary.map(JobSummary::recentRuns).orElse(List.of());
        Health before = healthBefore(recent, run.runId());
        List<RunState> history = new ArrayList<>();
        history.add(run.state());
        for (RecentRun r : recent) {
            if (!r.runId().equals(run.runId())) {
                history.add(r.state());
            }
        }
        Transition t = Transition.ofRun(run.job(), before, run.runId(), run.state(), event.eventId(), run.error(),
                run.endedAt() != null ? run.endedAt() : event.eventTime());
        Catalog c = catalog == null ? null : catalog.get();
        JobPolicy policy = c == null ? null : c.resolve(run.job());
        IncidentRules rules = policy == null ? IncidentRules.defaults() : rulesOf(policy);
        boolean inMaintenance = policy != null && policy.inMaintenance(t.at());
        return Optional.of(incidents.onTransition(t, rules, new JobHistory(history), inMaintenance));
    }

    /** The job's health before this run: its newest other finished run that was not stopped on purpose. */
    static Health healthBefore(List<RecentRun> newestFirst, String runId) {
        for (RecentRun r : newestFirst) {
            if (r.runId().equals(runId) || r.state() == RunState.STOPPED) {
                continue;
            }
            return r.state().failed() ? Health.FAILING : Health.HEALTHY;
        }
        return Health.UNKNOWN;
    }

    /** The catalog's per-job incident settings in the incident policy's terms. */
    public static IncidentRules rulesOf(JobPolicy p) {
        JobIncidentPolicy i = p.incident();
        return new IncidentRules(i.enabled(), IncidentRules.Criticality.valueOf(p.criticality().name()),
                IncidentRules.Criticality.LOW, i.urgency(), i.impact(), i.openAfterConsecutiveFailures(),
                i.failureRate().map(f -> new IncidentRules.FailureRate(f.percent(), f.ofLastRuns())).orElse(null),
                i.resolveAfterConsecutiveSuccesses(), i.flapDampingWindow(), p.team().assignmentGroup().orElse(null),
                p.system());
    }
}
