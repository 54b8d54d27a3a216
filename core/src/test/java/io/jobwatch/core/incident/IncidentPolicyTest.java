package io.jobwatch.core.incident;

import static io.jobwatch.core.incident.IncidentFixtures.LEDGER;
import static io.jobwatch.core.incident.IncidentFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.core.incident.IncidentRules.Criticality;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.testing.TestClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IncidentPolicyTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private TestClock clock;
    private InMemoryIncidentStore store;
    private InMemoryOutbox outbox;
    private JobRunFeed job;

    @BeforeEach
    void setUp() {
        clock = new TestClock(T0);
        store = new InMemoryIncidentStore();
        outbox = new InMemoryOutbox();
        job = new JobRunFeed(LEDGER, new IncidentTracker(new IncidentPolicy(clock), store, outbox, clock), clock);
    }

    private IncidentRecord record() {
        return store.find(LEDGER, ProblemKind.FAILURE).orElseThrow();
    }

    @Test
    void firstFailure_opensIncident_withEverythingTheTableApiNeeds() {
        job.rules(IncidentRules.defaults().withSystem("FinData").withAssignmentGroup("287ebd7da9fe198100f92cc8d1d2154e")
                .withCriticality(Criticality.HIGH, Criticality.LOW));
        IncidentDecision d = job.fail(HOUR);

        IncidentAction.Open open = (IncidentAction.Open) d.action();
        assertThat(open.title()).isEqualTo("[FinData] Glue job fin-ledger-load FAILED");
        assertThat(open.correlationId()).isEqualTo("glue-job:234567890123:eu-west-1:fin-ledger-load");
        assertThat(open.correlationDisplay()).isEqualTo("Jobwatch");
        assertThat(open.urgency()).isEqualTo(1);
        assertThat(open.impact()).isEqualTo(2);
        assertThat(open.assignmentGroup()).isEqualTo("287ebd7da9fe198100f92cc8d1d2154e");
        assertThat(open.consoleLink()).isEqualTo(
                "https://eu-west-1.console.aws.amazon.com/gluestudio/home?region=eu-west-1#/job/fin-ledger-load/run/jr_0001");
        assertThat(open.description()).contains("Run: jr_0001", "Account: 234567890123 (FinData)", "Region: eu-west-1",
                "Error: Role arn:aws:iam::234567890123:role/GlueEtlRole", "AWS console: " + open.consoleLink(),
                "Opened by Jobwatch: 1 consecutive failure.");
        assertThat(open.workNote()).isEqualTo("Opened automatically by Jobwatch from run jr_0001 (EventBridge event evt-1).");
        assertThat(open.incident().sysId()).isNull();
        assertThat(record().open()).isTrue();
        assertThat(record().openedAt()).isEqualTo(T0.plus(HOUR));
        assertThat(outbox.pending()).extracting(OutboxEntry::action).containsExactly(open);
    }

    @Test
    void sixFailuresThenSuccess_makeOneOpenFiveUpdatesAndOneResolve() {
        for (int i = 0; i < 6; i++) {
            job.fail(HOUR);
        }
        job.succeed(HOUR);
        assertThat(outbox.pending()).extracting(e -> e.action().type())
                .containsExactly("open", "update", "update", "update", "update", "update", "resolve");
        IncidentAction.Update third = (IncidentAction.Update) outbox.pending().get(2).action();
        assertThat(third.workNote()).startsWith("Failed again: run jr_0003 at 2026-03-02T04:00:00Z (3 consecutive failures).")
                .contains("\nError: Role arn", "\nAWS console: https://eu-west-1.console.aws.amazon.com/gluestudio/home?region=eu-west-1#/job/fin-ledger-load/run/jr_0003");
        IncidentAction.Resolve resolve = (IncidentAction.Resolve) outbox.pending().get(6).action();
        assertThat(resolve.closeNotes()).isEqualTo("Auto-resolved: fin-ledger-load run jr_0007 SUCCEEDED at 2026-03-02T08:00:00Z.");
        assertThat(record().state()).isEqualTo(IncidentRecord.State.RESOLVED);
        assertThat(record().resolvedAt()).isEqualTo(T0.plus(HOUR.multipliedBy(7)));
        // Every action names the same incident.
        assertThat(outbox.pending()).extracting(e -> e.action().incident().openedAt()).containsOnly(T0.plus(HOUR));
    }

    @Test
    void success_resolvesOnlyAfterTheConfiguredSuccessesInARow() {
        job.rules(IncidentRules.defaults().withResolveAfterConsecutiveSuccesses(3));
        job.fail(HOUR);
        assertThat(job.succeed(HOUR).reason()).isEqualTo("1 of 3 successful runs needed to resolve");
        assertThat(job.succeed(HOUR).noOp()).isTrue();
        assertThat(record().consecutiveSuccesses()).isEqualTo(2);
        assertThat(job.succeed(HOUR).action()).isInstanceOf(IncidentAction.Resolve.class);
        assertThat(((IncidentAction.Resolve) outbox.pending().get(1).action()).workNote())
                .isEqualTo("Resolved by Jobwatch after 3 successful runs in a row.");
    }

    @Test
    void failureBetweenSuccesses_whileOpen_updatesAndRestartsTheSuccessCount() {
        job.rules(IncidentRules.defaults().withResolveAfterConsecutiveSuccesses(2));
        job.fail(HOUR);
        job.succeed(HOUR);
        assertThat(job.fail(HOUR).action()).isInstanceOf(IncidentAction.Update.class);
        assertThat(job.succeed(HOUR).noOp()).isTrue();
        assertThat(job.succeed(HOUR).action()).isInstanceOf(IncidentAction.Resolve.class);
    }

    @Test
    void failureWithinFlapDampingWindow_reopensTheSameIncident() {
        job.rules(IncidentRules.defaults().withFlapDampingWindow(Duration.ofMinutes(90)));
        job.fail(HOUR);
        IncidentRecord opened = record();
        job.succeed(HOUR);
        IncidentDecision d = job.fail(Duration.ofMinutes(90)); // exactly at the window's end: still damped
        assertThat(d.action()).isInstanceOf(IncidentAction.Reopen.class);
        assertThat(d.action().incident().openedAt()).isEqualTo(opened.openedAt());
        assertThat(d.action().workNote()).startsWith("Reopened by Jobwatch: failed again (run jr_0003) at 2026-03-02T04:30:00Z, within 90 min of recovering at 2026-03-02T03:00:00Z (flapping).");
        assertThat(record().open()).isTrue();
        assertThat(record().resolvedAt()).isNull();
        assertThat(job.fail(HOUR).action()).isInstanceOf(IncidentAction.Update.class);
    }

    @Test
    void failureAfterFlapDampingWindow_opensANewIncident() {
        job.rules(IncidentRules.defaults().withFlapDampingWindow(Duration.ofMinutes(90)));
        job.fail(HOUR);
        job.succeed(HOUR);
        IncidentDecision d = job.fail(Duration.ofMinutes(90).plusSeconds(1));
        assertThat(d.action()).isInstanceOf(IncidentAction.Open.class);
        assertThat(d.action().incident().openedAt()).isEqualTo(clock.instant());
        assertThat(record().sysId()).isNull();
    }

    @Test
    void zeroDampingWindow_neverReopens() {
        job.rules(IncidentRules.defaults().withFlapDampingWindow(Duration.ZERO));
        job.fail(HOUR);
        job.succeed(HOUR);
        assertThat(job.fail(Duration.ofSeconds(1)).action()).isInstanceOf(IncidentAction.Open.class);
    }

    @Test
    void consecutiveFailureThreshold_opensOnTheNthFailureOnly() {
        job.rules(IncidentRules.defaults().withOpenAfterConsecutiveFailures(3));
        assertThat(job.fail(HOUR).reason()).isEqualTo("1 of 3 consecutive failures needed to open an incident");
        assertThat(job.fail(HOUR).noOp()).isTrue();
        IncidentDecision third = job.fail(HOUR);
        assertThat(third.action()).isInstanceOf(IncidentAction.Open.class);
        assertThat(((IncidentAction.Open) third.action()).description()).contains("Opened by Jobwatch: 3 consecutive failures.");
        assertThat(record().consecutiveFailures()).isEqualTo(3);
    }

    @Test
    void consecutiveFailureThreshold_restartsAfterASuccess() {
        job.rules(IncidentRules.defaults().withOpenAfterConsecutiveFailures(2));
        job.fail(HOUR);
        job.succeed(HOUR);
        assertThat(job.fail(HOUR).noOp()).isTrue();
        assertThat(job.fail(HOUR).action()).isInstanceOf(IncidentAction.Open.class);
    }

    @Test
    void failureRate_opensOnlyWhenOverThePercentageOfTheLastRuns() {
        job.rules(IncidentRules.defaults().withFailureRate(new IncidentRules.FailureRate(50, 4)));
        job.succeed(HOUR);
        job.succeed(HOUR);
        job.succeed(HOUR);
        assertThat(job.fail(HOUR).reason()).isEqualTo("1 of the last 4 runs failed: not over the 50% threshold");
        job.succeed(HOUR);
        assertThat(job.fail(HOUR).reason()).isEqualTo("2 of the last 4 runs failed: not over the 50% threshold");
        IncidentDecision d = job.fail(HOUR); // newest 4: F F S F
        assertThat(d.action()).isInstanceOf(IncidentAction.Open.class);
        assertThat(d.reason()).isEqualTo("open: 3 of the last 4 runs failed (over 50%)");
    }

    @Test
    void failureRate_countsRunsNotSeenYetAsNotFailed_soAYoungJobDoesNotPageOnItsFirstBlip() {
        job.rules(IncidentRules.defaults().withFailureRate(new IncidentRules.FailureRate(30, 10)));
        job.succeed(HOUR);
        assertThat(job.fail(HOUR).reason()).isEqualTo("1 of the last 10 runs failed: not over the 30% threshold");
        job.fail(HOUR);
        job.fail(HOUR);
        assertThat(job.fail(HOUR).action()).isInstanceOf(IncidentAction.Open.class);
    }

    @Test
    void incidentsOff_isANoOp_butAnOpenIncidentStillResolves() {
        job.fail(HOUR);
        job.rules(IncidentRules.defaults().withEnabled(false));
        assertThat(job.fail(HOUR).reason()).isEqualTo("incidents are off for this job: no work note");
        assertThat(job.succeed(HOUR).action()).isInstanceOf(IncidentAction.Resolve.class);
        assertThat(job.fail(Duration.ofDays(1)).reason()).isEqualTo("incidents are off for this job");
    }

    @Test
    void jobBelowCriticalityThreshold_isANoOp() {
        job.rules(IncidentRules.defaults().withCriticality(Criticality.NORMAL, Criticality.HIGH));
        assertThat(job.fail(HOUR).reason()).isEqualTo("criticality NORMAL is below the incident threshold HIGH");
        assertThat(outbox.pending()).isEmpty();
        assertThat(store.find(LEDGER, ProblemKind.FAILURE)).isEmpty();
    }

    @Test
    void maintenanceWindow_suppressesOpenAndNotes_butNotResolve() {
        job.maintenance(true);
        assertThat(job.fail(HOUR).reason()).isEqualTo("in a maintenance window");
        job.maintenance(false);
        job.fail(HOUR);
        job.maintenance(true);
        assertThat(job.fail(HOUR).reason()).isEqualTo("in a maintenance window: no work note");
        assertThat(record().consecutiveFailures()).isEqualTo(3);
        assertThat(job.succeed(HOUR).action()).isInstanceOf(IncidentAction.Resolve.class);
    }

    @Test
    void stoppedRun_changesNothing() {
        job.fail(HOUR);
        IncidentRecord before = record();
        assertThat(job.run(RunState.STOPPED, HOUR, null).reason()).isEqualTo("run stopped on purpose: no change");
        assertThat(record()).isEqualTo(before);
    }

    @Test
    void replayedRun_isNotDecidedTwice() {
        IncidentPolicy policy = new IncidentPolicy(clock);
        Transition t = Transition.ofRun(LEDGER, Health.HEALTHY, "jr_9", RunState.FAILED, null, "boom", T0);
        IncidentDecision first = policy.decide(t, IncidentRules.defaults(), JobHistory.unknown(), Optional.empty(), false);
        IncidentDecision again = policy.decide(t, IncidentRules.defaults(), JobHistory.unknown(), Optional.of(first.record()), false);
        assertThat(again.noOp()).isTrue();
        assertThat(again.record()).isNull();
        assertThat(again.reason()).isEqualTo("run jr_9 was already decided");
    }

    @Test
    void timedOutRun_saysTimedOutInTheTitle() {
        IncidentDecision d = job.run(RunState.TIMED_OUT, HOUR, "Job run timed out");
        assertThat(((IncidentAction.Open) d.action()).title()).isEqualTo("Glue job fin-ledger-load TIMED OUT");
    }

    @Test
    void urgencyAndImpact_followCriticality_unlessSetExplicitly() {
        IncidentPolicy policy = new IncidentPolicy(clock);
        Transition t = Transition.ofRun(LEDGER, Health.HEALTHY, "jr_1", RunState.FAILED, null, null, T0);
        IncidentRules critical = IncidentRules.defaults().withCriticality(Criticality.CRITICAL, Criticality.LOW);
        IncidentAction.Open a = (IncidentAction.Open) policy.decide(t, critical, JobHistory.unknown(), Optional.empty(), false).action();
        assertThat(a.urgency()).isEqualTo(1);
        assertThat(a.impact()).isEqualTo(1);
        IncidentAction.Open b = (IncidentAction.Open) policy.decide(t, critical.withUrgencyImpact(3, 2),
                JobHistory.unknown(), Optional.empty(), false).action();
        assertThat(b.urgency()).isEqualTo(3);
        assertThat(b.impact()).isEqualTo(2);
        IncidentAction.Open c = (IncidentAction.Open) policy.decide(t, IncidentRules.defaults(), JobHistory.unknown(), Optional.empty(), false).action();
        assertThat(c.urgency()).isEqualTo(2);
        assertThat(c.impact()).isEqualTo(2);
    }

    @Test
    void slaBreach_opensItsOwnIncident_andResolvesOnFirstRecovery() {
        IncidentPolicy policy = new IncidentPolicy(clock);
        IncidentRules rules = IncidentRules.defaults().withOpenAfterConsecutiveFailures(3).withResolveAfterConsecutiveSuccesses(3);
        Transition late = new Transition(LEDGER, ProblemKind.LATE, Health.HEALTHY, Health.FAILING, null, null, null,
                "expected to finish by 06:00 UTC", T0);
        IncidentDecision open = policy.decide(late, rules, JobHistory.unknown(), Optional.empty(), false);
        IncidentAction.Open a = (IncidentAction.Open) open.action();
        assertThat(a.title()).isEqualTo("Glue job fin-ledger-load LATE");
        assertThat(a.correlationId()).isEqualTo("glue-job:234567890123:eu-west-1:fin-ledger-load:LATE");
        assertThat(a.description()).contains("Detail: expected to finish by 06:00 UTC", "Detected at: 2026-03-02T01:00:00Z");
        Transition back = new Transition(LEDGER, ProblemKind.LATE, Health.FAILING, Health.HEALTHY, "jr_5", RunState.SUCCEEDED,
                null, null, T0.plus(HOUR));
        IncidentDecision resolve = policy.decide(back, rules, JobHistory.unknown(), Optional.of(open.record()), false);
        assertThat(((IncidentAction.Resolve) resolve.action()).closeNotes())
                .isEqualTo("Auto-resolved: fin-ledger-load is no longer LATE (2026-03-02T02:00:00Z).");
    }

    @Test
    void longJobName_keepsTheTitleWithin160Characters_andKeepsTheHeadline() {
        JobKey longJob = new JobKey("234567890123", "eu-west-1", JobSource.GLUE_JOB, "x".repeat(300));
        IncidentPolicy policy = new IncidentPolicy(clock);
        Transition t = Transition.ofRun(longJob, Health.HEALTHY, "jr_1", RunState.FAILED, null, null, T0);
        IncidentAction.Open a = (IncidentAction.Open) policy.decide(t, IncidentRules.defaults().withSystem("FinData"),
                JobHistory.unknown(), Optional.empty(), false).action();
        assertThat(a.title()).hasSize(160).startsWith("[FinData] Glue job xxx").endsWith("x… FAILED");
    }

    @Test
    void recordOfAnotherJob_isRejected() {
        IncidentPolicy policy = new IncidentPolicy(clock);
        Transition t = Transition.ofRun(LEDGER, Health.HEALTHY, "jr_1", RunState.FAILED, null, null, T0);
        IncidentRecord other = IncidentFixtures.openRecord(IncidentFixtures.ORDERS, T0);
        assertThatThrownBy(() -> policy.decide(t, IncidentRules.defaults(), JobHistory.unknown(), Optional.of(other), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("erp-orders-nightly-etl");
    }

    @Test
    void rules_rejectNonsenseWithClearMessages() {
        assertThatThrownBy(() -> IncidentRules.defaults().withOpenAfterConsecutiveFailures(0))
                .hasMessage("openAfterConsecutiveFailures must be at least 1, got 0");
        assertThatThrownBy(() -> IncidentRules.defaults().withUrgencyImpact(4, 1))
                .hasMessage("urgency must be 1 (high), 2 (medium) or 3 (low), got 4");
        assertThatThrownBy(() -> new IncidentRules.FailureRate(120, 10)).hasMessage("failure rate percent must be 0..100, got 120");
    }
}
