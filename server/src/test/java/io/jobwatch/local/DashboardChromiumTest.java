package io.jobwatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.RunState;
import io.jobwatch.core.sla.ExpectedJobs;
import io.jobwatch.core.testing.Chromium;
import io.jobwatch.sim.SimOptions;
import io.jobwatch.sim.Simulator;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.StoreFixtures;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard as a browser sees it: headless Chromium loads pages served over a demo-sized database (a simulated
 * day of the seed's estate, ingested through the server's ingest path with the example catalog). Screenshots go to
 * server/target/dashboard-*.png for humans.
 */
class DashboardChromiumTest {
    static final String EVIL = "<script>document.title='pwned'</script><img src=x onerror=document.body.setAttribute('data-pwned',1)>";

    @TempDir
    static Path dir;

    static LocalApp app;
    static Chromium chromium;

    @BeforeAll
    static void serveADemoDay() throws Exception {
        chromium = Chromium.find(dir);
        app = LocalApp.start(LocalApp.defaults(dir.resolve("jobwatch.db")).bind("127.0.0.1", 0)
                .catalogFile(StoreFixtures.repo().resolve("examples/jobwatch.yml"))
                .env(Map.of(ApiKey.ENV, "k")).scheduler(false));
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        int[] n = {0};
        new Simulator(SimOptions.defaults()).simulate(LocalDate.of(2026, 3, 2), 1, d -> {
            lines.writeBytes(d.event().toString().getBytes(StandardCharsets.UTF_8));
            lines.write('\n');
            if (++n[0] % 2000 == 0) {
                app.ingest().ingest(lines.toByteArray(), "sim");
                lines.reset();
            }
        });
        String evil = Files.readString(StoreFixtures.repo().resolve("examples/events/glue-job/failed.json"))
                .replace("nightly-orders-etl", EVIL);
        lines.writeBytes(evil.replace('\n', ' ').getBytes(StandardCharsets.UTF_8));
        lines.write('\n');
        EventsIngest.Batch last = app.ingest().ingest(lines.toByteArray(), "sim");
        assertThat(last.rejected()).isZero();
        app.work().sendOutbox();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** The name's markup stayed text: no element was created from it and its code did not run. */
    static void assertNotExecuted(String dom) {
        assertThat(count(dom, "<img")).isZero();
        assertThat(dom).doesNotContain("<title>pwned").doesNotContainPattern("<body[^>]*data-pwned");
    }

    static int count(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        int c = 0;
        while (m.find()) {
            c++;
        }
        return c;
    }

    @Test
    void overview_showsEveryJobWithItsLatestState_perSystem() throws Exception {
        List<JobSummary> summaries = app.store().latestPerJob();
        assertThat(summaries.size()).isGreaterThan(400);
        // Every job with a finished run, plus the ones the catalog expects or whose first run is still going.
        List<JobRow> jobs = JobRow.of(summaries, app.store().openRuns(), ExpectedJobs.of(app.catalog()), app.catalog(),
                List.of(), List.of());
        assertThat(jobs.size()).isGreaterThanOrEqualTo(summaries.size());
        String dom = chromium.dumpDom(app.uri());
        assertThat(count(dom, "<tr class=\"job\" data-state=")).isEqualTo(jobs.size());
        for (RunState s : RunState.values()) {
            long expected = jobs.stream().filter(j -> j.state() == s).count();
            assertThat(count(dom, "<tr class=\"job\" data-state=\"" + s.name() + "\"")).as(s.name()).isEqualTo((int) expected);
        }
        assertThat(count(dom, "<tr class=\"job\" data-state=\"never\""))
                .isEqualTo((int) jobs.stream().filter(j -> j.state() == null).count());
        assertThat(jobs.stream().filter(JobRow::failing).count()).isPositive();
        assertThat(dom).contains("data-system=\"ERP\"").contains("data-system=\"FinData\"").contains("data-system=\"Analytics\"");
        assertThat(dom).contains("<span id=\"job-count\">" + jobs.size() + "</span>");
        assertNotExecuted(dom);
        chromium.screenshot(app.uri(), Path.of("target/dashboard-overview.png"));

        String failing = chromium.dumpDom(app.uri().resolve("/?state=failing&system=ERP"));
        long erpFailing = jobs.stream().filter(r -> r.system().equals("ERP") && r.failing()).count();
        assertThat(count(failing, "<tr class=\"job\" data-state=")).isEqualTo((int) erpFailing).isPositive();
    }

    @Test
    void jobPage_showsItsRuns_chart_andIncidentTimeline() throws Exception {
        // A job whose events carry start times (Glue job events carry only the end) and that failed: bars and errors.
        JobSummary job = app.store().latestPerJob().stream()
                .filter(s -> s.recentDurations().size() >= 3 && s.lastFailureAt() != null)
                .max(java.util.Comparator.comparingInt((JobSummary s) -> s.recentRuns().size()).thenComparing(s -> s.job().id()))
                .orElseThrow();
        URI url = app.uri().resolve(Dashboard.jobHref(job.job()));
        String dom = chromium.dumpDom(url);
        int runs = app.store().runsOfJob(job.job(), Dashboard.JOB_RUNS).size();
        assertThat(runs).isGreaterThanOrEqualTo(3);
        assertThat(count(dom, "<tr class=\"run-row\"")).isEqualTo(runs);
        assertThat(count(dom, "<tr class=\"run-row\" data-state=\"(FAILED|TIMED_OUT)\"")).isPositive();
        assertThat(count(dom, "<rect class=\"bar\"")).isGreaterThanOrEqualTo(3);
        assertThat(dom).contains("<h1 id=\"job-name\">" + Html.esc(job.job().jobName()) + "</h1>").contains("<h2>Incident timeline</h2>");
        chromium.screenshot(url, Path.of("target/dashboard-job.png"));
    }

    @Test
    void aJobNamedWithScript_rendersAsText() throws Exception {
        JobSummary evil = app.store().latestPerJob().stream().filter(s -> s.job().jobName().equals(EVIL)).findFirst().orElseThrow();
        String dom = chromium.dumpDom(app.uri().resolve(Dashboard.jobHref(evil.job())));
        assertThat(dom).contains("<h1 id=\"job-name\">&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;img src=x onerror=");
        assertNotExecuted(dom);
        assertThat(count(dom, "<script")).isEqualTo(1); // only /static/dashboard.js
    }

    @Test
    void incidentsPage_listsOpenIncidents_withTheRetryForm() throws Exception {
        URI url = app.uri().resolve("/incidents");
        String dom = chromium.dumpDom(url);
        assertThat(app.incidents().open()).isNotEmpty();
        assertThat(dom).contains("Open incidents <span class=\"muted\">" + app.incidents().open().size() + "</span>")
                .contains("action=\"/api/outbox/retry\"").doesNotContain("value=\"k\"");
        chromium.screenshot(url, Path.of("target/dashboard-incidents.png"));
    }
}
