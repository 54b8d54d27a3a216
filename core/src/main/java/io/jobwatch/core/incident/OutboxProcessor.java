package io.jobwatch.core.incident;

import io.jobwatch.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Delivers the outbox to the incident system and to the teams' channels: per line — an incident (correlation id) and
 * one destination — in order, due entries only, each entry by one sender at a time. Lines are independent: a channel
 * that is down or throttling holds back only its own line, never ServiceNow's or another channel's. An incident's
 * incident-system line goes first, so a channel message sent in the same pass knows the incident's number.
 * <p>Two ways in, one algorithm ({@link #sendIncident}): {@link #sendDue(Collection, Instant)} right after deciding
 * (the ingest function, {@code serve}), for the incidents just decided, by a deadline; {@link #drainDue()} on a
 * schedule, retrying whatever is due.
 * <ul>
 *   <li>An entry is claimed before it is sent (PENDING → SENDING with this sender as owner and a lease of
 *   {@link #DEFAULT_LEASE}); an entry another sender holds stops this sender's pass over that line, so the
 *   line's order is kept with several senders at once. A lease that lapsed (its sender died mid-send) is taken
 *   over: at-least-once remains only across a crash in the middle of one request.</li>
 *   <li>Right before sending, an incident's entries are read again with {@link Outbox#waiting} (consistent), so a
 *   listing that lags behind (an index) never lets a later action overtake an earlier one.</li>
 *   <li>A retryable failure (no response, 408, 429, 5xx) goes back to PENDING: the server's Retry-After if given (at
 *   least 1 s), else {@link RetryBackoff}. It blocks the later actions of the same line.</li>
 *   <li>A non-retryable failure (other 4xx) is PARKED with the response body; the line's later actions go on.</li>
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
    /** Looks for entries appended meanwhile (by another writer) at most this often per incident in {@link #sendDue}. */
    static final int SEND_ROUNDS = 3;

    private final IncidentGateway gateway;
    private final IncidentChannels channels;
    private final IncidentStore store;
    private final Outbox outbox;
    private final Clock clock;
    private final RetryBackoff backoff;
    private final String owner;
    private final Duration lease;
    private final FirstRequests firstRequests;

    /**
     * Told once per entry, right before its first request (not when a lapsed claim is taken over): what alert latency
     * is measured to ({@link AlertLatency}).
     */
    @FunctionalInterface
    public interface FirstRequests {
        FirstRequests NONE = (entry, at) -> {
        };

        void firstRequest(OutboxEntry entry, Instant at);
    }

    /** A sender to the incident system only: channel entries are left for a sender that has the channels. */
    public OutboxProcessor(IncidentGateway gateway, IncidentStore store, Outbox outbox, Clock clock, RetryBackoff backoff) {
        this(gateway, IncidentChannels.NONE, store, outbox, clock, backoff);
    }

    /** A sender to the incident system and {@code channels}. */
    public OutboxProcessor(IncidentGateway gateway, IncidentChannels channels, IncidentStore store, Outbox outbox,
                           Clock clock, RetryBackoff backoff) {
        this(gateway, channels, store, outbox, clock, backoff, FirstRequests.NONE);
    }

    /** A sender to the incident system and {@code channels}, telling {@code firstRequests} of each first request. */
    public OutboxProcessor(IncidentGateway gateway, IncidentChannels channels, IncidentStore store, Outbox outbox,
                           Clock clock, RetryBackoff backoff, FirstRequests firstRequests) {
        this(gateway, channels, store, outbox, clock, backoff, "sender-" + UUID.randomUUID(), DEFAULT_LEASE,
                firstRequests);
    }

    /**
     * @param owner this sender's name in claims (unique per process)
     * @param lease how long a claim holds before another sender may take the entry over
     */
    public OutboxProcessor(IncidentGateway gateway, IncidentStore store, Outbox outbox, Clock clock,
                           RetryBackoff backoff, String owner, Duration lease) {
        this(gateway, IncidentChannels.NONE, store, outbox, clock, backoff, owner, lease);
    }

    /** See the other constructors. */
    public OutboxProcessor(IncidentGateway gateway, IncidentChannels channels, IncidentStore store, Outbox outbox,
                           Clock clock, RetryBackoff backoff, String owner, Duration lease) {
        this(gateway, channels, store, outbox, clock, backoff, owner, lease, FirstRequests.NONE);
    }

    /** The full form: see the other constructors. */
    public OutboxProcessor(IncidentGateway gateway, IncidentChannels channels, IncidentStore store, Outbox outbox,
                           Clock clock, RetryBackoff backoff, String owner, Duration lease,
                           FirstRequests firstRequests) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.channels = Objects.requireNonNull(channels, "channels");
        this.store = Objects.requireNonNull(store, "store");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.firstRequests = Objects.requireNonNull(firstRequests, "firstRequests");
    }

    /**
     * One pass on a schedule: sends every entry that is due now and not behind a waiting entry of its line. The
     * incidents come from {@link Outbox#pending()} (which may lag); each one is then sent by {@link #sendIncident}.
     */
    public DrainReport drainDue() {
        Tally t = new Tally();
        Instant now = clock.instant();
        Map<String, Boolean> due = new LinkedHashMap<>();
        Map<String, OutboxEntry> heads = new LinkedHashMap<>();
        for (OutboxEntry e : outbox.pending()) {
            if (mine(e)) {
                heads.putIfAbsent(e.line(), e);
            }
        }
        for (OutboxEntry head : heads.values()) {
            boolean ready = head.claimable(now) && !head.nextAttemptAt().isAfter(now);
            due.merge(head.correlationId(), ready, Boolean::logicalOr);
        }
        due.forEach((cid, ready) -> {
            if (ready) {
                sendIncident(cid, t, null);
            }
        });
        List<OutboxEntry> left = outbox.pending().stream().filter(this::mine).toList();
        return new DrainReport(t.sent, t.retried, t.parked, left.size(), nextDue(left));
    }

    /**
     * Right after deciding: sends what is due of these incidents' actions — to the incident system and every channel,
     * each line in its order — then looks once more for actions another writer appended meanwhile (at most
     * {@link #SEND_ROUNDS} looks per incident). An action that fails stays in the outbox for {@link #drainDue()}
     * (retried with backoff); an action behind one that waits, or that another sender holds, is left as it is. Nothing
     * is sent once {@code deadline} has passed.
     *
     * @param deadline when to stop starting requests (the invocation's time left, a request's budget)
     * @return what was sent; {@code pending} counts the entries of these incidents left waiting
     */
    public DrainReport sendDue(Collection<String> correlationIds, Instant deadline) {
        Objects.requireNonNull(deadline, "deadline");
        Tally t = new Tally();
        int left = 0;
        Instant next = null;
        for (String cid : new LinkedHashSet<>(correlationIds)) {
            Lines lines = null;
            for (int round = 0; round < SEND_ROUNDS; round++) {
                int done = t.sent + t.parked;
                lines = sendIncident(cid, t, deadline);
                if (lines.blocked() || t.sent + t.parked == done) {
                    break; // waits behind something, or nothing was there to send
                }
            }
            if (lines != null && lines.left() > 0) {
                left += lines.left();
                next = next == null || lines.nextDue().isBefore(next) ? lines.nextDue() : next;
            }
        }
        return new DrainReport(t.sent, t.retried, t.parked, left, next);
    }

    private static final class Tally {
        int sent;
        int retried;
        int parked;
    }

    /**
     * What {@link #sendIncident} left of one incident's lines.
     *
     * @param blocked true when a line stopped at an entry it could not send now (waiting, held, failed, the deadline)
     * @param left    entries not sent or parked
     * @param nextDue when the first of them is due (its lease's end when held), or null when none is left
     */
    private record Lines(boolean blocked, int left, Instant nextDue) {
    }

    /** Whether this sender sends the entry: incident-system entries always, channel entries when it has channels. */
    private boolean mine(OutboxEntry e) {
        return e.toIncidentSystem() || channels.sends();
    }

    /**
     * Sends one incident's waiting entries, read consistently, line by line (the incident system's first), each line
     * in order until one entry cannot be sent now.
     */
    private Lines sendIncident(String correlationId, Tally t, Instant deadline) {
        Map<String, List<OutboxEntry>> lines = new LinkedHashMap<>();
        List<OutboxEntry> waiting = outbox.waiting(correlationId);
        for (OutboxEntry e : waiting) {
            if (e.toIncidentSystem()) {
                lines.computeIfAbsent(e.line(), k -> new ArrayList<>()).add(e);
            }
        }
        if (channels.sends()) {
            for (OutboxEntry e : waiting) {
                if (!e.toIncidentSystem()) {
                    lines.computeIfAbsent(e.line(), k -> new ArrayList<>()).add(e);
                }
            }
        }
        boolean blocked = false;
        int left = 0;
        Instant next = null;
        for (List<OutboxEntry> line : lines.values()) {
            for (int i = 0; i < line.size(); i++) {
                OutboxEntry entry = line.get(i);
                Instant now = clock.instant();
                if (deadline != null && now.isAfter(deadline) || !entry.claimable(now)
                        || entry.nextAttemptAt().isAfter(now)
                        || !outbox.claim(entry.id(), owner, now, now.plus(lease))) {
                    // Out of time, held by another sender, waiting, or taken since the list was read: the line's
                    // later actions wait behind it.
                    blocked = true;
                    left += line.size() - i;
                    next = earlier(next, dueOf(entry));
                    break;
                }
                Attempt a = sendOne(entry);
                if (a.outcome() == Outcome.SENT) {
                    t.sent++;
                } else if (a.outcome() == Outcome.PARKED) {
                    t.parked++;
                } else {
                    t.retried++;
                    blocked = true;
                    left += line.size() - i;
                    next = earlier(next, a.retryAt());
                    break;
                }
            }
        }
        return new Lines(blocked, left, next);
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
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

    /** What one attempt did; {@code retryAt}: when a retried entry is due again (else null). */
    private record Attempt(Outcome outcome, Instant retryAt) {
        static final Attempt SENT = new Attempt(Outcome.SENT, null);
        static final Attempt PARKED = new Attempt(Outcome.PARKED, null);
    }

    /** Sends a claimed entry. */
    private Attempt sendOne(OutboxEntry entry) {
        IncidentAction action = entry.action();
        IncidentTicket ticket;
        Instant now = clock.instant();
        if (entry.status() == OutboxEntry.Status.PENDING && entry.attempts() == 0) {
            firstRequests.firstRequest(entry, now); // a lapsed claim taken over is not a first request
        }
        try {
            if (!entry.toIncidentSystem()) {
                return deliverToChannel(entry, now);
            }
            ticket = send(action);
        } catch (GatewayException e) {
            if (e.retryable()) {
                return reschedule(entry, now, e.getMessage(), e.retryAfter().orElse(null));
            }
            outbox.park(entry.id(), owner, now, e.getMessage(), e.status(), e.responseBody());
            return Attempt.PARKED;
        } catch (RuntimeException e) {
            // A bug or an unexpected response must not lose the action: keep it and try later.
            return reschedule(entry, now, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
        // Store failures from here on propagate: the claim lapses and the entry is sent again (an Open is adopted).
        store.rememberTicket(action.incident(), new IncidentState.Ticket(ticket.sysId(), ticket.number()), now);
        outbox.markSent(entry.id(), owner, now, ticket.number());
        return Attempt.SENT;
    }

    /** A channel entry: sent with the incident's number if the incident system has given one yet. */
    private Attempt deliverToChannel(OutboxEntry entry, Instant now) {
        IncidentRef ref = entry.action().incident();
        String number = store.load(ref.job(), ref.kind()).map(s -> s.ticketOf(ref)).map(IncidentState.Ticket::number)
                .orElse(null);
        channels.send(entry.destination(), entry.action(), number);
        outbox.markSent(entry.id(), owner, now, number);
        return Attempt.SENT;
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

    /** Back to PENDING after a failed attempt, due again after Retry-After or the backoff. */
    private Attempt reschedule(OutboxEntry entry, Instant now, String error, Duration retryAfter) {
        int attempts = entry.attempts() + 1;
        Duration wait = retryAfter != null
                ? (retryAfter.compareTo(MIN_RETRY_AFTER) < 0 ? MIN_RETRY_AFTER : retryAfter)
                : backoff.delay(attempts);
        outbox.reschedule(entry.id(), owner, attempts, now.plus(wait), error);
        return new Attempt(Outcome.RETRY, now.plus(wait));
    }

    /** When an entry can be sent: its due time, or its claim's end when a sender holds it longer. */
    private static Instant dueOf(OutboxEntry e) {
        return e.status() == OutboxEntry.Status.SENDING && e.leaseUntil() != null
                && e.leaseUntil().isAfter(e.nextAttemptAt()) ? e.leaseUntil() : e.nextAttemptAt();
    }

    /** The earliest due time among the first waiting entry of each line (later ones wait behind it). */
    private static Instant nextDue(List<OutboxEntry> pending) {
        Map<String, Instant> heads = new LinkedHashMap<>();
        for (OutboxEntry e : pending) {
            heads.putIfAbsent(e.line(), dueOf(e));
        }
        return heads.values().stream().min(Instant::compareTo).orElse(null);
    }
}
