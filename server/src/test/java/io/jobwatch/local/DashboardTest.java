package io.jobwatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.digest.SlaBreach;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.sla.BreachKind;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.store.Run;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardTest {
    static final Instant T = Instant.parse("2026-03-02T06:00:00Z");

    static JobSummary summary(String name, RunState state) {
        JobKey job = new JobKey("123456789012", "eu-west-1", JobSource.STEP_FUNCTIONS, name);
        RecentRun r = new RecentRun("r1", state, T.minusSeconds(600), T, state.failed() ? "boom <b>" : null);
        return new JobSummary(job, new RunKey(job, "r1"), state, r.startedAt(), T, r.error(), null, null,
                state.failed() ? 1 : 0, List.of(r), List.of(), List.of(), 1, T);
    }

    @Test
    void esc_makesTextAndQuotedAttributesInert() {
        assertThat(Html.esc("<a href=\"x\" onclick='y'>&</a>")).isEqualTo("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
        assertThat(Html.esc(null)).isEmpty();
        assertThat(Html.esc("plain ✓")).isEqualTo("plain ✓");
    }

    @Test
    void overview_filtersBySystemStateAndSearch_andEscapesEverything() {
        List<JobRow> rows = new ArrayList<>();
        rows.add(row(summary("ok-job", RunState.SUCCEEDED), "ERP", "erp-ops", List.of()));
        rows.add(row(summary("bad\"job<", RunState.FAILED), "Fin<Data>", "fin",
                List.of(new SlaBreach(summary("x", RunState.FAILED).job(), "Fin", BreachKind.LATE, T, "late by 5m <i>"))));
        String all = Dashboard.overview(rows, JobRow.Filter.of(Map.of()), T);
        assertThat(all).contains("<span id=\"job-count\">2</span>").contains("bad&quot;job&lt;").contains("Fin&lt;Data&gt;")
                .contains("late by 5m &lt;i&gt;").doesNotContain("<i>").doesNotContain("bad\"job<");
        String failing = Dashboard.overview(rows, JobRow.Filter.of(Map.of("state", "failing")), T);
        assertThat(failing).contains("<span id=\"job-count\">1</span> of 2 jobs match").doesNotContain(">ok-job<");
        String search = Dashboard.overview(rows, JobRow.Filter.of(Map.of("q", "OK-")), T);
        assertThat(search).contains(">ok-job<").doesNotContain("bad&quot;job");
        assertThat(Dashboard.overview(rows, JobRow.Filter.of(Map.of("system", "ERP", "state", "FAILED")), T))
                .contains("No job matches these filters.");
    }

    static JobRow row(JobSummary s, String system, String team, List<SlaBreach> breaches) {
        return new JobRow(s.job(), s, null, system, team, null, breaches);
    }

    @Test
    void overview_showsJobsWithNoFinishedRun_theExpectedOneThatNeverRanAndOneWhoseFirstRunIsGoing() {
        JobKey never = new JobKey("234567890123", "eu-west-1", JobSource.GLUE_JOB, "fin-close-reconciliation");
        JobKey first = new JobKey("234567890123", "eu-west-1", JobSource.GLUE_JOB, "first-run-going");
        Run going = new Run(new RunKey(first, "jr_1"), RunState.RUNNING, "RUNNING", T.minusSeconds(60), null, null,
                List.of(), T, T, 1, T, T.plusSeconds(86400));
        SlaBreach missing = new SlaBreach(never, "FinData", BreachKind.MISSING, T, "no run started");
        List<JobRow> rows = JobRow.of(List.of(summary("ok-job", RunState.SUCCEEDED)), List.of(going), List.of(never),
                null, List.of(), List.of(missing));

        // In job id order: glue-job:…:fin-close-reconciliation, glue-job:…:first-run-going, step-functions:…:ok-job.
        assertThat(rows).extracting(JobRow::job).containsExactly(never, first, summary("ok-job", RunState.SUCCEEDED).job());
        assertThat(rows.get(0).state()).isNull();
        assertThat(rows.get(0).breaches()).containsExactly(missing);
        assertThat(rows.get(1).state()).isEqualTo(RunState.RUNNING);
        assertThat(rows.get(2).state()).isEqualTo(RunState.SUCCEEDED);
        String all = Dashboard.overview(rows, JobRow.Filter.of(Map.of()), T);
        assertThat(all).contains("<span id=\"job-count\">3</span>").contains(">fin-close-reconciliation<")
                .contains("never ran").contains(">first-run-going<").contains(">missing<");
        assertThat(Dashboard.overview(rows, JobRow.Filter.of(Map.of("state", "never")), T))
                .contains("<span id=\"job-count\">1</span> of 3 jobs match").contains(">fin-close-reconciliation<")
                .doesNotContain(">ok-job<");
    }

    @Test
    void chart_drawsOneBarPerRunWithADuration_scaledToTheLongest() {
        JobKey job = summary("j", RunState.SUCCEEDED).job();
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Instant start = T.plus(Duration.ofHours(i));
            runs.add(0, new Run(new RunKey(job, "r" + i), i == 1 ? RunState.FAILED : RunState.SUCCEEDED, "x", start,
                    start.plus(Duration.ofMinutes(10L * (i + 1))), null, List.of(), T, T, 2, T, T.plusSeconds(86400)));
        }
        runs.add(new Run(new RunKey(job, "no-start"), RunState.SUCCEEDED, "x", null, T, null, List.of(), T, T, 1, T, T.plusSeconds(86400)));
        StringBuilder b = new StringBuilder();
        Dashboard.chart(b, runs);
        String svg = b.toString();
        assertThat(svg.split("<rect class=\"bar\"", -1)).hasSize(4);
        assertThat(svg).contains("max 30m 00s").contains("height=\"146\"").contains("fill=\"#c62828\"");
    }

    @Test
    void jobPage_showsARunsWarning_attemptAndTheServicesName_escaped() {
        JobKey job = new JobKey("123456789012", "eu-west-1", JobSource.BATCH, "cpu-stress-test");
        io.jobwatch.core.store.Run run = new io.jobwatch.core.store.Run(new RunKey(job, "j-1"), RunState.SUCCEEDED,
                "SUCCEEDED", T.minusSeconds(600), T, null, List.of("attempt 1 ended FAILED at " + T.minusSeconds(300)),
                T, T, 4, T, T.plusSeconds(86400), 2, "12 of 63000 records <failed>", "cpu-stress-test-1760707292",
                null);
        String page = Dashboard.job(job, "ERP", "erp-ops", null, List.of(run), List.of(), List.of(), List.of(), T);
        assertThat(page).contains("<span class=\"badge warn\">warning</span> 12 of 63000 records &lt;failed&gt;")
                .contains("attempt 2").contains("named cpu-stress-test-1760707292 by the service")
                .contains("attempt 1 ended FAILED").doesNotContain("<failed>");
    }
}
