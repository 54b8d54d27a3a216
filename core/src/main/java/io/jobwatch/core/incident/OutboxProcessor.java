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
import java.util.UUID;

/**
 * Delivers the outbox to the incident system: per incident (correlation id) in order, due entries only, each entry by
 * one sender at a time.
 * <ul>
 *   <li>An entry is claimed before it is sent (PENDING → SENDING with this sender as owner and a lease of
 *   {@link #DEFAULT_LEASE}); an entry another sender holds stops this sender's pass over that incident, so the
 *   incident's order is kept with several senders at once. A lease that lapsed (its sender died mid-send) is taken
 *   over: at-least-once remains only across a crash in the middle of one request.</li>
 *   <li>A retryable failure (no response, 408, 429, 5xx) goes back to PENDING: the server's Retry-After if given (at
 *   least 1 s), else {@link RetryBackoff}. It blocks the later actions of the same incident.</li>
 *   <li>A non-retryable failure (other 4xx) is PARKED with the response body; the incident's later actions go on.</li>
 *   <li>An Open first looks for an active incident with the same correlation id and adopts it (with a work note)
 *   instead of creating a second: that makes an Open idempotent, also after a crash between create and
 *   {@code markSent} or when two Opens race, and adopts incidents opened by an earlier installation.</li>
 *   <li>Update/Resolve/Reopen find the ticket they mean: the sys_id known when decided, else the one the incident
 *   store remembers for that incident (also after the record moved on to a newer incident), else by correlation
 *   id — the active incident, or for a Reopen the newest one in any state. Only with none are they parked.</li>
 * </ul>
 */
public final class OutboxProcessor {
    /** How long a claim holds: well beyond one request's timeout, so a live sender never loses its entry. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);
    private static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);

    private final IncidentGateway gateway;
    private final IncidentStore store;
    private final Outbox outbox;
    private final Clock clock;
    private final RetryBackoff backoff;
    private final String owner;
    private final Duration lease;

    public OutboxProcessor(IncidentGateway gateway, IncidentStore store, Outbox outbox, Clock clock, RetryBackoff backoff) {
        this(gateway, store, outbox, clock, backoff, "sender-" + UUID.randomUUID(), DEFAULT_LEASE);
    }

    /**
     * @param owner this sender's name in claims (unique per process)
     * @param lease how long a claim holds before another sender may take the entry over
     */
    public OutboxProcessor(IncidentGateway gateway, IncidentStore store, Outbox outbox, Clock clock,
                           RetryBackoff backoff, String owner, Duration lease) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.store = Objects.requireNonNull(store, "store");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.lease = Objects.requireNonNull(lease, "lease");
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
                if (!entry.claimable(now) || entry.nextAttemptAt().isAfter(now)) {
                    break; // another sender holds it, or it waits: the incident's later actions wait behind it
                }
                if (!outbox.claim(entry.id(), owner, now, now.plus(lease))) {
                    break; // taken (or done) by another sender since the list was read
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
     * "Retry now": makes every PENDING entry due now (its attempts and last error kept, so backoff resumes from there
     * if it fails again), then sends what is due. Parked entries stay parked: they need a fix first.
     */
    public DrainReport retryNow() {
        Instant now = clock.instant();
        for (OutboxEntry e : outbox.pending()) {
            if (e.status() == OutboxEntry.Status.PENDING && e.nextAttemptAt().isAfter(now)
                    && outbox.claim(e.id(), owner, now, now.plus(lease))) {
                outbox.reschedule(e.id(), owner, e.attempts(), now, e.lastError());
            }
        }
        return drainDue();
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
            outbox.park(entry.id(), owner, now, e.getMessage(), e.status(), e.responseBody());
            return Outcome.PARKED;
        } catch (RuntimeException e) {
            // A bug or an unexpected response must not lose the action: keep it and try later.
            reschedule(entry, now, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
            return Outcome.RETRY;
        }
        // Store failures from here on propagate: the claim lapses and the entry is sent again (an Open is adopted).
        store.rememberTicket(action.incident(), new IncidentState.Ticket(ticket.sysId(), ticket.number()), now);
        outbox.markSent(entry.id(), owner, now, ticket.number());
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
        IncidentState.Ticket known = store.load(ref.job(), ref.kind()).map(s -> s.ticketOf(ref)).orElse(null);
        if (known != null) {
            return known.sysId();
        }
        // Not known here (opened by another installation, or its Open was parked): ask by correlation id.
        Optional<IncidentTicket> found = action instanceof IncidentAction.Reopen
                ? gateway.findLatest(ref.correlationId()) : gateway.findOpen(ref.correlationId());
        return found.map(IncidentTicket::sysId).orElseThrow(() -> GatewayException.notApplicable("no "
                + (action instanceof IncidentAction.Reopen ? "" : "open ") + "incident with correlation id "
                + ref.correlationId() + " to " + action.type() + " (its open action may be parked)"));
    }

    private void reschedule(OutboxEntry entry, Instant now, String error, Duration retryAfter) {
        int attempts = entry.attempts() + 1;
        Duration wait = retryAfter != null
                ? (retryAfter.compareTo(MIN_RETRY_AFTER) < 0 ? MIN_RETRY_AFTER : retryAfter)
                : backoff.delay(attempts);
        outbox.reschedule(entry.id(), owner, attempts, now.plus(wait), error);
    }

    /** The earliest due time among the first waiting entry of each incident (later ones wait behind it). */
    private static Instant nextDue(List<OutboxEntry> pending) {
        Map<String, Instant> heads = new LinkedHashMap<>();
        for (OutboxEntry e : pending) {
            Instant due = e.status() == OutboxEntry.Status.SENDING && e.leaseUntil() != null
                    && e.leaseUntil().isAfter(e.nextAttemptAt()) ? e.leaseUntil() : e.nextAttemptAt();
            heads.putIfAbsent(e.correlationId(), due);
        }
        return heads.values().stream().min(Instant::compareTo).orElse(null);
    }
}
