package io.jobwatch.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.local.ApiKey;
import io.jobwatch.local.LocalApp;
import io.jobwatch.servicenow.Credentials;
import io.jobwatch.servicenow.ServiceNowSettings;
import io.jobwatch.servicenow.TableApiIncidentGateway;
import io.jobwatch.store.sqlite.SqliteIncidents;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ServiceNow is slow: the create call is answered after 3 s, beyond the client's 1 s request timeout, although
 * ServiceNow did create the incident. The outbox records a retryable failure, retries after its backoff, finds the
 * incident by correlation id (adopts it instead of opening a second one), then sends the work note and the resolve:
 * one incident, each action once, in order. (ServiceNowFaultsTest covers reset, 503, 429 and 401, not timeouts.)
 */
class ServiceNowSlowTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String TABLE = "/api/now/table/incident";
    static final String KEY = "slow-key-7c1d2e3f4a";
    static final Duration CLIENT_TIMEOUT = Duration.ofMillis(500);
    static final int DELAY_MS = 2_000;

    @TempDir
    Path dir;

    @Test
    void aCreateAnsweredAfterTheTimeout_isRetriedByTheOutbox_andAdopted_soEveryActionReachesServiceNowOnceInOrder()
            throws Exception {
        String s = "slow";
        String created = "{\"result\":{\"sys_id\":\"2001\",\"number\":\"INC2001\",\"state\":\"1\"}}";
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE)).inScenario(s).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"result\":[]}")));
        wm.stubFor(WireMock.post(urlPathEqualTo(TABLE)).inScenario(s).whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("created").willReturn(aResponse().withStatus(201).withFixedDelay(DELAY_MS)
                        .withHeader("Content-Type", "application/json").withBody(created)));
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE)).inScenario(s).whenScenarioStateIs("created")
                .willReturn(okJson("{\"result\":[{\"sys_id\":\"2001\",\"number\":\"INC2001\",\"state\":\"1\"}]}")));
        wm.stubFor(WireMock.post(urlPathEqualTo(TABLE)).inScenario(s).whenScenarioStateIs("created")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"result\":{\"sys_id\":\"2002\",\"number\":\"INC2002\",\"state\":\"1\"}}")));
        wm.stubFor(WireMock.patch(urlPathEqualTo(TABLE + "/2001")).willReturn(okJson(created.replace("\"1\"}", "\"2\"}"))));

        TestClock clock = new TestClock(Instant.parse("2026-03-02T01:00:00Z"));
        Instant t = clock.instant();
        Path db = dir.resolve("jobwatch.db");
        int actions;
        HttpClient http = HttpClient.newHttpClient();
        try (LocalApp app = LocalApp.start(LocalApp.defaults(db).bind("127.0.0.1", 0).clock(clock)
                .env(Map.of(ApiKey.ENV, KEY, "SERVICENOW_URL", wm.baseUrl(), "SERVICENOW_USER", "svc",
                        "SERVICENOW_PASSWORD", "pw-slow")).scheduler(false))) {
            for (String body : List.of(ServiceNowFaultsTest.event("e1", "orders-etl", "jr_1", "FAILED", t),
                    ServiceNowFaultsTest.event("e2", "orders-etl", "jr_2", "FAILED", t.plusSeconds(3600)),
                    ServiceNowFaultsTest.event("e3", "orders-etl", "jr_3", "SUCCEEDED", t.plusSeconds(7200)))) {
                assertThat(http.send(HttpRequest.newBuilder(app.uri().resolve("/events")).header("x-api-key", KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(200);
            }
            actions = app.incidents().pending().size();
            assertThat(actions).isEqualTo(3); // open, work note, resolve
        }

        List<DrainReport> drains = new ArrayList<>();
        long recoveryMs;
        try (SqliteIncidents outbox = new SqliteIncidents(db)) {
            ServiceNowSettings settings = ServiceNowSettings.of(wm.baseUrl(), new Credentials.Basic("svc", "pw-slow"))
                    .withTimeouts(CLIENT_TIMEOUT, CLIENT_TIMEOUT);
            OutboxProcessor processor = new OutboxProcessor(new TableApiIncidentGateway(settings, clock), outbox, outbox,
                    clock, RetryBackoff.defaults());
            long started = System.nanoTime();
            drains.add(processor.drainDue()); // the create times out
            assertThat(drains.get(0).sent()).isZero();
            assertThat(drains.get(0).retried()).isEqualTo(1);
            assertThat(outbox.pending()).hasSize(3);
            assertThat(outbox.pending().get(0).lastError()).contains("no response (HttpTimeoutException)");
            for (int i = 0; i < 20 && !outbox.pending().isEmpty(); i++) {
                clock.advance(Duration.ofMinutes(1)); // the backoff passes on the injected clock
                drains.add(processor.drainDue());
            }
            recoveryMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(outbox.pending()).isEmpty();
            assertThat(outbox.parked()).isEmpty();
        }

        List<ServeEvent> served = new ArrayList<>(wm.getAllServeEvents());
        Collections.reverse(served);
        List<String> calls = served.stream().map(e -> e.getRequest().getMethod().getName() + " "
                + e.getRequest().getUrl().replaceAll("\\?.*", "") + (e.getRequest().getBodyAsString().contains("\"state\":\"6\"")
                ? " resolve" : "")).toList();
        // One POST (the slow one, applied by ServiceNow), the lookup that adopts it, then the updates in order.
        assertThat(calls).filteredOn(c -> c.startsWith("POST")).hasSize(1);
        List<String> writes = calls.stream().filter(c -> !c.startsWith("GET")).toList();
        assertThat(writes).containsExactly("POST " + TABLE, "PATCH " + TABLE + "/2001", "PATCH " + TABLE + "/2001",
                "PATCH " + TABLE + "/2001 resolve");
        long incidentsCreated = writes.stream().filter(c -> c.startsWith("POST")).count();
        ReliabilityLedger.record(new ReliabilityLedger.Row("ServiceNow", "slow (response beyond the client timeout)",
                "3 incident actions (open, work note, resolve) of 1 incident; ServiceNow answers the create after "
                        + DELAY_MS + " ms, the client's request timeout is " + CLIENT_TIMEOUT.toMillis() + " ms (ServiceNow "
                        + "did create it)", actions, actions, 0, recoveryMs,
                "the create timed out (\"no response (HttpTimeoutException)\" on the outbox entry) and was retried by the outbox after its backoff; the retry's lookup by "
                        + "correlation id found the incident and adopted it (one adoption note), so " + incidentsCreated
                        + " incident was created, then the work note and the resolve went out once each, in order; "
                        + drains.size() + " drain passes"));
    }
}
