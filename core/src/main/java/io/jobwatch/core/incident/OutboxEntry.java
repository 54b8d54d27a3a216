package io.jobwatch.core.incident;

import java.time.Instant;
import java.util.Objects;

/**
 * One decided action waiting for (or done with) delivery to one destination: the incident system (ServiceNow) or one
 * of the team's channels (Slack, Teams, PagerDuty, a webhook). Each destination has its own entry, order and retry
 * state, so an outage of one never holds back another.
 *
 * @param id             the action's key ({@link IncidentState#keyOf}) for the incident system, the key and the
 *                       destination for a channel ({@link #idFor}): one entry per incident, run, action type and
 *                       destination, so a repeated decision collapses into one
 * @param destination    {@link #INCIDENT_SYSTEM}, or a channel as {@code <team>/<type>} ({@code erp-ops/slack};
 *                       {@code erp-ops/slack#2} for the team's second of a type)
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
public record OutboxEntry(String id, String destination, long seq, IncidentAction action, Status status, Instant createdAt, int attempts,
                          Instant nextAttemptAt, String lastError, int responseStatus, String responseBody,
                          Instant doneAt, String ticketNumber, String owner, Instant leaseUntil) {

    public enum Status { PENDING, SENDING, SENT, PARKED }

    /** The destination of ServiceNow's entries (and of every entry stored before channels had their own). */
    public static final String INCIDENT_SYSTEM = "servicenow";

    public OutboxEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    }

    /** A new PENDING entry due at {@code at}. */
    public static OutboxEntry appended(String id, String destination, long seq, IncidentAction action, Instant at) {
        return new OutboxEntry(id, destination, seq, action, Status.PENDING, at, 0, at, null, 0, null, null, null, null,
                null);
    }

    /** The id of the entry that delivers the action with key {@code key} to {@code destination}. */
    public static String idFor(String key, String destination) {
        return INCIDENT_SYSTEM.equals(destination) ? key : key + "|" + destination;
    }

    /** Whether it goes to the incident system (else to a channel). */
    public boolean toIncidentSystem() {
        return INCIDENT_SYSTEM.equals(destination);
    }

    /** The entry's line: its incident and destination. Entries of one line are sent in order, one at a time. */
    public String line() {
        return correlationId() + " " + destination;
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
