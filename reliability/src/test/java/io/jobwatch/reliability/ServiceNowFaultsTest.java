package io.jobwatch.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.store.StoreFixtures;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.local.ApiKey;
import io.jobwatch.local.LocalApp;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ServiceNow misbehaves (connection reset, 503, 429 with Retry-After, wrong credentials) and the local server stops
 * between writing incident actions to its outbox and sending them. After the restart every action reaches ServiceNow
 * exactly once, in each incident's order; wrong credentials park the action visibly, and no secret is ever printed.
 */
class ServiceNowFaultsTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String TABLE = "/api/now/table/incident";
    static final String API_KEY = "api-key-Secr3t-6b1f0c";
    static final String PASSWORD = "sn-Passw0rd-9e77d2";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();
    final List<String> log = new CopyOnWriteArrayList<>();

    LocalApp start(TestClock clock, String password) throws Exception {
        return LocalApp.start(LocalApp.defaults(dir.resolve("jobwatch.db")).bind("127.0.0.1", 0).clock(clock)
                .env(Map.of(ApiKey.ENV, API_KEY, "SERVICENOW_URL", wm.baseUrl(), "SERVICENOW_USER", "svc-jobwatch",
                        "SERVICENOW_PASSWORD", password)).scheduler(false).log(log::add));
    }

    static String event(String id, String job, String runId, String state, Instant at) throws Exception {
        ObjectNode e = (ObjectNode) MAPPER.readTree(Files.readString(StoreFixtures.repo()
                .resolve("examples/events/glue-job/failed.json")));
        e.put("id", id).put("time", at.toString());
        ((ObjectNode) e.path("detail")).put("jobName", job).put("jobRunId", runId).put("state", state)
                .put("message", state.equals("FAILED") ? "boom in " + job : "done");
        return MAPPER.writeValueAsString(e);
    }

    int post(LocalApp app, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(app.uri().resolve("/events")).header("x-api-key", API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    static void stubCreate(String job, String sysId) {
        wm.stubFor(WireMock.post(urlPathEqualTo(TABLE)).atPriority(5)
                .withRequestBody(matchingJsonPath("$.correlation_id", WireMock.containing(":" + job)))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"result\":{\"sys_id\":\"" + sysId + "\",\"number\":\"INC" + sysId + "\",\"state\":\"1\"}}")));
    }

    @Test
    void everyIncidentActionIsSentOnceInOrder_afterARestartBetweenOutboxWriteAndSend_throughResets5xxAnd429()
            throws Exception {
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE)).willReturn(okJson("{\"result\":[]}")));
        stubCreate("orders-etl", "1001");
        stubCreate("ledger-load", "1002");
        // Before ServiceNow answers properly: a reset connection, a 503, then a 429 asking to wait 1 s.
        String s = "flaky";
        wm.stubFor(WireMock.any(urlPathMatching(TABLE + ".*")).atPriority(1).inScenario(s)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("503")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        wm.stubFor(WireMock.any(urlPathMatching(TABLE + ".*")).atPriority(1).inScenario(s)
                .whenScenarioStateIs("503").willSetStateTo("429")
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":{\"message\":\"maintenance\"}}")));
        wm.stubFor(WireMock.any(urlPathMatching(TABLE + ".*")).atPriority(1).inScenario(s)
                .whenScenarioStateIs("429").willSetStateTo("ok")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        for (String sysId : List.of("1001", "1002")) {
            wm.stubFor(WireMock.patch(urlPathEqualTo(TABLE + "/" + sysId)).atPriority(5).willReturn(okJson(
                    "{\"result\":{\"sys_id\":\"" + sysId + "\",\"number\":\"INC" + sysId + "\",\"state\":\"2\"}}")));
        }

        TestClock clock = new TestClock(Instant.parse("2026-03-02T01:00:00Z"));
        Instant t = clock.instant();
        int actions;
        try (LocalApp app = start(clock, PASSWORD)) {
            // orders-etl: fails, fails again, then succeeds → open, work note, resolve. ledger-load: fails → open.
            assertThat(post(app, event("e1", "orders-etl", "jr_1", "FAILED", t))).isEqualTo(200);
            assertThat(post(app, event("e2", "ledger-load", "jr_7", "FAILED", t))).isEqualTo(200);
            assertThat(post(app, event("e3", "orders-etl", "jr_2", "FAILED", t.plusSeconds(3600)))).isEqualTo(200);
            assertThat(post(app, event("e4", "orders-etl", "jr_3", "SUCCEEDED", t.plusSeconds(7200)))).isEqualTo(200);
            actions = app.incidents().pending().size();
            assertThat(actions).isEqualTo(4);
        } // the process stops here: the actions are in the outbox, none was sent
        wm.resetRequests();

        long recoveryMs;
        try (LocalApp app = start(clock, PASSWORD)) {
            long started = System.nanoTime();
            for (int i = 0; i < 60 && !app.incidents().pending().isEmpty(); i++) {
                app.work().sendOutbox();
                clock.advance(Duration.ofSeconds(30)); // the backoff and Retry-After pass on the injected clock
            }
            recoveryMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(app.incidents().pending()).isEmpty();
        }
        List<ServeEvent> served = new ArrayList<>(wm.getAllServeEvents());
        Collections.reverse(served);
        List<String> delivered = served.stream().filter(e -> e.getResponse().getStatus() / 100 == 2)
                .filter(e -> !e.getRequest().getMethod().getName().equals("GET"))
                .map(e -> e.getRequest().getMethod().getName() + " " + e.getRequest().getUrl().replaceAll("\\?.*", "")
                        + " " + (e.getRequest().getBodyAsString().contains("\"state\":\"6\"") ? "resolve"
                        : e.getRequest().getBodyAsString().contains("ledger-load") ? "ledger" : "orders"))
                .toList();
        List<String> orders = delivered.stream().filter(d -> !d.endsWith("ledger")).toList();
        assertThat(orders).containsExactly("POST " + TABLE + " orders", "PATCH " + TABLE + "/1001 orders",
                "PATCH " + TABLE + "/1001 resolve");
        assertThat(delivered).filteredOn(d -> d.endsWith("ledger")).containsExactly("POST " + TABLE + " ledger");
        // All three faults were served (the scenario only advances when one is), then everything went through.
        assertThat(wm.getAllScenarios().getScenarios()).singleElement().satisfies(sc -> assertThat(sc.getState()).isEqualTo("ok"));
        int faults = 3;
        assertSecretsAbsent(log);
        ReliabilityLedger.record(new ReliabilityLedger.Row("ServiceNow", "reset, 503, 429 + Retry-After, restart "
                + "between outbox write and send", "4 incident actions (2 incidents) written to the outbox, server "
                + "stopped before sending; after restart ServiceNow resets the connection, answers 503, then 429 "
                + "Retry-After: 1", actions, delivered.size(), actions - delivered.size(), recoveryMs,
                "each action delivered exactly once, in each incident's order (open → work note → resolve); "
                        + faults + " failed attempts retried with backoff; no secret in " + log.size() + " log lines"));
    }

    @Test
    void wrongCredentials_parkTheActionVisibly_andNoSecretAppearsInLogsPagesOrErrors() throws Exception {
        wm.stubFor(WireMock.any(urlPathMatching(TABLE + ".*")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"User Not Authenticated\",\"detail\":\"Required to provide Auth information\"},\"status\":\"failure\"}")));
        TestClock clock = new TestClock(Instant.parse("2026-03-02T01:00:00Z"));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(tee);
        System.setErr(tee);
        StringBuilder pages = new StringBuilder();
        OutboxEntry parked;
        try (LocalApp app = start(clock, PASSWORD)) {
            assertThat(post(app, event("e1", "orders-etl", "jr_1", "FAILED", clock.instant()))).isEqualTo(200);
            for (int i = 0; i < 20 && !app.incidents().pending().isEmpty(); i++) {
                app.work().sendOutbox();
                clock.advance(Duration.ofMinutes(10));
            }
            assertThat(app.incidents().pending()).as("a 401 is not retried forever").isEmpty();
            for (String page : List.of("/", "/incidents", "/api/outbox", "/api/incidents", "/metrics", "/sla",
                    "/api/jobs")) {
                pages.append(http.send(HttpRequest.newBuilder(app.uri().resolve(page)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            }
            assertThat(pages.toString()).contains("401");
            assertThat(app.incidents().parked()).hasSize(1);
            parked = app.incidents().parked().get(0);
            String outbox = http.send(HttpRequest.newBuilder(app.uri().resolve("/api/outbox")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(MAPPER.readTree(outbox).path("parked")).hasSize(1);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(parked.status()).isEqualTo(OutboxEntry.Status.PARKED);
        assertThat(parked.responseStatus()).isEqualTo(401);
        List<String> all = new ArrayList<>(log);
        all.add(captured.toString(StandardCharsets.UTF_8));
        all.add(pages.toString());
        assertSecretsAbsent(all);
        ReliabilityLedger.record(new ReliabilityLedger.Row("ServiceNow", "wrong credentials (401)",
                "every Table API call answered 401 for 1 incident action", 1, 0, 0, -1,
                "the action is parked (not retried forever) and shown with its 401 on /incidents and /api/outbox — "
                        + "it is not lost, it waits for a retry after the credentials are fixed; no API key or "
                        + "ServiceNow password in logs, stdout/stderr, pages or errors"));
    }

    static void assertSecretsAbsent(List<String> texts) {
        for (String s : texts) {
            assertThat(s).doesNotContain(API_KEY).doesNotContain(PASSWORD)
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(("svc-jobwatch:" + PASSWORD)
                            .getBytes(StandardCharsets.UTF_8)));
        }
    }
}
