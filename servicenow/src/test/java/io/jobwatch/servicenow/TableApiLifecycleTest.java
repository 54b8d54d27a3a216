package io.jobwatch.servicenow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.jobwatch.core.incident.CorrelationIds;
import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.InMemoryIncidentStore;
import io.jobwatch.core.incident.InMemoryOutbox;
import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentRules;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.JobRunFeed;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.testing.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The incident lifecycle against WireMock playing the documented Table API (examples/servicenow). */
class TableApiLifecycleTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String USER = "svc-jobwatch";
    static final String PASSWORD = "pa55-Wörd!x9";
    static final String TABLE = "/api/now/table/incident";
    static final String SYS_ID = "a3f5c2e14f8b4210b7d9e6c0a1b2c3d4";
    static final String GROUP = "287ebd7da9fe198100f92cc8d1d2154e";
    static final String CALLER = "6816f79cc0a8016401c5a33be04be441";
    static final JobKey LEDGER = new JobKey("234567890123", "eu-west-1", JobSource.GLUE_JOB, "fin-ledger-load");
    static final JobKey ORDERS = new JobKey("123456789012", "eu-west-1", JobSource.STEP_FUNCTIONS, "erp-orders-nightly-etl");
    static final String LEDGER_CORRELATION = "glue-job:234567890123:eu-west-1:fin-ledger-load";
    static final Duration HOUR = Duration.ofHours(1);

    TestClock clock;
    InMemoryIncidentStore store;
    InMemoryOutbox outbox;
    TableApiIncidentGateway gateway;
    OutboxProcessor processor;
    IncidentTracker tracker;

    @BeforeEach
    void setUp() {
        clock = new TestClock(Instant.parse("2026-03-02T00:00:00Z"));
        store = new InMemoryIncidentStore();
        outbox = new InMemoryOutbox();
        gateway = new TableApiIncidentGateway(settings(new Credentials.Basic(USER, PASSWORD)), clock);
        processor = processor(outbox);
        tracker = new IncidentTracker(new IncidentPolicy(clock), store, outbox, clock);
    }

    ServiceNowSettings settings(Credentials credentials) {
        return ServiceNowSettings.of(wm.baseUrl(), credentials)
                .withFields(new IncidentDefaults(CALLER, null, null))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    OutboxProcessor processor(Outbox box) {
        return new OutboxProcessor(gateway, store, box, clock, new RetryBackoff(Duration.ofSeconds(2), Duration.ofMinutes(5), () -> 0.5));
    }

    JobRunFeed feed(JobKey job) {
        return new JobRunFeed(job, tracker, clock).rules(IncidentRules.defaults().withSystem("FinData").withAssignmentGroup(GROUP));
    }

    static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String lookupQuery(String correlationId) {
        return "correlation_id=" + correlationId + "^active=true^stateNOT IN6,7,8^ORDERBYDESCsys_created_on";
    }

    static StubMapping stubLookup(String correlationId, String body) {
        return wm.stubFor(WireMock.get(urlPathEqualTo(TABLE))
                .withQueryParam("sysparm_query", equalTo(lookupQuery(correlationId)))
                .willReturn(okJson(body)));
    }

    static StubMapping stubCreate(String correlationId, String sysId, String number) {
        return wm.stubFor(WireMock.post(urlPathEqualTo(TABLE))
                .withRequestBody(matchingJsonPath("$.correlation_id", equalTo(correlationId)))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"result\":{\"sys_id\":\"" + sysId + "\",\"number\":\"" + number + "\",\"state\":\"1\"}}")));
    }

    static StubMapping stubPatch(String sysId, String number) {
        return wm.stubFor(WireMock.patch(urlPathEqualTo(TABLE + "/" + sysId))
                .willReturn(okJson("{\"result\":{\"sys_id\":\"" + sysId + "\",\"number\":\"" + number + "\",\"state\":\"2\"}}")));
    }

    /** Served requests, oldest first. */
    static List<ServeEvent> served(String method) {
        List<ServeEvent> events = new ArrayList<>(wm.getAllServeEvents());
        java.util.Collections.reverse(events);
        return events.stream().filter(e -> e.getRequest().getMethod().getName().equals(method)).toList();
    }

    static String workNote(ServeEvent e) {
        try {
            return new ObjectMapper().readTree(e.getRequest().getBodyAsString()).path("work_notes").asText();
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void sixFailuresOvernight_makeOnePostAndFiveWorkNotes_thenASuccessResolves() {
        stubLookup(LEDGER_CORRELATION, "{\"result\":[]}");
        stubCreate(LEDGER_CORRELATION, SYS_ID, "INC0010423");
        stubPatch(SYS_ID, "INC0010423");
        wm.stubFor(WireMock.patch(urlPathEqualTo(TABLE + "/" + SYS_ID))
                .withRequestBody(matchingJsonPath("$.state", equalTo("6")))
                .willReturn(okJson(ServiceNowExamples.read("incident-resolve.response.json"))));
        JobRunFeed ledger = feed(LEDGER);

        for (int i = 0; i < 6; i++) {
            ledger.fail(HOUR);
            processor.drainDue();
        }
        ledger.succeed(HOUR);
        DrainReport last = processor.drainDue();

        assertThat(last.sent()).isEqualTo(1);
        wm.verify(1, postRequestedFor(urlPathEqualTo(TABLE)));
        wm.verify(1, getRequestedFor(urlPathEqualTo(TABLE))
                .withQueryParam("sysparm_query", equalTo(lookupQuery(LEDGER_CORRELATION)))
                .withQueryParam("sysparm_fields", equalTo("sys_id,number,state,correlation_id"))
                .withQueryParam("sysparm_limit", equalTo("1"))
                .withQueryParam("sysparm_exclude_reference_link", equalTo("true"))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("Authorization", equalTo(basic())));
        // The POST, field by field, as in incident-create.request.json.
        wm.verify(postRequestedFor(urlPathEqualTo(TABLE))
                .withQueryParam("sysparm_fields", equalTo("sys_id,number,state"))
                .withQueryParam("sysparm_exclude_reference_link", equalTo("true"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Accept", equalTo("application/json"))
                .withHeader("Authorization", equalTo(basic()))
                .withRequestBody(matchingJsonPath("$.short_description", equalTo("[FinData] Glue job fin-ledger-load FAILED")))
                .withRequestBody(matchingJsonPath("$.correlation_id", equalTo(LEDGER_CORRELATION)))
                .withRequestBody(matchingJsonPath("$.correlation_display", equalTo("Jobwatch")))
                .withRequestBody(matchingJsonPath("$.caller_id", equalTo(CALLER)))
                .withRequestBody(matchingJsonPath("$.assignment_group", equalTo(GROUP)))
                .withRequestBody(matchingJsonPath("$.urgency", equalTo("2")))
                .withRequestBody(matchingJsonPath("$.impact", equalTo("2")))
                .withRequestBody(matchingJsonPath("$.work_notes", equalTo("Opened automatically by Jobwatch from run jr_0001 (EventBridge event evt-1).")))
                .withRequestBody(matchingJsonPath("$.description", WireMock.containing(
                        "AWS console: https://eu-west-1.console.aws.amazon.com/gluestudio/home?region=eu-west-1#/job/fin-ledger-load/run/jr_0001")))
                .withRequestBody(matchingJsonPath("$.description", WireMock.containing("Error: Role arn:aws:iam::234567890123:role/GlueEtlRole")))
                .withRequestBody(WireMock.notContaining("\"category\"")));
        // Five work notes with only work_notes, in run order, then one resolve.
        List<ServeEvent> patches = served("PATCH");
        assertThat(patches).hasSize(6);
        for (int i = 0; i < 5; i++) {
            String body = patches.get(i).getRequest().getBodyAsString();
            assertThat(body).startsWith("{\"work_notes\":").doesNotContain("\"state\"");
            assertThat(workNote(patches.get(i))).startsWith("Failed again: run jr_000" + (i + 2) + " at ")
                    .contains("(" + (i + 2) + " consecutive failures)");
        }
        wm.verify(1, patchRequestedFor(urlPathEqualTo(TABLE + "/" + SYS_ID))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"state\":\"6\",\"close_code\":\"Solution provided\","
                        + "\"close_notes\":\"Auto-resolved: fin-ledger-load run jr_0007 SUCCEEDED at 2026-03-02T07:00:00Z.\","
                        + "\"work_notes\":\"Resolved by Jobwatch after 1 successful run.\"}")));
        IncidentRecord rec = store.find(LEDGER, ProblemKind.FAILURE).orElseThrow();
        assertThat(rec.number()).isEqualTo("INC0010423");
        assertThat(rec.state()).isEqualTo(IncidentRecord.State.RESOLVED);
        assertThat(outbox.pending()).isEmpty();
        assertThat(outbox.all()).extracting(OutboxEntry::status).containsOnly(OutboxEntry.Status.SENT);
    }

    @Test
    void crashAfterTheOutboxWrite_restartSendsTheOpenExactlyOnce() {
        stubLookup(LEDGER_CORRELATION, "{\"result\":[]}");
        stubCreate(LEDGER_CORRELATION, SYS_ID, "INC0010423");
        feed(LEDGER).fail(HOUR);
        // The process dies here: decided and written, nothing sent.
        wm.verify(0, postRequestedFor(urlPathEqualTo(TABLE)));

        OutboxProcessor afterRestart = processor(outbox);
        assertThat(afterRestart.drainDue().sent()).isEqualTo(1);
        assertThat(afterRestart.drainDue().sent()).isZero();
        wm.verify(1, postRequestedFor(urlPathEqualTo(TABLE)));
    }

    @Test
    void crashAfterThePostBeforeMarkingSent_restartAdoptsInsteadOfPostingAgain() {
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE)).inScenario("create").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(okJson("{\"result\":[]}")));
        wm.stubFor(WireMock.post(urlPathEqualTo(TABLE)).inScenario("create").willSetStateTo("created")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(ServiceNowExamples.read("incident-create.response.json"))));
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE)).inScenario("create").whenScenarioStateIs("created")
                .willReturn(okJson(ServiceNowExamples.read("incident-lookup.response.json"))));
        stubPatch(SYS_ID, "INC0010423");
        feed(LEDGER).fail(HOUR);

        Outbox dyingAfterSend = new ForwardingOutbox(outbox) {
            @Override
            public boolean markSent(String id, String owner, Instant at, String ticketNumber) {
                throw new IllegalStateException("process killed");
            }
        };
        try {
            processor(dyingAfterSend).drainDue();
        } catch (IllegalStateException killed) {
            assertThat(killed).hasMessage("process killed");
        }
        // The dead sender's claim lapses, then the restarted one takes the action over.
        clock.advance(io.jobwatch.core.incident.OutboxProcessor.DEFAULT_LEASE);
        assertThat(processor(outbox).drainDue().sent()).isEqualTo(1);

        wm.verify(1, postRequestedFor(urlPathEqualTo(TABLE)));
        wm.verify(1, patchRequestedFor(urlPathEqualTo(TABLE + "/" + SYS_ID))
                .withRequestBody(matchingJsonPath("$.work_notes", WireMock.containing("Jobwatch adopted this open incident"))));
        assertThat(store.find(LEDGER, ProblemKind.FAILURE).orElseThrow().number()).isEqualTo("INC0010423");
    }

    @Test
    void serviceNowDownForTenMinutes_thenUp_deliversEverythingInOrder_withoutDuplicates() throws Exception {
        String ordersCorrelation = CorrelationIds.of(ORDERS, ProblemKind.FAILURE);
        stubLookup(LEDGER_CORRELATION, "{\"result\":[]}");
        stubLookup(ordersCorrelation, "{\"result\":[]}");
        stubCreate(LEDGER_CORRELATION, "sysledger", "INC0000001");
        stubCreate(ordersCorrelation, "sysorders", "INC0000002");
        stubPatch("sysledger", "INC0000001");
        stubPatch("sysorders", "INC0000002");
        StubMapping down = wm.stubFor(WireMock.any(urlPathMatching("/api/.*")).atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Instant upAt = clock.instant().plus(Duration.ofMinutes(10));
        boolean[] isUp = {false};
        io.jobwatch.core.time.Sleeper sleeper = d -> {
            clock.advance(d);
            if (!isUp[0] && !clock.instant().isBefore(upAt)) {
                wm.removeStub(down);
                wm.resetRequests(); // count only what reached the working instance
                isUp[0] = true;
            }
        };
        JobRunFeed ledger = feed(LEDGER);
        JobRunFeed orders = feed(ORDERS);
        // Failures keep coming while ServiceNow is down; each ingest drains for at most 30 s.
        ledger.fail(Duration.ZERO);
        orders.fail(Duration.ZERO);
        processor.drain(Duration.ofSeconds(30), sleeper);
        for (int i = 0; i < 4; i++) {
            ledger.fail(Duration.ofMinutes(2));
            processor.drain(Duration.ofSeconds(30), sleeper);
        }
        orders.succeed(Duration.ofSeconds(10));
        assertThat(outbox.pending()).hasSize(7);
        assertThat(isUp[0]).isFalse();

        DrainReport r = processor.drain(Duration.ofMinutes(15), sleeper);

        assertThat(isUp[0]).isTrue();
        assertThat(r.pending()).isZero();
        assertThat(outbox.all()).hasSize(7).extracting(OutboxEntry::status).containsOnly(OutboxEntry.Status.SENT);
        wm.verify(2, postRequestedFor(urlPathEqualTo(TABLE)));
        List<String> ledgerNotes = served("PATCH").stream()
                .filter(e -> e.getRequest().getUrl().startsWith(TABLE + "/sysledger")).map(TableApiLifecycleTest::workNote).toList();
        assertThat(ledgerNotes).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(ledgerNotes.get(i)).startsWith("Failed again: run jr_000" + (i + 2) + " ");
        }
        wm.verify(1, patchRequestedFor(urlPathEqualTo(TABLE + "/sysorders")).withRequestBody(matchingJsonPath("$.state", equalTo("6"))));
        // the orders POST came before its resolve
        List<String> ordersCalls = served("POST").stream().filter(e -> e.getRequest().getBodyAsString().contains(ordersCorrelation))
                .map(e -> "POST").toList();
        assertThat(ordersCalls).hasSize(1);
        assertThat(wm.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().startsWith(TABLE + "/sysorders")).count()).isEqualTo(1);
        // Backoff grew while down (attempts recorded) but the 5-minute cap kept it from missing the 10-minute window by far.
        assertThat(clock.instant()).isBefore(upAt.plus(Duration.ofMinutes(6)));
    }

    @Test
    void tooManyRequests_retryAfterIsHonoured() {
        stubLookup(LEDGER_CORRELATION, "{\"result\":[]}");
        wm.stubFor(WireMock.post(urlPathEqualTo(TABLE)).inScenario("limit").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willSetStateTo("ok")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120").withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Rate limit exceeded\",\"detail\":null},\"status\":\"failure\"}")));
        wm.stubFor(WireMock.post(urlPathEqualTo(TABLE)).inScenario("limit").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(ServiceNowExamples.read("incident-create.response.json"))));
        feed(LEDGER).fail(HOUR);
        Instant at = clock.instant();

        DrainReport first = processor.drainDue();
        assertThat(first.retried()).isEqualTo(1);
        OutboxEntry waiting = outbox.pending().get(0);
        assertThat(waiting.nextAttemptAt()).isEqualTo(at.plusSeconds(120));
        assertThat(waiting.attempts()).isEqualTo(1);
        assertThat(waiting.lastError()).isEqualTo("ServiceNow POST /api/now/table/incident: HTTP 429: Rate limit exceeded");

        clock.advance(Duration.ofSeconds(119));
        assertThat(processor.drainDue().sent()).isZero();
        wm.verify(1, postRequestedFor(urlPathEqualTo(TABLE)));
        clock.advance(Duration.ofSeconds(1));
        assertThat(processor.drainDue().sent()).isEqualTo(1);
        wm.verify(2, postRequestedFor(urlPathEqualTo(TABLE)));
    }

    @Test
    void badRequest_isParkedWithTheErrorBody_andOtherIncidentsContinue() {
        String ordersCorrelation = CorrelationIds.of(ORDERS, ProblemKind.FAILURE);
        String error = "{\"error\":{\"message\":\"Invalid value for field urgency\",\"detail\":\"urgency: 9\"},\"status\":\"failure\"}";
        stubLookup(LEDGER_CORRELATION, "{\"result\":[]}");
        stubLookup(ordersCorrelation, "{\"result\":[]}");
        wm.stubFor(WireMock.post(urlPathEqualTo(TABLE)).withRequestBody(matchingJsonPath("$.correlation_id", equalTo(LEDGER_CORRELATION)))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(error)));
        stubCreate(ordersCorrelation, "sysorders", "INC0000002");
        feed(LEDGER).fail(HOUR);
        feed(ORDERS).fail(Duration.ZERO);

        DrainReport r = processor.drainDue();

        assertThat(r.parked()).isEqualTo(1);
        assertThat(r.sent()).isEqualTo(1);
        assertThat(r.pending()).isZero();
        OutboxEntry parked = outbox.parked().get(0);
        assertThat(parked.action()).isInstanceOf(IncidentAction.Open.class);
        assertThat(parked.correlationId()).isEqualTo(LEDGER_CORRELATION);
        assertThat(parked.responseStatus()).isEqualTo(400);
        assertThat(parked.responseBody()).isEqualTo(error);
        assertThat(parked.lastError()).isEqualTo("ServiceNow POST /api/now/table/incident: HTTP 400: Invalid value for field urgency");
        assertThat(store.find(ORDERS, ProblemKind.FAILURE).orElseThrow().number()).isEqualTo("INC0000002");
    }

    @Test
    void openIncidentFromAPreviousInstallation_isAdopted_notDuplicated() {
        JobKey example = new JobKey("111122223333", "us-west-2", JobSource.GLUE_JOB, "nightly-orders-etl");
        String correlation = "glue-job:111122223333:us-west-2:nightly-orders-etl";
        stubLookup(correlation, ServiceNowExamples.read("incident-lookup.response.json"));
        stubPatch(SYS_ID, "INC0010423");
        feed(example).fail(HOUR);

        assertThat(processor.drainDue().sent()).isEqualTo(1);

        wm.verify(0, postRequestedFor(urlPathEqualTo(TABLE)));
        wm.verify(1, patchRequestedFor(urlPathEqualTo(TABLE + "/" + SYS_ID))
                .withRequestBody(matchingJsonPath("$.work_notes", WireMock.containing(
                        "Jobwatch adopted this open incident (same correlation id " + correlation + ")")))
                .withRequestBody(matchingJsonPath("$.work_notes", WireMock.containing("Opened automatically by Jobwatch from run jr_0001"))));
        IncidentRecord rec = store.find(example, ProblemKind.FAILURE).orElseThrow();
        assertThat(rec.sysId()).isEqualTo(SYS_ID);
        assertThat(rec.number()).isEqualTo("INC0010423");
        assertThat(outbox.all().get(0).ticketNumber()).isEqualTo("INC0010423");
    }

    @Test
    void unknownSysId_notFoundIsParked_withTheDocumentedErrorEnvelope() {
        wm.stubFor(WireMock.patch(urlPathEqualTo(TABLE + "/gone"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody(ServiceNowExamples.read("error-not-found.response.json"))));
        io.jobwatch.core.incident.GatewayException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.jobwatch.core.incident.GatewayException.class, () -> gateway.update("gone", "note"));
        assertThat(e.retryable()).isFalse();
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).isEqualTo("ServiceNow PATCH /api/now/table/incident/gone: HTTP 404: No Record found");
    }

    @Test
    void serverErrorsAndUnreadableSuccesses_areRetryable() {
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE)).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "7")));
        io.jobwatch.core.incident.GatewayException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.jobwatch.core.incident.GatewayException.class, () -> gateway.findOpen("x"));
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE)).willReturn(aResponse().withStatus(200).withBody("<html>Instance hibernating</html>")));
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(io.jobwatch.core.incident.GatewayException.class,
                () -> gateway.findOpen("x")).retryable()).isTrue();
    }

    @Test
    void retryAfter_acceptsAnHttpDate() {
        assertThat(gateway.parseRetryAfter("Mon, 02 Mar 2026 00:01:30 GMT")).contains(Duration.ofSeconds(90));
        assertThat(gateway.parseRetryAfter("soon")).isEmpty();
    }

    @Test
    void bearerToken_isSentAsAuthorizationHeader() {
        TableApiIncidentGateway bearer = new TableApiIncidentGateway(settings(new Credentials.Bearer("tok-abc.def")), Clock.systemUTC());
        stubLookup("x", "{\"result\":[]}");
        assertThat(bearer.findOpen("x")).isEqualTo(Optional.empty());
        wm.verify(getRequestedFor(urlPathEqualTo(TABLE)).withHeader("Authorization", equalTo("Bearer tok-abc.def")));
    }
}
