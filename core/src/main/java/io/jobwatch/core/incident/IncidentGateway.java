package io.jobwatch.core.incident;

import java.util.Optional;

/**
 * Port to the incident system (ServiceNow Table API, or a dry run). Every method either returns the ticket or throws
 * {@link GatewayException}; implementations never retry themselves (the {@link OutboxProcessor} does).
 */
public interface IncidentGateway {

    /** The newest active, not yet resolved incident with this correlation id, if any. */
    Optional<IncidentTicket> findOpen(String correlationId);

    /**
     * The newest incident with this correlation id in any state (resolved ones too), if any: what a Reopen means when
     * Jobwatch does not know the ticket's sys_id.
     */
    Optional<IncidentTicket> findLatest(String correlationId);

    /** Opens a new incident. */
    IncidentTicket create(IncidentAction.Open open);

    /** Appends a work note to an incident. */
    IncidentTicket update(String sysId, String workNote);

    /** Resolves an incident with close notes and a work note. */
    IncidentTicket resolve(String sysId, IncidentAction.Resolve resolve);

    /** Sets a resolved incident back to In Progress with a work note. */
    IncidentTicket reopen(String sysId, IncidentAction.Reopen reopen);
}
