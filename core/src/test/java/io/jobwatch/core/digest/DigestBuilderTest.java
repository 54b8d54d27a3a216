package io.jobwatch.core.digest;

import static io.jobwatch.core.digest.DigestFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.sla.BreachKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DigestBuilderTest {
    private final DigestBuilder builder = new DigestBuilder(CLOCK);

    private Digest build(List<JobView> views) {
        return builder.build(TEAM, WINDOW, PREVIOUS, views, Optional.empty(), false);
    }

    private static JobView healthy(String name, String system) {
        RunView ok = run("r-" + name, RunState.SUCCEEDED, local(8, 0), local(8, 5), null);
        return new JobView(job(JobSource.GLUE_JOB, name), system, "medium", ok, ok, RunState.SUCCEEDED, 0, null,
                null, List.of(ok));
    }

    @Test
    void build_listsJobFailingBeforeWindow_asStillFailing_withStreakAndIncident() {
        Digest d = DigestFixtures.digest();
        assertThat(d.stillFailing()).extracting(FailingJob::job).containsExactly(LEDGER);
        FailingJob f = d.stillFailing().get(0);
        assertThat(f.consecutiveFailures()).isEqualTo(3);
        assertThat(f.openIncident()).isEqualTo("INC0012345");
        assertThat(f.failuresInWindow()).isEqualTo(1);
        assertThat(f.consoleUrl()).startsWith("https://eu-west-1.console.aws.amazon.com/gluestudio/");
    }

    @Test
    void build_listsJobThatStartedFailingInWindow_asNewFailure() {
        Digest d = DigestFixtures.digest();
        assertThat(d.newFailures()).extracting(FailingJob::job).containsExactly(FX);
        assertThat(d.newFailures().get(0).lastRun().state()).isEqualTo(RunState.TIMED_OUT);
    }

    @Test
    void build_listsRecovered_whenFailingBeforeWindowAndSucceededInIt() {
        Digest d = DigestFixtures.digest();
        assertThat(d.recovered()).extracting(RecoveredJob::job).containsExactly(GL_EXPORT);
    }

    @Test
    void build_listsRecovered_whenFailedAndSucceededInsideWindow() {
        RunView fail = run("r1", RunState.FAILED, local(7, 0), local(7, 5), "x");
        RunView ok = run("r2", RunState.SUCCEEDED, local(8, 0), local(8, 5), null);
        JobView flap = new JobView(LEDGER, "FinData", null, ok, ok, RunState.SUCCEEDED, 0, null, null, List.of(fail, ok));
        Digest d = build(List.of(flap));
        assertThat(d.recovered()).singleElement().satisfies(r -> assertThat(r.failuresInWindow()).isEqualTo(1));
        assertThat(d.newFailures()).isEmpty();
    }

    @Test
    void build_doesNotListRecovered_whenRecoveryWasReportedInPreviousWindow() {
        RunView okBefore = run("r1", RunState.SUCCEEDED, local(4, 0), local(4, 5), null);
        RunView ok = run("r2", RunState.SUCCEEDED, local(8, 0), local(8, 5), null);
        JobView v = new JobView(LEDGER, "FinData", null, ok, ok, RunState.SUCCEEDED, 0, null, null, List.of(okBefore, ok));
        Digest d = build(List.of(v));
        assertThat(d.recovered()).isEmpty();
        assertThat(d.healthyCount()).isEqualTo(1);
    }

    @Test
    void build_treatsLastFinishedBeforeWindow_asOutcomeBeforeWindow_whenCallerLeftItOut() {
        RunView fail = run("r1", RunState.FAILED, local(1, 0), local(1, 5), "x");
        JobView v = new JobView(LEDGER, "FinData", null, fail, fail, null, 4, null, null, List.of());
        Digest d = build(List.of(v));
        assertThat(d.stillFailing()).extracting(FailingJob::job).containsExactly(LEDGER);
        assertThat(d.newFailures()).isEmpty();
    }

    @Test
    void build_listsRunningNow_withElapsedToWindowEnd_andFlagsOverUsual() {
        Digest d = DigestFixtures.digest();
        RunningJob r = d.runningNow().get(0);
        assertThat(r.job()).isEqualTo(LAKE_SYNC);
        assertThat(r.elapsed()).isEqualTo(Duration.ofMinutes(110));
        assertThat(r.usual()).isEqualTo(Duration.ofMinutes(20));
        assertThat(r.overUsual()).isTrue();
        assertThat(r.ratioToUsual()).isEqualTo(5.5);
    }

    @Test
    void overUsual_isFalse_atExactlyOneAndAHalfTimesUsual() {
        RunView run = run("r", RunState.RUNNING, local(9, 0), null, null);
        RunningJob atLimit = new RunningJob(LEDGER, null, null, run, Duration.ofMinutes(30), Duration.ofMinutes(20), null);
        RunningJob over = new RunningJob(LEDGER, null, null, run, Duration.ofMinutes(30).plusSeconds(1), Duration.ofMinutes(20), null);
        assertThat(atLimit.overUsual()).isFalse();
        assertThat(over.overUsual()).isTrue();
    }

    @Test
    void build_countsJobsWithNothingToReport_withoutListingThem() {
        Digest d = DigestFixtures.digest();
        assertThat(d.jobCount()).isEqualTo(44);       // 43 views + 1 job known only from its SLA breach
        assertThat(d.healthyCount()).isEqualTo(39);
        assertThat(d.okCount()).isEqualTo(41);        // recovered and running jobs are ok
        assertThat(d.failingCount()).isEqualTo(2);
        assertThat(d.lateCount()).isEqualTo(1);
    }

    @Test
    void build_leavesSlaSectionAbsent_withoutSlaChecks_andEmpty_whenChecksFoundNothing() {
        assertThat(build(List.of(healthy("a", "ERP"))).sla()).isEmpty();
        Digest checked = builder.build(TEAM, WINDOW, PREVIOUS, List.of(healthy("a", "ERP")), Optional.of(List.of()), false);
        assertThat(checked.sla()).contains(List.of());
        assertThat(checked.allGreen()).isTrue();
    }

    @Test
    void build_summarisesEachSystem_thisWindowAgainstPrevious() {
        Digest d = DigestFixtures.digest();
        assertThat(d.systems()).singleElement().satisfies(s -> {
            assertThat(s.system()).isEqualTo("FinData");
            assertThat(s.jobs()).isEqualTo(44);
            // in window: 39 healthy + ledger fail + fx ok + fx timeout + gl ok = 43 runs, 41 ok, 2 failed
            assertThat(s.current()).isEqualTo(new WindowCounts(43, 41, 2));
            // previous window: 39 healthy + ledger fail + lake sync ok
            assertThat(s.previous()).isEqualTo(new WindowCounts(41, 40, 1));
            assertThat(s.current().successRate().getAsDouble()).isCloseTo(95.35, org.assertj.core.data.Offset.offset(0.01));
            assertThat(s.rateChange().getAsDouble()).isCloseTo(95.349 - 97.561, org.assertj.core.data.Offset.offset(0.01));
        });
    }

    @Test
    void build_sortsSystemsByName_andGroupsJobsWithoutSystem() {
        Digest d = build(List.of(healthy("a", "FinData"), healthy("b", "ERP"), healthy("c", null), healthy("d", "ERP")));
        assertThat(d.systems()).extracting(SystemSummary::system).containsExactly("(no system)", "ERP", "FinData");
        assertThat(d.systems().get(1).jobs()).isEqualTo(2);
    }

    @Test
    void build_ordersFailures_byCriticalityThenStreak() {
        List<JobView> views = new ArrayList<>();
        int i = 0;
        for (String[] c : new String[][]{{"low", "9"}, {"high", "2"}, {"HIGH", "5"}, {"weird", "7"}, {"critical", "1"}}) {
            RunView f = run("r" + i, RunState.FAILED, local(1, 0), local(1, 5), null);
            views.add(new JobView(job(JobSource.BATCH, "j" + i++), "ERP", c[0], f, f, RunState.FAILED,
                    Integer.parseInt(c[1]), null, null, List.of()));
        }
        Digest d = build(views);
        assertThat(d.stillFailing()).extracting(FailingJob::criticality)
                .containsExactly("critical", "HIGH", "high", "low", "weird");
    }

    @Test
    void build_stampsGeneratedAt_fromInjectedClock() {
        assertThat(DigestFixtures.digest().generatedAt()).isEqualTo(local(11, 0).plusSeconds(4));
    }

    @Test
    void build_rejectsSameJobTwice() {
        assertThatThrownBy(() -> build(List.of(healthy("a", "ERP"), healthy("a", "ERP"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appears twice");
    }

    @Test
    void build_rejectsPreviousWindowOverlappingWindow() {
        DigestWindow overlapping = new DigestWindow(local(5, 0), local(7, 0));
        assertThatThrownBy(() -> builder.build(TEAM, WINDOW, overlapping, List.of(), Optional.empty(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlaps");
    }

    @Test
    void jobView_rejectsNonTerminalLastFinished() {
        RunView running = run("r", RunState.RUNNING, local(9, 0), null, null);
        assertThatThrownBy(() -> new JobView(LEDGER, null, null, running, running, null, 0, null, null, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("terminal");
    }

    @Test
    void subject_readsLikeTheIssueExample() {
        assertThat(DigestFixtures.digest().subject()).isEqualTo("Jobwatch \u2014 FinData: 2 failing, 1 late, 41 ok (11:00)");
    }

    @Test
    void subject_saysAllHealthy_whenAllGreen() {
        assertThat(DigestFixtures.allGreen().subject()).isEqualTo("Jobwatch \u2014 FinData: all 39 jobs healthy (11:00)");
    }

    @Test
    void subject_usesTeamName_whenTeamSpansSeveralSystems_andOmitsZeroCounts() {
        RunView f = run("r", RunState.FAILED, local(7, 0), local(7, 5), null);
        JobView failing = new JobView(job(JobSource.BATCH, "x"), "ERP", null, f, f, RunState.SUCCEEDED, 1, null, null, List.of(f));
        Digest d = build(List.of(failing, healthy("a", "FinData"), healthy("b", "Analytics")));
        assertThat(d.subject()).isEqualTo("Jobwatch \u2014 Finance data: 1 failing, 2 ok (11:00)");
    }

    @Test
    void shouldSend_followsAllGreenRule_butAlwaysSendsAfterFailedDelivery() {
        Digest green = DigestFixtures.allGreen();
        assertThat(green.shouldSend(AllGreen.SEND)).isTrue();
        assertThat(green.shouldSend(AllGreen.SKIP)).isFalse();
        Digest greenAfterFailure = builder.build(TEAM, WINDOW, PREVIOUS, List.of(healthy("a", "ERP")), Optional.empty(), true);
        assertThat(greenAfterFailure.shouldSend(AllGreen.SKIP)).isTrue();
        assertThat(DigestFixtures.digest().shouldSend(AllGreen.SKIP)).isTrue();
    }

    @Test
    void build_countsJobKnownOnlyFromSlaBreach_inItsSystem() {
        JobKey never = job(JobSource.APPFLOW, "never-ran");
        Digest d = builder.build(TEAM, WINDOW, PREVIOUS, List.of(healthy("a", "ERP")),
                Optional.of(List.of(new SlaBreach(never, "Analytics", BreachKind.MISSING, local(7, 0), null))), false);
        assertThat(d.systems()).extracting(SystemSummary::system, SystemSummary::jobs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Analytics", 1), org.assertj.core.groups.Tuple.tuple("ERP", 1));
        assertThat(d.jobCount()).isEqualTo(2);
        assertThat(d.healthyCount()).isEqualTo(1);
    }

    @Test
    void build_listsSucceededWithWarnings_inTheirOwnSection_notAsFailures_andNotAllGreen() {
        RunView partial = new RunView("r-w", RunState.SUCCEEDED, local(8, 0), local(8, 5), null,
                "12 of 63000 records failed");
        JobView warned = new JobView(GL_EXPORT, "FinData", "high", partial, partial, RunState.SUCCEEDED, 0, null, null,
                List.of(partial));
        Digest d = build(List.of(warned, healthy("clean", "FinData")));

        assertThat(d.warned()).singleElement().satisfies(w -> {
            assertThat(w.job()).isEqualTo(GL_EXPORT);
            assertThat(w.run().warning()).isEqualTo("12 of 63000 records failed");
        });
        assertThat(d.failingCount()).isZero();
        assertThat(d.allGreen()).isFalse();
        assertThat(d.healthyCount()).isEqualTo(1);
        assertThat(new TextDigestRenderer().render(d)).contains("SUCCEEDED WITH WARNINGS (1)")
                .contains("12 of 63000 records failed");
        assertThat(new HtmlDigestRenderer().render(d)).contains("Succeeded with warnings")
                .contains("12 of 63000 records failed");
    }

    @Test
    void build_doesNotListAWarning_thatALaterCleanRunInTheWindowFollowed() {
        RunView partial = new RunView("r-w", RunState.SUCCEEDED, local(7, 0), local(7, 5), null, "3 of 10 records failed");
        RunView clean = run("r-ok", RunState.SUCCEEDED, local(9, 0), local(9, 5), null);
        JobView v = new JobView(GL_EXPORT, "FinData", null, clean, clean, RunState.SUCCEEDED, 0, null, null,
                List.of(partial, clean));
        Digest d = build(List.of(v));

        assertThat(d.warned()).isEmpty();
        assertThat(d.allGreen()).isTrue();
    }

    @Test
    void build_saysFailedRetrying_forAFailedAttemptTheServiceRetries_andNotForTheLastOne() {
        RunView first = new RunView("jr_1", RunState.FAILED, local(8, 0), local(8, 5), "boom", null, 1);
        JobView retrying = new JobView(LEDGER, "FinData", "high", first, first, RunState.SUCCEEDED, 1, null, null,
                List.of(first), 1);
        Digest d = build(List.of(retrying));
        assertThat(d.newFailures()).singleElement().satisfies(f -> {
            assertThat(f.retrying()).isTrue();
            assertThat(f.retryingNote()).isEqualTo("failed, retrying (attempt 1)");
        });
        assertThat(new TextDigestRenderer().render(d)).contains("failed, retrying (attempt 1)");
        assertThat(new HtmlDigestRenderer().render(d)).contains("failed, retrying (attempt 1)");

        RunView last = new RunView("jr_1", RunState.FAILED, local(8, 0), local(8, 30), "boom", null, 2);
        JobView exhausted = new JobView(LEDGER, "FinData", "high", last, last, RunState.SUCCEEDED, 1, null, null,
                List.of(last), 1);
        assertThat(build(List.of(exhausted)).newFailures()).singleElement()
                .satisfies(f -> assertThat(f.retrying()).isFalse());
    }
}
