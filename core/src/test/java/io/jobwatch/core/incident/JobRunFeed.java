package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds one job's terminal runs through {@link IncidentTracker} the way ingest will: health before from the previous
 * run, history newest first including the run. Shared via core's test-jar for gateway tests.
 */
public final class JobRunFeed {
    private final JobKey job;
    private final IncidentTracker tracker;
    private final TestClock clock;
    private final List<RunState> newestFirst = new ArrayList<>();
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
        Health before = newestFirst.stream().filter(s -> s != RunState.STOPPED).findFirst()
                .map(s -> s.failed() ? Health.FAILING : Health.HEALTHY).orElse(Health.UNKNOWN);
        newestFirst.add(0, state);
        Instant at = clock.instant();
        Transition t = Transition.ofRun(job, before, runId(runs), state, "evt-" + runs, error, at);
        return tracker.onTransition(t, rules, new JobHistory(newestFirst), inMaintenance);
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
