package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds one job's terminal runs through {@link IncidentTracker} the way ingest does ({@code FinishedRuns}): the job's
 * finished runs by run time, converged with {@link IncidentPolicy#converge}. Shared via core's test-jar for gateway
 * tests.
 */
public final class JobRunFeed {
    private final JobKey job;
    private final IncidentTracker tracker;
    private final TestClock clock;
    private final List<RecentRun> oldestFirst = new ArrayList<>();
    private final java.util.Set<Instant> maintained = new java.util.HashSet<>();
    private IncidentRules rules = IncidentRules.defaults();
    private boolean inMaintenance;
    private int runs;

    public JobRunFeed(JobKey job, IncidentTracker tracker, TestClock clock) {
        this.job = job;
        this.tracker = tracker;
        this.clock = clock;
    }

    public JobRunFeed rules(IncidentRules r) {
        this.rules = r;
        return this;
    }

    public JobRunFeed maintenance(boolean on) {
        this.inMaintenance = on;
        return this;
    }

    /** Moves the clock by {@code gap}, then ends a run in {@code state} at the new time. */
    public IncidentDecision run(RunState state, Duration gap, String error) {
        clock.advance(gap);
        runs++;
        Instant at = clock.instant();
        RecentRun run = new RecentRun(runId(runs), state, at.minusSeconds(30), at, error);
        oldestFirst.add(run);
        if (inMaintenance) {
            maintained.add(at);
        }
        return judge(run, "evt-" + runs);
    }

    /** Judges a run fed before again (a redelivered event). */
    public IncidentDecision again(int n) {
        return judge(oldestFirst.get(n - 1), "evt-" + n);
    }

    private IncidentDecision judge(RecentRun run, String eventId) {
        List<RecentRun> history = List.copyOf(oldestFirst);
        java.util.Set<Instant> windows = java.util.Set.copyOf(maintained);
        return tracker.decide(job, ProblemKind.FAILURE, run.runId(), s -> tracker.policy().converge(job, run, eventId,
                history, rules, windows::contains, s.map(IncidentState::record),
                s.map(IncidentState::noted).orElse(List.of())));
    }
    public IncidentDecision fail(Duration gap) {
        return run(RunState.FAILED, gap, "Role arn:aws:iam::234567890123:role/GlueEtlRole should be given assume role permissions for Glue Service.");
    }

    public IncidentDecision succeed(Duration gap) {
        return run(RunState.SUCCEEDED, gap, null);
    }

    public static String runId(int n) {
        return String.format("jr_%04d", n);
    }
}
