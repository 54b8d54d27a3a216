package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** IncidentStore in a map: the reference for the contract and a fake for tests. */
public final class InMemoryIncidentStore implements IncidentStore {
    private final Map<String, IncidentState> states = new LinkedHashMap<>();

    private static String key(JobKey job, ProblemKind kind) {
        return job.id() + "|" + kind;
    }

    @Override
    public synchronized Optional<IncidentState> load(JobKey job, ProblemKind kind) {
        return Optional.ofNullable(states.get(key(job, kind)));
    }

    /** The record only (tests). */
    public synchronized Optional<IncidentRecord> find(JobKey job, ProblemKind kind) {
        return load(job, kind).map(IncidentState::record);
    }

    @Override
    public synchronized boolean save(IncidentState next, long expectedVersion) {
        String k = key(next.record().job(), next.record().kind());
        IncidentState held = states.get(k);
        if ((held == null ? 0 : held.version()) != expectedVersion) {
            return false;
        }
        states.put(k, next);
        return true;
    }

    @Override
    public synchronized void relayed(JobKey job, ProblemKind kind, Collection<String> keys) {
        IncidentState s = states.get(key(job, kind));
        if (s != null) {
            states.put(key(job, kind), new IncidentState(s.record(), s.version(),
                    s.pending().stream().filter(p -> !keys.contains(p.key())).toList(), s.noted(), s.tickets()));
        }
    }

    @Override
    public synchronized boolean rememberTicket(IncidentRef ref, IncidentState.Ticket ticket, Instant at) {
        IncidentState s = states.get(key(ref.job(), ref.kind()));
        if (s == null || s.tickets().containsKey(ref.openedAt())) {
            return false;
        }
        IncidentRecord r = s.record();
        if (r.openedAt().equals(ref.openedAt()) && r.sysId() == null) {
            r = r.withTicket(ticket.sysId(), ticket.number());
        }
        // The version moves: a decision made from the state before this write saves again.
        states.put(key(ref.job(), ref.kind()), new IncidentState(r, s.version() + 1, s.pending(), s.noted(),
                IncidentState.withTicket(s.tickets(), ref.openedAt(), ticket)));
        return true;
    }

    @Override
    public synchronized List<IncidentRecord> open() {
        return states.values().stream().map(IncidentState::record).filter(IncidentRecord::open)
                .sorted(Comparator.comparing(IncidentRecord::openedAt)).toList();
    }
}
