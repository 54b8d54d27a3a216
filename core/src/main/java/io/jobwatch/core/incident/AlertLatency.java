package io.jobwatch.core.incident;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Alert latency: from the moment the event that decided an incident action reached Jobwatch (the ingest function, the
 * local server's POST, a CLI file) to the action's first request to ServiceNow or a channel — what a failing job's
 * team waits for, Jobwatch's part of it. An ingest path tells it when the events of its decisions arrived
 * ({@link #arrived}); a sender asks it at each first request ({@link #firstRequest}, wired as
 * {@link OutboxProcessor.FirstRequests}). An action whose arrival is not known here (decided in another process, or
 * by the SLA checks) is measured from when it was decided (its outbox entry's creation, a few milliseconds after the
 * arrival on the ingest path). Time a ServiceNow outage adds after the first request is not in it: that shows as the
 * outbox's oldest pending age.
 *
 * <p>Remembers at most {@link #CAPACITY} arrivals (the oldest are forgotten first): a bounded map, per process.
 */
public final class AlertLatency {
    /** Arrivals remembered at most; an action sent after its arrival was forgotten is measured from its decision. */
    public static final int CAPACITY = 10_000;

    private final Map<String, Instant> arrivals = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > CAPACITY;
        }
    };

    /** One measured first request. */
    public record Sample(String actionKey, String type, Duration latency, boolean fromArrival) {
    }

    /** The events behind {@code decisions} arrived at {@code at}: remembers it for each decided action. */
    public synchronized void arrived(Collection<IncidentDecision> decisions, Instant at) {
        for (IncidentDecision d : decisions) {
            if (d.action() != null) {
                arrivals.putIfAbsent(IncidentState.keyOf(d.action()), at);
            }
        }
    }

    /**
     * The latency of {@code entry}'s first request at {@code at}: from its event's arrival when known here, else from
     * the entry's creation; never negative.
     */
    public synchronized Sample firstRequest(OutboxEntry entry, Instant at) {
        // Keyed by the action without its version or destination: the incident system's entry and each channel's
        // are measured from the same arrival.
        Instant arrived = arrivals.get(IncidentState.keyOf(entry.action()));
        Instant from = arrived != null ? arrived : entry.createdAt();
        Duration d = Duration.between(from, at);
        return new Sample(entry.id(), entry.action().type(), d.isNegative() ? Duration.ZERO : d, arrived != null);
    }
}
