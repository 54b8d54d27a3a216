package io.jobwatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.store.ParkedEvent;
import io.jobwatch.core.store.StoreFixtures;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /events bounds: 256 KB per event, 10,000 events per request, 100 parked rows per request, plausible times. */
class EventsLimitsHttpTest {
    static final String KEY = "limits-key-0123456789";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;
    LocalApp app;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        app = LocalApp.start(LocalApp.defaults(dir.resolve("jobwatch.db")).bind("127.0.0.1", 0)
                .clock(Clock.fixed(Instant.parse("2026-03-20T00:00:00Z"), ZoneOffset.UTC))
                .env(Map.of(ApiKey.ENV, KEY)).scheduler(false));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    static ObjectNode fixture(String name, String id) throws Exception {
        ObjectNode e = (ObjectNode) MAPPER.readTree(Files.readString(StoreFixtures.repo().resolve("examples/events/" + name)));
        e.put("id", id);
        return e;
    }

    HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(app.uri().resolve("/events")).header("x-api-key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anEventOver256KB_isRejectedNamingTheLimit_whileTheRequestsOtherEventsAreStored_207() throws Exception {
        ObjectNode big = fixture("glue-job/failed.json", "big");
        ((ObjectNode) big.path("detail")).put("padding", "x".repeat(300 * 1024));
        String body = "[" + fixture("glue-job/failed.json", "a") + "," + big + "," + fixture("batch/failed.json", "b") + "]";
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
        JsonNode results = MAPPER.readTree(r.body()).path("results");
        assertThat(results.get(0).path("outcome").asText()).as(r.body().substring(0, Math.min(2000, r.body().length()))).isEqualTo("CREATED");
        assertThat(results.get(1).path("error").asText()).startsWith("event 1 (line 1): (event): expected at most "
                + "262144 bytes (256 KB, EventBridge's event size limit), found ");
        assertThat(results.get(1).path("parked").asBoolean()).isTrue();
        assertThat(results.get(2).path("outcome").asText()).isEqualTo("CREATED");
        assertThat(app.store().latestPerJob()).hasSize(2);
        assertThat(app.store().parked(10)).singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("expected at most 262144 bytes"));
        // Alone, the oversized event gets a 400 (nothing accepted).
        assertThat(post(big.toString()).statusCode()).isEqualTo(400);
    }

    @Test
    void aRequestOfMoreThan10000Events_isRefused413_withNothingStoredOrParked() throws Exception {
        HttpResponse<String> r = post("[" + "0,".repeat(99_999) + "0]");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(MAPPER.readTree(r.body()).path("error").asText()).isEqualTo("more than 10000 events in one request: "
                + "send at most 10000 per request (nothing of this request was stored)");
        assertThat(app.store().parked(10)).isEmpty();
        assertThat(app.store().latestPerJob()).isEmpty();
        // 10,000 is still one request's worth: each element gets its own outcome (here: not an event).
        HttpResponse<String> limit = post("[" + "0,".repeat(9_999) + "0]");
        assertThat(limit.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(limit.body()).path("results")).hasSize(10_000);
    }

    @Test
    void atMost100RejectedEventsOfARequestAreParkedOneByOne_theRestShareOneRow_andEachKeepsItsError() throws Exception {
        HttpResponse<String> r = post("[" + "1,".repeat(249) + "1]");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode results = MAPPER.readTree(r.body()).path("results");
        assertThat(results).hasSize(250);
        assertThat(results.get(99).path("parked").asBoolean()).isTrue();
        assertThat(results.get(100).path("parked").asBoolean()).isFalse();
        assertThat(results.get(249).path("error").asText()).contains("expected a JSON object");
        List<ParkedEvent> parked = app.store().parked(1000);
        assertThat(parked).hasSize(101);
        assertThat(parked).filteredOn(p -> p.reason().startsWith("150 more rejected event(s) of this request "
                + "(events 100 to 249) were not parked one by one: at most 100 per request")).hasSize(1);
    }

    @Test
    void eventTimesOutsideThePlausibleWindow_areRejectedWithTheBounds_400() throws Exception {
        for (String time : List.of("9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z")) {
            ObjectNode e = fixture("glue-job/failed.json", "t-" + time);
            e.put("time", time);
            HttpResponse<String> r = post(e.toString());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(MAPPER.readTree(r.body()).path("results").get(0).path("error").asText())
                    .isEqualTo("event 0 (line 1): time: expected a time between 2016-03-22T00:00:00Z and "
                            + "2026-03-21T00:00:00Z (at most 3650 days before and 1 day after now), found \"" + time + "\"");
        }
        assertThat(app.store().latestPerJob()).isEmpty();
    }
}
