package io.jobwatch.core.incident;

import static io.jobwatch.core.incident.IncidentFixtures.LEDGER;
import static io.jobwatch.core.incident.IncidentFixtures.ORDERS;
import static io.jobwatch.core.incident.IncidentFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxProcessorTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private TestClock clock;
    private InMemoryIncidentStore store;
    private InMemoryOutbox outbox;
    private FakeIncidentGateway gateway;
    private OutboxProcessor processor;
    private JobRunFeed ledger;
    private JobRunFeed orders;

    @BeforeEach
    void setUp() {
        clock = new TestClock(T0);
        store = new InMemoryIncidentStore();
        outbox = new InMemoryOutbox();
        gateway = new FakeIncidentGateway();
        // random 0.5: half of each ceiling, above the 2 s floor from the 2nd attempt on
        processor = new OutboxProcessor(gateway, store, outbox, clock, new RetryBackoff(Duration.ofSeconds(2), Duration.ofMinutes(5), () -> 0.5));
        IncidentTracker tracker = new IncidentTracker(new IncidentPolicy(clock), store, outbox, clock);
        ledger = new JobRunFeed(LEDGER, tracker, clock);
        orders = new JobRunFeed(ORDERS, tracker, clock);
    }

    private static GatewayException down() {
        return GatewayException.unreachable("connection refused", null);
    }

    @Test
    void lifecycle_createsOnce_notesEachRepeat_andResolvesTheSameIncident() {
        ledger.fail(HOUR);
        ledger.fail(HOUR);
        ledger.succeed(HOUR);
        DrainReport r = processor.drainDue();
        assertThat(r.sent()).isEqualTo(3);
        assertThat(r.pending()).isZero();
        assertThat(gateway.calls).containsExactly("find glue-job:234567890123:eu-west-1:fin-ledger-load", "create jr_0001",
                "update sys10000", "resolve sys10000");
        IncidentRecord rec = store.find(LEDGER, ProblemKind.FAILURE).orElseThrow();
        assertThat(rec.sysId()).isEqualTo("sys10000");
        assertThat(rec.number()).isEqualTo("INC0010000");
        assertThat(outbox.all()).extracting(OutboxEntry::ticketNumber).containsOnly("INC0010000");
    }

    @Test
    void retryableFailure_keepsTheActionAndLaterOnesOfTheSameIncident_backingOffWithJitter() {
        ledger.fail(HOUR);
        ledger.fail(HOUR);
        Instant now = clock.instant();
        gateway.failNext(down());
        DrainReport r = processor.drainDue();
        assertThat(r.retried()).isEqualTo(1);
        assertThat(r.sent()).isZero();
        assertThat(r.pending()).isEqualTo(2);
        OutboxEntry head = outbox.pending().get(0);
        assertThat(head.attempts()).isEqualTo(1);
        assertThat(head.nextAttemptAt()).isEqualTo(now.plusSeconds(2)); // max(base, 0.5 * 2 s)
        assertThat(head.lastError()).isEqualTo("connection refused");
        assertThat(r.nextAttemptAt()).isEqualTo(now.plusSeconds(2));

        gateway.failNext(GatewayException.ofStatus("HTTP 503", 503, "busy", null));
        clock.advance(Duration.ofSeconds(2));
        processor.drainDue();
        OutboxEntry again = outbox.pending().get(0);
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(again.nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(2)); // max(2 s, 0.5 * 4 s)

        gateway.failNext(GatewayException.ofStatus("HTTP 503", 503, "busy", null));
        clock.advance(Duration.ofSeconds(2));
        processor.drainDue();
        assertThat(outbox.pending().get(0).nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(4)); // 0.5 * 8 s

        clock.advance(Duration.ofSeconds(4));
        assertThat(processor.drainDue().sent()).isEqualTo(2);
        assertThat(gateway.calls.stream().filter(c -> c.startsWith("create"))).hasSize(1);
    }

    @Test
    void retryAfter_isHonoured_exactly() {
        ledger.fail(HOUR);
        gateway.failNext(GatewayException.ofStatus("HTTP 429", 429, "{}", Duration.ofSeconds(37)));
        Instant now = clock.instant();
        processor.drainDue();
        assertThat(outbox.pending().get(0).nextAttemptAt()).isEqualTo(now.plusSeconds(37));
        clock.advance(Duration.ofSeconds(36));
        assertThat(processor.drainDue().sent()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(processor.drainDue().sent()).isEqualTo(1);
    }

    @Test
    void nonRetryableFailure_isParkedWithTheBody_andOtherIncidentsContinue() {
        ledger.fail(HOUR);
        orders.fail(HOUR);
        gateway.failNext(GatewayException.ofStatus("HTTP 400 Invalid field", 400, "{\"error\":{\"message\":\"Invalid field\"}}", null));
        DrainReport r = processor.drainDue();
        assertThat(r.parked()).isEqualTo(1);
        assertThat(r.sent()).isEqualTo(1);
        OutboxEntry parked = outbox.parked().get(0);
        assertThat(parked.action().incident().job()).isEqualTo(LEDGER);
        assertThat(parked.responseStatus()).isEqualTo(400);
        assertThat(parked.responseBody()).contains("Invalid field");
        assertThat(store.find(ORDERS, ProblemKind.FAILURE).orElseThrow().sysId()).isNotNull();
    }

    @Test
    void updateWhoseOpenWasParked_isParkedToo_notDropped() {
        ledger.fail(HOUR);
        ledger.fail(HOUR);
        gateway.failNext(GatewayException.ofStatus("HTTP 403", 403, "{\"error\":{\"message\":\"ACL\"}}", null));
        processor.drainDue();
        assertThat(outbox.parked()).extracting(e -> e.action().type()).containsExactly("open", "update");
        assertThat(outbox.parked().get(1).lastError()).contains("no open incident with correlation id glue-job:234567890123:eu-west-1:fin-ledger-load to update");
        assertThat(outbox.pending()).isEmpty();
    }

    @Test
    void crashAfterCreateBeforeMarkSent_adoptsOnRestart_insteadOfCreatingASecond() {
        ledger.fail(HOUR);
        Outbox crashing = new CrashOnMarkSent(outbox);
        OutboxProcessor beforeCrash = new OutboxProcessor(gateway, store, crashing, clock, RetryBackoff.defaults());
        try {
            beforeCrash.drainDue();
        } catch (IllegalStateException expected) {
            // the process died here
        }
        assertThat(outbox.pending()).hasSize(1);
        assertThat(processor.drainDue().sent()).as("the dead sender's claim still holds").isZero();
        clock.advance(OutboxProcessor.DEFAULT_LEASE);
        DrainReport r = processor.drainDue();
        assertThat(r.sent()).isEqualTo(1);
        assertThat(gateway.calls.stream().filter(c -> c.startsWith("create"))).hasSize(1);
        assertThat(gateway.notes.get("sys10000").get(0)).startsWith("Jobwatch adopted this open incident");
    }

    @Test
    void existingOpenIncident_isAdopted_andItsIdentityRecorded() {
        gateway.byCorrelation.put("glue-job:234567890123:eu-west-1:fin-ledger-load", new IncidentTicket("old1", "INC0000042", "2"));
        ledger.fail(HOUR);
        ledger.succeed(HOUR);
        processor.drainDue();
        assertThat(gateway.calls).containsExactly("find glue-job:234567890123:eu-west-1:fin-ledger-load", "update old1", "resolve old1");
        assertThat(store.find(LEDGER, ProblemKind.FAILURE).orElseThrow().number()).isEqualTo("INC0000042");
    }

    @Test
    void actionsOfAnOldIncident_stillReachIt_afterANewIncidentReplacedTheRecord() {
        ledger.fail(HOUR);
        ledger.succeed(HOUR);
        ledger.fail(Duration.ofDays(1)); // beyond damping: a second incident while the first is not even sent
        processor.drainDue();
        assertThat(gateway.calls).containsExactly(
                "find glue-job:234567890123:eu-west-1:fin-ledger-load", "create jr_0001",
                // the record now belongs to the new incident: the old one's ticket is still known to the store
                "resolve sys10000",
                "find glue-job:234567890123:eu-west-1:fin-ledger-load", "create jr_0003");
        assertThat(store.find(LEDGER, ProblemKind.FAILURE).orElseThrow().sysId()).isEqualTo("sys10001");
    }

    @Test
    void openResolveReopenUpdate_decidedBeforeAnythingIsSent_goOutInOrderToTheSameTicket_andNothingIsParked() {
        ledger.fail(HOUR);
        ledger.succeed(HOUR);
        ledger.fail(Duration.ofMinutes(10)); // within the flap damping window: reopen
        ledger.fail(HOUR);                   // while reopened: a work note
        assertThat(outbox.pending()).extracting(e -> e.action().type())
                .containsExactly("open", "resolve", "reopen", "update");

        DrainReport r = processor.drainDue();

        assertThat(r.sent()).isEqualTo(4);
        assertThat(r.parked()).isZero();
        assertThat(outbox.parked()).isEmpty();
        assertThat(gateway.calls).containsExactly("find glue-job:234567890123:eu-west-1:fin-ledger-load",
                "create jr_0001", "resolve sys10000", "reopen sys10000", "update sys10000");
    }

    @Test
    void aReopenWhoseTicketIsNotKnownHere_findsTheResolvedIncidentByCorrelationId() {
        gateway.byCorrelation.put("glue-job:234567890123:eu-west-1:fin-ledger-load",
                new IncidentTicket("old7", "INC0000007", "6"));
        IncidentAction.Reopen reopen = IncidentFixtures.reopen(LEDGER, "jr_9");
        IncidentAction.Reopen unknown = new IncidentAction.Reopen(IncidentFixtures.ref(LEDGER, T0, null),
                reopen.runId(), reopen.at(), reopen.workNote());
        outbox.append(IncidentState.keyOf(unknown), 1, unknown, T0);

        assertThat(processor.drainDue().sent()).isEqualTo(1);
        assertThat(gateway.calls).containsExactly("latest glue-job:234567890123:eu-west-1:fin-ledger-load",
                "reopen old7");
    }

    @Test
    void flap_reopensTheIncidentServiceNowKnows() {
        ledger.fail(HOUR);
        ledger.succeed(HOUR);
        processor.drainDue();
        ledger.fail(Duration.ofMinutes(10));
        processor.drainDue();
        assertThat(gateway.calls).endsWith("reopen sys10000");
    }

    @Test
    void drain_waitsWithTheSleeper_untilDelivered_withinTheTimeout() throws Exception {
        ledger.fail(HOUR);
        for (int i = 0; i < 5; i++) {
            gateway.failNext(down());
        }
        List<Duration> waits = new ArrayList<>();
        DrainReport r = processor.drain(Duration.ofMinutes(5), d -> {
            waits.add(d);
            clock.advance(d);
        });
        assertThat(r.sent()).isEqualTo(1);
        assertThat(r.retried()).isEqualTo(5);
        assertThat(r.pending()).isZero();
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16));
    }

    @Test
    void drain_stopsAtTheTimeout_andReportsWhatIsLeft() throws Exception {
        ledger.fail(HOUR);
        orders.fail(HOUR);
        gateway.failNext(GatewayException.ofStatus("HTTP 429", 429, "{}", Duration.ofMinutes(10)));
        List<Duration> waits = new ArrayList<>();
        DrainReport r = processor.drain(Duration.ofSeconds(30), d -> {
            waits.add(d);
            clock.advance(d);
        });
        assertThat(waits).isEmpty();
        assertThat(r.sent()).isEqualTo(1);
        assertThat(r.pending()).isEqualTo(1);
        assertThat(r.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
    }

    @Test
    void unexpectedError_keepsTheAction() {
        ledger.fail(HOUR);
        IncidentGateway broken = new FakeIncidentGateway() {
            @Override
            public java.util.Optional<IncidentTicket> findOpen(String correlationId) {
                throw new NullPointerException("bug");
            }
        };
        new OutboxProcessor(broken, store, outbox, clock, RetryBackoff.defaults()).drainDue();
        assertThat(outbox.pending()).hasSize(1);
        assertThat(outbox.pending().get(0).lastError()).isEqualTo("NullPointerException: bug");
    }

    @Test
    void backoff_isCapped() {
        RetryBackoff b = new RetryBackoff(Duration.ofSeconds(2), Duration.ofMinutes(5), () -> 0.999);
        assertThat(b.delay(40)).isLessThan(Duration.ofMinutes(5)).isGreaterThan(Duration.ofMinutes(4));
        assertThat(new RetryBackoff(Duration.ofSeconds(2), Duration.ofMinutes(5), () -> 0.0).delay(7)).isEqualTo(Duration.ofSeconds(2));
    }

    /** Throws on markSent: the process "dies" after the create call returned. */
    private static final class CrashOnMarkSent implements Outbox {
        private final Outbox delegate;

        CrashOnMarkSent(Outbox delegate) {
            this.delegate = delegate;
        }

        @Override
        public OutboxEntry append(String id, long seq, IncidentAction action, Instant at) {
            return delegate.append(id, seq, action, at);
        }

        @Override
        public List<OutboxEntry> pending() {
            return delegate.pending();
        }

        @Override
        public List<OutboxEntry> parked() {
            return delegate.parked();
        }

        @Override
        public java.util.Optional<OutboxEntry> find(String id) {
            return delegate.find(id);
        }

        @Override
        public boolean claim(String id, String owner, Instant now, Instant leaseUntil) {
            return delegate.claim(id, owner, now, leaseUntil);
        }

        @Override
        public boolean markSent(String id, String owner, Instant at, String ticketNumber) {
            throw new IllegalStateException("crash");
        }

        @Override
        public boolean reschedule(String id, String owner, int attempts, Instant nextAttemptAt, String lastError) {
            return delegate.reschedule(id, owner, attempts, nextAttemptAt, lastError);
        }

        @Override
        public boolean park(String id, String owner, Instant at, String reason, int responseStatus, String responseBody) {
            return delegate.park(id, owner, at, reason, responseStatus, responseBody);
        }
    }
}
