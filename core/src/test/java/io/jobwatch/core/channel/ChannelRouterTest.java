package io.jobwatch.core.channel;

import static io.jobwatch.core.incident.IncidentFixtures.LEDGER;
import static io.jobwatch.core.incident.IncidentFixtures.ORDERS;
import static io.jobwatch.core.incident.IncidentFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.incident.CorrelationIds;
import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.FakeIncidentGateway;
import io.jobwatch.core.incident.GatewayException;
import io.jobwatch.core.incident.IncidentChannels;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentState;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.InMemoryIncidentStore;
import io.jobwatch.core.incident.InMemoryOutbox;
import io.jobwatch.core.incident.JobRunFeed;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.testing.TestClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Incident actions to the teams' channels through the outbox: an entry per destination, each destination its own
 * line (order, retries, parking), ServiceNow never held back by a channel and a channel never by ServiceNow.
 */
class ChannelRouterTest {
    static final String CATALOG = """
            version: 1
            accounts:
              "234567890123": FinData
            teams:
              fin-ops:
                channels:
                  - {type: chat, url: "${CHAT_A}"}
                  - {type: chat, url: "${CHAT_B}"}
              erp-ops: {}
            defaults: {team: fin-ops, criticality: high}
            jobs:
              - name: erp
                match: {account: ["123456789012"]}
                team: erp-ops
            """;
    static final String A = "https://chat.example/hooks/AAAA-secret-token";
    static final String B = "https://chat.example/hooks/BBBB-secret-token";
    static final Duration HOUR = Duration.ofHours(1);

    TestClock clock;
    InMemoryIncidentStore store;
    InMemoryOutbox outbox;
    FakeIncidentGateway servicenow;
    FakeChatChannels chat;
    Map<String, String> variables;
    AtomicReference<Catalog> catalog;
    ChannelRouter router;
    OutboxProcessor processor;
    JobRunFeed ledger;
    JobRunFeed orders;

    static Catalog load(String yaml) {
        return ((CatalogResult.Loaded) CatalogLoader.load("jobwatch.yml", yaml)).catalog();
    }

    @BeforeEach
    void setUp() {
        clock = new TestClock(T0);
        store = new InMemoryIncidentStore();
        outbox = new InMemoryOutbox();
        servicenow = new FakeIncidentGateway();
        chat = new FakeChatChannels();
        variables = new HashMap<>(Map.of("CHAT_A", A, "CHAT_B", B));
        catalog = new AtomicReference<>(load(CATALOG));
        ChannelRegistry registry = new ChannelRegistry(List.of(chat), null);
        router = new ChannelRouter(catalog::get, registry, new ChannelContext(Map.of(), clock, null,
                name -> java.util.Optional.ofNullable(variables.get(name)), null));
        processor = new OutboxProcessor(servicenow, router, store, outbox, clock,
                new RetryBackoff(Duration.ofSeconds(2), Duration.ofMinutes(5), () -> 0.5));
        IncidentTracker tracker = new IncidentTracker(new IncidentPolicy(clock), store, outbox, clock, router);
        ledger = new JobRunFeed(LEDGER, tracker, clock);
        orders = new JobRunFeed(ORDERS, tracker, clock);
    }

    static DeliveryException down() {
        return new DeliveryException("chat", true, "no response (ConnectException)", 0, null, null, null);
    }

    List<String> actions(String url) {
        return chat.incidents(url).stream().map(n -> n.action() + " " + n.runId()).toList();
    }

    List<OutboxEntry> line(String destination) {
        return outbox.all().stream().filter(e -> e.destination().equals(destination)).toList();
    }

    @Test
    void eachAction_hasAnEntryPerDestination_andARepeatedDecisionAddsNone() {
        ledger.fail(HOUR);
        String key = IncidentState.keyOf(outbox.all().get(0).action(), 1);
        assertThat(outbox.all()).extracting(OutboxEntry::destination)
                .containsExactly(OutboxEntry.INCIDENT_SYSTEM, "fin-ops/chat", "fin-ops/chat#2");
        assertThat(outbox.all()).extracting(OutboxEntry::id)
                .containsExactly(key, key + "|fin-ops/chat", key + "|fin-ops/chat#2");
        ledger.again(1);
        assertThat(outbox.all()).hasSize(3);
        orders.fail(HOUR);
        assertThat(outbox.all()).as("erp-ops has no channels: ServiceNow only").hasSize(4);
        assertThat(router.destinations(ORDERS)).isEmpty();
    }

    @Test
    void everyChannelGetsTheLifecycleInOrder_withTheIncidentNumber_andTheResolveSaysSo() {
        ledger.fail(HOUR);
        ledger.fail(HOUR);
        ledger.succeed(HOUR);
        DrainReport r = processor.drainDue();
        assertThat(r.sent()).isEqualTo(9);
        assertThat(r.pending()).isZero();
        for (String url : List.of(A, B)) {
            assertThat(actions(url)).containsExactly("open jr_0001", "update jr_0002", "resolve jr_0003");
            List<IncidentNotice> got = chat.incidents(url);
            assertThat(got).extracting(IncidentNotice::incidentNumber).containsOnly("INC0010000");
            assertThat(got.get(0).system()).isEqualTo("FinData");
            assertThat(got.get(0).state()).isEqualTo("FAILED");
            assertThat(got.get(0).error()).contains("GlueEtlRole");
            assertThat(got.get(0).consoleLink()).startsWith("https://");
            assertThat(got.get(0).summary()).isEqualTo(
                    "Incident opened: [FinData] Glue job fin-ledger-load FAILED (INC0010000)");
            assertThat(got.get(2).resolved()).isTrue();
            assertThat(got.get(2).summary()).isEqualTo(
                    "Resolved: [FinData] Glue job fin-ledger-load is back to normal (INC0010000)");
        }
        assertThat(line("fin-ops/chat")).extracting(OutboxEntry::ticketNumber).containsOnly("INC0010000");
    }

    @Test
    void aChannelDownForAnHour_holdsBackOnlyItsOwnLine_andThenDeliversEverythingOnceInOrder() {
        chat.down(A, down());
        ledger.fail(HOUR);
        ledger.fail(Duration.ofMinutes(10));
        DrainReport first = processor.drainDue();
        assertThat(servicenow.calls).contains("create jr_0001", "update sys10000");
        assertThat(actions(B)).containsExactly("open jr_0001", "update jr_0002");
        assertThat(first.sent()).isEqualTo(4);
        assertThat(first.retried()).isEqualTo(1);
        OutboxEntry head = line("fin-ops/chat").get(0);
        assertThat(head.status()).isEqualTo(OutboxEntry.Status.PENDING);
        assertThat(head.attempts()).isEqualTo(1);
        assertThat(head.lastError()).startsWith("fin-ops/chat: chat: no response");
        assertThat(head.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(2));

        // An hour of a pass every minute: backoff caps the attempts; the resolve decided meanwhile waits in line.
        for (int m = 0; m < 60; m++) {
            clock.advance(Duration.ofMinutes(1));
            if (m == 30) {
                ledger.succeed(Duration.ZERO);
            }
            processor.drainDue();
        }
        int attempts = chat.attempts.get(A);
        assertThat(attempts).as("attempts in an hour with backoff capped at 5 min").isBetween(10, 25);
        assertThat(actions(B)).containsExactly("open jr_0001", "update jr_0002", "resolve jr_0003");
        assertThat(servicenow.calls).contains("resolve sys10000");
        assertThat(chat.incidents(A)).isEmpty();

        chat.up(A);
        clock.advance(Duration.ofMinutes(5));
        processor.drainDue();
        assertThat(actions(A)).containsExactly("open jr_0001", "update jr_0002", "resolve jr_0003");
        assertThat(outbox.pending()).isEmpty();
        assertThat(outbox.parked()).isEmpty();
    }

    @Test
    void serviceNowDown_doesNotHoldBackTheChannels() {
        servicenow.failNext(GatewayException.unreachable("connection refused", null));
        ledger.fail(HOUR);
        DrainReport r = processor.drainDue();
        assertThat(r.retried()).isEqualTo(1);
        assertThat(actions(A)).containsExactly("open jr_0001");
        assertThat(chat.incidents(A).get(0).incidentNumber()).as("not in ServiceNow yet").isNull();
        assertThat(chat.incidents(A).get(0).fields()).contains(new IncidentNotice.Field("Incident",
                "not in ServiceNow yet"));
    }

    @Test
    void a429_waitsWhatRetryAfterSays() {
        chat.failNext(A, new DeliveryException("chat", true, "HTTP 429", 429, Duration.ofSeconds(30), "rate_limited",
                null));
        ledger.fail(HOUR);
        processor.drainDue();
        OutboxEntry head = line("fin-ops/chat").get(0);
        assertThat(head.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(30));
        assertThat(head.responseStatus()).as("kept only when parked").isZero();
        clock.advance(Duration.ofSeconds(29));
        processor.drainDue();
        assertThat(chat.incidents(A)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        processor.drainDue();
        assertThat(actions(A)).containsExactly("open jr_0001");
        assertThat(chat.attempts.get(A)).isEqualTo(2);
    }

    @Test
    void aWrongKey_parksWithTheReason_theOthersGoOn_andARequeueAfterTheFixDeliversInOrderOnce() {
        DeliveryException revoked = new DeliveryException("chat", false, "HTTP 404: no_service", 404, null,
                "no_service", null);
        chat.down(A, revoked);
        ledger.fail(HOUR);
        ledger.fail(HOUR);
        DrainReport r = processor.drainDue();
        assertThat(r.parked()).isEqualTo(2);
        assertThat(outbox.parked()).extracting(OutboxEntry::destination).containsOnly("fin-ops/chat");
        OutboxEntry parked = outbox.parked().get(0);
        assertThat(parked.lastError()).isEqualTo("fin-ops/chat: chat: HTTP 404: no_service");
        assertThat(parked.responseStatus()).isEqualTo(404);
        assertThat(parked.responseBody()).isEqualTo("no_service");
        assertThat(chat.attempts.get(A)).as("one attempt each, no retries of a refusal").isEqualTo(2);
        assertThat(actions(B)).hasSize(2);

        chat.up(A);
        for (OutboxEntry e : outbox.parked()) {
            outbox.requeue(e.id(), clock.instant());
        }
        processor.drainDue();
        assertThat(actions(A)).containsExactly("open jr_0001", "update jr_0002");
        assertThat(outbox.pending()).isEmpty();
    }

    @Test
    void anUnsetVariable_keepsTheLineWaiting_namingTheVariableNotAValue_untilItIsSet() {
        variables.remove("CHAT_B");
        ledger.fail(HOUR);
        processor.drainDue();
        OutboxEntry head = line("fin-ops/chat#2").get(0);
        assertThat(head.status()).isEqualTo(OutboxEntry.Status.PENDING);
        assertThat(head.lastError()).contains("${CHAT_B}", "not set", "jobwatch.yml:8:9:");
        assertThat(actions(A)).hasSize(1);

        variables.put("CHAT_B", B);
        clock.advance(Duration.ofMinutes(1));
        processor.drainDue();
        assertThat(actions(B)).containsExactly("open jr_0001");
    }

    @Test
    void aChannelRemovedFromTheCatalog_parksWhatWasLeftForIt() {
        chat.down(B, down());
        ledger.fail(HOUR);
        processor.drainDue();
        catalog.set(load(CATALOG.replace("      - {type: chat, url: \"${CHAT_B}\"}\n", "")));
        clock.advance(Duration.ofMinutes(1));
        processor.drainDue();
        assertThat(outbox.parked()).singleElement().satisfies(e -> {
            assertThat(e.destination()).isEqualTo("fin-ops/chat#2");
            assertThat(e.lastError()).contains("no longer in the catalog");
        });
    }

    @Test
    void sendDue_sendsTheGivenIncidentsOnly() {
        ledger.fail(HOUR);
        orders.fail(HOUR);
        DrainReport r = processor.sendDue(List.of(CorrelationIds.of(LEDGER, ProblemKind.FAILURE)), clock.instant().plusSeconds(10));
        assertThat(r.sent()).isEqualTo(3);
        assertThat(outbox.pending()).singleElement().satisfies(e ->
                assertThat(e.correlationId()).isEqualTo(CorrelationIds.of(ORDERS, ProblemKind.FAILURE)));
    }

    @Test
    void aSenderWithoutChannels_leavesTheChannelEntriesForOneWithThem() {
        ledger.fail(HOUR);
        OutboxProcessor serviceNowOnly = new OutboxProcessor(servicenow, IncidentChannels.NONE, store, outbox, clock,
                RetryBackoff.defaults());
        DrainReport r = serviceNowOnly.drainDue();
        assertThat(r.sent()).isEqualTo(1);
        assertThat(r.pending()).isZero();
        assertThat(outbox.pending()).extracting(OutboxEntry::destination)
                .containsExactly("fin-ops/chat", "fin-ops/chat#2");
        assertThat(outbox.pending()).extracting(OutboxEntry::attempts).containsOnly(0);
        processor.drainDue();
        assertThat(actions(A)).containsExactly("open jr_0001");
    }

    @Test
    void describe_showsTheReference_neverTheURL() {
        assertThat(router.describe("fin-ops/chat")).isEqualTo("fin-ops/chat → chat chat ${CHAT_A}");
        assertThat(router.describe("fin-ops/gone")).isEqualTo("fin-ops/gone");
    }
}
