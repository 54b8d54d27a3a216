package io.jobwatch.core.incident;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Outbox in a map, in append order: the reference for the contract and a fake for tests. */
public final class InMemoryOutbox implements Outbox {
    private final Map<String, OutboxEntry> entries = new LinkedHashMap<>();
    private long sequence;

    @Override
    public synchronized OutboxEntry append(IncidentAction action, Instant at) {
        String id = String.format("%012d", ++sequence);
        OutboxEntry e = new OutboxEntry(id, action, OutboxEntry.Status.PENDING, at, 0, at, null, 0, null, null, null);
        entries.put(id, e);
        return e;
    }

    @Override
    public synchronized List<OutboxEntry> pending() {
        return entries.values().stream().filter(e -> e.status() == OutboxEntry.Status.PENDING).toList();
    }

    @Override
    public synchronized List<OutboxEntry> parked() {
        return entries.values().stream().filter(e -> e.status() == OutboxEntry.Status.PARKED).toList();
    }

    @Override
    public synchronized Optional<OutboxEntry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    /** Every entry in append order (tests). */
    public synchronized List<OutboxEntry> all() {
        return List.copyOf(entries.values());
    }

    @Override
    public synchronized void markSent(String id, Instant at, String ticketNumber) {
        OutboxEntry e = get(id);
        entries.put(id, new OutboxEntry(id, e.action(), OutboxEntry.Status.SENT, e.createdAt(), e.attempts(),
                e.nextAttemptAt(), e.lastError(), e.responseStatus(), e.responseBody(), at, ticketNumber));
    }

    @Override
    public synchronized void reschedule(String id, int attempts, Instant nextAttemptAt, String lastError) {
        OutboxEntry e = get(id);
        entries.put(id, new OutboxEntry(id, e.action(), e.status(), e.createdAt(), attempts, nextAttemptAt, lastError,
                e.responseStatus(), e.responseBody(), e.doneAt(), e.ticketNumber()));
    }

    @Override
    public synchronized void park(String id, Instant at, String reason, int responseStatus, String responseBody) {
        OutboxEntry e = get(id);
        entries.put(id, new OutboxEntry(id, e.action(), OutboxEntry.Status.PARKED, e.createdAt(), e.attempts(),
                e.nextAttemptAt(), reason, responseStatus, responseBody, at, null));
    }

    private OutboxEntry get(String id) {
        OutboxEntry e = entries.get(id);
        if (e == null) {
            throw new NoSuchElementException("no outbox entry " + id);
        }
        return e;
    }
}
