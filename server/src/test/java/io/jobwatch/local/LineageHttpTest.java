package io.jobwatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.detail.RunDetail;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.testing.LineageSamples;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenLineage spec examples and dbt's published events POSTed to {@code serve}'s /api/v1/lineage as the OpenLineage
 * HTTP transport sends them ({@code Authorization: Bearer KEY}, JSON, optionally gzip).
 */
class LineageHttpTest {
    static final String KEY = "api-key-0123456789";
    static final String ROOT = "0191d6c8-6b3e-7a6f-8c2d-1a2b3c4d5e6f";
    static final String MODEL = "0191d6c8-6b3f-7b70-9d3e-2b3c4d5e6f70";

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    LocalApp app;

    @BeforeEach
    void start() throws Exception {
        app = LocalApp.start(LocalApp.defaults(dir.resolve("jobwatch.db")).bind("127.0.0.1", 0)
                .env(Map.of(ApiKey.ENV, KEY)).scheduler(false));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    HttpResponse<String> post(byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri().resolve("/api/v1/lineage"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(JsonNode body) throws Exception {
        return post(body.toString().getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + KEY);
    }

    static JobKey job(String name) {
        return new JobKey("", "", JobSource.OPENLINEAGE, name);
    }

    @Test
    void specStart_thenFullComplete_ofOneRun_areStored_andTheAnswerIsOpenLineagesBatchSummary() throws Exception {
        ObjectNode start = LineageSamples.read("runevent-start.spec.json");
        HttpResponse<String> r = post(start);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("summary").path("received").asInt()).isEqualTo(1);
        assertThat(body.path("summary").path("successful").asInt()).isEqualTo(1);
        JobKey job = job("my-scheduler-namespace/myjob.mytask");
        assertThat(app.store().runsOfJob(job, 10)).singleElement()
                .satisfies(run -> assertThat(run.state()).isEqualTo(RunState.RUNNING));

        ObjectNode complete = start.deepCopy();
        complete.put("eventType", "COMPLETE");
        complete.put("eventTime", "2020-12-09T23:52:01.500Z");
        assertThat(post(complete).statusCode()).isEqualTo(200);
        Run run = app.store().runsOfJob(job, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.duration()).hasValueSatisfying(d -> assertThat(d.toSeconds()).isEqualTo(870));
        // The client retries what failed: the same event again is a duplicate, not a second run.
        assertThat(post(complete).statusCode()).isEqualTo(200);
        assertThat(app.store().runsOfJob(job, 10)).hasSize(1);
    }

    @Test
    void dbtFailWithErrorMessage_isAFailedRun_withTheErrorAndItsParent_shownOnTheJobPage() throws Exception {
        ObjectNode fail = LineageSamples.completed(LineageSamples.read("runevent-fail-errorMessage.dbt.json"), MODEL, ROOT);
        HttpResponse<String> r = post(fail);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JobKey job = job("dbt-test-namespace/model.jaffle_shop.orders.sql.2");
        Run run = app.store().runsOfJob(job, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error()).startsWith("Database Error in model orders");
        assertThat(app.details().of(new RunKey(job, MODEL), java.time.Instant.now())).singleElement()
                .satisfies(d -> {
                    assertThat(d.kind()).isEqualTo(RunDetail.Kind.PARENT);
                    assertThat(json.readTree(d.text()).path("job").asText())
                            .isEqualTo("dbt-test-namespace/model.jaffle_shop.orders");
                    assertThat(json.readTree(d.text()).path("runId").asText()).isEqualTo(ROOT);
                });
        String page = http.send(HttpRequest.newBuilder(app.uri().resolve(Dashboard.jobHref(job))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("parent <a href=\"/jobs/openlineage%3A%3A%3Adbt-test-namespace%2Fmodel.jaffle_shop.orders\">"
                + "dbt-test-namespace/model.jaffle_shop.orders</a> run <span class=\"id\">" + ROOT + "</span>");
        JsonNode api = json.readTree(http.send(HttpRequest.newBuilder(app.uri().resolve(ApiHandler.runsPath(job))).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(api.get(0).path("details").get(0).path("kind").asText()).isEqualTo("PARENT");
    }

    @Test
    void batch_ofTheDbtSequence_gzipped_storesEveryRun() throws Exception {
        ArrayNode batch = json.createArrayNode();
        int i = 0;
        for (JsonNode e : LineageSamples.dbtSequence()) {
            boolean root = e.at("/job/name").asText().equals("dbt-run-jaffle_shop");
            batch.add(LineageSamples.completed(e, root ? ROOT : "0191d6c8-6b3f-7b70-9d3e-2b3c4d5e6f7" + (i++), ROOT));
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(batch.toString().getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = post(gz.toByteArray(), "Authorization", "Bearer " + KEY, "Content-Encoding", "gzip");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json.readTree(r.body()).path("summary").path("successful").asInt()).isEqualTo(8);
        assertThat(app.store().runsOfJob(job("dbt-test-namespace/dbt-run-jaffle_shop"), 10)).singleElement()
                .satisfies(run -> assertThat(run.state()).isEqualTo(RunState.FAILED));
    }

    @Test
    void batch_withOneInvalidEvent_storesTheOthers_partialSuccess_andParksTheInvalidOne() throws Exception {
        ArrayNode batch = json.createArrayNode();
        batch.add(LineageSamples.read("runevent-start.spec.json"));
        batch.add(LineageSamples.read("runevent-start.docs-examples.json"));
        HttpResponse<String> r = post(batch);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.path("status").asText()).isEqualTo("partial_success");
        assertThat(body.path("failed_events").get(0).path("index").asInt()).isEqualTo(1);
        assertThat(body.path("failed_events").get(0).path("reason").asText()).startsWith("schemaURL: missing");
        assertThat(body.path("failed_events").get(0).path("retriable").asBoolean()).isFalse();
        assertThat(app.store().latestPerJob()).isEmpty(); // a START finishes nothing
        assertThat(app.store().openRuns()).hasSize(1);
        assertThat(app.store().parked(10)).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("lineage:1");
            assertThat(p.reason()).startsWith("event 1: schemaURL: missing");
        });
    }

    @Test
    void withoutOrWithAWrongKey_is401_andNothingIsStoredOrParked() throws Exception {
        byte[] body = LineageSamples.read("runevent-start.spec.json").toString().getBytes(StandardCharsets.UTF_8);
        assertThat(post(body).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = post(body, "Authorization", "Bearer " + KEY + "x");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"jobwatch\"");
        assertThat(json.readTree(wrong.body()).path("error").asText()).contains("{type: api_key, apiKey: KEY}");
        assertThat(app.store().openRuns()).isEmpty();
        assertThat(app.store().parked(10)).isEmpty();
    }

    @Test
    void invalidJson_is400_withWhereItBroke() throws Exception {
        HttpResponse<String> r = post("{\"eventType\": \"START\",".getBytes(StandardCharsets.UTF_8), "x-api-key", KEY);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json.readTree(r.body()).path("failed_events").get(0).path("reason").asText()).startsWith("invalid JSON");
        assertThat(app.store().openRuns()).isEmpty();
    }
}
