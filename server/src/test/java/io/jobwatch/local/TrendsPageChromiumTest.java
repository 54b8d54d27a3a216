package io.jobwatch.local;

import static io.jobwatch.local.DashboardChromiumTest.count;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.store.JobDay;
import io.jobwatch.core.store.StoreFixtures;
import io.jobwatch.core.testing.Chromium;
import io.jobwatch.core.trend.TrendGrouping;
import io.jobwatch.core.trend.TrendRow;
import io.jobwatch.core.trend.Trends;
import io.jobwatch.sim.SimOptions;
import io.jobwatch.sim.Simulator;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Trends page and a job's history as a browser sees them: headless Chromium over ten simulated days of the seed's
 * estate, ingested through the server's ingest path with the example catalog. The page's figures are checked against
 * core's {@link Trends} over the same store; its screenshot is server/target/dashboard-trends.png (copied to docs/images
 * with {@code -Djobwatch.screenshots=DIR}).
 */
class TrendsPageChromiumTest {
    static final LocalDate LAST = LocalDate.of(2026, 3, 2);

    @TempDir
    static Path dir;

    static LocalApp app;
    static Chromium chromium;

    @BeforeAll
    static void serveTenDays() throws Exception {
        chromium = Chromium.find(dir);
        app = LocalApp.start(LocalApp.defaults(dir.resolve("jobwatch.db")).bind("127.0.0.1", 0)
                .catalogFile(StoreFixtures.repo().resolve("examples/jobwatch.yml"))
                .env(Map.of(ApiKey.ENV, "k")).scheduler(false)
                .clock(Clock.fixed(Instant.parse("2026-03-03T06:00:00Z"), ZoneOffset.UTC)));
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        int[] n = {0};
        new Simulator(SimOptions.defaults()).simulate(LAST.minusDays(9), 10, d -> {
            lines.writeBytes(d.event().toString().getBytes(StandardCharsets.UTF_8));
            lines.write('\n');
            if (++n[0] % 2000 == 0) {
                app.ingest().ingest(lines.toByteArray(), "sim");
                lines.reset();
            }
        });
        String evil = Files.readString(StoreFixtures.repo().resolve("examples/events/glue-job/failed.json"))
                .replace("nightly-orders-etl", DashboardChromiumTest.EVIL);
        lines.writeBytes(evil.replace('\n', ' ').getBytes(StandardCharsets.UTF_8));
        lines.write('\n');
        EventsIngest.Batch last = app.ingest().ingest(lines.toByteArray(), "sim");
        assertThat(last.rejected()).as(last.results().stream().filter(EventsIngest.Outcome::rejected).limit(3).toList()
                .toString()).isZero();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    static Trends trends() {
        return new Trends(app.store().rollups(), app.catalog());
    }

    @Test
    void trendsPage_drawsSuccessPerSystemPerDay_andTheRankings_asCoreComputesThem() throws Exception {
        URI url = app.uri().resolve("/trends?days=30&to=" + LAST);
        String dom = chromium.dumpDom(url);
        LocalDate from = LAST.minusDays(29);
        List<JobDay> days = trends().jobDays(from, LAST, Trends.Filter.ALL);
        List<TrendRow> rows = trends().rows(days, from, LAST, TrendGrouping.SYSTEM);
        assertThat(rows.stream().filter(r -> r.runs() > 0).map(TrendRow::day).distinct().count()).isEqualTo(10);

        String chart = dom.substring(dom.indexOf("<svg id=\"success-chart\""), dom.indexOf("</svg>", dom.indexOf("<svg id=\"success-chart\"")));
        for (String system : List.of("ERP", "FinData", "Analytics")) {
            assertThat(chart).contains("<g class=\"series\" data-series=\"" + system + "\">");
        }
        // One marker per system and day with a rate, each with its figure as a tooltip: days without runs stay gaps.
        long withRate = rows.stream().filter(r -> r.successRate() != null).count();
        assertThat(count(chart, "class=\"point\"")).isEqualTo((int) withRate);
        TrendRow erp = rows.stream().filter(r -> r.group().equals("ERP") && r.day().equals(LAST)).findFirst().orElseThrow();
        assertThat(chart).contains("ERP " + LAST + ": " + TrendsPage.percent(erp.successRate()) + " of "
                + (erp.runs() - erp.stopped()) + " finished runs");
        // Told apart without colour: each series has its own dash pattern (the first is solid).
        assertThat(count(chart, "stroke-dasharray=\"6 3\"")).isPositive();

        List<Trends.JobTotal> failing = trends().mostFailing(days, 10);
        assertThat(failing).hasSize(10);
        assertThat(count(dom, "<tr class=\"failing-job\">")).isEqualTo(10);
        assertThat(dom).contains("<a href=\"" + Html.esc(Dashboard.jobHref(failing.get(0).job())) + "\">"
                + Html.esc(failing.get(0).job().jobName()) + "</a>");
        assertThat(count(dom, "<tr class=\"slower-job\">")).isEqualTo(trends().slowestGrowing(days, LAST, 7, 10).size());
        assertThat(count(dom, "<tr class=\"team-mttr\">")).isEqualTo(trends().byTeam(days).size()).isPositive();

        // Escaped, and no script of its own.
        DashboardChromiumTest.assertNotExecuted(dom);
        assertThat(count(dom, "<script")).isEqualTo(1);
        Path png = Path.of("target/dashboard-trends.png");
        chromium.screenshot(url, png, 1100, 1400);
        assertThat(Files.size(png)).isGreaterThan(10_000);
        String target = System.getProperty("jobwatch.screenshots");
        if (target != null && !target.isBlank()) {
            Path images = StoreFixtures.repo().resolve(target);
            Files.createDirectories(images);
            Files.copy(png, images.resolve("trends.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void trendsPage_keepsTheStrictPolicy_andRefusesABadRange() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(app.uri().resolve("/trends?days=90")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Security-Policy")).hasValue(Http.CSP);
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(app.uri().resolve("/trends?days=%3Cb%3E")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("was &#39;&lt;b&gt;&#39;").doesNotContain("<b>");
    }

    @Test
    void jobPage_showsItsHistory_fromTheRollups() throws Exception {
        LocalDate from = LAST.minusDays(29);
        List<JobDay> days = trends().jobDays(from, LAST, Trends.Filter.ALL);
        Trends.JobTotal job = trends().mostFailing(days, 1).get(0);
        String dom = chromium.dumpDom(app.uri().resolve(Dashboard.jobHref(job.job())));
        assertThat(dom).contains("<h2 id=\"history\">").contains("<svg id=\"history-success\"")
                .contains("<svg id=\"history-duration\"");
        // The job's last 30 days up to today (the server's clock: the morning after the simulated days), a row each.
        assertThat(count(dom, "<tr class=\"history-day\">")).isEqualTo(TrendsPage.JOB_HISTORY_DAYS);
        List<TrendRow> rows = trends().rows(LAST.minusDays(28), LAST.plusDays(1), TrendGrouping.JOB,
                new Trends.Filter(null, job.job().id()));
        String chart = dom.substring(dom.indexOf("<svg id=\"history-success\""), dom.indexOf("</svg>", dom.indexOf("<svg id=\"history-success\"")));
        assertThat(count(chart, "class=\"point\"")).isEqualTo((int) rows.stream().filter(r -> r.successRate() != null).count())
                .isGreaterThanOrEqualTo(5);
        TrendRow worst = rows.stream().filter(r -> r.failed() + r.timedOut() > 0).findFirst().orElseThrow();
        assertThat(dom).contains("<tr class=\"history-day\"><td>" + worst.day() + "</td><td>" + worst.runs() + "</td><td>"
                + (worst.failed() + worst.timedOut()) + "</td>");
    }
}
