package io.jobwatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.detail.RunDetail;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.sla.Breach;
import io.jobwatch.core.sla.BreachKind;
import io.jobwatch.core.sla.SlaCheck;
import io.jobwatch.core.sla.SlaEngine;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.testing.TestClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Healthchecks' documented pings (templates/docs/http_api.md and the slug tests of hc/api/tests) sent to
 * {@code jobwatch serve} over HTTP: start, success, fail, exit status, rid, log, bodies, HEAD; wrong keys; and the SLA
 * engine's MISSING for a scheduled ping job that stops pinging — Healthchecks' core use case — at its boundaries.
 */
class PingsHttpTest {
    static final String FINANCE_KEY = "fin_Pk7vQ2xLr9ZsT4mW";
    static final String OPS_KEY = "ops-8TqLw2Zr5nVx1KcJ";
    static final String RID = "5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278";
    static final Instant DAY1_0205 = Instant.parse("2026-03-02T02:05:00.250Z");
    static final String CATALOG = """
            teams:
              finance: {pingKey: "${JOBWATCH_PING_KEY_FINANCE}"}
              ops: {pingKey: "${JOBWATCH_PING_KEY_OPS}"}
            jobs:
              - name: nightly-backup
                match: {source: [ping], team: [finance], jobName: [nightly-backup]}
                criticality: high
                expectations: {schedule: cron(0 2 * * ? *), grace: 1h, maxDuration: 30m}
            """;

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(DAY1_0205);
    final HttpClient http = HttpClient.newHttpClient();
    final AtomicInteger ids = new AtomicInteger();
    Catalog catalog;
    LocalApp app;

    @BeforeEach
    void start() throws Exception {
        catalog = ((CatalogResult.Loaded) CatalogLoader.load("jobwatch.yml", CATALOG)).catalog();
        app = LocalApp.start(LocalApp.defaults(dir.resolve("jobwatch.db")).bind("127.0.0.1", 0).catalog(catalog)
                .env(Map.of(ApiKey.ENV, "api-key-0123456789", "JOBWATCH_PING_KEY_FINANCE", FINANCE_KEY,
                        "JOBWATCH_PING_KEY_OPS", OPS_KEY))
                .clock(clock).ids(() -> "id-" + ids.incrementAndGet()).scheduler(false));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(app.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(app.uri().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> head(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(app.uri().resolve(path)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static JobKey job(String team, String slug) {
        return new JobKey(team, "", JobSource.PING, slug);
    }

    List<Run> runs(JobKey job) {
        return app.store().runsOfJob(job, 100);
    }

    static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("OK");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.headers().firstValue("Ping-Body-Limit")).hasValue("10000");
    }

    @Test
    void startThenSuccess_isOneRun_withItsDuration_andTheFirstPingCreatedTheJobUnderTheKeysTeam() throws Exception {
        ok(get("/ping/" + FINANCE_KEY + "/nightly-backup/start"));
        List<Run> running = runs(job("finance", "nightly-backup"));
        assertThat(running).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(RunState.RUNNING);
            assertThat(r.runId()).isEqualTo("nightly-backup@2026-03-02T02:05:00Z");
        });
        clock.advance(Duration.ofMinutes(12));
        ok(get("/ping/" + FINANCE_KEY + "/nightly-backup"));
        assertThat(runs(job("finance", "nightly-backup"))).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(r.duration()).hasValue(Duration.ofMinutes(12));
        });
        assertThat(app.store().summary(job("finance", "nightly-backup"))).isPresent();
        assertThat(catalog.resolve(job("finance", "nightly-backup")).team().name()).isEqualTo("finance");
    }

    @Test
    void successWithoutStart_isARunThatStartedAndEndedAtThatPing() throws Exception {
        ok(post("/ping/" + FINANCE_KEY + "/sftp-pull", ""));
        assertThat(runs(job("finance", "sftp-pull"))).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(r.startedAt()).isEqualTo(Instant.parse("2026-03-02T02:05:00Z"));
            assertThat(r.endedAt()).isEqualTo(r.startedAt());
        });
    }

    @Test
    void fail_andExitStatus_failTheRun_withTheBodyAsErrorAndLog() throws Exception {
        ok(get("/ping/" + FINANCE_KEY + "/nightly-backup/start"));
        clock.advance(Duration.ofMinutes(3));
        ok(post("/ping/" + FINANCE_KEY + "/nightly-backup/2", "rsync error: some files could not be transferred (code 23)"));
        Run r = runs(job("finance", "nightly-backup")).get(0);
        assertThat(r.state()).isEqualTo(RunState.FAILED);
        assertThat(r.sourceState()).isEqualTo("exit 2");
        assertThat(r.error()).isEqualTo("exit status 2\nrsync error: some files could not be transferred (code 23)");
        assertThat(app.details().of(r.key(), clock.instant())).extracting(RunDetail::text)
                .containsExactly("rsync error: some files could not be transferred (code 23)");

        clock.advance(Duration.ofMinutes(1));
        ok(post("/ping/" + FINANCE_KEY + "/disk-check/fail", ""));
        assertThat(runs(job("finance", "disk-check")).get(0).error()).isEqualTo("the job reported a failure (/fail ping)");
        clock.advance(Duration.ofMinutes(1));
        ok(get("/ping/" + FINANCE_KEY + "/disk-check/0"));
        assertThat(runs(job("finance", "disk-check"))).extracting(Run::state)
                .containsExactly(RunState.SUCCEEDED, RunState.FAILED);
    }

    @Test
    void rid_keepsConcurrentRunsOfOneJobApart() throws Exception {
        String other = "0e1d2c3b-4a59-4687-9a1b-2c3d4e5f6a7b";
        ok(get("/ping/" + FINANCE_KEY + "/export/start?rid=" + RID));
        clock.advance(Duration.ofSeconds(30));
        ok(get("/ping/" + FINANCE_KEY + "/export/start?rid=" + other.toUpperCase()));
        clock.advance(Duration.ofMinutes(2));
        ok(get("/ping/" + FINANCE_KEY + "/export/0?rid=" + RID));
        clock.advance(Duration.ofMinutes(2));
        ok(get("/ping/" + FINANCE_KEY + "/export/1?rid=" + other));
        assertThat(runs(job("finance", "export"))).extracting(Run::runId, Run::state, r -> r.duration().orElseThrow())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("export@rid-" + RID, RunState.SUCCEEDED, Duration.ofSeconds(150)),
                        org.assertj.core.groups.Tuple.tuple("export@rid-" + other, RunState.FAILED, Duration.ofSeconds(240)));
    }

    @Test
    void log_keepsTheBodyOnTheLatestRun_withoutChangingItsState() throws Exception {
        ok(get("/ping/" + FINANCE_KEY + "/nightly-backup/start"));
        clock.advance(Duration.ofMinutes(1));
        ok(post("/ping/" + FINANCE_KEY + "/nightly-backup/log", "copied 500 of 1,204 files"));
        Run r = runs(job("finance", "nightly-backup")).get(0);
        assertThat(r.state()).isEqualTo(RunState.RUNNING);
        assertThat(app.details().of(r.key(), clock.instant())).extracting(RunDetail::text)
                .containsExactly("copied 500 of 1,204 files");
        ok(post("/ping/" + FINANCE_KEY + "/never-pinged/log", "nothing to attach to"));
        assertThat(runs(job("finance", "never-pinged"))).isEmpty();
    }

    @Test
    void bodyOver10000Bytes_isCut_notRefused() throws Exception {
        ok(post("/ping/" + FINANCE_KEY + "/nightly-backup/fail", "e".repeat(25_000)));
        Run r = runs(job("finance", "nightly-backup")).get(0);
        assertThat(app.details().of(r.key(), clock.instant()).get(0).text()).hasSize(10_000);
        assertThat(r.error()).hasSize(4096);
    }

    @Test
    void head_works_likeGet() throws Exception {
        HttpResponse<String> r = head("/ping/" + FINANCE_KEY + "/nightly-backup");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(runs(job("finance", "nightly-backup"))).hasSize(1);
    }

    @Test
    void wrongOrMissingKey_is404_andStoresNothing_whileBadUrlsGetHealthchecksAnswers() throws Exception {
        for (String path : List.of("/ping/" + FINANCE_KEY.substring(1) + "/nightly-backup",
                "/ping/wrong-key-wrong-key-00/nightly-backup/start", "/ping/" + FINANCE_KEY.toUpperCase() + "/x/fail")) {
            HttpResponse<String> r = post(path, "should not be kept");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("not found");
        }
        assertThat(get("/ping/" + FINANCE_KEY + "/nightly-backup/256").statusCode()).isEqualTo(400);
        assertThat(get("/ping/" + FINANCE_KEY + "/Nightly-Backup").statusCode()).isEqualTo(400);
        HttpResponse<String> rid = get("/ping/" + FINANCE_KEY + "/nightly-backup?rid=123");
        assertThat(rid.statusCode()).isEqualTo(400);
        assertThat(rid.body()).startsWith("invalid uuid format");
        assertThat(http.send(HttpRequest.newBuilder(app.uri().resolve("/ping/" + FINANCE_KEY + "/x"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        assertThat(app.store().latestPerJob()).isEmpty();
        assertThat(app.store().openRuns()).isEmpty();
        assertThat(app.store().parked(10)).isEmpty();
    }

    @Test
    void twoTeams_sameSlug_areTwoJobs() throws Exception {
        ok(get("/ping/" + FINANCE_KEY + "/backup"));
        ok(get("/ping/" + OPS_KEY + "/backup/1"));
        assertThat(runs(job("finance", "backup"))).extracting(Run::state).containsExactly(RunState.SUCCEEDED);
        assertThat(runs(job("ops", "backup"))).extracting(Run::state).containsExactly(RunState.FAILED);
    }

    @Test
    void scheduledPingJob_isMissing_exactlyWhenItsGraceIsOver_withoutAPing() throws Exception {
        ok(get("/ping/" + FINANCE_KEY + "/nightly-backup")); // day 1, 02:05: on time
        SlaCheck sla = new SlaCheck(catalog, app.store(), new SlaEngine());
        JobKey backup = job("finance", "nightly-backup");
        // Day 2: expected at 02:00, grace 1 h — up to 02:59:59 it is not missing yet; at 03:00:00 it is.
        assertThat(kinds(sla, backup, Instant.parse("2026-03-03T02:59:59Z"))).isEmpty();
        assertThat(kinds(sla, backup, Instant.parse("2026-03-03T03:00:00Z"))).containsExactly(BreachKind.MISSING);
        // A late ping at 03:20 clears it.
        clock.set(Instant.parse("2026-03-03T03:20:00Z"));
        ok(get("/ping/" + FINANCE_KEY + "/nightly-backup"));
        assertThat(kinds(sla, backup, Instant.parse("2026-03-03T03:20:01Z"))).isEmpty();
        // Day 3: a start at 02:01 without an end is a running run: not missing, but too long after maxDuration 30m.
        clock.set(Instant.parse("2026-03-04T02:01:00Z"));
        ok(get("/ping/" + FINANCE_KEY + "/nightly-backup/start"));
        assertThat(kinds(sla, backup, Instant.parse("2026-03-04T02:31:00Z"))).isEmpty();
        assertThat(kinds(sla, backup, Instant.parse("2026-03-04T03:10:00Z"))).containsExactly(BreachKind.LONG_RUNNING);
    }

    @Test
    void declaredPingJob_thatNeverPinged_isMissingToo() {
        SlaCheck sla = new SlaCheck(catalog, app.store(), new SlaEngine());
        assertThat(sla.expectedJobs()).contains(job("finance", "nightly-backup"));
        assertThat(kinds(sla, job("finance", "nightly-backup"), Instant.parse("2026-03-02T03:00:00Z")))
                .containsExactly(BreachKind.MISSING);
    }

    @Test
    void jobPage_showsTheCopyPasteCurlLine_withTheKeysVariable_neverTheKey_andTheRunsLog() throws Exception {
        ok(post("/ping/" + FINANCE_KEY + "/nightly-backup/fail", "<script>alert(1)</script> disk full"));
        String page = get(Dashboard.jobHref(job("finance", "nightly-backup"))).body();
        String base = app.uri().toString().replaceAll("/$", "");
        assertThat(page).contains("<code id=\"ping-line\">curl -fsS -m 10 --retry 5 -o /dev/null &quot;" + base
                + "/ping/${JOBWATCH_PING_KEY_FINANCE}/nightly-backup&quot;</code>");
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt; disk full").doesNotContain("<script>alert");
        assertThat(page).doesNotContain(FINANCE_KEY);
        assertThat(page).contains("<dt>pinged by team</dt><dd>finance</dd>");
    }

    static List<BreachKind> kinds(SlaCheck sla, JobKey job, Instant at) {
        return sla.evaluate(at).stream().filter(b -> b.job().equals(job)).map(Breach::kind).toList();
    }
}
