package io.jobwatch.core.incident;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.jobwatch.core.incident.IncidentFixtures.LEDGER;
import static io.jobwatch.core.incident.IncidentFixtures.ORDERS;
import static io.jobwatch.core.incident.IncidentFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void append_returnsPendingEntryDueNow_withNoAttempts() {
        OutboxEntry e = outbox.append(IncidentFixtures.open(LEDGER, "jr_1"), T0);
        assertThat(e.status()).isEqualTo(OutboxEntry.Status.PENDING);
        assertThat(e.attempts()).isZero();
        assertThat(e.nextAttemptAt()).isEqualTo(T0);
        assertThat(e.createdAt()).isEqualTo(T0);
        assertThat(outbox.find(e.id())).contains(e);
    }

    @Test
    void append_givesEveryEntryItsOwnId() {
        OutboxEntry a = outbox.append(IncidentFixtures.update(LEDGER, "jr_1"), T0);
        OutboxEntry b = outbox.append(IncidentFixtures.update(LEDGER, "jr_1"), T0);
        assertThat(a.id()).isNotEqualTo(b.id());
    }

    @Test
    void everyActionType_roundTripsWithAllFields() {
        List<IncidentAction> actions = List.of(IncidentFixtures.open(LEDGER, "jr_1"), IncidentFixtures.update(LEDGER, "jr_2"),
                IncidentFixtures.resolve(LEDGER, "jr_3"), IncidentFixtures.reopen(LEDGER, "jr_4"));
        for (IncidentAction a : actions) {
            OutboxEntry e = outbox.append(a, T0);
            assertThat(outbox.find(e.id()).orElseThrow().action()).isEqualTo(a);
        }
    }

    @Test
    void pending_keepsAppendOrderPerIncident_acrossInterleavedIncidents() {
        // The same instant for all: order must not depend on timestamps.
        outbox.append(IncidentFixtures.open(LEDGER, "l1"), T0);
        outbox.append(IncidentFixtures.open(ORDERS, "o1"), T0);
        outbox.append(IncidentFixtures.update(LEDGER, "l2"), T0);
        outbox.append(IncidentFixtures.update(ORDERS, "o2"), T0);
        outbox.append(IncidentFixtures.resolve(LEDGER, "l3"), T0);
        for (int i = 0; i < 20; i++) {
            outbox.append(IncidentFixtures.update(ORDERS, "o" + (i + 3)), T0);
        }
        List<OutboxEntry> pending = outbox.pending();
        assertThat(pending).hasSize(25);
        assertThat(pending.stream().filter(e -> e.action().incident().job().equals(LEDGER)).map(e -> e.action().runId()))
                .containsExactly("l1", "l2", "l3");
        assertThat(pending.stream().filter(e -> e.action().incident().job().equals(ORDERS)).map(e -> e.action().runId()).toList())
                .startsWith("o1", "o2", "o3").endsWith("o21", "o22").hasSize(22);
    }

    @Test
    void markSent_removesFromPending_andKeepsTheTicketNumber() {
        OutboxEntry e = outbox.append(IncidentFixtures.open(LEDGER, "jr_1"), T0);
        Instant sentAt = T0.plusSeconds(5);
        outbox.markSent(e.id(), sentAt, "INC0010423");
        assertThat(outbox.pending()).isEmpty();
        assertThat(outbox.parked()).isEmpty();
        OutboxEntry sent = outbox.find(e.id()).orElseThrow();
        assertThat(sent.status()).isEqualTo(OutboxEntry.Status.SENT);
        assertThat(sent.doneAt()).isEqualTo(sentAt);
        assertThat(sent.ticketNumber()).isEqualTo("INC0010423");
    }

    @Test
    void reschedule_keepsPendingInPlace_withAttemptsAndError() {
        OutboxEntry first = outbox.append(IncidentFixtures.open(LEDGER, "l1"), T0);
        outbox.append(IncidentFixtures.update(LEDGER, "l2"), T0);
        Instant next = T0.plusSeconds(30);
        outbox.reschedule(first.id(), 3, next, "HTTP 503");
        List<OutboxEntry> pending = outbox.pending();
        assertThat(pending).extracting(e -> e.action().runId()).containsExactly("l1", "l2");
        assertThat(pending.get(0).attempts()).isEqualTo(3);
        assertThat(pending.get(0).nextAttemptAt()).isEqualTo(next);
        assertThat(pending.get(0).lastError()).isEqualTo("HTTP 503");
    }

    @Test
    void park_movesToParked_withReasonStatusAndBody() {
        OutboxEntry e = outbox.append(IncidentFixtures.update(LEDGER, "l2"), T0);
        OutboxEntry other = outbox.append(IncidentFixtures.update(ORDERS, "o2"), T0);
        String body = "{\"error\":{\"message\":\"Invalid field\",\"detail\":null},\"status\":\"failure\"}";
        outbox.park(e.id(), T0.plusSeconds(1), "HTTP 400 Invalid field", 400, body);
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
