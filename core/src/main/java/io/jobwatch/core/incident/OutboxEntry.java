package io.jobwatch.core.incident;

import java.time.Instant;
import java.util.Objects;

/**
 * One decided action waiting for (or done with) delivery.
 *
 * @param id             assigned by the outbox; opaque, unique
 * @param action         what to send
 * @param status         PENDING (to send), SENT, or PARKED (needs a human)
 * @param createdAt      when it was appended
 * @param attempts       failed delivery attempts so far
 * @param nextAttemptAt  not before this instant (PENDING only)
 * @param lastError      the last failure's message (retry or park reason), or null
 * @param responseStatus HTTP status of the parking response (0 = none), or of the last failure
 * @param responseBody   the response body of a parked entry (bounded), or null
 * @param doneAt         when it was sent or parked, or null
 * @param ticketNumber   the incident number it was sent to, or null
 */
public record OutboxEntry(String id, IncidentAction action, Status status, Instant createdAt, int attempts,
                          Instant nextAttemptAt, String lastError, int responseStatus, String responseBody,
                          Instant doneAt, String ticketNumber) {

    public enum Status { PENDING, SENT, PARKED }

    public OutboxEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    }

    public String correlationId() {
        return action.correlationId();
    }
}
