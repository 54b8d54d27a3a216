package io.jobwatch.core.ingest;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.JobIncidentPolicy;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.incident.Health;
import io.jobwatch.core.incident.IncidentDecision;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentRules;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.JobHistory;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.incident.Transition;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.store.Run;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns a run that has finished into its incident decision: the job's health before the run, its recent history,
 * the catalog's incident rules and maintenance windows, then {@link IncidentTracker#onTransition}. The one place this
 * logic lives: {@link IngestPipeline} calls it right after storing an event (CLI, local server), the Lambda outbox
 * handler calls it minutes later for the runs ingest stored (ingest on AWS only writes runs).
 *
 * <p>The job's summary may already know runs that finished after this one (a delayed judgement, or events delivered
 * out of order); they are left out, so the decision is the one that would have been made when the run ended.
 * Judging a run again is a no-op: the incident record names the last run decided, and a run that ended no later than
 * that one (its end known from the summary) was decided before or is older news than the job's current health —
 * so a replayed pass over several runs of one job (a retried outbox pass) sends nothing twice.
 */
public final class FinishedRuns {
    private final Supplier<Catalog> catalog;
    private final IncidentTracker incidents;

    /**
     * @param catalog   the current catalog, or null: every failure is incident-worthy ({@link IncidentRules#defaults()})
     * @param incidents the tracker that decides and writes the outbox
     */
    public FinishedRuns(Supplier<Catalog> catalog, IncidentTracker incidents) {
        this.catalog = catalog;
        this.incidents = Objects.requireNonNull(incidents, "incidents");
    }

    /**
     * Decides on one finished run.
     *
     * @param run      a terminal run
     * @param eventId  the event that finished it, or null when not known (delayed judgement)
     * @param summary  the job's summary as the store has it now (empty when none yet)
     * @throws IllegalArgumentException when the run is not terminal
     */
    public IncidentDecision judge(Run run, String eventId, Optional<JobSummary> summary) {
        if (!run.terminal()) {
            throw new IllegalArgumentException("only a finished run can be judged, " + run.key() + " is " + run.state());
        }
        Instant at = run.endedAt() != null ? run.endedAt() : run.lastEventTime();
        List<RecentRun> recent = summary.map(JobSummary::recentRuns).orElse(List.of());
        Optional<IncidentRecord> current = incidents.current(run.job(), ProblemKind.FAILURE);
        Optional<RecentRun> lastDecided = current.map(IncidentRecord::lastRunId)
                .filter(id -> !id.equals(run.runId()))
                .flatMap(id -> recent.stream().filter(r -> r.runId().equals(id)).findFirst());
        if (lastDecided.isPresent() && !lastDecided.get().endedAt().isBefore(at)) {
            return new IncidentDecision(null, null, "run " + run.runId() + " ended no later than run "
                    + lastDecided.get().runId() + ", which was decided already");
        }
        List<RecentRun> before = finishedBefore(recent, run.runId(), at);
        Transition t = Transition.ofRun(run.job(), healthBefore(before), run.runId(), run.state(), eventId,
                run.error(), at);
        Catalog c = catalog == null ? null : catalog.get();
        JobPolicy policy = c == null ? null : c.resolve(run.job());
        IncidentRules rules = policy == null ? IncidentRules.defaults() : rulesOf(policy);
        boolean inMaintenance = policy != null && policy.inMaintenance(t.at());
        return incidents.onTransition(t, rules, history(run.state(), before), inMaintenance);
    }

    /** The other recent runs that ended no later than {@code end}, newest first (the summary's order kept). */
    static List<RecentRun> finishedBefore(List<RecentRun> newestFirst, String runId, Instant end) {
        List<RecentRun> out = new ArrayList<>(newestFirst.size());
        for (RecentRun r : newestFirst) {
            if (!r.runId().equals(runId) && !r.endedAt().isAfter(end)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The job's health before a run: its newest earlier finished run that was not stopped on purpose. */
    static Health healthBefore(List<RecentRun> earlierNewestFirst) {
        for (RecentRun r : earlierNewestFirst) {
            if (r.state() != RunState.STOPPED) {
                return r.state().failed() ? Health.FAILING : Health.HEALTHY;
            }
        }
        return Health.UNKNOWN;
    }

    private static JobHistory history(RunState state, List<RecentRun> earlierNewestFirst) {
        List<RunState> states = new ArrayList<>(earlierNewestFirst.size() + 1);
        states.add(state);
        for (RecentRun r : earlierNewestFirst) {
            states.add(r.state());
        }
        return new JobHistory(states);
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
