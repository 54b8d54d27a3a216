package io.jobwatch.servicenow;

import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxEntry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Delegates everything; tests override a method to simulate a crash at that point. */
class ForwardingOutbox implements Outbox {
    private final Outbox delegate;

    ForwardingOutbox(Outbox delegate) {
        this.delegate = delegate;
    }

    @Override
    public OutboxEntry append(IncidentAction action, Instant at) {
        return delegate.append(action, at);
    }

    @Override
    public List<OutboxEntry> pending() {
        return delegate.pending();
    }

    @Override
    public List<OutboxEntry> parked() {
        return delegate.parked();
    }

    @Override
    public Optional<OutboxEntry> find(String id) {
        return delegate.find(id);
    }

    @Override
    public void markSent(String id, Instant at, String ticketNumber) {
        delegate.markSent(id, at, ticketNumber);
    }

    @Override
    public void reschedule(String id, int attempts, Instant nextAttemptAt, String lastError) {
        delegate.reschedule(id, attempts, nextAttemptAt, lastError);
    }

    @Override
    public void park(String id, Instant at, String reason, int responseStatus, String responseBody) {
        delegate.park(id, at, reason, responseStatus, responseBody);
    }
}
