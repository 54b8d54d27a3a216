package io.jobwatch.core.incident;

import static io.jobwatch.core.incident.IncidentFixtures.LEDGER;
import static io.jobwatch.core.incident.IncidentFixtures.ORDERS;
import static io.jobwatch.core.incident.IncidentFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Outbox} adapter must show. An adapter's test extends this and returns a fresh, empty
 * outbox from {@link #newOutbox()}.
 */
public abstract class OutboxContract {
    protected Outbox outbox;

    /** A new empty outbox (fresh file / table). */
    protected abstract Outbox newOutbox() throws Exception;

    @BeforeEach
    void createOutbox() throws Exception {
        outbox = newOutbox();
    }

    private OutboxEntry append(IncidentAction a, long seq) {
        return outbox.append(IncidentState.keyOf(a), seq, a, T0);
    }

    @Test
    void append_returnsPendingEntryDueNow_withNoAttempts() {
        OutboxEntry e = append(IncidentFixtures.open(LEDGER, "jr_1"), 1);
        assertThat(e.status()).isEqualTo(OutboxEntry.Status.PENDING);
        assertThat(e.attempts()).isZero();
        assertThat(e.nextAttemptAt()).isEqualTo(T0);
        assertThat(e.createdAt()).isEqualTo(T0);
        assertThat(e.seq()).isEqualTo(1);
        assertThat(outbox.find(e.id())).contains(e);
    }

    @Test
    void append_withAnIdThatExists_keepsTheOneEntry() {
        OutboxEntry first = append(IncidentFixtures.update(LEDGER, "jr_1"), 3);
        OutboxEntry again = outbox.append(first.id(), 7, IncidentFixtures.update(LEDGER, "jr_9"), T0.plusSeconds(9));
        assertThat(again).isEqualTo(first);
        assertThat(outbox.pending()).containsExactly(first);
    }

    @Test
    void everyActionType_roundTripsWithAllFields() {
        List<IncidentAction> actions = List.of(IncidentFixtures.open(LEDGER, "jr_1"), IncidentFixtures.update(LEDGER, "jr_2"),
                IncidentFixtures.resolve(LEDGER, "jr_3"), IncidentFixtures.reopen(LEDGER, "jr_4"));
        for (IncidentAction a : actions) {
            OutboxEntry e = append(a, 1);
            assertThat(outbox.find(e.id()).orElseThrow().action()).isEqualTo(a);
        }
    }

    @Test
    void pending_givesEachIncidentsEntriesInTheirOrder_whateverTheAppendOrder() {
        append(IncidentFixtures.resolve(LEDGER, "l3"), 3);
        append(IncidentFixtures.open(ORDERS, "o1"), 1);
        append(IncidentFixtures.open(LEDGER, "l1"), 1);
        append(IncidentFixtures.update(ORDERS, "o2"), 2);
        append(IncidentFixtures.update(LEDGER, "l2"), 2);
        for (int i = 20; i > 0; i--) {
            append(IncidentFixtures.update(ORDERS, "o" + (i + 2)), i + 2);
        }
        List<OutboxEntry> pending = outbox.pending();
        assertThat(pending).hasSize(25);
        assertThat(pending.stream().filter(e -> e.action().incident().job().equals(LEDGER)).map(e -> e.action().runId()))
                .containsExactly("l1", "l2", "l3");
        assertThat(pending.stream().filter(e -> e.action().incident().job().equals(ORDERS)).map(e -> e.action().runId()).toList())
                .startsWith("o1", "o2", "o3").endsWith("o21", "o22").hasSize(22);
    }

    @Test
    void claim_isHeldByOneSender_untilItsLeaseLapses() {
        OutboxEntry e = append(IncidentFixtures.open(LEDGER, "jr_1"), 1);
        Instant until = T0.plusSeconds(120);
        assertThat(outbox.claim(e.id(), "a", T0, until)).isTrue();
        assertThat(outbox.claim(e.id(), "b", T0.plusSeconds(119), T0.plusSeconds(300))).isFalse();
        OutboxEntry held = outbox.find(e.id()).orElseThrow();
        assertThat(held.status()).isEqualTo(OutboxEntry.Status.SENDING);
        assertThat(held.owner()).isEqualTo("a");
        assertThat(held.leaseUntil()).isEqualTo(until);
        assertThat(outbox.pending()).extracting(OutboxEntry::id).containsExactly(e.id());

        // a's lease lapsed: b takes it over, and a can no longer finish it
        assertThat(outbox.claim(e.id(), "b", until, T0.plusSeconds(300))).isTrue();
        assertThat(outbox.markSent(e.id(), "a", T0.plusSeconds(130), "INC1")).isFalse();
        assertThat(outbox.find(e.id()).orElseThrow().status()).isEqualTo(OutboxEntry.Status.SENDING);
        assertThat(outbox.markSent(e.id(), "b", T0.plusSeconds(131), "INC1")).isTrue();
        assertThat(outbox.claim(e.id(), "c", T0.plusSeconds(999), T0.plusSeconds(1200))).as("sent: done").isFalse();
    }

    @Test
    void claim_fromEightThreadsAtOnce_isWonByOne() throws Exception {
        OutboxEntry e = append(IncidentFixtures.open(LEDGER, "jr_1"), 1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Boolean>> wins = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String owner = "sender-" + i;
                Callable<Boolean> claim = () -> {
                    go.await();
                    return outbox.claim(e.id(), owner, T0, T0.plusSeconds(60));
                };
                wins.add(pool.submit(claim));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> w : wins) {
                won += w.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void markSent_removesFromPending_andKeepsTheTicketNumber() {
        OutboxEntry e = append(IncidentFixtures.open(LEDGER, "jr_1"), 1);
        outbox.claim(e.id(), "a", T0, T0.plusSeconds(60));
        Instant sentAt = T0.plusSeconds(5);
        assertThat(outbox.markSent(e.id(), "a", sentAt, "INC0010423")).isTrue();
        assertThat(outbox.pending()).isEmpty();
        assertThat(outbox.parked()).isEmpty();
        OutboxEntry sent = outbox.find(e.id()).orElseThrow();
        assertThat(sent.status()).isEqualTo(OutboxEntry.Status.SENT);
        assertThat(sent.doneAt()).isEqualTo(sentAt);
        assertThat(sent.ticketNumber()).isEqualTo("INC0010423");
    }

    @Test
    void reschedule_returnsToPendingInPlace_withAttemptsAndError() {
        OutboxEntry first = append(IncidentFixtures.open(LEDGER, "l1"), 1);
        append(IncidentFixtures.update(LEDGER, "l2"), 2);
        Instant next = T0.plusSeconds(30);
        outbox.claim(first.id(), "a", T0, T0.plusSeconds(60));
        assertThat(outbox.reschedule(first.id(), "b", 3, next, "HTTP 503")).as("not b's").isFalse();
        assertThat(outbox.reschedule(first.id(), "a", 3, next, "HTTP 503")).isTrue();
        List<OutboxEntry> pending = outbox.pending();
        assertThat(pending).extracting(e -> e.action().runId()).containsExactly("l1", "l2");
        assertThat(pending.get(0).status()).isEqualTo(OutboxEntry.Status.PENDING);
        assertThat(pending.get(0).attempts()).isEqualTo(3);
        assertThat(pending.get(0).nextAttemptAt()).isEqualTo(next);
        assertThat(pending.get(0).lastError()).isEqualTo("HTTP 503");
    }

    @Test
    void park_movesToParked_withReasonStatusAndBody() {
        OutboxEntry e = append(IncidentFixtures.update(LEDGER, "l2"), 1);
        OutboxEntry other = append(IncidentFixtures.update(ORDERS, "o2"), 1);
        String body = "{\"error\":{\"message\":\"Invalid field\",\"detail\":null},\"status\":\"failure\"}";
        outbox.claim(e.id(), "a", T0, T0.plusSeconds(60));
        assertThat(outbox.park(e.id(), "a", T0.plusSeconds(1), "HTTP 400 Invalid field", 400, body)).isTrue();
        assertThat(outbox.pending()).extracting(OutboxEntry::id).containsExactly(other.id());
        OutboxEntry parked = outbox.parked().get(0);
        assertThat(parked.id()).isEqualTo(e.id());
        assertThat(parked.status()).isEqualTo(OutboxEntry.Status.PARKED);
        assertThat(parked.lastError()).isEqualTo("HTTP 400 Invalid field");
        assertThat(parked.responseStatus()).isEqualTo(400);
        assertThat(parked.responseBody()).isEqualTo(body);
        assertThat(parked.doneAt()).isEqualTo(T0.plusSeconds(1));
    }
}
