package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.sim.SimOptions;
import io.jobwatch.sim.Simulator;
import io.jobwatch.local.ApiKey;
import io.jobwatch.local.LocalApp;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile bodies on POST /events, interleaved with good events: a clear error each, every good one stored. */
class HostileHttpInputTest {
    static final String KEY = "hostile-key-5f1c2b";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;
    LocalApp app;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        app = LocalApp.start(LocalApp.defaults(dir.resolve("jobwatch.db")).bind("127.0.0.1", 0)
                .env(Map.of(ApiKey.ENV, KEY)).scheduler(false));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    HttpResponse<String> post(byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(app.uri().resolve("/events")).header("x-api-key", KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<ObjectNode> goodEvents(int n) {
        List<ObjectNode> out = new ArrayList<>();
        for (Simulator.Delivery d : new Simulator(SimOptions.defaults().withScenarios(false)).simulate(SimulatedDay.DAY, 1)) {
            if (out.size() == n) {
                break;
            }
            out.add(d.event());
        }
        return out;
    }

    static Map<String, byte[]> hostile(ObjectNode sample) throws Exception {
        String good = MAPPER.writeValueAsString(sample);
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("malformed JSON", "{\"version\": \"0\", \"id\": ".getBytes(StandardCharsets.UTF_8));
        m.put("truncated event", good.substring(0, good.length() / 2).getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream utf8 = new ByteArrayOutputStream();
        int cut = good.indexOf("\"detail-type\"") + 15;
        utf8.write(good.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        utf8.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        utf8.write(good.substring(cut).getBytes(StandardCharsets.UTF_8));
        m.put("invalid UTF-8", utf8.toByteArray());
        ObjectNode big = sample.deepCopy();
        ((ObjectNode) big.path("detail")).put("padding", "x".repeat(300 * 1024));
        big.put("id", "big-" + sample.path("id").asText());
        m.put("300 KB event", MAPPER.writeValueAsBytes(big));
        m.put("nesting depth 10,000", ("{\"detail\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}")
                .getBytes(StandardCharsets.UTF_8));
        m.put("100,000-element array", ("[" + "0,".repeat(99_999) + "0]").getBytes(StandardCharsets.UTF_8));
        ObjectNode wrong = sample.deepCopy();
        wrong.put("time", 42);
        wrong.put("id", "wrong-" + sample.path("id").asText());
        m.put("wrong types", MAPPER.writeValueAsBytes(wrong));
        ObjectNode unknown = sample.deepCopy();
        unknown.put("source", "aws.ec2");
        unknown.put("id", "unknown-" + sample.path("id").asText());
        m.put("unknown source", MAPPER.writeValueAsBytes(unknown));
        ObjectNode future = sample.deepCopy();
        future.put("time", "9999-12-31T23:59:59Z");
        future.put("id", "future-" + sample.path("id").asText());
        m.put("time in year 9999", MAPPER.writeValueAsBytes(future));
        ObjectNode past = sample.deepCopy();
        past.put("time", "1970-01-01T00:00:00Z");
        past.put("id", "past-" + sample.path("id").asText());
        m.put("time in 1970", MAPPER.writeValueAsBytes(past));
        return m;
    }

    /** What each hostile body must get: the HTTP status and a phrase of the error (null: accepted as an event). */
    static final Map<String, Object[]> EXPECTED = Map.of(
            "malformed JSON", new Object[] {400, "invalid JSON at line 1, column 24"},
            "truncated event", new Object[] {400, "invalid JSON at line 1"},
            "invalid UTF-8", new Object[] {400, "Invalid UTF-8"},
            "300 KB event", new Object[] {400, "(event): expected at most 262144 bytes (256 KB, EventBridge's event size limit)"},
            "nesting depth 10,000", new Object[] {400, "nesting depth (1001) exceeds the maximum allowed (1000"},
            "100,000-element array", new Object[] {413, "more than 10000 events in one request: send at most 10000 per request"},
            "wrong types", new Object[] {400, "time: expected a non-empty string, found a number (42)"},
            "unknown source", new Object[] {200, "unsupported event: source=aws.ec2"},
            "time in year 9999", new Object[] {400, "time: expected a time between"},
            "time in 1970", new Object[] {400, "time: expected a time between"});

    @Test
    void events_answersEveryHostileBodyWithAClearError_storesEveryGoodEvent_andStaysUp() throws Exception {
        List<ObjectNode> good = goodEvents(100);
        Map<String, byte[]> hostile = hostile(good.get(0));
        List<String> names = new ArrayList<>(hostile.keySet());
        int accepted = 0;
        int refused = 0;
        long hostileIn = 0;
        StringBuilder errors = new StringBuilder();
        long hugeMs = -1;
        int parkedBefore = 0;
        int parkedByHuge = -1;
        for (int i = 0; i < good.size(); i++) {
            HttpResponse<String> ok = post(MAPPER.writeValueAsBytes(good.get(i)));
            assertThat(ok.statusCode()).as("good event %d: %s", i, ok.body()).isEqualTo(200);
            accepted++;
            if (i % 10 == 5) {
                String name = names.get(i / 10);
                parkedBefore = app.store().parked(200_000).size();
                long t = System.nanoTime();
                HttpResponse<String> r = post(hostile.get(name));
                Object[] want = EXPECTED.get(name);
                JsonNode body = MAPPER.readTree(r.body());
                assertThat(r.statusCode()).as(name + ": " + r.body()).isEqualTo(want[0]);
                boolean wholeRequest = r.statusCode() == 413; // refused whole: every element counts as refused
                int n = wholeRequest ? 100_000 : body.path("results").size();
                if (wholeRequest) {
                    hugeMs = (System.nanoTime() - t) / 1_000_000;
                    parkedByHuge = app.store().parked(200_000).size() - parkedBefore;
                    assertThat(parkedByHuge).as("nothing parked for a refused request").isZero();
                }
                hostileIn += n;
                if (want[1] == null) {
                    assertThat(body.path("accepted").asInt()).as(name).isEqualTo(1);
                    accepted++;
                } else {
                    String first = wholeRequest ? body.path("error").asText()
                            : body.path("results").get(0).path(r.statusCode() == 200 ? "reason" : "error").asText();
                    assertThat(first).as(name).contains((String) want[1]);
                    refused += n;
                    errors.append(name).append(" → ").append(r.statusCode()).append("; ");
                }
                assertThat(http.send(HttpRequest.newBuilder(app.uri().resolve("/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as("up after " + name).isEqualTo(200);
            }
        }
        assertThat(names).hasSize(10);

        // Every accepted event is in the store: the runs of their jobs hold exactly that many events.
        io.jobwatch.core.normalize.EventNormalizer normalizer = new io.jobwatch.core.normalize.EventNormalizer();
        long stored = good.stream().map(e -> ((io.jobwatch.core.normalize.Normalization.Normalized) normalizer.normalize(e))
                        .event().job()).distinct()
                .flatMap(job -> app.store().runsOfJob(job, 10_000).stream())
                .mapToLong(io.jobwatch.core.store.Run::eventCount).sum();
        long lost = accepted - stored;
        assertThat(lost).isZero();
        assertThat(good.size() + hostileIn).isEqualTo(stored + refused);
        ReliabilityLedger.record(new ReliabilityLedger.Row("hostile input", "HTTP POST /events: 10 hostile body classes",
                "100 good simulated events, one hostile body after every 10th: " + String.join(", ", names),
                good.size() + hostileIn, stored, lost, -1,
                refused + " hostile events refused with a specific error or ignored with the reason (" + errors
                        + "the 100,000-element array was refused whole in " + hugeMs + " ms with " + parkedByHuge
                        + " rows parked — at most 10,000 events per request; the 300 KB event named EventBridge's "
                        + "256 KB limit; times in 9999 and 1970 named the accepted window [now − 3650 d, now + 1 d]); "
                        + "server answered /healthz after each"));
    }
}
