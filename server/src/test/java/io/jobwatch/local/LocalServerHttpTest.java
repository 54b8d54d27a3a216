package io.jobwatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.store.ParkedEvent;
import io.jobwatch.core.store.StoreFixtures;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalServerHttpTest {
    static final String KEY = "test-key-0123456789";
    static final int LIMIT = 64 * 1024;

    @TempDir
    Path dir;

    LocalApp app;
    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        app = LocalApp.start(LocalApp.defaults(dir.resolve("jobwatch.db")).bind("127.0.0.1", 0)
                .env(Map.of(ApiKey.ENV, KEY)).maxBodyBytes(LIMIT).scheduler(false));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    static String fixture(String name) throws Exception {
        return Files.readString(StoreFixtures.repo().resolve("examples/events/" + name));
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(app.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(HttpResponse<String> r) throws Exception {
        return mapper.readTree(r.body());
    }

    @Test
    void events_withoutKey_is401_andStoresNothing() throws Exception {
        HttpResponse<String> r = post("/events", fixture("glue-job/failed.json"));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).path("error").asText()).contains("x-api-key");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"jobwatch\"");
        assertThat(app.store().latestPerJob()).isEmpty();
    }

    @Test
    void events_withWrongKey_is401_inEitherHeader() throws Exception {
        assertThat(post("/events", fixture("glue-job/failed.json"), "x-api-key", KEY + "x").statusCode()).isEqualTo(401);
        assertThat(post("/events", fixture("glue-job/failed.json"), "Authorization", "Bearer " + KEY.substring(1)).statusCode())
                .isEqualTo(401);
        assertThat(post("/events", fixture("glue-job/failed.json"), "Authorization", "Basic " + KEY).statusCode()).isEqualTo(401);
        assertThat(app.store().latestPerJob()).isEmpty();
    }

    @Test
    void events_singleEvent_withBearerKey_isStored_200_withOutcome() throws Exception {
        HttpResponse<String> r = post("/events", fixture("glue-job/failed.json"), "Authorization", "Bearer " + KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode result = json(r).path("results").get(0);
        assertThat(result.path("outcome").asText()).isEqualTo("CREATED");
        assertThat(result.path("runId").asText()).startsWith("jr_8e2d4b6a");
        assertThat(result.path("jobId").asText()).isEqualTo("glue-job:111122223333:us-west-2:nightly-orders-etl");
        HttpResponse<String> again = post("/events", fixture("glue-job/failed.json"), "x-api-key", KEY);
        assertThat(json(again).path("results").get(0).path("outcome").asText()).isEqualTo("DUPLICATE");
        assertThat(app.store().latestPerJob()).hasSize(1);
    }

    @Test
    void events_overTheLimit_is413_byContentLength_andByChunkedRead() throws Exception {
        String big = "[" + (fixture("glue-job/failed.json") + ",").repeat(LIMIT / 500) + fixture("glue-job/failed.json") + "]";
        assertThat(big.length()).isGreaterThan(LIMIT);
        HttpResponse<String> r = post("/events", big, "x-api-key", KEY);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).path("error").asText()).contains("over the limit of " + LIMIT + " bytes");

        // No Content-Length (chunked): the read stops at the limit.
        HttpRequest chunked = HttpRequest.newBuilder(app.uri().resolve("/events")).header("x-api-key", KEY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build();
        assertThat(http.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
        assertThat(app.store().latestPerJob()).isEmpty();
    }

    @Test
    void events_malformedJson_is400_withReason_andIsParked() throws Exception {
        HttpResponse<String> r = post("/events", "{\"version\": \"0\", \"id\": ", "x-api-key", KEY);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode result = json(r).path("results").get(0);
        assertThat(result.path("error").asText()).startsWith("event 0").contains("invalid JSON");
        assertThat(result.path("parked").asBoolean()).isTrue();
        List<ParkedEvent> parked = app.store().parked(10);
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).source()).isEqualTo("http:0");
        assertThat(parked.get(0).raw()).contains("\"version\"");
    }

    @Test
    void events_emptyBody_is400() throws Exception {
        HttpResponse<String> r = post("/events", "  ", "x-api-key", KEY);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("error").asText()).contains("empty body");
    }

    @Test
    void events_batchWithOneBadEvent_storesTheOthers_207_withAnOutcomePerEvent() throws Exception {
        String bad = fixture("glue-job/succeeded.json").replaceFirst("\"jobRunId\"\\s*:\\s*\"[^\"]*\"", "\"jobRunId\": 42");
        String body = "[" + fixture("glue-job/failed.json") + "," + bad + "," + fixture("step-functions/"
                + Files.list(StoreFixtures.repo().resolve("examples/events/step-functions")).map(p -> p.getFileName().toString())
                .sorted().findFirst().orElseThrow()) + "]";
        HttpResponse<String> r = post("/events", body, "x-api-key", KEY);
        assertThat(r.statusCode()).isEqualTo(207);
        JsonNode results = json(r).path("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).path("outcome").asText()).isEqualTo("CREATED");
        assertThat(results.get(1).path("index").asInt()).isEqualTo(1);
        assertThat(results.get(1).path("error").asText()).contains("detail.jobRunId").contains("expected");
        assertThat(results.get(2).path("outcome").asText()).isIn("CREATED", "ADVANCED");
        assertThat(json(r).path("accepted").asInt()).isEqualTo(2);
        assertThat(app.store().parked(10)).singleElement().satisfies(p -> assertThat(p.reason()).contains("detail.jobRunId"));
        assertThat(app.metrics().count("jobwatch_events_total{outcome=\"rejected\"}")).isEqualTo(1);
        assertThat(app.metrics().count("jobwatch_events_total{outcome=\"created\"}")).isEqualTo(2);
    }

    @Test
    void events_unsupportedSource_isIgnoredWithItsReason_200() throws Exception {
        String other = "{\"version\":\"0\",\"id\":\"e1\",\"detail-type\":\"EC2 Instance State-change Notification\",\"source\":\"aws.ec2\","
                + "\"account\":\"111122223333\",\"time\":\"2026-03-02T02:31:47Z\",\"region\":\"us-west-2\",\"resources\":[],\"detail\":{}}";
        HttpResponse<String> r = post("/events", other, "x-api-key", KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode result = json(r).path("results").get(0);
        assertThat(result.path("outcome").asText()).isEqualTo("IGNORED");
        assertThat(result.path("reason").asText()).contains("aws.ec2");
    }

    @Test
    void events_getIsNotAllowed() throws Exception {
        HttpResponse<String> r = get("/events");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void api_listsJobsWithFilters_runs_incidents_outbox_andEmptyBreaches() throws Exception {
        post("/events", "[" + fixture("glue-job/failed.json") + "," + fixture("glue-job/run-status-running.json") + "]",
                "x-api-key", KEY);
        JsonNode jobs = json(get("/api/jobs"));
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).path("state").asText()).isEqualTo("FAILED");
        assertThat(jobs.get(0).path("incident").path("kind").asText()).isEqualTo("FAILURE");
        assertThat(json(get("/api/jobs?state=failing"))).hasSize(1);
        assertThat(json(get("/api/jobs?state=SUCCEEDED"))).isEmpty();
        assertThat(json(get("/api/jobs?system=111122223333&team=unowned"))).hasSize(1);
        assertThat(json(get("/api/jobs?system=ERP"))).isEmpty();

        JobKey job = new JobKey("111122223333", "us-west-2", JobSource.GLUE_JOB, "nightly-orders-etl");
        JsonNode runs = json(get(ApiHandler.runsPath(job)));
        assertThat(runs.size()).isGreaterThanOrEqualTo(1);
        assertThat(runs.get(0).has("durationSeconds")).isTrue();
        assertThat(get("/api/jobs/nope/runs").statusCode()).isEqualTo(400);
        assertThat(get(ApiHandler.runsPath(job) + "?limit=0").statusCode()).isEqualTo(400);

        assertThat(json(get("/api/incidents"))).singleElement()
                .satisfies(i -> assertThat(i.path("jobId").asText()).isEqualTo(job.id()));
        JsonNode outbox = json(get("/api/outbox"));
        assertThat(outbox.path("pending")).hasSize(1);
        assertThat(outbox.path("pending").get(0).path("type").asText()).isEqualTo("open");
        assertThat(outbox.path("target").asText()).contains("dry run");
        assertThat(json(get("/api/breaches")).isArray()).isTrue();
        assertThat(json(get("/api/breaches"))).isEmpty();
        assertThat(get("/api/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void outboxRetry_needsTheKey_thenSendsPending() throws Exception {
        post("/events", fixture("glue-job/failed.json"), "x-api-key", KEY);
        assertThat(app.incidents().pending()).hasSize(1);
        assertThat(post("/api/outbox/retry", "", "x-api-key", "wrong").statusCode()).isEqualTo(401);
        assertThat(app.incidents().pending()).hasSize(1);

        HttpResponse<String> r = post("/api/outbox/retry", "", "x-api-key", KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("sent").asInt()).isEqualTo(1);
        assertThat(app.incidents().pending()).isEmpty();
        assertThat(Files.readString(dir.resolve(OutboxDrain.DRY_RUN_FILE))).contains("nightly-orders-etl");
        assertThat(app.incidents().open()).singleElement().satisfies(i -> assertThat(i.number()).startsWith("DRY"));
    }

    @Test
    void outboxRetry_fromTheDashboardForm_redirectsWithANotice_andRejectsAWrongKey() throws Exception {
        post("/events", fixture("glue-job/failed.json"), "x-api-key", KEY);
        HttpResponse<String> wrong = post("/api/outbox/retry", "key=nope", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong API key").doesNotContain(KEY);
        HttpResponse<String> ok = post("/api/outbox/retry", "key=" + KEY, "Content-Type", "application/x-www-form-urlencoded");
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location").orElseThrow()).startsWith("/incidents?notice=Retried");
        assertThat(app.incidents().pending()).isEmpty();
    }

    @Test
    void pages_areServedWithStrictHeaders_andEscapeJobNames() throws Exception {
        String evil = fixture("glue-job/failed.json").replace("nightly-orders-etl", "<script>alert(1)</script>\\\"x'");
        assertThat(post("/events", evil, "x-api-key", KEY).statusCode()).isEqualTo(200);
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;x&#39;").doesNotContain("<script>alert");
        assertThat(page.body()).doesNotContain("<style").doesNotContain(" style=").doesNotContain("<script>");
        String jobLink = page.body().replaceAll("(?s).*href=\"(/jobs/[^\"]+)\".*", "$1").replace("&amp;", "&");
        HttpResponse<String> job = get(jobLink);
        assertThat(job.statusCode()).isEqualTo(200);
        assertThat(job.body()).contains("<h1 id=\"job-name\">&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert");
        assertThat(get("/static/dashboard.js").headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(get("/incidents").body()).contains("Retry outbox now").doesNotContain(KEY);
        assertThat(get("/sla").body()).contains("<h1>SLA breaches</h1>");
        assertThat(get("/jobs/glue-job%3A1%3Ar%3Anever").statusCode()).isEqualTo(404);
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void healthAndMetrics() throws Exception {
        assertThat(get("/healthz").body()).isEqualTo("{\"status\":\"ok\"}");
        post("/events", fixture("glue-job/failed.json"), "x-api-key", KEY);
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("jobwatch_events_total{outcome=\"created\"} 1")
                .contains("# TYPE jobwatch_outbox_pending gauge")
                .contains("jobwatch_outbox_oldest_pending_age_seconds")
                .contains("jobwatch_sla_breaches 0")
                .contains("jobwatch_digests_sent_total{via=\"file\"} 0");
    }

    @Test
    void alertLatencyHistogram_measuresFromThePostToTheActionsFirstRequest() throws Exception {
        app.close();
        io.jobwatch.core.testing.TestClock clock = new io.jobwatch.core.testing.TestClock(
                java.time.Instant.parse("2026-03-02T03:00:00Z"));
        app = LocalApp.start(LocalApp.defaults(dir.resolve("latency.db")).bind("127.0.0.1", 0).clock(clock)
                .env(Map.of(ApiKey.ENV, KEY)).scheduler(false));
        assertThat(get("/metrics").body()).contains("# TYPE jobwatch_alert_latency_seconds histogram",
                "jobwatch_alert_latency_seconds_count 0");

        post("/events", fixture("glue-job/failed.json"), "x-api-key", KEY);
        clock.advance(java.time.Duration.ofMillis(300));
        app.work().sendOutbox(); // the dry run's file is the request

        assertThat(get("/metrics").body()).contains("jobwatch_alert_latency_seconds_bucket{le=\"0.25\"} 0",
                "jobwatch_alert_latency_seconds_bucket{le=\"0.5\"} 1",
                "jobwatch_alert_latency_seconds_bucket{le=\"+Inf\"} 1", "jobwatch_alert_latency_seconds_sum 0.3",
                "jobwatch_alert_latency_seconds_count 1");
    }
}
