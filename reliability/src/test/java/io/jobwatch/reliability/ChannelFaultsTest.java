package io.jobwatch.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.local.ApiKey;
import io.jobwatch.local.LocalApp;
import io.jobwatch.notify.WebhookChannel;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A team's channels misbehave while incidents go on: Slack unreachable for an hour, PagerDuty answering 429 for half
 * an hour, PagerDuty refusing a wrong routing key. The local server (its real outbox, SQLite, the channels' real HTTP
 * clients) sends to WireMock playing each service's documented answers. Every action reaches every channel that can
 * take it exactly once, in each incident's order; a channel's trouble holds back only its own line; a wrong key parks
 * that channel's actions visibly; no webhook URL, key or signing secret is ever printed.
 */
class ChannelFaultsTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String API_KEY = "api-key-Secr3t-4c2d9e";
    static final String SLACK_PATH = "/services/T0ERP/B0ERP/slackTokenSecr3t0123456789";
    static final String PD_PATH = "/v2/enqueue";
    static final String HOOK_PATH = "/jobwatch";
    static final String PD_KEY = "R0UT1NGKEYsecr3t0123456789abcdef"; // 32 characters, as PagerDuty requires
    static final String HOOK_SECRET = "whsec-Secr3t-81f0a2c4";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String CATALOG = """
            version: 1
            accounts:
              "111122223333": {system: ERP, environment: prod}
            teams:
              erp-ops:
                channels:
                  - {type: slack, url: "${SLACK_ERP_WEBHOOK}"}
                  - {type: pagerduty, routingKey: "${PD_ERP_KEY}", url: "${PD_URL}"}
                  - {type: webhook, url: "${HOOK_URL}", secret: "${ERP_HOOK_SECRET}"}
            defaults:
              team: erp-ops
              criticality: critical
              incident: {enabled: true, openAfterConsecutiveFailures: 1, resolveAfterConsecutiveSuccesses: 1, flapDampingWindow: 0m}
            """;

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newHttpClient();
    final List<String> log = new CopyOnWriteArrayList<>();

    LocalApp start(TestClock clock, String pdKey) throws Exception {
        return LocalApp.start(LocalApp.defaults(dir.resolve("jobwatch.db")).bind("127.0.0.1", 0).clock(clock)
                .catalog(((CatalogResult.Loaded) CatalogLoader.load("jobwatch.yml", CATALOG)).catalog())
                .env(Map.of(ApiKey.ENV, API_KEY, "SLACK_ERP_WEBHOOK", wm.baseUrl() + SLACK_PATH,
                        "PD_ERP_KEY", pdKey, "PD_URL", wm.baseUrl() + PD_PATH, "HOOK_URL", wm.baseUrl() + HOOK_PATH,
                        "ERP_HOOK_SECRET", HOOK_SECRET))
                .scheduler(false).log(log::add));
    }

    int post(LocalApp app, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(app.uri().resolve("/events")).header("x-api-key", API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Two incidents: orders fails, fails again, recovers (open, update, resolve); ledger fails (open). */
    void incidents(LocalApp app, Instant t) throws Exception {
        assertThat(post(app, ServiceNowFaultsTest.event("e1", "orders-etl", "jr_1", "FAILED", t))).isEqualTo(200);
        assertThat(post(app, ServiceNowFaultsTest.event("e2", "ledger-load", "jr_7", "FAILED", t))).isEqualTo(200);
        assertThat(post(app, ServiceNowFaultsTest.event("e3", "orders-etl", "jr_2", "FAILED", t.plusSeconds(60))))
                .isEqualTo(200);
        assertThat(post(app, ServiceNowFaultsTest.event("e4", "orders-etl", "jr_3", "SUCCEEDED", t.plusSeconds(120))))
                .isEqualTo(200);
    }

    static void stubWebhookReceiver() {
        // A receiver that checks the signature the way docs/channels.md tells one to.
        wm.stubFor(WireMock.post(urlPathEqualTo(HOOK_PATH)).atPriority(5)
                .andMatching(r -> MatchResult.of(WebhookChannel.verify(HOOK_SECRET.getBytes(StandardCharsets.UTF_8),
                        r.getBody(), r.getHeader(WebhookChannel.SIGNATURE_HEADER))))
                .willReturn(aResponse().withStatus(202)));
        wm.stubFor(WireMock.post(urlPathEqualTo(HOOK_PATH)).atPriority(9).willReturn(aResponse().withStatus(401)));
    }

    static void stubSlackOk() {
        wm.stubFor(WireMock.post(urlPathEqualTo(SLACK_PATH)).atPriority(5)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("ok")));
    }

    static void stubPagerDutyAccepting() {
        wm.stubFor(WireMock.post(urlPathEqualTo(PD_PATH)).atPriority(5).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"k\"}")));
    }

    /** Successful deliveries, oldest first, as "path what", e.g. "/v2/enqueue trigger orders-etl". */
    static List<String> delivered(String path) {
        List<ServeEvent> served = new ArrayList<>(wm.getAllServeEvents());
        Collections.reverse(served);
        List<String> out = new ArrayList<>();
        for (ServeEvent e : served) {
            if (!e.getRequest().getUrl().startsWith(path) || !answered(e) || e.getResponse().getStatus() / 100 != 2) {
                continue;
            }
            out.add(what(e.getRequest().getBodyAsString()));
        }
        return out;
    }

    /** Whether the service answered (a reset connection is logged with the stub's status, but no answer went out). */
    static boolean answered(ServeEvent e) {
        return e.getResponseDefinition().getFault() == null;
    }

    /** "open orders-etl", "update orders-etl", "resolve orders-etl" … from any channel's body. */
    static String what(String body) {
        try {
            JsonNode n = MAPPER.readTree(body);
            String job = body.contains("ledger-load") ? "ledger-load" : "orders-etl";
            if (n.has("event_action")) { // PagerDuty
                return (n.path("event_action").asText().equals("resolve") ? "resolve"
                        : n.at("/payload/custom_details/action").asText()) + " " + job;
            }
            if (n.has("event")) { // webhook
                return n.path("event").asText().replace("incident.", "").replace("opened", "open")
                        .replace("updated", "update").replace("resolved", "resolve") + " " + job;
            }
            String text = n.path("text").asText(); // Slack
            return (text.startsWith("Incident opened") ? "open" : text.startsWith("Resolved") ? "resolve"
                    : text.startsWith("Failed again") ? "update" : text) + " " + job;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final List<String> EXPECTED_ORDERS = List.of("open orders-etl", "update orders-etl", "resolve orders-etl");

    @Test
    void slackDownForAnHour_andPagerDuty429ForHalfAnHour_everyActionArrivesOnceInOrder_noLineHoldsAnotherBack()
            throws Exception {
        stubWebhookReceiver();
        // Slack: connection reset for the first hour.
        StubMapping slackDown = wm.stubFor(WireMock.post(urlPathEqualTo(SLACK_PATH)).atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        stubSlackOk();
        // PagerDuty: 429 (go-pagerduty's modelled body, no Retry-After) for the first half hour.
        StubMapping pdThrottled = wm.stubFor(WireMock.post(urlPathEqualTo(PD_PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"throttle exceeded\",\"message\":\"Requests for this service are"
                                + " arriving too quickly.  Please retry later.\",\"errors\":[\"Enhance Your Calm\"]}")));
        stubPagerDutyAccepting();

        TestClock clock = new TestClock(Instant.parse("2026-03-02T01:00:00Z"));
        Instant t0 = clock.instant();
        int actionsPerChannel = 4;
        int pdUp = -1;
        int slackUp = -1;
        long recoveryMs;
        int ticks = 0;
        try (LocalApp app = start(clock, PD_KEY)) {
            incidents(app, t0);
            long started = 0;
            for (; ticks < 200 && !app.incidents().pending().isEmpty(); ticks++) {
                app.work().sendOutbox();
                clock.advance(Duration.ofMinutes(1)); // the outbox's backoff and Retry-After run on the injected clock
                Duration since = Duration.between(t0, clock.instant());
                if (pdUp < 0 && since.compareTo(Duration.ofMinutes(30)) >= 0) {
                    wm.removeStub(pdThrottled);
                    pdUp = ticks;
                }
                if (slackUp < 0 && since.compareTo(Duration.ofHours(1)) >= 0) {
                    wm.removeStub(slackDown);
                    slackUp = ticks;
                    started = System.nanoTime();
                }
                if (slackUp < 0) {
                    // While Slack is down the other lines are not held back: by the half hour the webhook has all.
                    if (since.compareTo(Duration.ofMinutes(20)) == 0) {
                        assertThat(delivered(HOOK_PATH)).hasSize(actionsPerChannel);
                        assertThat(delivered(SLACK_PATH)).isEmpty();
                    }
                }
            }
            recoveryMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(app.incidents().pending()).as("nothing left").isEmpty();
            assertThat(app.incidents().parked()).as("nothing parked: the faults pass").isEmpty();
        }
        Map<String, List<String>> got = new LinkedHashMap<>();
        got.put("slack", delivered(SLACK_PATH));
        got.put("pagerduty", delivered(PD_PATH));
        got.put("webhook", delivered(HOOK_PATH));
        for (Map.Entry<String, List<String>> g : got.entrySet()) {
            assertThat(g.getValue()).as(g.getKey()).hasSize(actionsPerChannel);
            assertThat(g.getValue().stream().filter(w -> w.endsWith("orders-etl")).toList()).as(g.getKey())
                    .containsExactlyElementsOf(EXPECTED_ORDERS);
            assertThat(g.getValue()).as(g.getKey()).contains("open ledger-load");
        }
        long slackFailures = wm.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().startsWith(SLACK_PATH))
                .filter(e -> !answered(e)).count();
        long pdThrottles = wm.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().startsWith(PD_PATH))
                .filter(e -> e.getResponse().getStatus() == 429).count();
        assertThat(slackFailures).isPositive();
        assertThat(pdThrottles).isPositive();
        assertSecretsAbsent(log);
        ReliabilityLedger.record(new ReliabilityLedger.Row("channels", "a channel down for an hour (Slack)",
                "a team with Slack, PagerDuty and a signed webhook; 2 incidents (open, work note, resolve; open) while"
                        + " Slack's webhook resets every connection for 1 h of the server's clock (outbox sent every"
                        + " minute)", actionsPerChannel, got.get("slack").size(),
                actionsPerChannel - got.get("slack").size(), recoveryMs,
                slackFailures + " failed attempts retried with backoff; after Slack came back each action arrived"
                        + " exactly once, in each incident's order; the webhook had all 4 by minute 20 (Slack's line"
                        + " held back no other); no webhook URL, key or secret in " + log.size() + " log lines"));
        ReliabilityLedger.record(new ReliabilityLedger.Row("channels", "a channel answering 429 for a while"
                + " (PagerDuty)", "the same run: PagerDuty's Events API answers 429 (\"throttle exceeded\", no"
                + " Retry-After) for 30 min", actionsPerChannel, got.get("pagerduty").size(),
                actionsPerChannel - got.get("pagerduty").size(), -1,
                pdThrottles + " throttled requests, each retried after 30 s at least (PagerDuty's advice); then"
                        + " trigger, trigger, resolve for orders-etl (one dedup_key) and trigger for ledger-load,"
                        + " each once"));
    }

    @Test
    void aWrongPagerDutyKey_parksPagerDutysActionsVisibly_whileSlackAndTheWebhookGetEverything() throws Exception {
        stubWebhookReceiver();
        stubSlackOk();
        String wrongKey = "wrong-Secr3t-key"; // 16 characters: PagerDuty refuses its length
        wm.stubFor(WireMock.post(urlPathEqualTo(PD_PATH)).atPriority(5).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":"
                        + "[\"Length of 'routing_key' is incorrect (should be 32 characters)\"]}")));
        TestClock clock = new TestClock(Instant.parse("2026-03-02T01:00:00Z"));
        StringBuilder pages = new StringBuilder();
        List<OutboxEntry> parked;
        try (LocalApp app = start(clock, wrongKey)) {
            incidents(app, clock.instant());
            for (int i = 0; i < 20 && !app.incidents().pending().isEmpty(); i++) {
                app.work().sendOutbox();
                clock.advance(Duration.ofMinutes(1));
            }
            assertThat(app.incidents().pending()).as("a 400 is not retried forever").isEmpty();
            parked = app.incidents().parked();
            for (String page : List.of("/", "/incidents", "/api/outbox", "/metrics")) {
                pages.append(http.send(HttpRequest.newBuilder(app.uri().resolve(page)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            }
        }
        assertThat(parked).hasSize(4).allSatisfy(e -> {
            assertThat(e.destination()).isEqualTo("erp-ops/pagerduty");
            assertThat(e.responseStatus()).isEqualTo(400);
            assertThat(e.lastError()).contains("Length of 'routing_key' is incorrect").doesNotContain(wrongKey);
        });
        assertThat(pages.toString()).contains("routing_key");
        assertThat(delivered(SLACK_PATH)).hasSize(4);
        assertThat(delivered(HOOK_PATH)).hasSize(4);
        long pdRequests = wm.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().startsWith(PD_PATH))
                .count();
        assertThat(pdRequests).as("each parked at its first refusal").isEqualTo(4);
        List<String> all = new ArrayList<>(log);
        all.add(pages.toString());
        parked.forEach(e -> all.add(e.lastError() + " " + e.responseBody()));
        for (String s : all) {
            assertThat(s).doesNotContain(wrongKey);
        }
        assertSecretsAbsent(all);
        ReliabilityLedger.record(new ReliabilityLedger.Row("channels", "a wrong key (PagerDuty 400)",
                "PagerDuty's routing key is 16 characters; the Events API answers 400 \"invalid event\" with its"
                        + " errors; 2 incidents (4 actions) for a team with Slack, PagerDuty and a signed webhook",
                4, 0, 0, -1, "each PagerDuty action parked at its first 400 (4 requests, no retry loop) with"
                + " PagerDuty's reason, shown on /incidents and /api/outbox — kept, not lost: `jobwatch incidents"
                + " requeue` sends them once the key is fixed; Slack and the webhook got all 4; the key appears"
                + " nowhere (logs, pages, errors)"));
    }

    static void assertSecretsAbsent(List<String> texts) {
        for (String s : texts) {
            assertThat(s).doesNotContain("slackTokenSecr3t").doesNotContain(PD_KEY).doesNotContain(HOOK_SECRET)
                    .doesNotContain(API_KEY);
        }
    }
}
