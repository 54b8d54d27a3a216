package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.testing.LineageSamples;
import io.jobwatch.local.ApiKey;
import io.jobwatch.local.LocalApp;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile pings and OpenLineage requests on {@code serve}, interleaved with good ones: each gets a clear answer,
 * nothing is stored from the refused ones (nothing at all for a wrong key), every good one is stored, and the server
 * stays up.
 */
class HostilePingsAndLineageTest {
    static final String API_KEY = "hostile-api-key-5f1c2b";
    static final String PING_KEY = "ops_Hk3vQ9xLr2ZsT7mW";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Catalog CATALOG = ((CatalogResult.Loaded) CatalogLoader.load("jobwatch.yml", """
            teams:
              ops: {pingKey: "${JOBWATCH_PING_KEY_OPS}"}
            """)).catalog();

    @TempDir
    Path dir;
    LocalApp app;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        app = LocalApp.start(LocalApp.defaults(dir.resolve("jobwatch.db")).bind("127.0.0.1", 0).catalog(CATALOG)
                .env(Map.of(ApiKey.ENV, API_KEY, "JOBWATCH_PING_KEY_OPS", PING_KEY)).scheduler(false));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    HttpResponse<String> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    void up(String after) throws Exception {
        assertThat(send("GET", "/healthz", null).statusCode()).as("up after " + after).isEqualTo(200);
    }

    static JobKey ping(String slug) {
        return new JobKey("ops", "", JobSource.PING, slug);
    }

    long storedEvents(List<JobKey> jobs) {
        return jobs.stream().flatMap(j -> app.store().runsOfJob(j, 10_000).stream()).mapToLong(Run::eventCount).sum();
    }

    /** One hostile ping: what is sent, and what it must get (status, a phrase of the answer, whether it is stored). */
    record HostilePing(String name, String method, String path, byte[] body, int status, String phrase, boolean stored) {
    }

    @Test
    void pings_answerEveryHostileRequestClearly_storeNothingFromRefusedOnes_andEveryGoodOne() throws Exception {
        byte[] badUtf8 = {'o', 'k', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0, 'z'};
        List<HostilePing> hostile = List.of(
                new HostilePing("wrong key", "POST", "/ping/" + PING_KEY.replace('o', '0') + "/hostile-a", "x".getBytes(), 404, "not found", false),
                new HostilePing("no key", "GET", "/ping/hostile-b", null, 404, "not found", false),
                new HostilePing("2 MB body (over the 1 MiB request limit)", "POST", "/ping/" + PING_KEY + "/hostile-c",
                        new byte[2 * 1024 * 1024], 413, "over the limit of 1048576 bytes", false),
                new HostilePing("exit status 256", "GET", "/ping/" + PING_KEY + "/hostile-d/256", null, 400, "invalid url format: exit status 256 is over 255", false),
                new HostilePing("upper-case slug", "GET", "/ping/" + PING_KEY + "/Hostile-E", null, 400, "invalid url format: the slug", false),
                new HostilePing("rid not a UUID", "GET", "/ping/" + PING_KEY + "/hostile-f?rid=%27%3B+DROP+TABLE+runs", null, 400, "invalid uuid format", false),
                new HostilePing("DELETE", "DELETE", "/ping/" + PING_KEY + "/hostile-g", null, 405, "use GET, HEAD or POST", false),
                new HostilePing("path traversal", "GET", "/ping/" + PING_KEY + "/..%2F..%2Fevents", null, 404, "not found", false),
                new HostilePing("25 KB body (kept: its first 10,000 bytes)", "POST", "/ping/" + PING_KEY + "/hostile-i/fail",
                        "e".repeat(25_000).getBytes(), 200, "OK", true),
                new HostilePing("invalid UTF-8 and NUL in the body (kept, replaced)", "POST", "/ping/" + PING_KEY + "/hostile-j/1",
                        badUtf8, 200, "OK", true));
        List<JobKey> goodJobs = new ArrayList<>();
        long good = 0;
        long hostileStored = 0;
        StringBuilder answers = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            JobKey job = ping("good-" + (i % 10));
            if (!goodJobs.contains(job)) {
                goodJobs.add(job);
            }
            String rid = UUID.randomUUID().toString();
            assertThat(send("GET", "/ping/" + PING_KEY + "/" + job.jobName() + "/start?rid=" + rid, null).statusCode()).isEqualTo(200);
            assertThat(send("POST", "/ping/" + PING_KEY + "/" + job.jobName() + "?rid=" + rid, "done".getBytes()).body()).isEqualTo("OK");
            good += 2;
            if (i % 10 == 5) {
                HostilePing h = hostile.get(i / 10);
                HttpResponse<String> r = send(h.method(), h.path(), h.body());
                assertThat(r.statusCode()).as(h.name() + ": " + r.body()).isEqualTo(h.status());
                assertThat(r.body()).as(h.name()).contains(h.phrase());
                answers.append(h.name()).append(" → ").append(r.statusCode()).append("; ");
                hostileStored += h.stored() ? 1 : 0;
                up(h.name());
            }
        }
        long stored = storedEvents(goodJobs);
        long lost = good - stored;
        assertThat(lost).isZero();
        // Nothing from a refused ping: no run of their jobs, nothing parked.
        for (String slug : List.of("hostile-a", "hostile-b", "hostile-c", "hostile-d", "hostile-f", "hostile-g")) {
            assertThat(app.store().runsOfJob(ping(slug), 10)).as(slug).isEmpty();
        }
        assertThat(app.store().runsOfJob(ping("hostile-e"), 10)).isEmpty();
        assertThat(app.store().parked(100)).isEmpty();
        Run cut = app.store().runsOfJob(ping("hostile-i"), 10).get(0);
        assertThat(app.details().of(cut.key(), java.time.Instant.now()).get(0).text()).hasSize(10_000);
        Run replaced = app.store().runsOfJob(ping("hostile-j"), 10).get(0);
        assertThat(replaced.error()).isEqualTo("exit status 1\nok\uFFFD(\uFFFD\uFFFDz");
        long in = good + hostile.size();
        assertThat(stored + hostileStored + (hostile.size() - hostileStored)).isEqualTo(in);
        ReliabilityLedger.record(new ReliabilityLedger.Row("hostile input", "HTTP pings: 10 hostile request classes",
                "100 good runs pinged (start and success with a rid: 200 pings), one hostile request after every 10th run: "
                        + String.join(", ", hostile.stream().map(HostilePing::name).toList()),
                in, stored + hostileStored, lost, -1,
                (hostile.size() - hostileStored) + " refused with Healthchecks' status and what to fix (" + trim(answers)
                        + "), nothing stored or parked for them (no run of their jobs); the 25 KB body kept its first"
                        + " 10,000 bytes and the invalid UTF-8 was kept with replacement characters (Healthchecks keeps"
                        + " such bodies too): 2 runs; server answered /healthz after each"));
    }

    /** One hostile OpenLineage request and what it must get. */
    record HostileLineage(String name, byte[] body, String[] headers, int status, String phrase, int parked) {
    }

    @Test
    void lineage_answersEveryHostileRequestClearly_storesNothingFromIt_andEveryGoodEvent() throws Exception {
        String[] key = {"Authorization", "Bearer " + API_KEY, "Content-Type", "application/json"};
        ObjectNode sample = LineageSamples.read("runevent-start.spec.json");
        ArrayNode tooMany = MAPPER.createArrayNode();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(sample);
        }
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
            gz.write(new byte[8 * 1024 * 1024]);
        }
        ObjectNode schema = sample.deepCopy();
        schema.put("eventType", "STARTED");
        ((ObjectNode) schema.get("run")).put("runId", "not-a-uuid");
        ObjectNode old = sample.deepCopy();
        old.put("eventTime", "1970-01-01T00:00:00Z");
        ObjectNode facet = sample.deepCopy();
        facet.put("eventType", "FAIL");
        ((ObjectNode) facet.get("run")).putObject("facets").putObject("errorMessage").put("message", "boom");
        List<HostileLineage> hostile = List.of(
                new HostileLineage("wrong key", bytes(sample), new String[] {"Authorization", "Bearer nope"}, 401, "missing or wrong API key", 0),
                new HostileLineage("invalid JSON", "{\"eventType\": \"START\",".getBytes(), key, 400, "invalid JSON", 1),
                new HostileLineage("schema violations", bytes(schema), key, 400, "eventType: expected one of START, RUNNING", 1),
                new HostileLineage("known facet without its required fields", bytes(facet), key, 400,
                        "run.facets.errorMessage.programmingLanguage: missing", 1),
                new HostileLineage("event time in 1970", bytes(old), key, 400, "eventTime: expected a time between", 1),
                new HostileLineage("2 MB body", new byte[2 * 1024 * 1024], key, 413, "over the limit of 1048576 bytes", 0),
                new HostileLineage("1,001-event batch", bytes(tooMany), key, 413, "more than 1000 events in one request", 0),
                new HostileLineage("gzip bomb (8 MB of zeros in 8 KB)", bomb.toByteArray(),
                        new String[] {"Authorization", "Bearer " + API_KEY, "Content-Encoding", "gzip"}, 413,
                        "over the limit of 1048576 bytes once decompressed", 0),
                new HostileLineage("nesting depth 10,000", ("{\"run\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}")
                        .getBytes(), key, 400, "nesting depth", 1),
                new HostileLineage("a JSON number", "42".getBytes(), key, 400, "(event): expected a JSON object", 1));
        List<JobKey> goodJobs = new ArrayList<>();
        long good = 0;
        int parked = 0;
        StringBuilder answers = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            ObjectNode start = sample.deepCopy();
            String runId = UUID.randomUUID().toString();
            ((ObjectNode) start.get("run")).put("runId", runId);
            ((ObjectNode) start.get("job")).put("name", "good-task-" + (i % 10));
            ObjectNode end = start.deepCopy();
            end.put("eventType", "COMPLETE");
            end.put("eventTime", "2020-12-09T23:52:01.500Z");
            ArrayNode batch = MAPPER.createArrayNode().add(start).add(end);
            HttpResponse<String> ok = send("POST", "/api/v1/lineage", bytes(batch), key);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            JobKey job = new JobKey("", "", JobSource.OPENLINEAGE, "my-scheduler-namespace/good-task-" + (i % 10));
            if (!goodJobs.contains(job)) {
                goodJobs.add(job);
            }
            good += 2;
            if (i % 10 == 5) {
                HostileLineage h = hostile.get(i / 10);
                HttpResponse<String> r = send("POST", "/api/v1/lineage", h.body(), h.headers());
                assertThat(r.statusCode()).as(h.name() + ": " + r.body()).isEqualTo(h.status());
                assertThat(r.body()).as(h.name()).contains(h.phrase());
                answers.append(h.name()).append(" → ").append(r.statusCode()).append("; ");
                parked += h.parked();
                assertThat(app.store().parked(1000)).as(h.name()).hasSize(parked);
                up(h.name());
            }
        }
        long stored = storedEvents(goodJobs);
        long lost = good - stored;
        assertThat(lost).isZero();
        // Nothing else was stored: the only runs are the good jobs' (the sample's own job never got a run).
        assertThat(app.store().runsOfJob(new JobKey("", "", JobSource.OPENLINEAGE, "my-scheduler-namespace/myjob.mytask"), 10))
                .isEmpty();
        assertThat(app.store().openRuns()).isEmpty();
        long in = good + hostile.size();
        ReliabilityLedger.record(new ReliabilityLedger.Row("hostile input", "HTTP OpenLineage: 10 hostile request classes",
                "100 good START + COMPLETE batches (200 events), one hostile request after every 10th: "
                        + String.join(", ", hostile.stream().map(HostileLineage::name).toList()),
                in, stored, lost, -1,
                hostile.size() + " refused with the field, what is expected and how to fix it (" + trim(answers) + "); none"
                        + " stored; " + parked + " with a valid key but unreadable or invalid were parked with their"
                        + " reasons, none for a wrong key or a request refused whole (413: over the body, event-count"
                        + " or decompressed limit); server answered /healthz after each"));
    }

    static String trim(StringBuilder answers) {
        return answers.toString().replaceAll("; $", "");
    }

    static byte[] bytes(JsonNode n) throws Exception {
        return MAPPER.writeValueAsBytes(n);
    }
}
