package io.jobwatch.core.incident;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: every decided incident action is appended here (same store as runs) before anything is sent, so a crash or an
 * outage loses nothing. An entry is sent by one sender at a time: it is claimed (PENDING → SENDING with an owner and a
 * lease) and only its owner marks it sent, reschedules or parks it; a claim whose lease lapsed (its sender died) is
 * taken over. Adapters pass {@code OutboxContract} from core's test-jar.
 */
public interface Outbox {

    /**
     * Appends a PENDING entry due at {@code at}, unless an entry with this id exists already (a repeated decision or
     * relay): then returns that one and changes nothing.
     */
    OutboxEntry append(String id, long seq, IncidentAction action, Instant at);

    /**
     * Entries waiting to be sent (PENDING and SENDING). Entries of one correlation id come in their order
     * ({@link OutboxEntry#seq()}, then id); the order between correlation ids is not specified.
     */
    List<OutboxEntry> pending();

    /** All PARKED entries, for a human. */
    List<OutboxEntry> parked();

    Optional<OutboxEntry> find(String id);

    /**
     * Claims the entry for {@code owner} until {@code leaseUntil}: only if it is PENDING, or SENDING with a claim that
     * lapsed by {@code now}. False when another sender holds it or it is done.
     */
    boolean claim(String id, String owner, Instant now, Instant leaseUntil);

    /** SENDING by {@code owner} → SENT; false (nothing written) when the claim was lost. */
    boolean markSent(String id, String owner, Instant at, String ticketNumber);

    /** SENDING by {@code owner} → PENDING with a failed attempt and when to try again; false when the claim was lost. */
    boolean reschedule(String id, String owner, int attempts, Instant nextAttemptAt, String lastError);

    /** SENDING by {@code owner} → PARKED with the failure and the response, for a human; false when the claim was lost. */
    boolean park(String id, String owner, Instant at, String reason, int responseStatus, String responseBody);
}
