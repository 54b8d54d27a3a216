package io.jobwatch.core.ingest;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.JobIncidentPolicy;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.incident.IncidentDecision;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentRules;
import io.jobwatch.core.incident.IncidentState;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Turns a run that has finished into its incident decision: the job's recent finished runs ordered by run time (from
 * its summary), the catalog's incident rules and maintenance windows, then {@link IncidentPolicy#converge} through
 * {@link IncidentTracker#decide} (one conditional decision per run). The one place this logic lives:
 * {@link IngestPipeline} calls it right after storing an event, on every entry point (the ingest function, the
 * reconciler, the local server, the CLI).
 *
 * <p>Judging converges the incident towards what the job's runs imply, so it can be repeated (a redelivered event, a
 * retried outbox pass) and done in any order: the same runs give the same incident.
 */
public final class FinishedRuns {
    /** Rounds of "judge, then check that the job's runs did not change meanwhile" (another writer finishing a run). */
    static final int MAX_ROUNDS = 3;

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

    /** How many of the job's newest runs the store is asked for (older ones come from its summary). */
    static final int HISTORY = 40;

    /**
     * Decides on one finished run against the job's runs in {@code store}: its newest runs (complete within the
     * retention) and, before them, what its summary remembers.
     *
     * @param run     a terminal run
     * @param eventId the event that finished it, or null when not known (delayed judgement)
     * @throws IllegalArgumentException when the run is not terminal
     */
    public IncidentDecision judge(Run run, String eventId, RunStore store) {
        return judgeSeen(run, eventId, () -> {
            List<Run> newest = store.runsOfJob(run.job(), HISTORY);
            Run current = newest.stream().filter(r -> r.key().equals(run.key())).findFirst().orElse(null);
            return new Seen(history(store.summary(run.job()), newest), current);
        });
    }

    /**
     * What one judgement reads: the job's finished runs oldest first, and the run as the store holds it now (null when
     * not listed), which may be ahead of the run handed in — a later event of the same batch, or a later attempt.
     */
    record Seen(List<RecentRun> history, Run current) {
    }

    /**
     * Decides on one finished run; when the decision changed the incident, reads the job's history again and, if
     * another writer finished a run of the job meanwhile, judges again against it — so the last decision always saw
     * every run stored before it.
     *
     * @param history the job's finished runs, oldest first by run time ({@link #history(Optional, List)})
     */
    IncidentDecision judge(Run run, String eventId, Supplier<List<RecentRun>> history) {
        return judgeSeen(run, eventId, () -> new Seen(history.get(), null));
    }

    private IncidentDecision judgeSeen(Run run, String eventId, Supplier<Seen> read) {
        if (!run.terminal()) {
            throw new IllegalArgumentException("only a finished run can be judged, " + run.key() + " is " + run.state());
        }
        Seen seen = read.get();
        IncidentDecision d = judgeOnce(run, eventId, seen);
        for (int round = 1; round < MAX_ROUNDS && d.record() != null; round++) {
            Seen now = read.get();
            if (now.history().equals(seen.history())) {
                break;
            }
            seen = now;
            d = judgeOnce(run, eventId, seen);
        }
        return d;
    }

    private IncidentDecision judgeOnce(Run handed, String eventId, Seen seen) {
        Run run = handed;
        Run current = seen.current();
        if (current != null && current.attempt() >= handed.attempt()
                && (current.attempt() > handed.attempt() || current.terminal())) {
            if (!current.terminal()) {
                // A later attempt (a redrive, a retry) is going: the run is judged again when that attempt ends.
                return new IncidentDecision(null, null, "run " + handed.runId() + ": attempt " + current.attempt()
                        + " is " + current.state() + "; judged when it ends");
            }
            run = current; // the store is ahead of the event that brought us here (a later event of the batch)
        }
        List<RecentRun> oldestFirst = seen.history();
        RecentRun judged = recent(run);
        List<RecentRun> history = new ArrayList<>(oldestFirst.size() + 1);
        boolean in = false;
        for (RecentRun r : oldestFirst) {
            in |= r.runId().equals(run.runId());
            history.add(r.runId().equals(run.runId()) ? judged : r);
        }
        if (!in) {
            history.add(judged); // the store had not listed it yet (a back end's index lag)
            history.sort(ORDER);
        }
        Catalog c = catalog == null ? null : catalog.get();
        JobPolicy policy = c == null ? null : c.resolve(run.job());
        IncidentRules rules = policy == null ? IncidentRules.defaults() : rulesOf(policy);
        Predicate<Instant> inMaintenance = policy == null ? at -> false : policy::inMaintenance;
        IncidentPolicy decider = incidents.policy();
        JobKey job = run.job();
        return incidents.decide(job, ProblemKind.FAILURE, run.runId(), state -> decider.converge(job,
                judged, eventId, history, rules, inMaintenance, state.map(IncidentState::record),
                state.map(IncidentState::noted).orElse(List.of())));
    }

    private static final Comparator<RecentRun> ORDER = Comparator.comparing(RecentRun::sortTime)
            .thenComparing(RecentRun::endedAt)
            .thenComparing(RecentRun::runId, Comparator.nullsFirst(Comparator.naturalOrder()));

    private static RecentRun recent(Run run) {
        return new RecentRun(run.runId(), run.state(), run.startedAt(),
                run.endedAt() != null ? run.endedAt() : run.lastEventTime(), run.error(), run.attempt(),
                run.warning());
    }

    /**
     * A job's finished runs oldest first by run time (start, else end): the store's newest runs, which are complete
     * within the retention, and before the oldest of them what the summary remembers (its slots keep at most one run
     * per hour and ring, so the store's runs come first). The same runs give the same history in any arrival order.
     *
     * @param summary   the job's summary
     * @param newestRuns the job's newest runs (any state), newest first, as {@code RunStore#runsOfJob} lists them
     */
    public static List<RecentRun> history(Optional<JobSummary> summary, List<Run> newestRuns) {
        List<RecentRun> out = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        java.util.Map<String, RecentRun> remembered = new java.util.HashMap<>();
        for (RecentRun r : summary.map(JobSummary::recentRuns).orElse(List.of())) {
            if (r.runId() != null) {
                remembered.put(r.runId(), r);
            }
        }
        Instant oldest = null;
        for (Run r : newestRuns) {
            ids.add(r.runId());
            oldest = r.sortTime();
            if (r.terminal()) {
                out.add(recent(r));
            } else if (r.attempt() > 1 && remembered.containsKey(r.runId())) {
                // A retry under way (a redrive, a retry): until it ends, the run counts as its last attempt ended.
                out.add(remembered.get(r.runId()));
            }
        }
        Instant from = newestRuns.size() >= HISTORY ? oldest : null;
        for (RecentRun r : summary.map(JobSummary::recentRuns).orElse(List.of())) {
            if (!ids.contains(r.runId()) && (from == null || r.sortTime().isBefore(from))) {
                out.add(r);
            }
        }
        out.sort(ORDER);
        return out;
    }

    private static List<RecentRun> recent(Optional<JobSummary> summary) {
        return summary.map(JobSummary::recentRuns).orElse(List.of());
    }

    /** The catalog's per-job incident settings in the incident policy's terms. */
    public static IncidentRules rulesOf(JobPolicy p) {
        JobIncidentPolicy i = p.incident();
        return new IncidentRules(i.enabled(), IncidentRules.Criticality.valueOf(p.criticality().name()),
                IncidentRules.Criticality.LOW, i.urgency(), i.impact(), i.openAfterConsecutiveFailures(),
                i.failureRate().map(f -> new IncidentRules.FailureRate(f.percent(), f.ofLastRuns())).orElse(null),
                i.resolveAfterConsecutiveSuccesses(), i.flapDampingWindow(), p.team().assignmentGroup().orElse(null),
                p.system(), i.waitForRetries(), i.openOnWarning());
    }
}
