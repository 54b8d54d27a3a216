package io.jobwatch.lambda;

import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentGateway;
import io.jobwatch.core.incident.IncidentTicket;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A gateway built on its first call, not at init: the ingest function runs as a SnapStart snapshot, and credentials
 * read before the snapshot would be frozen into it (and shared by every restored copy). The first real request after
 * a restore reads the ServiceNow secret; priming never calls it. A failure to build (the secret unreadable) is thrown
 * to that call — the outbox keeps the action and retries — and tried again on the next.
 */
final class LazyIncidentGateway implements IncidentGateway {
    private final Supplier<IncidentGateway> build;
    private volatile IncidentGateway built;

    LazyIncidentGateway(Supplier<IncidentGateway> build) {
        this.build = build;
    }

    /** Whether the gateway was built (the secret read), for tests of what priming may touch. */
    boolean built() {
        return built != null;
    }

    private IncidentGateway gateway() {
        IncidentGateway g = built;
        if (g == null) {
            synchronized (this) {
                if (built == null) {
                    built = build.get();
                }
                g = built;
            }
        }
        return g;
    }

    @Override
    public Optional<IncidentTicket> findOpen(String correlationId) {
        return gateway().findOpen(correlationId);
    }

    @Override
    public Optional<IncidentTicket> findLatest(String correlationId) {
        return gateway().findLatest(correlationId);
    }

    @Override
    public IncidentTicket create(IncidentAction.Open open) {
        return gateway().create(open);
    }

    @Override
    public IncidentTicket update(String sysId, String workNote) {
        return gateway().update(sysId, workNote);
    }

    @Override
    public IncidentTicket resolve(String sysId, IncidentAction.Resolve resolve) {
        return gateway().resolve(sysId, resolve);
    }

    @Override
    public IncidentTicket reopen(String sysId, IncidentAction.Reopen reopen) {
        return gateway().reopen(sysId, reopen);
    }
}
