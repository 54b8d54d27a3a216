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
     * Appends a PENDING entry for {@code destination} due at {@code at}, unless an entry with this id exists already
     * (a repeated decision or relay): then returns that one and changes nothing.
     *
     * @param destination {@link OutboxEntry#INCIDENT_SYSTEM} or a channel ({@link OutboxEntry#destination()})
     */
    OutboxEntry append(String id, String destination, long seq, IncidentAction action, Instant at);

    /** Appends an entry for the incident system ({@link #append(String, String, long, IncidentAction, Instant)}). */
    default OutboxEntry append(String id, long seq, IncidentAction action, Instant at) {
        return append(id, OutboxEntry.INCIDENT_SYSTEM, seq, action, at);
    }

    /**
     * Entries waiting to be sent (PENDING and SENDING). Entries of one correlation id come in their order
     * ({@link OutboxEntry#seq()}, then id); the order between correlation ids is not specified.
     */
    List<OutboxEntry> pending();

    /**
     * The entries of one incident waiting to be sent (PENDING and SENDING), in their order ({@link OutboxEntry#seq()},
     * then id), reading everything appended before the call: what a sender consults right before it sends, so an
     * incident's actions never overtake one another. {@link #pending()} may lag behind appends (an index); this may
     * not. Default: {@link #pending()} filtered, for adapters whose {@code pending()} does not lag.
     */
    default List<OutboxEntry> waiting(String correlationId) {
        return pending().stream().filter(e -> e.correlationId().equals(correlationId)).toList();
    }

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

    /**
     * PARKED → PENDING, due at {@code at}, with no failed attempts (its last error kept until the next attempt): what a
     * human does after fixing the cause (a wrong key, a revoked webhook). False when it is not parked.
     */
    boolean requeue(String id, Instant at);
}
