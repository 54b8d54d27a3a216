package io.jobwatch.core.incident;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Outbox in a map, in append order: the reference for the contract and a fake for tests. */
public final class InMemoryOutbox implements Outbox {
    private final Map<String, OutboxEntry> entries = new LinkedHashMap<>();

    @Override
    public synchronized OutboxEntry append(String id, long seq, IncidentAction action, Instant at) {
        return entries.computeIfAbsent(id, k -> OutboxEntry.appended(id, seq, action, at));
    }

    @Override
    public synchronized List<OutboxEntry> pending() {
        return entries.values().stream().filter(OutboxEntry::waiting)
                .sorted(Comparator.comparing(OutboxEntry::correlationId).thenComparingLong(OutboxEntry::seq)
                        .thenComparing(OutboxEntry::id)).toList();
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
    public synchronized boolean claim(String id, String owner, Instant now, Instant leaseUntil) {
        OutboxEntry e = entries.get(id);
        if (e == null || !e.claimable(now)) {
            return false;
        }
        entries.put(id, new OutboxEntry(id, e.seq(), e.action(), OutboxEntry.Status.SENDING, e.createdAt(),
                e.attempts(), e.nextAttemptAt(), e.lastError(), e.responseStatus(), e.responseBody(), e.doneAt(),
                e.ticketNumber(), owner, leaseUntil));
        return true;
    }

    @Override
    public synchronized boolean markSent(String id, String owner, Instant at, String ticketNumber) {
        OutboxEntry e = held(id, owner);
        if (e == null) {
            return false;
        }
        entries.put(id, new OutboxEntry(id, e.seq(), e.action(), OutboxEntry.Status.SENT, e.createdAt(), e.attempts(),
                e.nextAttemptAt(), e.lastError(), e.responseStatus(), e.responseBody(), at, ticketNumber, null, null));
        return true;
    }

    @Override
    public synchronized boolean reschedule(String id, String owner, int attempts, Instant nextAttemptAt,
                                           String lastError) {
        OutboxEntry e = held(id, owner);
        if (e == null) {
            return false;
        }
        entries.put(id, new OutboxEntry(id, e.seq(), e.action(), OutboxEntry.Status.PENDING, e.createdAt(), attempts,
                nextAttemptAt, lastError, e.responseStatus(), e.responseBody(), e.doneAt(), e.ticketNumber(), null,
                null));
        return true;
    }

    @Override
    public synchronized boolean park(String id, String owner, Instant at, String reason, int responseStatus,
                                     String responseBody) {
        OutboxEntry e = held(id, owner);
        if (e == null) {
            return false;
        }
        entries.put(id, new OutboxEntry(id, e.seq(), e.action(), OutboxEntry.Status.PARKED, e.createdAt(),
                e.attempts(), e.nextAttemptAt(), reason, responseStatus, responseBody, at, null, null, null));
        return true;
    }

    private OutboxEntry held(String id, String owner) {
        OutboxEntry e = entries.get(id);
        return e != null && e.status() == OutboxEntry.Status.SENDING && Objects.equals(owner, e.owner()) ? e : null;
    }
}
