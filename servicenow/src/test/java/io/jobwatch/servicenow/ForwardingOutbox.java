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
    public OutboxEntry append(String id, long seq, IncidentAction action, Instant at) {
        return delegate.append(id, seq, action, at);
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
    public boolean claim(String id, String owner, Instant now, Instant leaseUntil) {
        return delegate.claim(id, owner, now, leaseUntil);
    }

    @Override
    public boolean markSent(String id, String owner, Instant at, String ticketNumber) {
        return delegate.markSent(id, owner, at, ticketNumber);
    }

    @Override
    public boolean reschedule(String id, String owner, int attempts, Instant nextAttemptAt, String lastError) {
        return delegate.reschedule(id, owner, attempts, nextAttemptAt, lastError);
    }

    @Override
    public boolean park(String id, String owner, Instant at, String reason, int responseStatus, String responseBody) {
        return delegate.park(id, owner, at, reason, responseStatus, responseBody);
    }
}
