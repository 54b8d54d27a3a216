package io.jobwatch.core.incident;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: every decided incident action is appended here (same store as runs) <em>before</em> anything is sent, so a
 * crash or an outage loses nothing. Entries leave PENDING only by being sent or parked; nothing is deleted by the
 * processor. Adapters pass {@code OutboxContract} from core's test-jar.
 */
public interface Outbox {

    /** Appends a PENDING entry due at {@code at}, with 0 attempts. */
    OutboxEntry append(IncidentAction action, Instant at);

    /**
     * All PENDING entries. Entries of the same correlation id come in the order they were appended (which is the
     * order they must be applied in); the order between correlation ids is not specified.
     */
    List<OutboxEntry> pending();

    /** All PARKED entries, for a human. */
    List<OutboxEntry> parked();

    Optional<OutboxEntry> find(String id);

    /** PENDING → SENT. */
    void markSent(String id, Instant at, String ticketNumber);

    /** Stays PENDING: records a failed attempt and when to try again. */
    void reschedule(String id, int attempts, Instant nextAttemptAt, String lastError);

    /** PENDING → PARKED with the failure and the response for a human. */
    void park(String id, Instant at, String reason, int responseStatus, String responseBody);
}
