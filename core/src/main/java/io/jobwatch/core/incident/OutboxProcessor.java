package io.jobwatch.core.incident;

import io.jobwatch.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Delivers the outbox to the incident system: per correlation id in append order, due entries only.
 * <ul>
 *   <li>A retryable failure (no response, 408, 429, 5xx) stays PENDING: the server's Retry-After if given (at least
 *   1 s), else {@link RetryBackoff}. It blocks the later actions of the same incident, so order is kept.</li>
 *   <li>A non-retryable failure (other 4xx) is PARKED with the response body; the incident's later actions go on.</li>
 *   <li>An Open first looks for an active incident with the same correlation id and adopts it (with a work note)
 *   instead of creating a second: that makes an Open idempotent, also after a crash between create and
 *   {@code markSent}, and adopts incidents opened by an earlier installation.</li>
 *   <li>Update/Resolve/Reopen use the sys_id known when decided, else the local record's (same incident), else the
 *   open incident found by correlation id; with none, they are parked.</li>
 * </ul>
 * Work notes are at-least-once: a crash between a PATCH and {@code markSent} repeats that note once.
 */
public final class OutboxProcessor {
    private static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);

    private final IncidentGateway gateway;
    private final IncidentStore store;
    private final Outbox outbox;
    private final Clock clock;
    private final RetryBackoff backoff;

    public OutboxProcessor(IncidentGateway gateway, IncidentStore store, Outbox outbox, Clock clock, RetryBackoff backoff) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.store = Objects.requireNonNull(store, "store");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /** One pass: sends every entry that is due now and not behind a waiting entry of the same incident. */
    public DrainReport drainDue() {
        int sent = 0;
        int retried = 0;
        int parked = 0;
        Map<String, List<OutboxEntry>> byIncident = new LinkedHashMap<>();
        for (OutboxEntry e : outbox.pending()) {
            byIncident.computeIfAbsent(e.correlationId(), k -> new ArrayList<>()).add(e);
        }
        for (List<OutboxEntry> line : byIncident.values()) {
            for (OutboxEntry entry : line) {
                Instant now = clock.instant();
                if (entry.nextAttemptAt().isAfter(now)) {
                    break; // keeps the incident's order
                }
                Outcome outcome = deliver(entry, now);
                if (outcome == Outcome.SENT) {
                    sent++;
                } else if (outcome == Outcome.PARKED) {
                    parked++;
                } else {
                    retried++;
                    break;
                }
            }
        }
        List<OutboxEntry> left = outbox.pending();
        return new DrainReport(sent, retried, parked, left.size(), nextDue(left));
    }

    /**
     * Drains until nothing is pending or the next due entry lies beyond {@code timeout} from now, waiting with
     * {@code sleeper} in between. What is left stays in the outbox (see the report).
     */
    public DrainReport drain(Duration timeout, Sleeper sleeper) throws InterruptedException {
        Instant deadline = clock.instant().plus(timeout);
        DrainReport total = new DrainReport(0, 0, 0, 0, null);
        while (true) {
            total = total.plus(drainDue());
            if (total.pending() == 0 || total.nextAttemptAt() == null || total.nextAttemptAt().isAfter(deadline)) {
                return total;
            }
            Duration wait = Duration.between(clock.instant(), total.nextAttemptAt());
            if (!wait.isNegative() && !wait.isZero()) {
                sleeper.sleep(wait);
            }
        }
    }

    private enum Outcome { SENT, RETRY, PARKED }

    private Outcome deliver(OutboxEntry entry, Instant now) {
        IncidentAction action = entry.action();
        IncidentTicket ticket;
        try {
            ticket = send(action);
        } catch (GatewayException e) {
            if (e.retryable()) {
                reschedule(entry, now, e.getMessage(), e.retryAfter().orElse(null));
                return Outcome.RETRY;
            }
            outbox.park(entry.id(), now, e.getMessage(), e.status(), e.responseBody());
            return Outcome.PARKED;
        } catch (RuntimeException e) {
            // A bug or an unexpected response must not lose the action: keep it and try later.
            reschedule(entry, now, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
            return Outcome.RETRY;
        }
        // Store failures from here on propagate: the entry stays PENDING and is sent again (an Open is then adopted).
        remember(action, ticket);
        outbox.markSent(entry.id(), now, ticket.number());
        return Outcome.SENT;
    }

    private IncidentTicket send(IncidentAction action) {
        if (action instanceof IncidentAction.Open open) {
            return open(open);
        } else if (action instanceof IncidentAction.Update update) {
            return gateway.update(sysIdFor(action), update.workNote());
        } else if (action instanceof IncidentAction.Resolve resolve) {
            return gateway.resolve(sysIdFor(action), resolve);
        }
        return gateway.reopen(sysIdFor(action), (IncidentAction.Reopen) action);
    }

    private IncidentTicket open(IncidentAction.Open open) {
        Optional<IncidentTicket> existing = gateway.findOpen(open.correlationId());
        if (existing.isPresent()) {
            IncidentTicket adopted = existing.get();
            IncidentTicket noted = gateway.update(adopted.sysId(), "Jobwatch adopted this open incident (same correlation id "
                    + open.correlationId() + ") instead of opening a new one.\n" + open.workNote() + "\n\n" + open.description());
            return noted.number() != null ? noted : adopted;
        }
        return gateway.create(open);
    }

    private String sysIdFor(IncidentAction action) {
        IncidentRef ref = action.incident();
        if (ref.sysId() != null) {
            return ref.sysId();
        }
        Optional<IncidentRecord> rec = store.find(ref.job(), ref.kind());
        if (rec.isPresent() && rec.get().openedAt().equals(ref.openedAt()) && rec.get().sysId() != null) {
            return rec.get().sysId();
        }
        // Actions of one correlation id go out in order, so the active incident found now is the one meant.
        return gateway.findOpen(ref.correlationId()).map(IncidentTicket::sysId).orElseThrow(() ->
                GatewayException.notApplicable("no open incident with correlation id " + ref.correlationId()
                        + " to " + action.type() + " (its open action may be parked)"));
    }

    /** Saves the ServiceNow identity on the local record of the same incident. */
    private void remember(IncidentAction action, IncidentTicket ticket) {
        IncidentRef ref = action.incident();
        store.find(ref.job(), ref.kind())
                .filter(r -> r.openedAt().equals(ref.openedAt()))
                .filter(r -> !ticket.sysId().equals(r.sysId()) || r.number() == null)
                .ifPresent(r -> store.save(r.withTicket(ticket.sysId(), ticket.number() != null ? ticket.number() : r.number())));
    }

    private void reschedule(OutboxEntry entry, Instant now, String error, Duration retryAfter) {
        int attempts = entry.attempts() + 1;
        Duration wait = retryAfter != null
                ? (retryAfter.compareTo(MIN_RETRY_AFTER) < 0 ? MIN_RETRY_AFTER : retryAfter)
                : backoff.delay(attempts);
        outbox.reschedule(entry.id(), attempts, now.plus(wait), error);
    }

    /** The earliest due time among the first pending entry of each incident (later ones wait behind it). */
    private static Instant nextDue(List<OutboxEntry> pending) {
        Map<String, Instant> heads = new LinkedHashMap<>();
        for (OutboxEntry e : pending) {
            heads.putIfAbsent(e.correlationId(), e.nextAttemptAt());
        }
        return heads.values().stream().min(Instant::compareTo).orElse(null);
    }
}
