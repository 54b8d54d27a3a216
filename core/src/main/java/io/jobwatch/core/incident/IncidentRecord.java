package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;

import java.time.Instant;
import java.util.Objects;

/**
 * Jobwatch's own record of the incident for one job problem (one per job and kind; a new incident replaces the
 * resolved one). It is saved by the ingest path right after each decision, before ServiceNow knows, so
 * {@link #sysId} and {@link #number} stay null until the outbox has delivered the Open.
 *
 * @param job                  the job
 * @param kind                 the problem kind
 * @param correlationId        the ServiceNow correlation_id ({@link CorrelationIds#of})
 * @param sysId                ServiceNow sys_id once known, else null
 * @param number               ServiceNow number (INC…) once known, else null
 * @param state                OPEN or RESOLVED (as decided by Jobwatch)
 * @param openedAt             when Jobwatch decided to open it; also identifies this incident among the job's
 *                             successive incidents (actions carry it)
 * @param updatedAt            last decision that changed the incident
 * @param resolvedAt           when Jobwatch decided to resolve it, or null
 * @param consecutiveFailures  failed runs in a row (since the last success)
 * @param consecutiveSuccesses successful runs in a row while open (reset by a failure)
 * @param lastFlipAt           time of the last health flip (failing→healthy or healthy→failing), for flap damping
 * @param lastRunId            the last run decided on, so a replayed transition is not applied twice; or null
 */
public record IncidentRecord(
        JobKey job,
        ProblemKind kind,
        String correlationId,
        String sysId,
        String number,
        State state,
        Instant openedAt,
        Instant updatedAt,
        Instant resolvedAt,
        int consecutiveFailures,
        int consecutiveSuccesses,
        Instant lastFlipAt,
        String lastRunId) {

    public enum State { OPEN, RESOLVED }

    public IncidentRecord {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public boolean open() {
        return state == State.OPEN;
    }

    /** The same record with the ServiceNow identity learned from a create or an adopted lookup. */
    public IncidentRecord withTicket(String newSysId, String newNumber) {
        return new IncidentRecord(job, kind, correlationId, newSysId, newNumber, state, openedAt, updatedAt, resolvedAt,
                consecutiveFailures, consecutiveSuccesses, lastFlipAt, lastRunId);
    }
}
