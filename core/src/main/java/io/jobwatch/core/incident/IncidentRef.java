package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;

import java.time.Instant;
import java.util.Objects;

/**
 * Which incident an action is about: the job problem, its correlation id, and which of the job's successive incidents
 * ({@code openedAt}, as in {@link IncidentRecord#openedAt()}).
 *
 * @param sysId the ServiceNow sys_id if it was known when the action was decided, else null (the outbox looks it up
 *              when sending: actions of one correlation id are sent in order, so the Open has been sent by then)
 */
public record IncidentRef(JobKey job, ProblemKind kind, String correlationId, Instant openedAt, String sysId) {
    public IncidentRef {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(openedAt, "openedAt");
    }

    static IncidentRef of(IncidentRecord r) {
        return new IncidentRef(r.job(), r.kind(), r.correlationId(), r.openedAt(), r.sysId());
    }
}
