package io.jobwatch.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.incident.InMemoryIncidentStore;
import io.jobwatch.core.incident.InMemoryOutbox;
import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentDecision;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Judging finished runs late (the Lambda outbox handler) decides what judging them at once would have decided. */
class FinishedRunsTest {
    static final JobKey JOB = new JobKey("123456789012", "eu-west-1", JobSource.GLUE_JOB, "erp-orders-load");
    static final Instant T0 = Instant.parse("2026-03-02T01:00:00Z");

    final TestClock clock = new TestClock(T0);
    final InMemoryIncidentStore incidents = new InMemoryIncidentStore();
    final InMemoryOutbox outbox = new InMemoryOutbox();
    final FinishedRuns judge = new FinishedRuns(null,
            new IncidentTracker(new IncidentPolicy(clock), incidents, outbox, clock));

    static Run run(String id, RunState state, int endMinute) {
        Instant end = T0.plus(Duration.ofMinutes(endMinute));
        return new Run(new RunKey(JOB, id), state, state.name(), end.minusSeconds(60), end, null, List.of(), end, end,
                2, end, end.plus(Duration.ofDays(7)));
    }

    /** The job's history as the store has it after these runs finished. */
    static java.util.function.Supplier<List<RecentRun>> summaryOf(Run... runs) {
        Optional<JobSummary> s = summary(runs);
        return () -> FinishedRuns.history(s, List.of());
    }

    static Optional<JobSummary> summary(Run... runs) {
        List<RecentRun> recent = new ArrayList<>();
        for (int i = runs.length - 1; i >= 0; i--) {
            Run r = runs[i];
            recent.add(new RecentRun(r.runId(), r.state(), r.startedAt(), r.endedAt(), r.error()));
        }
        Run last = runs[runs.length - 1];
        return Optional.of(new JobSummary(JOB, last.key(), last.state(), last.startedAt(), last.endedAt(), null, null,
                null, 0, recent, List.of(), List.of(), runs.length, last.lastUpdated()));
    }

    @Test
    void judge_inRunTimeOrder_opensOnTheFailure_andResolvesOnTheNextSuccess() {
        Run failed = run("r1", RunState.FAILED, 1);
        Run ok = run("r2", RunState.SUCCEEDED, 3);

        IncidentDecision first = judge.judge(failed, null, summaryOf(failed));
        IncidentDecision second = judge.judge(ok, null, summaryOf(failed, ok));

        assertThat(first.action()).isInstanceOf(IncidentAction.Open.class);
        assertThat(second.action()).isInstanceOf(IncidentAction.Resolve.class);
        assertThat(outbox.pending()).hasSize(2);
    }

    @Test
    void judge_aFailureOlderThanTheJobsNewestSuccess_opensNothing() {
        Run failed = run("r1", RunState.FAILED, 1);
        Run ok = run("r2", RunState.SUCCEEDED, 3);
        java.util.function.Supplier<List<RecentRun>> both = summaryOf(failed, ok);

        IncidentDecision newer = judge.judge(ok, null, both);
        IncidentDecision late = judge.judge(failed, null, both);

        assertThat(newer.action()).isNull();
        assertThat(late.action()).isNull();
        assertThat(late.reason()).isEqualTo("a newer run of the job succeeded: this late failure opens nothing");
        assertThat(outbox.pending()).isEmpty();
    }

    @Test
    void judge_again_sendsNothingTwice() {
        Run failed = run("r1", RunState.FAILED, 1);
        Run again = run("r2", RunState.FAILED, 2);
        judge.judge(failed, null, summaryOf(failed));
        judge.judge(again, null, summaryOf(failed, again));

        assertThat(judge.judge(failed, null, summaryOf(failed, again)).action()).isNull();
        assertThat(judge.judge(again, null, summaryOf(failed, again)).action()).isNull();
        assertThat(outbox.pending()).extracting(e -> e.action().type()).containsExactly("open", "update");
    }

    @Test
    void judge_readsTheSummaryAgain_whenAnotherWriterFinishedARunMeanwhile() {
        Run failed = run("r1", RunState.FAILED, 1);
        Run ok = run("r2", RunState.SUCCEEDED, 3);
        // The failure is judged against a summary without the newer success; when it saves its Open, the success has
        // been summarized (by another writer who found no incident to resolve yet).
        java.util.Iterator<java.util.function.Supplier<List<RecentRun>>> reads = List.of(summaryOf(failed),
                summaryOf(failed, ok), summaryOf(failed, ok)).iterator();
        IncidentDecision d = judge.judge(failed, null, () -> reads.next().get());

        assertThat(d.action()).isInstanceOf(IncidentAction.Resolve.class);
        assertThat(incidents.find(JOB, io.jobwatch.core.incident.ProblemKind.FAILURE).orElseThrow().open()).isFalse();
        assertThat(outbox.pending()).extracting(e -> e.action().type()).containsExactly("open", "resolve");
    }
}
