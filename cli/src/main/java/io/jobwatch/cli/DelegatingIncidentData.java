package io.jobwatch.cli;

import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.JobKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Incident records + outbox of one store, closed together with what they need (a client, a connection). */
final class DelegatingIncidentData implements StoreOptions.IncidentData {
    private final IncidentStore store;
    private final Outbox outbox;
    private final Runnable onClose;

    DelegatingIncidentData(IncidentStore store, Outbox outbox, Runnable onClose) {
        this.store = store;
        this.outbox = outbox;
        this.onClose = onClose;
    }

    @Override
    public Optional<IncidentRecord> find(JobKey job, ProblemKind kind) {
        return store.find(job, kind);
    }

    @Override
    public void save(IncidentRecord record) {
        store.save(record);
    }

    @Override
    public List<IncidentRecord> open() {
        return store.open();
    }

    @Override
    public OutboxEntry append(IncidentAction action, Instant at) {
        return outbox.append(action, at);
    }

    @Override
    public List<OutboxEntry> pending() {
        return outbox.pending();
    }

    @Override
    public List<OutboxEntry> parked() {
        return outbox.parked();
    }

    @Override
    public Optional<OutboxEntry> find(String id) {
        return outbox.find(id);
    }

    @Override
    public void markSent(String id, Instant at, String ticketNumber) {
        outbox.markSent(id, at, ticketNumber);
    }

    @Override
    public void reschedule(String id, int attempts, Instant nextAttemptAt, String lastError) {
        outbox.reschedule(id, attempts, nextAttemptAt, lastError);
    }

    @Override
    public void park(String id, Instant at, String reason, int responseStatus, String responseBody) {
        outbox.park(id, at, reason, responseStatus, responseBody);
    }

    @Override
    public void close() {
        onClose.run();
    }
}
