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

    /** The summary as the store has it after every run finished: newest first. */
    static Optional<JobSummary> summaryOf(Run... runs) {
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
    void judge_leavesOutRunsThatFinishedLater_soAFailureFollowedByASuccessOpensThenResolves() {
        Run failed = run("r1", RunState.FAILED, 1);
        Run ok = run("r2", RunState.SUCCEEDED, 3);
        Optional<JobSummary> both = summaryOf(failed, ok);

        IncidentDecision first = judge.judge(failed, null, both);
        IncidentDecision second = judge.judge(ok, null, both);

        assertThat(first.action()).isInstanceOf(IncidentAction.Open.class);
        assertThat(second.action()).isInstanceOf(IncidentAction.Resolve.class);
        assertThat(outbox.pending()).hasSize(2);
    }

    @Test
    void judge_isANoOp_forARunThatEndedBeforeTheLastRunDecided_soAReplayedPassSendsNothingTwice() {
        Run failed = run("r1", RunState.FAILED, 1);
        Run ok = run("r2", RunState.SUCCEEDED, 3);
        Optional<JobSummary> both = summaryOf(failed, ok);
        judge.judge(failed, null, both);
        judge.judge(ok, null, both);

        IncidentDecision replayFailed = judge.judge(failed, null, both);
        IncidentDecision replayOk = judge.judge(ok, null, both);

        assertThat(replayFailed.action()).isNull();
        assertThat(replayFailed.reason()).isEqualTo("run r1 ended no later than run r2, which was decided already");
        assertThat(replayOk.action()).isNull();
        assertThat(outbox.pending()).hasSize(2);
    }

    @Test
    void judge_countsOnlyEarlierRuns_asTheHealthBefore() {
        Run older = run("r0", RunState.FAILED, 0);
        Run failed = run("r1", RunState.FAILED, 1);
        Run later = run("r2", RunState.SUCCEEDED, 3);
        assertThat(FinishedRuns.healthBefore(FinishedRuns.finishedBefore(
                summaryOf(older, failed, later).orElseThrow().recentRuns(), "r1", failed.endedAt())))
                .isEqualTo(io.jobwatch.core.incident.Health.FAILING);
    }
}
