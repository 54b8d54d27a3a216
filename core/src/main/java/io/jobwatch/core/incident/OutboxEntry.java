package io.jobwatch.core.incident;

import java.time.Instant;
import java.util.Objects;

/**
 * One decided action waiting for (or done with) delivery.
 *
 * @param id             the action's key ({@link IncidentState#keyOf}): one entry per incident, run and action type
 * @param seq            its place among the actions of its incident (the incident record's version that decided it)
 * @param action         what to send
 * @param status         PENDING (to send), SENDING (claimed by a sender until {@code leaseUntil}), SENT, or PARKED
 *                       (needs a human)
 * @param createdAt      when it was appended
 * @param attempts       failed delivery attempts so far
 * @param nextAttemptAt  not before this instant (PENDING only)
 * @param lastError      the last failure's message (retry or park reason), or null
 * @param responseStatus HTTP status of the parking response (0 = none), or of the last failure
 * @param responseBody   the response body of a parked entry (bounded), or null
 * @param doneAt         when it was sent or parked, or null
 * @param ticketNumber   the incident number it was sent to, or null
 * @param owner          the sender holding the claim (SENDING), or null
 * @param leaseUntil     when that claim lapses and another sender may take it over, or null
 */
public record OutboxEntry(String id, long seq, IncidentAction action, Status status, Instant createdAt, int attempts,
                          Instant nextAttemptAt, String lastError, int responseStatus, String responseBody,
                          Instant doneAt, String ticketNumber, String owner, Instant leaseUntil) {

    public enum Status { PENDING, SENDING, SENT, PARKED }

    public OutboxEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    }

    /** A new PENDING entry due at {@code at}. */
    public static OutboxEntry appended(String id, long seq, IncidentAction action, Instant at) {
        return new OutboxEntry(id, seq, action, Status.PENDING, at, 0, at, null, 0, null, null, null, null, null);
    }

    public String correlationId() {
        return action.correlationId();
    }

    /** Waiting to be sent: PENDING, or SENDING under a claim (which may lapse). */
    public boolean waiting() {
        return status == Status.PENDING || status == Status.SENDING;
    }

    /** Whether a sender may claim it at {@code now}: PENDING, or SENDING with a lapsed claim. */
    public boolean claimable(Instant now) {
        return status == Status.PENDING || status == Status.SENDING && leaseUntil != null && !now.isBefore(leaseUntil);
    }
}
