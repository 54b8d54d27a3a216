package io.jobwatch.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.source.Sources;
import io.jobwatch.core.store.Outcome;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
    static final String ACCOUNT = "234567890123";
    static final String REGION = "eu-west-1";
    static final Instant T0 = Instant.parse("2026-03-02T01:00:00Z");
    static final JobKey NIGHTLY = new JobKey(ACCOUNT, REGION, JobSource.GLUE_JOB, "fin-ledger-load");
    static final Scope GLUE = new Scope(ACCOUNT, REGION, JobSource.GLUE_JOB, List.of("fin-ledger-load"));

    TestClock clock;
    io.jobwatch.core.store.RecordRunStore store;
    FakeRunSource glue;
    Reconciler reconciler;

    /** Lists whatever the test put in it (newest first as given), bounded by the limit. */
    static final class FakeRunSource implements RunSource {
        final JobSource source;
        final List<ObservedRun> runs = new ArrayList<>();
        RunSourceException failure;

        FakeRunSource(JobSource source) {
            this.source = source;
        }

        @Override
        public JobSource source() {
            return source;
        }

        @Override
        public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
            if (failure != null) {
                throw failure;
            }
            return runs.stream().filter(r -> r.job().account().equals(scope.account())
                            && (scope.allJobs() || scope.jobNames().contains(r.job().jobName())))
                    .limit(limit).toList();
        }
    }

    @BeforeEach
    void setUp() {
        clock = new TestClock(T0.plus(Duration.ofHours(2)));
        store = io.jobwatch.core.store.InMemoryRunRecords.store(clock, io.jobwatch.core.store.RunStore.DEFAULT_RETENTION);
        glue = new FakeRunSource(JobSource.GLUE_JOB);
        reconciler = new Reconciler(store, new IngestPipeline(store, null, null), List.of(glue), clock);
    }

    static ObservedRun observed(String runId, String state, Instant start, Instant end) {
        return new ObservedRun(NIGHTLY, runId, state, start, end, state.equals("FAILED") ? "boom" : null);
    }

    static RunEvent realEvent(String id, String runId, String state, Instant time, Instant start) {
        RunState s = Sources.of(JobSource.GLUE_JOB).state(state);
        return new RunEvent(id, NIGHTLY, runId, s, state, time, start, s.terminal() ? time : null, null);
    }

    ReconcileReport reconcile() {
        return reconciler.reconcile(List.of(GLUE), T0.minus(Duration.ofDays(1)), 100, false);
    }

    @Test
    void reconcile_addsRunMissingFromEvents_once() {
        glue.runs.add(observed("jr_1", "SUCCEEDED", T0, T0.plusSeconds(600)));

        ReconcileReport first = reconcile();

        ReconcileStats s = first.stats().get(0);
        assertThat(s.seen()).isEqualTo(1);
        assertThat(s.missingFromEvents()).isEqualTo(1);
        assertThat(first.actions()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(ReconcileAction.Kind.ADD);
            assertThat(a.outcome()).isEqualTo(Outcome.CREATED);
        });
        Run run = store.get(observed("jr_1", "SUCCEEDED", null, null).key()).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.startedAt()).isEqualTo(T0);
        assertThat(run.endedAt()).isEqualTo(T0.plusSeconds(600));

        clock.advance(Duration.ofMinutes(10));
        ReconcileReport second = reconcile();

        assertThat(second.stats().get(0).missingFromEvents()).isZero();
        assertThat(second.stats().get(0).unchanged()).isEqualTo(1);
        assertThat(second.actions()).isEmpty();
        assertThat(runCount()).isEqualTo(1);
        assertThat(store.get(run.key()).orElseThrow().eventCount()).isEqualTo(1);
        // Even if applied again (e.g. two reconcilers at once), the deterministic id makes it a no-op.
        assertThat(store.apply(Reconciler.eventOf(glue.runs.get(0), clock.instant())).outcome())
                .isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void reconcile_leavesRunAlreadyStoredUntouched() {
        store.apply(realEvent("evt-1", "jr_1", "SUCCEEDED", T0.plusSeconds(600), T0));
        Run before = store.get(observed("jr_1", "SUCCEEDED", null, null).key()).orElseThrow();
        clock.advance(Duration.ofMinutes(5));
        glue.runs.add(observed("jr_1", "SUCCEEDED", T0, T0.plusSeconds(600)));

        ReconcileReport report = reconcile();

        assertThat(report.stats().get(0).unchanged()).isEqualTo(1);
        assertThat(report.missingFromEvents()).isZero();
        assertThat(report.actions()).isEmpty();
        assertThat(store.get(before.key()).orElseThrow()).isEqualTo(before);
    }

    @Test
    void reconcile_advancesStaleRunningRunToSucceeded() {
        store.apply(realEvent("evt-1", "jr_1", "RUNNING", T0.plusSeconds(5), T0));
        glue.runs.add(observed("jr_1", "SUCCEEDED", T0, T0.plusSeconds(600)));

        ReconcileReport report = reconcile();

        assertThat(report.stats().get(0).advanced()).isEqualTo(1);
        assertThat(report.actions()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(ReconcileAction.Kind.ADVANCE);
            assertThat(a.storedState()).isEqualTo(RunState.RUNNING);
            assertThat(a.outcome()).isEqualTo(Outcome.ADVANCED);
        });
        Run run = store.get(glue.runs.get(0).key()).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.endedAt()).isEqualTo(T0.plusSeconds(600));
    }

    @Test
    void laterRealEvent_forAReconciledRun_changesNothing() {
        glue.runs.add(observed("jr_1", "FAILED", T0, T0.plusSeconds(600)));
        reconcile();
        Run reconciled = store.get(glue.runs.get(0).key()).orElseThrow();

        RunEvent late = new RunEvent("0b9f-real-event", NIGHTLY, "jr_1", RunState.FAILED, "FAILED",
                T0.plusSeconds(600), null, T0.plusSeconds(600), "boom");
        Outcome outcome = store.apply(late).outcome();

        assertThat(outcome).isEqualTo(Outcome.STALE);
        Run after = store.get(reconciled.key()).orElseThrow();
        assertThat(runCount()).isEqualTo(1);
        assertThat(after.state()).isEqualTo(RunState.FAILED);
        assertThat(after.startedAt()).isEqualTo(reconciled.startedAt());
        assertThat(after.endedAt()).isEqualTo(reconciled.endedAt());
        assertThat(after.error()).isEqualTo("boom");
    }

    @Test
    void reconcile_neverRegressesAStoredFinishedRun() {
        store.apply(realEvent("evt-1", "jr_1", "FAILED", T0.plusSeconds(600), T0));
        // The service's listing lags behind (eventually consistent) and still says RUNNING.
        glue.runs.add(observed("jr_1", "RUNNING", T0, null));

        ReconcileReport report = reconcile();

        assertThat(report.actions()).isEmpty();
        assertThat(store.get(glue.runs.get(0).key()).orElseThrow().state()).isEqualTo(RunState.FAILED);
        // And should such an event reach the store anyway, the store keeps the ending.
        assertThat(store.apply(Reconciler.eventOf(glue.runs.get(0), clock.instant())).outcome())
                .isEqualTo(Outcome.STALE);
        assertThat(store.get(glue.runs.get(0).key()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    }

    @Test
    void dryRun_reportsWhatItWouldDo_andWritesNothing() {
        store.apply(realEvent("evt-1", "jr_1", "RUNNING", T0.plusSeconds(5), T0));
        glue.runs.add(observed("jr_1", "SUCCEEDED", T0, T0.plusSeconds(600)));
        glue.runs.add(observed("jr_2", "FAILED", T0.plusSeconds(3600), T0.plusSeconds(3700)));

        ReconcileReport report = reconciler.reconcile(List.of(GLUE), T0, 100, true);

        assertThat(report.dryRun()).isTrue();
        assertThat(report.missingFromEvents()).isEqualTo(1);
        assertThat(report.advanced()).isEqualTo(1);
        assertThat(report.actions()).extracting(ReconcileAction::kind)
                .containsExactly(ReconcileAction.Kind.ADVANCE, ReconcileAction.Kind.ADD);
        assertThat(report.actions()).allSatisfy(a -> assertThat(a.outcome()).isNull());
        assertThat(report.actions().get(1).describe()).startsWith("add").contains("#jr_2").contains("FAILED");
        assertThat(runCount()).isEqualTo(1);
        assertThat(store.get(glue.runs.get(0).key()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void report_measuresLagFromNewestEnd_andFlagsTheBound() {
        glue.runs.add(observed("jr_3", "RUNNING", T0.plusSeconds(4000), null));
        glue.runs.add(observed("jr_2", "SUCCEEDED", T0.plusSeconds(3600), T0.plusSeconds(3700)));
        glue.runs.add(observed("jr_1", "SUCCEEDED", T0, T0.plusSeconds(600)));

        ReconcileStats bounded = reconciler.reconcile(List.of(GLUE), T0, 2, false).stats().get(0);

        assertThat(bounded.seen()).isEqualTo(2);
        assertThat(bounded.truncated()).isTrue();
        assertThat(bounded.lag()).isEqualTo(Duration.between(T0.plusSeconds(3700), clock.instant()));
        ReconcileStats all = reconciler.reconcile(List.of(GLUE), T0, 100, false).stats().get(0);
        assertThat(all.truncated()).isFalse();
        assertThat(all.missingFromEvents()).isEqualTo(1);
    }

    @Test
    void failingService_isReported_andOtherScopesStillRun() {
        FakeRunSource sfn = new FakeRunSource(JobSource.STEP_FUNCTIONS);
        sfn.failure = new RunSourceException("Step Functions 234567890123/eu-west-1: AccessDenied");
        reconciler = new Reconciler(store, new IngestPipeline(store, null, null), List.of(sfn, glue), clock);
        glue.runs.add(observed("jr_1", "SUCCEEDED", T0, T0.plusSeconds(600)));
        Scope sfnScope = Scope.all(ACCOUNT, REGION, JobSource.STEP_FUNCTIONS);
        Scope batchScope = Scope.all(ACCOUNT, REGION, JobSource.BATCH);

        ReconcileReport report = reconciler.reconcile(List.of(sfnScope, batchScope, GLUE), T0, 100, false);

        assertThat(report.stats()).extracting(ReconcileStats::error).containsExactly(
                "Step Functions 234567890123/eu-west-1: AccessDenied",
                "no run source for Batch job is configured", null);
        assertThat(report.anyFailed()).isTrue();
        assertThat(report.missingFromEvents()).isEqualTo(1);
        assertThat(report.missingByAccount()).containsExactly(java.util.Map.entry(ACCOUNT, 1));
    }

    @Test
    void sourceListingAnotherAccountsRun_isAProgrammingError() {
        glue.runs.add(new ObservedRun(new JobKey(ACCOUNT, "us-east-1", JobSource.GLUE_JOB, "fin-ledger-load"), "jr_9",
                "SUCCEEDED", T0, T0.plusSeconds(1), null));

        assertThatThrownBy(this::reconcile).isInstanceOf(IllegalStateException.class).hasMessageContaining("jr_9");
    }

    @Test
    void eventIds_areStablePerRunAndState_andNotEventBridgeIds() {
        ObservedRun running = observed("jr_1", "RUNNING", T0, null);
        ObservedRun done = observed("jr_1", "SUCCEEDED", T0, T0.plusSeconds(9));

        assertThat(Reconciler.eventIdOf(running)).isEqualTo("reconcile:jr_1:RUNNING");
        assertThat(Reconciler.eventIdOf(done)).isEqualTo("reconcile:jr_1:SUCCEEDED");
        RunEvent e = Reconciler.eventOf(done, clock.instant());
        assertThat(e.eventTime()).isEqualTo(T0.plusSeconds(9));
        assertThat(Reconciler.eventOf(running, clock.instant()).eventTime()).isEqualTo(clock.instant());
    }

    @Test
    void listingWithEndBeforeStart_keepsTheEnd_andIsStillApplied() {
        glue.runs.add(observed("jr_skew", "SUCCEEDED", T0.plusSeconds(60), T0));

        ReconcileReport report = reconcile();

        assertThat(report.missingFromEvents()).isEqualTo(1);
        assertThat(report.anyFailed()).isFalse();
        Run run = store.get(glue.runs.get(0).key()).orElseThrow();
        assertThat(run.startedAt()).isNull();
        assertThat(run.endedAt()).isEqualTo(T0);
    }

    @Test
    void digestSentence_namesTheSystem() {
        assertThat(ReconcileStats.digestSentence(3, "FinData"))
                .isEqualTo("3 runs were found only by reconciliation in FinData — check the forwarding rule");
        assertThat(ReconcileStats.digestSentence(1, "ERP")).startsWith("1 run was found");
        assertThat(ReconcileStats.digestSentence(0, "ERP")).isNull();
    }

    private int runCount() {
        List<Run> all = new java.util.ArrayList<>();
        store.runsBetween(java.time.Instant.EPOCH, java.time.Instant.parse("2100-01-01T00:00:00Z"), all::add);
        return all.size();
    }

    @Test
    void reconcile_aListedGlueRetry_isTheNextAttemptOfItsRun_evenAfterTheFirstAttemptsFailureWasStored() {
        store.apply(realEvent("e1", "jr_7", "FAILED", T0.plusSeconds(300), null));
        glue.runs.add(observed("jr_7_attempt_1", "SUCCEEDED", T0.plusSeconds(360), T0.plusSeconds(900)));
        glue.runs.add(observed("jr_7", "FAILED", T0, T0.plusSeconds(300)));

        ReconcileReport report = reconcile();

        assertThat(report.stats().get(0).advanced()).isEqualTo(1);
        Run run = store.get(new io.jobwatch.core.run.RunKey(NIGHTLY, "jr_7")).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.attempt()).isEqualTo(2);
        assertThat(runCount()).isEqualTo(1);
        assertThat(reconcile().actions()).as("the second pass finds nothing").isEmpty();
    }

    @Test
    void reconcile_aListedRunWithAPerRunName_isARunOfTheStableJob() {
        FakeRunSource batch = new FakeRunSource(JobSource.BATCH);
        Reconciler r = new Reconciler(store, new IngestPipeline(store, null, null), List.of(batch), clock);
        JobKey raw = new JobKey(ACCOUNT, REGION, JobSource.BATCH, "cpu-stress-test-1760707292");
        batch.runs.add(new ObservedRun(raw, "4c1e7a9b", "SUCCEEDED", T0, T0.plusSeconds(60), null));

        r.reconcile(List.of(Scope.all(ACCOUNT, REGION, JobSource.BATCH)), T0.minus(Duration.ofDays(1)), 100, false);

        JobKey stable = new JobKey(ACCOUNT, REGION, JobSource.BATCH, "cpu-stress-test");
        Run run = store.get(new io.jobwatch.core.run.RunKey(stable, "4c1e7a9b")).orElseThrow();
        assertThat(run.rawJobName()).as("the service's name stays on the run, as for its events")
                .isEqualTo("cpu-stress-test-1760707292");
        assertThat(store.get(new io.jobwatch.core.run.RunKey(raw, "4c1e7a9b"))).isEmpty();
    }
}
