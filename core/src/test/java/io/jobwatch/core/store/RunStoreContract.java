package io.jobwatch.core.store;

import static io.jobwatch.core.store.StoreFixtures.CRAWLER;
import static io.jobwatch.core.store.StoreFixtures.GLUE;
import static io.jobwatch.core.store.StoreFixtures.SFN;
import static io.jobwatch.core.store.StoreFixtures.T0;
import static io.jobwatch.core.store.StoreFixtures.attempt;
import static io.jobwatch.core.store.StoreFixtures.crawlEnded;
import static io.jobwatch.core.store.StoreFixtures.crawlStarted;
import static io.jobwatch.core.store.StoreFixtures.event;
import static io.jobwatch.core.store.StoreFixtures.finished;
import static io.jobwatch.core.store.StoreFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.testing.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RunStore contract: every adapter extends this class and passes all of it. Shipped in core's test-jar.
 * Subclasses create a fresh, empty store per call of {@link #createStore}.
 */
public abstract class RunStoreContract {
    protected static final Duration RETENTION = Duration.ofDays(7);

    protected TestClock clock;
    protected RunStore store;

    /** A new, empty store on the given clock and retention. */
    protected abstract RunStore createStore(Clock clock, Duration retention);

    @BeforeEach
    void openStore() {
        clock = new TestClock(Instant.parse("2026-03-03T12:00:00Z"));
        store = createStore(clock, RETENTION);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private static RunKey key(JobKey job, String runId) {
        return new RunKey(job, runId);
    }

    // ---- apply: outcomes -----------------------------------------------------------------------------------------

    @Test
    void apply_createsRun_thenAdvancesToTerminal() {
        ApplyResult created = store.apply(running("e1", GLUE, "jr_1", T0));
        assertThat(created.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(created.previousState()).isNull();
        assertThat(created.run().state()).isEqualTo(RunState.RUNNING);
        assertThat(created.run().firstSeen()).isEqualTo(clock.instant());

        clock.advance(Duration.ofMinutes(5));
        ApplyResult done = store.apply(finished("e2", GLUE, "jr_1", RunState.FAILED, T0, T0.plusSeconds(300)));
        assertThat(done.outcome()).isEqualTo(Outcome.ADVANCED);
        assertThat(done.previousState()).isEqualTo(RunState.RUNNING);
        assertThat(done.becameTerminal()).isTrue();
        Run run = store.get(key(GLUE, "jr_1")).orElseThrow();
        assertThat(run).isEqualTo(done.run());
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.startedAt()).isEqualTo(T0);
        assertThat(run.endedAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(run.error()).isEqualTo("boom in jr_1");
        assertThat(run.eventCount()).isEqualTo(2);
        assertThat(run.duration()).contains(Duration.ofMinutes(5));
        assertThat(run.lastUpdated()).isEqualTo(clock.instant());
        assertThat(run.expiresAt()).isEqualTo(clock.instant().plus(RETENTION));
    }

    @Test
    void apply_isDuplicateAndChangesNothing_whenSameEventIdArrivesAgain() {
        store.apply(running("e1", GLUE, "jr_1", T0));
        Run before = store.get(key(GLUE, "jr_1")).orElseThrow();
        clock.advance(Duration.ofHours(1));
        ApplyResult again = store.apply(running("e1", GLUE, "jr_1", T0));
        assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(again.run()).isEqualTo(before);
        assertThat(store.get(key(GLUE, "jr_1"))).contains(before);
    }

    @Test
    void apply_keepsFailed_whenLateRunningEventArrives() {
        store.apply(finished("e2", GLUE, "jr_1", RunState.FAILED, null, T0.plusSeconds(300)));
        ApplyResult late = store.apply(running("e1", GLUE, "jr_1", T0));
        assertThat(late.outcome()).isEqualTo(Outcome.STALE);
        assertThat(late.previousState()).isEqualTo(RunState.FAILED);
        Run run = store.get(key(GLUE, "jr_1")).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.startedAt()).as("the late event's start is still known").isEqualTo(T0);
        assertThat(run.endedAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(run.eventCount()).isEqualTo(2);
    }

    @Test
    void apply_keepsRunning_whenLatePendingEventArrives() {
        store.apply(running("e2", GLUE, "jr_1", T0.plusSeconds(10)));
        ApplyResult late = store.apply(event("e1", GLUE, "jr_1", RunState.PENDING, T0, T0, null, null));
        assertThat(late.outcome()).isEqualTo(Outcome.STALE);
        assertThat(late.run().state()).isEqualTo(RunState.RUNNING);
        assertThat(late.run().startedAt()).isEqualTo(T0);
    }

    @Test
    void apply_recordsConflictingTerminalStateAsNote_withoutFlipping() {
        store.apply(finished("e1", SFN, "exec-1", RunState.SUCCEEDED, T0, T0.plusSeconds(60)));
        ApplyResult second = store.apply(finished("e2", SFN, "exec-1", RunState.FAILED, T0, T0.plusSeconds(70)));
        assertThat(second.outcome()).isEqualTo(Outcome.STALE);
        Run run = store.get(key(SFN, "exec-1")).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.endedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(run.notes()).singleElement().asString().contains("FAILED").contains("e2").contains("kept SUCCEEDED");
    }

    @Test
    void apply_keepsEarliestStartAndTerminalEnd_whateverTheArrivalOrder() {
        List<RunEvent> events = List.of(
                event("p", GLUE, "jr_9", RunState.PENDING, T0, null, null, null),
                event("r", GLUE, "jr_9", RunState.RUNNING, T0.plusSeconds(5), T0.plusSeconds(3), null, null),
                // The terminal event carries a later "start" (some services report when the work began): the earliest wins.
                event("s", GLUE, "jr_9", RunState.SUCCEEDED, T0.plusSeconds(99), T0.plusSeconds(7), T0.plusSeconds(98), null));
        Run reference = null;
        for (List<RunEvent> order : List.of(events, reversed(events), List.of(events.get(2), events.get(0), events.get(1)))) {
            try (RunStore s = createStore(clock, RETENTION)) {
                s.applyAll(order);
                Run run = s.get(key(GLUE, "jr_9")).orElseThrow();
                assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
                assertThat(run.startedAt()).isEqualTo(T0.plusSeconds(3));
                assertThat(run.endedAt()).isEqualTo(T0.plusSeconds(98));
                assertThat(run.lastEventTime()).isEqualTo(T0.plusSeconds(99));
                if (reference == null) {
                    reference = run;
                }
                assertThat(run).isEqualTo(reference);
            }
        }
    }

    // ---- attempts (redrives, retries), warnings, the service's job name ----------------------------------------

    @Test
    void apply_laterAttempt_takesAFinishedRunBackToRunning_andItsEndDecides() {
        store.apply(running("r1", SFN, "exec-1", T0));
        store.apply(finished("f1", SFN, "exec-1", RunState.FAILED, T0, T0.plusSeconds(60)));
        // The redrive's RUNNING event: the execution keeps its start; the event is sent when the redrive begins.
        ApplyResult redriven = store.apply(attempt(event("r2", SFN, "exec-1", RunState.RUNNING, T0.plusSeconds(120), T0,
                null, null), 2));
        assertThat(redriven.outcome()).isEqualTo(Outcome.ADVANCED);
        assertThat(redriven.previousState()).isEqualTo(RunState.FAILED);
        Run running = store.get(key(SFN, "exec-1")).orElseThrow();
        assertThat(running.state()).isEqualTo(RunState.RUNNING);
        assertThat(running.attempt()).isEqualTo(2);
        assertThat(running.endedAt()).isNull();
        assertThat(running.error()).isNull();
        assertThat(running.notes()).singleElement().asString()
                .startsWith("attempt 1 ended FAILED at " + T0.plusSeconds(60)).contains("boom in exec-1");
        assertThat(store.openRuns()).extracting(Run::runId).containsExactly("exec-1");

        store.apply(attempt(finished("s2", SFN, "exec-1", RunState.SUCCEEDED, T0, T0.plusSeconds(900)), 2));
        Run done = store.get(key(SFN, "exec-1")).orElseThrow();
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.startedAt()).isEqualTo(T0);
        assertThat(done.endedAt()).isEqualTo(T0.plusSeconds(900));
        assertThat(done.eventCount()).isEqualTo(4);
        assertThat(store.openRuns()).isEmpty();
        JobSummary s = store.summary(SFN).orElseThrow();
        assertThat(s.latestState()).isEqualTo(RunState.SUCCEEDED);
        assertThat(s.latestAttempt()).isEqualTo(2);
        assertThat(s.consecutiveFailures()).as("the redrive recovered the run").isZero();
        assertThat(s.lastSuccessAt()).isEqualTo(T0.plusSeconds(900));
        assertThat(s.lastFailureAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(s.runCount()).as("one run, however many attempts").isEqualTo(1);
        assertThat(s.recentRuns()).singleElement().extracting(RecentRun::attempt).isEqualTo(2);
    }

    @Test
    void apply_earlierAttemptsEvents_areStale_andTheirEndingIsTheSameNote_inAnyArrivalOrder() {
        List<RunEvent> events = List.of(
                running("r1", SFN, "exec-2", T0),
                finished("f1", SFN, "exec-2", RunState.FAILED, T0, T0.plusSeconds(60)),
                attempt(event("r2", SFN, "exec-2", RunState.RUNNING, T0.plusSeconds(120), T0, null, null), 2),
                attempt(finished("f2", SFN, "exec-2", RunState.FAILED, T0, T0.plusSeconds(300)), 2),
                attempt(event("r3", SFN, "exec-2", RunState.RUNNING, T0.plusSeconds(420), T0, null, null), 3),
                attempt(finished("s3", SFN, "exec-2", RunState.SUCCEEDED, T0, T0.plusSeconds(600)), 3));
        Run reference = null;
        for (List<RunEvent> order : List.of(events, reversed(events), List.of(events.get(5), events.get(1),
                events.get(3), events.get(0), events.get(4), events.get(2)))) {
            try (RunStore s = createStore(clock, RETENTION)) {
                for (RunEvent e : order) {
                    s.apply(e);
                }
                s.apply(events.get(1)); // a duplicate of an earlier attempt's end changes nothing
                Run run = s.get(key(SFN, "exec-2")).orElseThrow();
                assertThat(run.state()).as(order.toString()).isEqualTo(RunState.SUCCEEDED);
                assertThat(run.attempt()).isEqualTo(3);
                assertThat(run.endedAt()).isEqualTo(T0.plusSeconds(600));
                assertThat(run.error()).isNull();
                assertThat(run.eventCount()).isEqualTo(6);
                assertThat(run.notes()).containsExactlyInAnyOrder(
                        "attempt 1 ended FAILED at " + T0.plusSeconds(60) + ": boom in exec-2",
                        "attempt 2 ended FAILED at " + T0.plusSeconds(300) + ": boom in exec-2");
                if (reference == null) {
                    reference = run;
                }
                assertThat(run.state()).isEqualTo(reference.state());
                JobSummary summary = s.summary(SFN).orElseThrow();
                assertThat(summary.latestState()).isEqualTo(RunState.SUCCEEDED);
                assertThat(summary.runCount()).as("one run in " + order).isEqualTo(1);
                assertThat(summary.consecutiveFailures()).isZero();
                assertThat(s.openRuns()).isEmpty();
            }
        }
    }

    @Test
    void apply_anEarlierAttemptsEndingAfterTheLaterAttemptBegan_countsTheRunOnce_likeInOrder() {
        RunEvent failed = finished("f1", GLUE, "jr_o", RunState.FAILED, T0, T0.plusSeconds(60));
        RunEvent retry = attempt(running("r2", GLUE, "jr_o", T0.plusSeconds(120)), 2);
        RunEvent failedAgain = attempt(finished("f2", GLUE, "jr_o", RunState.FAILED, T0.plusSeconds(120),
                T0.plusSeconds(300)), 2);
        for (List<RunEvent> order : List.of(List.of(failed, retry, failedAgain), List.of(retry, failed, failedAgain),
                List.of(retry, failedAgain, failed), List.of(failedAgain, retry, failed))) {
            try (RunStore s = createStore(clock, RETENTION)) {
                order.forEach(s::apply);
                JobSummary summary = s.summary(GLUE).orElseThrow();
                assertThat(summary.runCount()).as("one run in " + order).isEqualTo(1);
                assertThat(summary.consecutiveFailures()).as("one failure step in " + order).isEqualTo(1);
                assertThat(summary.latestAttempt()).isEqualTo(2);
                assertThat(summary.lastFailureAt()).isEqualTo(T0.plusSeconds(300));
            }
        }
    }

    @Test
    void apply_aRepeatedEndOfARunDisplacedFromItsSlot_countsNothing_evenAfterTheNewerRunMovedAway() {
        // jr_a (end 01:30, start unknown) and a newer run 16 hours later share a summary slot; the newer one takes
        // it, then learns an earlier start and moves to another slot. jr_a's end delivered again counts nothing.
        Instant endA = T0.plusSeconds(1800);
        Instant endB = endA.plus(Duration.ofHours(16));
        int slot = JobSummaryState.slotOf("jr_a", endA);
        String newer = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "jr_n" + i)
                .filter(id -> JobSummaryState.slotOf(id, endB) == slot).findFirst().orElseThrow();
        RunEvent endOfA = finished("a1", GLUE, "jr_a", RunState.SUCCEEDED, null, endA);
        store.apply(endOfA);
        store.apply(finished("n1", GLUE, newer, RunState.SUCCEEDED, null, endB));
        store.apply(running("n0", GLUE, newer, endB.minus(Duration.ofMinutes(80))));
        store.apply(endOfA);
        JobSummary s = store.summary(GLUE).orElseThrow();
        assertThat(s.runCount()).as("two runs").isEqualTo(2);
        assertThat(s.recentRuns()).extracting(RecentRun::runId).contains(newer);
    }

    @Test
    void apply_aLateStartThatMovesAFinishedRunIntoANewerRunsSlot_dropsItFromTheSlots_likeInOrder() {
        // jr_a starts at T0 and ends 3 hours later; a newer run of the same job starts in jr_a's start hour and lands
        // in jr_a's start slot (same ring). In order, the newer run takes that slot from jr_a. Told late (its end
        // first, slotted by the end; then its start), jr_a must leave its end's slot and not take the newer run's:
        // the summary is the same in both orders (found by the bench: DynamoDB kept jr_a in its end's slot).
        Instant endA = T0.plus(Duration.ofHours(3));
        int slot = JobSummaryState.slotOf("jr_a", T0);
        String newer = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "jr_n" + i)
                .filter(id -> JobSummaryState.slotOf(id, T0.plusSeconds(1800)) == slot).findFirst().orElseThrow();
        // In order, on SFN: jr_a's start, its end, then the newer run.
        store.apply(running("o0", SFN, "jr_a", T0));
        store.apply(finished("o1", SFN, "jr_a", RunState.SUCCEEDED, T0, endA));
        store.apply(finished("o2", SFN, newer, RunState.SUCCEEDED, T0.plusSeconds(1800), T0.plusSeconds(2400)));
        // Told late, on GLUE: jr_a's end (no start), the newer run, then jr_a's start.
        store.apply(finished("l1", GLUE, "jr_a", RunState.SUCCEEDED, null, endA));
        store.apply(finished("l2", GLUE, newer, RunState.SUCCEEDED, T0.plusSeconds(1800), T0.plusSeconds(2400)));
        store.apply(running("l0", GLUE, "jr_a", T0));
        JobSummary inOrder = store.summary(SFN).orElseThrow();
        JobSummary late = store.summary(GLUE).orElseThrow();
        assertThat(inOrder.recentRuns()).extracting(RecentRun::runId).as("in order").containsExactly(newer);
        assertThat(late.recentRuns()).extracting(RecentRun::runId).as("told late").containsExactly(newer);
        assertThat(late.runCount()).isEqualTo(inOrder.runCount()).isEqualTo(2);
    }

    @Test
    void apply_aRetryWhoseSlotANewerRunTook_isStillOneRun() {
        // Run jr_a's first attempt fails; a newer run of the same hour lands in jr_a's slot (same ring) and takes it;
        // then jr_a's retry succeeds. The summary no longer holds jr_a, but the run was counted once already.
        int slot = JobSummaryState.slotOf("jr_a", T0);
        String newer = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "jr_n" + i)
                .filter(id -> JobSummaryState.slotOf(id, T0.plusSeconds(1800)) == slot).findFirst().orElseThrow();
        store.apply(finished("f1", GLUE, "jr_a", RunState.FAILED, T0, T0.plusSeconds(60)));
        store.apply(finished("n1", GLUE, newer, RunState.SUCCEEDED, T0.plusSeconds(1800), T0.plusSeconds(1900)));
        assertThat(store.summary(GLUE).orElseThrow().recentRuns()).extracting(RecentRun::runId)
                .as("the newer run took the slot").containsExactly(newer);
        store.apply(attempt(finished("s2", GLUE, "jr_a", RunState.SUCCEEDED, T0.plusSeconds(120),
                T0.plusSeconds(2400)), 2));
        JobSummary s = store.summary(GLUE).orElseThrow();
        assertThat(s.runCount()).as("two runs, one of them retried").isEqualTo(2);
        assertThat(s.consecutiveFailures()).isZero();
        assertThat(s.lastSuccessAt()).isEqualTo(T0.plusSeconds(2400));
    }

    @Test
    void apply_aRetryThatFailsAgain_isOneRunAndOneStepOfTheFailureStreak() {
        store.apply(finished("f1", GLUE, "jr_r", RunState.FAILED, null, T0.plusSeconds(60)));
        store.apply(attempt(finished("f2", GLUE, "jr_r", RunState.FAILED, null, T0.plusSeconds(3700)), 2));
        JobSummary s = store.summary(GLUE).orElseThrow();
        assertThat(s.consecutiveFailures()).isEqualTo(1);
        assertThat(s.runCount()).isEqualTo(1);
        assertThat(s.latestAttempt()).isEqualTo(2);
        assertThat(s.latestEndedAt()).isEqualTo(T0.plusSeconds(3700));
        assertThat(s.recentRuns()).as("the run moved to its new end's slot, once").hasSize(1);
        assertThat(store.get(key(GLUE, "jr_r")).orElseThrow().endedAt()).isEqualTo(T0.plusSeconds(3700));
    }

    @Test
    void apply_keepsTheWarningOfASuccess_andTheServicesJobName() {
        RunEvent ok = new RunEvent("w1", GLUE, "jr_w", RunState.SUCCEEDED, "SUCCEEDED", T0.plusSeconds(60), T0,
                T0.plusSeconds(60), null, 1, "12 of 63000 records failed", "erp-orders-load-1760707292", null);
        store.apply(running("w0", GLUE, "jr_w", T0));
        store.apply(ok);
        Run run = store.get(key(GLUE, "jr_w")).orElseThrow();
        assertThat(run.warning()).isEqualTo("12 of 63000 records failed");
        assertThat(run.rawJobName()).isEqualTo("erp-orders-load-1760707292");
        assertThat(run.serviceJobName()).isEqualTo("erp-orders-load-1760707292");
        JobSummary s = store.summary(GLUE).orElseThrow();
        assertThat(s.latestWarning()).isEqualTo("12 of 63000 records failed");
        assertThat(s.recentRuns()).singleElement().extracting(RecentRun::warning)
                .isEqualTo("12 of 63000 records failed");
        assertThat(store.briefPerJob()).singleElement().satisfies(b -> assertThat(b.summary().recentRuns())
                .singleElement().extracting(RecentRun::warning).isEqualTo("12 of 63000 records failed"));
    }

    @Test
    void apply_keepsTheServicesLateSignal_ofTheCurrentAttempt() {
        RunEvent late = new RunEvent("n1", GLUE, "jr_n", RunState.RUNNING, "RUNNING", T0.plusSeconds(1800), T0, null,
                null, 1, null, null, Duration.ofMinutes(30));
        store.apply(running("n0", GLUE, "jr_n", T0));
        ApplyResult r = store.apply(late);
        assertThat(r.outcome()).isEqualTo(Outcome.ADVANCED);
        assertThat(store.openRuns()).singleElement().extracting(Run::notifyDelay).isEqualTo(Duration.ofMinutes(30));
        store.apply(attempt(running("n2", GLUE, "jr_n", T0.plusSeconds(2000)), 2));
        assertThat(store.get(key(GLUE, "jr_n")).orElseThrow().notifyDelay()).as("a new attempt starts on time")
                .isNull();
    }

    /** The real samples of one run's attempts, applied in every order: always the same run. */
    private void sameRunInEveryOrder(List<RunEvent> events, java.util.function.Consumer<Run> check) {
        List<List<RunEvent>> orders = new ArrayList<>();
        orders.add(events);
        orders.add(reversed(events));
        for (int seed = 1; seed <= 4; seed++) {
            List<RunEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, new Random(seed));
            orders.add(shuffled);
        }
        for (List<RunEvent> order : orders) {
            try (RunStore s = createStore(clock, RETENTION)) {
                for (RunEvent e : order) {
                    s.apply(e);
                }
                Run run = s.get(events.get(0).runKey()).orElseThrow();
                check.accept(run);
                assertThat(s.openRuns()).as(order.toString()).isEmpty();
                assertThat(s.summary(run.job()).orElseThrow().latestState()).isEqualTo(run.state());
            }
        }
    }

    @Test
    void stepFunctionsRedrive_fromRealSamples_isOneRunThatSucceededAtItsSecondAttempt() {
        sameRunInEveryOrder(List.of(
                io.jobwatch.core.testing.Fixtures.runEvent("step-functions/running-with-redrive-fields.json"),
                io.jobwatch.core.testing.Fixtures.runEvent("step-functions/failed-redrivable.json"),
                io.jobwatch.core.testing.Fixtures.runEvent("step-functions/redriven-running.json"),
                io.jobwatch.core.testing.Fixtures.runEvent("step-functions/succeeded-after-redrive.json")), run -> {
                    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
                    assertThat(run.attempt()).isEqualTo(2);
                    assertThat(run.error()).isNull();
                    assertThat(run.startedAt()).isEqualTo(Instant.parse("2026-03-21T02:00:00.123Z"));
                    assertThat(run.endedAt()).isEqualTo(Instant.parse("2026-03-21T03:20:10.456Z"));
                    assertThat(run.notes()).containsExactly("attempt 1 ended FAILED at 2026-03-21T02:09:55.881Z: "
                            + "States.TaskFailed: Glue job orders-curated failed: Command failed with exit code 1");
                });
    }

    @Test
    void glueRetry_fromRealSamples_isOneRunThatSucceededAtItsSecondAttempt() {
        sameRunInEveryOrder(List.of(io.jobwatch.core.testing.Fixtures.runEvent("glue-job/failed.json"),
                io.jobwatch.core.testing.Fixtures.runEvent("glue-job/retry-succeeded.json")), run -> {
                    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
                    assertThat(run.attempt()).isEqualTo(2);
                    assertThat(run.endedAt()).isEqualTo(Instant.parse("2026-03-02T02:52:10Z"));
                });
    }

    @Test
    void emrServerlessRetry_fromRealSamples_isOneRun_whoseStateChangesBelongToTheCurrentAttempt() {
        sameRunInEveryOrder(List.of(
                io.jobwatch.core.testing.Fixtures.runEvent("emr-serverless/running-before-retry.json"),
                io.jobwatch.core.testing.Fixtures.runEvent("emr-serverless/job-run-retry.json"),
                io.jobwatch.core.testing.Fixtures.runEvent("emr-serverless/success-after-retry.json")), run -> {
                    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
                    assertThat(run.attempt()).isEqualTo(2);
                    assertThat(run.endedAt()).isEqualTo(Instant.parse("2026-03-23T21:12:09.558120Z"));
                });
    }

    @Test
    void crawlerEnds_thatTellTheirStart_neverEndAnotherCrawl_soTwoEndsInFlightAreTwoCrawls() {
        RunEvent started = io.jobwatch.core.testing.Fixtures.runEvent("glue-crawler/started.json");
        RunEvent firstEnd = io.jobwatch.core.testing.Fixtures.runEvent("glue-crawler/succeeded.json");
        // The same crawler an hour later: the sample's values moved by an hour (a second crawl whose Started is lost).
        var later = io.jobwatch.core.testing.Fixtures.event("glue-crawler/succeeded.json");
        later.put("id", "5d6e7f80-91a2-4b3c-9d4e-5f6a7b8c9d0e").put("time", "2026-03-02T02:03:51Z");
        ((com.fasterxml.jackson.databind.node.ObjectNode) later.get("detail")).put("completionDate", "2026-03-02T02:03:51Z");
        RunEvent secondEnd = ((io.jobwatch.core.normalize.Normalization.Normalized)
                new io.jobwatch.core.normalize.EventNormalizer().normalize(later)).event();
        for (List<RunEvent> order : List.of(List.of(started, secondEnd, firstEnd), List.of(secondEnd, firstEnd, started),
                List.of(firstEnd, secondEnd, started), List.of(started, firstEnd, secondEnd))) {
            try (RunStore s = createStore(clock, RETENTION)) {
                s.applyAll(order);
                List<Run> runs = s.runsOfJob(started.job(), 10);
                assertThat(runs).as(order.toString()).extracting(r -> r.state() + " " + r.startedAt() + " " + r.endedAt())
                        .containsExactly("SUCCEEDED 2026-03-02T02:00:04Z 2026-03-02T02:03:51Z",
                                "SUCCEEDED 2026-03-02T01:00:04Z 2026-03-02T01:03:51Z");
                assertThat(runs.get(1).runId()).as("the crawl its Started named").isEqualTo(started.runId());
                assertThat(s.openRuns()).isEmpty();
            }
        }
    }

    @Test
    void applyAll_returnsOneResultPerEventInOrder_andSeesDuplicatesWithinTheBatch() {
        RunEvent r = running("e1", GLUE, "jr_1", T0);
        RunEvent f = finished("e2", GLUE, "jr_1", RunState.SUCCEEDED, T0, T0.plusSeconds(9));
        List<ApplyResult> results = store.applyAll(List.of(r, r, f, f));
        assertThat(results).extracting(ApplyResult::outcome)
                .containsExactly(Outcome.CREATED, Outcome.DUPLICATE, Outcome.ADVANCED, Outcome.DUPLICATE);
        assertThat(results.get(3).run().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(store.applyAll(List.of())).isEmpty();
    }

    // ---- the shared fixtures in any order ------------------------------------------------------------------------

    @Test
    void sharedFixtures_inOrderReversedAndTripled_giveIdenticalRuns() {
        List<RunEvent> events = StoreFixtures.sharedEvents();
        Map<RunKey, Run> inOrder = finalRuns(events);
        assertThat(inOrder).as("every fixture lands in a run").isNotEmpty();
        assertThat(finalRuns(reversed(events))).isEqualTo(inOrder);
        List<RunEvent> tripled = new ArrayList<>();
        for (RunEvent e : events) {
            tripled.add(e);
            tripled.add(e);
            tripled.add(e);
        }
        assertThat(finalRuns(tripled)).isEqualTo(inOrder);
        // One crawl is one run: the Started and Succeeded fixtures of raw-orders-s3-crawler pair in both orders.
        assertThat(inOrder.keySet()).filteredOn(k -> k.job().jobName().equals("raw-orders-s3-crawler"))
                .singleElement().extracting(RunKey::runId).isEqualTo("raw-orders-s3-crawler@2026-03-02T01:00:04Z");
    }

    @Property(tries = 12)
    void sharedFixtures_shuffledAndDuplicated_giveIdenticalRuns(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        clock = new TestClock(Instant.parse("2026-03-03T12:00:00Z"));
        List<RunEvent> events = StoreFixtures.sharedEvents();
        Map<RunKey, Run> reference = finalRuns(events);
        Random rnd = new Random(seed);
        List<RunEvent> shuffled = new ArrayList<>(events);
        for (RunEvent e : events) {
            if (rnd.nextInt(3) == 0) {
                shuffled.add(e);
            }
        }
        Collections.shuffle(shuffled, rnd);
        assertThat(finalRuns(shuffled)).isEqualTo(reference);
    }

    /** Applies the events one by one into a fresh store and returns its runs (the clock does not move). */
    private Map<RunKey, Run> finalRuns(List<RunEvent> events) {
        try (RunStore s = createStore(clock, RETENTION)) {
            Set<RunKey> keys = new HashSet<>();
            for (RunEvent e : events) {
                keys.add(s.apply(e).run().key());
            }
            Map<RunKey, Run> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
            for (RunKey k : keys) {
                s.get(k).ifPresent(r -> out.put(k, r));
            }
            return out;
        }
    }

    // ---- concurrency ---------------------------------------------------------------------------------------------

    @Test
    void apply_fromFourThreads_givesTheSameRunsAsOneThread() throws Exception {
        // 500 events of a busy day: jobs of several sources, each run RUNNING then terminal, ~20% delivered twice,
        // some crawls, in a shuffled order (duplicates and reordering as delivery gives them).
        List<RunEvent> events = new ArrayList<>();
        Random random = new Random(7);
        JobSource[] sources = {JobSource.GLUE_JOB, JobSource.STEP_FUNCTIONS, JobSource.BATCH, JobSource.GLUE_CRAWLER};
        for (int i = 0; events.size() < 500; i++) {
            JobSource source = sources[i % sources.length];
            // Each crawl its own crawler: with the ends of two crawls of one crawler both in flight, which end is
            // whose cannot be told from events that carry no start (see crawler_endOfTheNextCrawl…).
            JobKey job = new JobKey("123456789012", "eu-west-1", source,
                    source == JobSource.GLUE_CRAWLER ? "crawler-" + i : "job-" + (i % 40));
            Instant start = T0.plusSeconds(600L * i);
            Instant end = start.plusSeconds(60 + random.nextInt(600));
            RunState endState = random.nextInt(10) == 0 ? RunState.FAILED : RunState.SUCCEEDED;
            List<RunEvent> run = source == JobSource.GLUE_CRAWLER
                    ? List.of(crawlStarted("c" + i + "s", job, start), crawlEnded("c" + i + "e", job, endState, end))
                    : List.of(running("e" + i + "r", job, "run-" + i, start),
                    finished("e" + i + "f", job, "run-" + i, endState, start, end));
            for (RunEvent e : run) {
                events.add(e);
                if (random.nextInt(5) == 0) {
                    events.add(e);
                }
            }
        }
        // Crawler events too: a crawl's Started and its end (which carries no run id) race on different threads, and
        // one crawl must still be one run.
        Collections.shuffle(events, random);
        List<List<RunEvent>> lanes = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < events.size(); i++) {
            lanes.get(i % 4).add(events.get(i));
        }
        EnumMap<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<ApplyResult>>> futures = new ArrayList<>();
            for (List<RunEvent> lane : lanes) {
                futures.add(pool.submit(() -> {
                    List<ApplyResult> out = new ArrayList<>();
                    for (RunEvent e : lane) {
                        out.add(store.apply(e));
                    }
                    return out;
                }));
            }
            for (Future<List<ApplyResult>> f : futures) {
                for (ApplyResult r : f.get(120, TimeUnit.SECONDS)) {
                    counts.merge(r.outcome(), 1, Integer::sum);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Map<RunKey, Run> sequential = finalRuns(events);
        Set<String> distinctIds = new HashSet<>();
        events.forEach(e -> distinctIds.add(e.eventId()));
        assertThat(counts.getOrDefault(Outcome.DUPLICATE, 0)).isEqualTo(events.size() - distinctIds.size());
        assertThat(counts.get(Outcome.CREATED)).isEqualTo(sequential.size());
        for (Map.Entry<RunKey, Run> e : sequential.entrySet()) {
            Run concurrent = store.get(e.getKey()).orElseThrow();
            Run expected = e.getValue();
            assertThat(concurrent.state()).as(e.getKey().toString()).isEqualTo(expected.state());
            assertThat(concurrent.startedAt()).as(e.getKey().toString()).isEqualTo(expected.startedAt());
            assertThat(concurrent.endedAt()).as(e.getKey().toString()).isEqualTo(expected.endedAt());
            assertThat(concurrent.eventCount()).as(e.getKey().toString()).isEqualTo(expected.eventCount());
            assertThat(concurrent.error()).as(e.getKey().toString()).isEqualTo(expected.error());
        }
    }

    // ---- expiry --------------------------------------------------------------------------------------------------

    @Test
    void reads_neverReturnExpiredRuns_andExpiryCountsFromLastIngestNotEventTime() {
        Instant longAgo = clock.instant().minus(Duration.ofDays(30));
        store.apply(finished("old", GLUE, "jr_old", RunState.FAILED, longAgo, longAgo.plusSeconds(60)));
        assertThat(store.get(key(GLUE, "jr_old"))).as("a backfilled run is kept").isPresent();

        clock.advance(Duration.ofDays(3));
        store.apply(running("r2", GLUE, "jr_2", clock.instant()));
        clock.advance(RETENTION.minusDays(3).minusMillis(1));
        assertThat(store.get(key(GLUE, "jr_old"))).as("1 ms before expiry").isPresent();

        clock.advance(Duration.ofMillis(1));
        assertThat(store.get(key(GLUE, "jr_old"))).isEmpty();
        assertThat(store.runsOfJob(GLUE, 10)).extracting(Run::runId).containsExactly("jr_2");
        List<Run> window = new ArrayList<>();
        store.runsBetween(longAgo.minus(Duration.ofDays(1)), clock.instant().plus(Duration.ofDays(1)), window::add);
        assertThat(window).extracting(Run::runId).containsExactly("jr_2");
        assertThat(store.summary(GLUE)).as("summaries outlive their runs").isPresent();

        store.purgeExpired();
        assertThat(store.get(key(GLUE, "jr_old"))).isEmpty();
        assertThat(store.get(key(GLUE, "jr_2"))).isPresent();
        assertThat(store.summary(GLUE).orElseThrow().latestState()).isEqualTo(RunState.FAILED);
    }

    @Test
    void apply_startsAFreshRun_whenTheStoredOneHasExpired() {
        store.apply(running("e1", GLUE, "jr_1", T0));
        clock.advance(RETENTION);
        ApplyResult again = store.apply(finished("e2", GLUE, "jr_1", RunState.SUCCEEDED, T0, T0.plusSeconds(9)));
        assertThat(again.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(again.run().eventCount()).isEqualTo(1);
        assertThat(store.get(key(GLUE, "jr_1")).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    }

    // ---- Glue crawler pairing ------------------------------------------------------------------------------------

    @Test
    void crawlerTerminal_joinsTheOpenCrawl() {
        Instant s = T0;
        store.apply(crawlStarted("s1", CRAWLER, s));
        ApplyResult end = store.apply(crawlEnded("f1", CRAWLER, RunState.FAILED, s.plusSeconds(200)));
        assertThat(end.outcome()).isEqualTo(Outcome.ADVANCED);
        assertThat(end.run().runId()).isEqualTo("raw-crawler@" + s);
        assertThat(end.run().state()).isEqualTo(RunState.FAILED);
        assertThat(end.run().duration()).contains(Duration.ofSeconds(200));
        assertThat(store.runsOfJob(CRAWLER, 10)).hasSize(1);
        assertThat(store.apply(crawlEnded("f1", CRAWLER, RunState.FAILED, s.plusSeconds(200))).outcome())
                .isEqualTo(Outcome.DUPLICATE);
        assertThat(store.runsOfJob(CRAWLER, 10)).hasSize(1);
    }

    @Test
    void crawlerTerminal_becomesItsOwnRun_whenNoCrawlIsOpen_andALateStartedTakesItOver() {
        Instant s = T0;
        ApplyResult orphan = store.apply(crawlEnded("d1", CRAWLER, RunState.SUCCEEDED, s.plusSeconds(120)));
        assertThat(orphan.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(orphan.run().runId()).isEqualTo("raw-crawler@" + s.plusSeconds(120) + "~end");
        assertThat(store.summary(CRAWLER).orElseThrow().latestRun()).isEqualTo(orphan.run().key());

        ApplyResult started = store.apply(crawlStarted("s1", CRAWLER, s));
        assertThat(started.outcome()).isEqualTo(Outcome.STALE);
        assertThat(started.run().runId()).isEqualTo("raw-crawler@" + s);
        assertThat(started.run().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(started.run().duration()).contains(Duration.ofSeconds(120));
        assertThat(store.runsOfJob(CRAWLER, 10)).extracting(Run::runId).containsExactly("raw-crawler@" + s);
        assertThat(store.get(orphan.run().key())).isEmpty();
        JobSummary summary = store.summary(CRAWLER).orElseThrow();
        assertThat(summary.latestRun().runId()).isEqualTo("raw-crawler@" + s);
        assertThat(summary.recentRuns()).hasSize(1);
        assertThat(summary.recentDurations()).containsExactly(Duration.ofSeconds(120));
        assertThat(summary.runCount()).isEqualTo(1);
    }

    @Test
    void crawler_twoCrawlsInAnyArrivalOrder_areTwoRuns() {
        Instant s1 = T0;
        Instant s2 = T0.plus(Duration.ofHours(1));
        List<RunEvent> events = List.of(
                crawlStarted("s1", CRAWLER, s1), crawlEnded("e1", CRAWLER, RunState.SUCCEEDED, s1.plusSeconds(100)),
                crawlStarted("s2", CRAWLER, s2), crawlEnded("e2", CRAWLER, RunState.FAILED, s2.plusSeconds(50)));
        Map<RunKey, Run> reference = finalRuns(events);
        assertThat(reference.values()).extracting(Run::runId, Run::state).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("raw-crawler@" + s1, RunState.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("raw-crawler@" + s2, RunState.FAILED));
        int[][] orders = {{3, 2, 1, 0}, {1, 0, 3, 2}, {1, 3, 0, 2}, {3, 1, 2, 0}, {0, 2, 1, 3}, {2, 3, 0, 1}};
        for (int[] order : orders) {
            List<RunEvent> o = new ArrayList<>();
            for (int i : order) {
                o.add(events.get(i));
            }
            assertThat(finalRuns(o)).as("order %s", java.util.Arrays.toString(order)).isEqualTo(reference);
        }
    }

    /** A finished crawl as the reconciler reports it from ListCrawls: the Started's id, the API's millisecond end. */
    static RunEvent crawlListed(String id, Instant start, Instant end, RunState state) {
        return new RunEvent(id, CRAWLER, CRAWLER.jobName() + "@" + start, state,
                state == RunState.SUCCEEDED ? "COMPLETED" : "FAILED", end, start, end,
                state.failed() ? "Internal Service Exception" : null);
    }

    @Test
    void crawlerTerminal_joinsTheFinishedCrawlItRepeats_soAReconciledCrawlAndItsLateEventAreOneRun() {
        Instant s = T0;
        ApplyResult listed = store.apply(crawlListed("r1", s, s.plusMillis(227_400), RunState.SUCCEEDED));
        assertThat(listed.outcome()).isEqualTo(Outcome.CREATED);

        // The real terminal event (whole seconds) turns up later: it repeats that crawl's end.
        ApplyResult late = store.apply(crawlEnded("e1", CRAWLER, RunState.SUCCEEDED, s.plusSeconds(227)));
        assertThat(late.run().runId()).isEqualTo("raw-crawler@" + s);
        // ... and the late Started lands on it too.
        assertThat(store.apply(crawlStarted("s1", CRAWLER, s)).run().runId()).isEqualTo("raw-crawler@" + s);
        assertThat(store.runsOfJob(CRAWLER, 10)).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(r.startedAt()).isEqualTo(s);
        });
        assertThat(store.summary(CRAWLER).orElseThrow().runCount()).isEqualTo(1);

        // The next crawl's terminal event (its Started lost) is still a crawl of its own.
        ApplyResult next = store.apply(crawlEnded("e2", CRAWLER, RunState.FAILED, s.plus(Duration.ofHours(1))));
        assertThat(next.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(store.runsOfJob(CRAWLER, 10)).hasSize(2);
    }

    @Test
    void crawlListedWithItsId_takesOverTheOrphanOfItsEnd_butNotALaterCrawls() {
        Instant s = T0;
        ApplyResult orphan = store.apply(crawlEnded("e1", CRAWLER, RunState.SUCCEEDED, s.plusSeconds(120)));

        ApplyResult listed = store.apply(crawlListed("r1", s, s.plusMillis(119_600), RunState.SUCCEEDED));

        assertThat(listed.run().runId()).isEqualTo("raw-crawler@" + s);
        assertThat(listed.run().startedAt()).isEqualTo(s);
        assertThat(store.get(orphan.run().key())).isEmpty();
        assertThat(store.runsOfJob(CRAWLER, 10)).extracting(Run::runId).containsExactly("raw-crawler@" + s);
        assertThat(store.summary(CRAWLER).orElseThrow().runCount()).isEqualTo(1);

        // An earlier crawl, listed after the later crawl's orphan exists, is a run of its own.
        Instant later = s.plus(Duration.ofHours(2));
        ApplyResult laterOrphan = store.apply(crawlEnded("e2", CRAWLER, RunState.FAILED, later));
        Instant earlier = s.plus(Duration.ofHours(1));
        store.apply(crawlListed("r2", earlier, earlier.plusSeconds(60), RunState.SUCCEEDED));
        assertThat(store.runsOfJob(CRAWLER, 10)).extracting(Run::runId).containsExactlyInAnyOrder(
                "raw-crawler@" + s, "raw-crawler@" + earlier, laterOrphan.run().runId());
    }

    // ---- rejection -----------------------------------------------------------------------------------------------

    @Test
    void apply_rejectsMissingRunId_forSourcesThatAlwaysHaveOne() {
        RunEvent bad = event("bad1", GLUE, null, RunState.FAILED, T0, null, null, "x");
        assertThatThrownBy(() -> store.apply(bad)).isInstanceOf(InvalidRunEventException.class)
                .hasMessage("event bad1: runId: missing for a Glue job event; only the terminal events of Glue crawler,"
                        + " DMS replication task, Pinged job may omit it")
                .extracting(x -> ((InvalidRunEventException) x).field()).isEqualTo("runId");
    }

    @Test
    void apply_rejectsNonTerminalCrawlerEventWithoutRunId() {
        RunEvent bad = event("bad2", CRAWLER, null, RunState.RUNNING, T0, T0, null, null);
        assertThatThrownBy(() -> store.apply(bad)).isInstanceOf(InvalidRunEventException.class)
                .hasMessageContaining("event bad2: runId: missing on a non-terminal Glue crawler event (state RUNNING)");
    }

    @Test
    void apply_rejectsEndBeforeStart_andOverlongRunIds() {
        RunEvent backwards = event("bad3", GLUE, "jr_1", RunState.FAILED, T0, T0, T0.minusSeconds(1), null);
        assertThatThrownBy(() -> store.apply(backwards)).isInstanceOf(InvalidRunEventException.class)
                .hasMessageContaining("event bad3: endedAt: 2026-03-02T00:59:59Z is before startedAt 2026-03-02T01:00:00Z");
        RunEvent longId = running("bad4", GLUE, "x".repeat(1001), T0);
        assertThatThrownBy(() -> store.apply(longId)).isInstanceOf(InvalidRunEventException.class)
                .hasMessageContaining("event bad4: runId: is 1001 bytes of UTF-8; at most 1000");
    }

    @Test
    void applyAll_writesNothing_whenAnyEventIsInvalid() {
        List<RunEvent> batch = List.of(running("ok", GLUE, "jr_1", T0),
                event("bad", GLUE, null, RunState.FAILED, T0, null, null, null));
        assertThatThrownBy(() -> store.applyAll(batch)).isInstanceOf(InvalidRunEventException.class);
        assertThat(store.get(key(GLUE, "jr_1"))).isEmpty();
    }

    // ---- queries -------------------------------------------------------------------------------------------------

    @Test
    void runsOfJob_listsNewestFirst_upToTheLimit_andOnlyThatJob() {
        for (int i = 0; i < 5; i++) {
            store.apply(running("g" + i, GLUE, "jr_" + i, T0.plus(Duration.ofHours(i))));
        }
        store.apply(running("other", SFN, "exec-1", T0.plus(Duration.ofHours(9))));
        assertThat(store.runsOfJob(GLUE, 3)).extracting(Run::runId).containsExactly("jr_4", "jr_3", "jr_2");
        assertThat(store.runsOfJob(GLUE, 100)).hasSize(5);
        assertThat(store.runsOfJob(new JobKey("1", "r", JobSource.BATCH, "none"), 5)).isEmpty();
    }

    @Test
    void summary_tracksLatestRunFailuresAndRecentHistory() {
        Instant day = T0;
        store.apply(finished("a", GLUE, "jr_a", RunState.SUCCEEDED, day, day.plusSeconds(100)));
        store.apply(finished("b", GLUE, "jr_b", RunState.FAILED, day.plusSeconds(3600), day.plusSeconds(3700)));
        store.apply(running("c1", GLUE, "jr_c", day.plusSeconds(7200)));
        store.apply(finished("c2", GLUE, "jr_c", RunState.TIMED_OUT, day.plusSeconds(7200), day.plusSeconds(9000)));
        store.apply(finished("d", GLUE, "jr_d", RunState.STOPPED, day.plusSeconds(10800), day.plusSeconds(10810)));
        store.apply(running("e", GLUE, "jr_e", day.plusSeconds(14400)));
        store.apply(finished("s", SFN, "exec-1", RunState.SUCCEEDED, day, day.plusSeconds(30)));

        JobSummary g = store.summary(GLUE).orElseThrow();
        assertThat(g.latestRun()).isEqualTo(key(GLUE, "jr_d"));
        assertThat(g.latestState()).isEqualTo(RunState.STOPPED);
        assertThat(g.lastSuccessAt()).isEqualTo(day.plusSeconds(100));
        assertThat(g.lastFailureAt()).isEqualTo(day.plusSeconds(9000));
        assertThat(g.consecutiveFailures()).isEqualTo(2);
        assertThat(g.runCount()).isEqualTo(4);
        assertThat(g.recentDurations()).containsExactly(Duration.ofSeconds(100));
        assertThat(g.recentStarts()).containsExactly(day.plusSeconds(10800), day.plusSeconds(7200),
                day.plusSeconds(3600), day);
        assertThat(g.recentRuns()).extracting(RecentRun::runId).containsExactly("jr_d", "jr_c", "jr_b", "jr_a");
        assertThat(g.latestError()).isNull();

        store.apply(finished("f", GLUE, "jr_f", RunState.SUCCEEDED, day.plusSeconds(18000), day.plusSeconds(18100)));
        assertThat(store.summary(GLUE).orElseThrow().consecutiveFailures()).isZero();

        assertThat(store.latestPerJob()).extracting(JobSummary::job).containsExactly(GLUE, SFN);
        assertThat(store.summary(new JobKey("1", "r", JobSource.BATCH, "none"))).isEmpty();
    }

    @Test
    void openRuns_listsOnlyUnfinishedUnexpiredRuns_byJobThenStart_inAnyArrivalOrder() {
        Instant t = T0;
        store.apply(running("g1", GLUE, "jr_open", t.plusSeconds(60)));
        store.apply(running("g2", GLUE, "jr_done", t));
        store.apply(finished("g3", GLUE, "jr_done", RunState.SUCCEEDED, t, t.plusSeconds(30)));
        // Terminal first, then a late RUNNING: the run is finished and must not come back as open.
        store.apply(finished("g4", GLUE, "jr_late", RunState.FAILED, t, t.plusSeconds(40)));
        store.apply(running("g5", GLUE, "jr_late", t));
        store.apply(event("s1", SFN, "exec-p", RunState.PENDING, t.plusSeconds(5), null, null, null));
        store.apply(running("s2", SFN, "exec-r", t.minusSeconds(5)));
        store.apply(crawlStarted("c1", CRAWLER, t));

        assertThat(store.openRuns()).extracting(r -> r.job().jobName() + "/" + r.runId() + "/" + r.state())
                .containsExactly("raw-crawler/raw-crawler@" + t + "/RUNNING", "erp-orders-load/jr_open/RUNNING",
                        "fin-close/exec-r/RUNNING", "fin-close/exec-p/PENDING");

        store.apply(finished("s3", SFN, "exec-r", RunState.SUCCEEDED, t.minusSeconds(5), t.plusSeconds(99)));
        store.apply(crawlEnded("c2", CRAWLER, RunState.SUCCEEDED, t.plusSeconds(70)));
        assertThat(store.openRuns()).extracting(Run::runId).containsExactly("jr_open", "exec-p");

        clock.advance(RETENTION);
        assertThat(store.openRuns()).as("an open run whose end never arrived leaves with its expiry").isEmpty();
    }

    @Test
    void summary_keepsTheSlaStatistics_afterEveryRunHasExpired() {
        Instant day = T0;
        for (int i = 0; i < 12; i++) {
            Instant start = day.plus(Duration.ofDays(i));
            RunState state = i == 10 ? RunState.FAILED : RunState.SUCCEEDED;
            store.apply(finished("e" + i, GLUE, "jr_" + i, state, start, start.plusSeconds(600 + i)));
        }
        clock.advance(RETENTION.plusDays(1));
        store.purgeExpired();
        assertThat(store.runsOfJob(GLUE, 50)).as("the runs are gone").isEmpty();

        JobSummary s = store.summary(GLUE).orElseThrow();
        assertThat(s.lastSuccessAt()).isEqualTo(day.plus(Duration.ofDays(11)).plusSeconds(611));
        assertThat(s.lastFailureAt()).isEqualTo(day.plus(Duration.ofDays(10)).plusSeconds(610));
        assertThat(s.recentDurations()).as("durations for percentiles").hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(600), Duration.ofSeconds(611)));
        assertThat(s.recentStarts()).as("start times for the learned cadence").hasSizeGreaterThanOrEqualTo(5)
                .first().isEqualTo(day.plus(Duration.ofDays(11)));
        assertThat(store.latestPerJob()).extracting(JobSummary::job).containsExactly(GLUE);
    }

    @Test
    void runsBetween_streamsTheWindowByDay_withAnExclusiveEnd() {
        Instant d1 = Instant.parse("2026-03-01T23:30:00Z");
        store.apply(running("a", GLUE, "jr_a", d1));
        store.apply(running("b", GLUE, "jr_b", d1.plus(Duration.ofHours(1))));
        store.apply(running("c", SFN, "exec-c", d1.plus(Duration.ofHours(2))));
        store.apply(running("d", SFN, "exec-d", d1.plus(Duration.ofDays(1))));
        List<Run> got = new ArrayList<>();
        store.runsBetween(d1, d1.plus(Duration.ofDays(1)), got::add);
        assertThat(got).extracting(Run::runId).containsExactly("jr_a", "jr_b", "exec-c");
        got.clear();
        store.runsBetween(d1.plusSeconds(1), d1.plus(Duration.ofDays(2)), got::add);
        assertThat(got).extracting(Run::runId).containsExactly("jr_b", "exec-c", "exec-d");
    }

    @Test
    void runsBetween_findsEachRunInTheDayOfItsSortTime_whateverTheArrivalOrder() {
        Instant midnight = Instant.parse("2026-03-02T00:00:00Z");
        JobKey batch = new JobKey("123456789012", "eu-west-1", JobSource.BATCH, "nightly-batch");
        JobKey sync = new JobKey("234567890123", "eu-west-1", JobSource.DATASYNC, "task-0abc");
        // Submitted before midnight without a start, started after it: the start counts.
        store.apply(event("b1", batch, "job-1", RunState.PENDING, midnight.minusSeconds(600), null, null, null));
        store.apply(event("b2", batch, "job-1", RunState.RUNNING, midnight.plusSeconds(300), midnight.plusSeconds(300),
                null, null));
        // Ended after midnight (known first, no start), started before it (learned later): the start counts.
        store.apply(event("g1", GLUE, "jr_1", RunState.SUCCEEDED, midnight.plusSeconds(600), null, null, null));
        store.apply(running("g2", GLUE, "jr_1", midnight.minusSeconds(300)));
        // No start, no end, two events delivered in reverse: the latest event's time counts.
        store.apply(event("s2", sync, "exec-1", RunState.RUNNING, midnight.plusSeconds(60), null, null, null));
        store.apply(event("s1", sync, "exec-1", RunState.PENDING, midnight.minusSeconds(60), null, null, null));
        // Two different starts (the later one told last): the earliest counts.
        store.apply(running("f1", SFN, "exec-f", midnight.minusSeconds(120)));
        store.apply(running("f2", SFN, "exec-f", midnight.plusSeconds(120)));

        List<Run> before = new ArrayList<>();
        store.runsBetween(midnight.minus(Duration.ofDays(1)), midnight, before::add);
        List<Run> after = new ArrayList<>();
        store.runsBetween(midnight, midnight.plus(Duration.ofDays(1)), after::add);
        assertThat(before).extracting(Run::runId).containsExactly("jr_1", "exec-f");
        assertThat(after).extracting(Run::runId).containsExactly("exec-1", "job-1");
        List<Run> minute = new ArrayList<>();
        store.runsBetween(midnight.plusSeconds(60), midnight.plusSeconds(61), minute::add);
        assertThat(minute).extracting(Run::runId).containsExactly("exec-1");
        // Finishing the untimed run moves it to its end's day.
        store.apply(event("s3", sync, "exec-1", RunState.SUCCEEDED, midnight.plus(Duration.ofDays(1)).plusSeconds(5),
                null, null, null));
        after.clear();
        store.runsBetween(midnight, midnight.plus(Duration.ofDays(1)), after::add);
        assertThat(after).extracting(Run::runId).containsExactly("job-1");
        List<Run> next = new ArrayList<>();
        store.runsBetween(midnight.plus(Duration.ofDays(1)), midnight.plus(Duration.ofDays(2)), next::add);
        assertThat(next).extracting(Run::runId).containsExactly("exec-1");
    }

    @Test
    void park_keepsRejectedInputWithItsReason_newestFirst() {
        ParkedEvent first = store.park("{\"id\":1}", "detail.jobRunId: expected a string, found null", "a.json:1");
        clock.advance(Duration.ofSeconds(1));
        store.park(null, "not JSON: unexpected character", "b.json:2");
        List<ParkedEvent> parked = store.parked(10);
        assertThat(parked).extracting(ParkedEvent::source).containsExactly("b.json:2", "a.json:1");
        assertThat(parked.get(1)).isEqualTo(first);
        assertThat(parked.get(1).raw()).isEqualTo("{\"id\":1}");
        assertThat(store.parked(1)).hasSize(1);
        clock.advance(RETENTION);
        assertThat(store.parked(10)).isEmpty();
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> r = new ArrayList<>(list);
        Collections.reverse(r);
        return r;
    }
}
