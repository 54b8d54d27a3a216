package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The write side of incidents: one decision per run. Deciding reads the job problem's {@link IncidentState}, judges,
 * and saves the new record <em>together with the decided action</em> in one write conditional on the version read; a
 * writer that loses (another saved first) reads again and judges against the new record. The saved actions are then
 * copied to the outbox under their keys (a copy made twice is one entry) and dropped from the record — a writer that
 * crashes in between leaves them pending in the record, and the next decision on that job problem copies them first.
 * Each action is copied once per destination: the incident system, and every channel of the job's team
 * ({@link IncidentChannels}). Sending is separate ({@link OutboxProcessor}).
 */
public final class IncidentTracker {
    /** Decisions lost to other writers before giving up (each loss means another writer made progress). */
    static final int MAX_ATTEMPTS = 20;

    private final IncidentPolicy policy;
    private final IncidentStore store;
    private final Outbox outbox;
    private final Clock clock;
    private final IncidentChannels channels;
    private final IncidentTimes times;

    /** A tracker whose actions go to the incident system only. */
    public IncidentTracker(IncidentPolicy policy, IncidentStore store, Outbox outbox, Clock clock) {
        this(policy, store, outbox, clock, IncidentChannels.NONE, IncidentTimes.NONE);
    }

    /** @param channels where actions go besides the incident system (the job's team's channels) */
    public IncidentTracker(IncidentPolicy policy, IncidentStore store, Outbox outbox, Clock clock,
                           IncidentChannels channels) {
        this(policy, store, outbox, clock, channels, IncidentTimes.NONE);
    }

    /** @param times told when incidents open and resolve (the run store's rollups count their open time) */
    public IncidentTracker(IncidentPolicy policy, IncidentStore store, Outbox outbox, Clock clock, IncidentTimes times) {
        this(policy, store, outbox, clock, IncidentChannels.NONE, times);
    }

    /**
     * @param channels where actions go besides the incident system (the job's team's channels)
     * @param times    told when incidents open and resolve (the run store's rollups count their open time)
     */
    public IncidentTracker(IncidentPolicy policy, IncidentStore store, Outbox outbox, Clock clock,
                           IncidentChannels channels, IncidentTimes times) {
        this.times = Objects.requireNonNull(times, "times");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.store = Objects.requireNonNull(store, "store");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.channels = Objects.requireNonNull(channels, "channels");
    }

    public IncidentPolicy policy() {
        return policy;
    }

    /** The job's current incident record for {@code kind}, if any. */
    public Optional<IncidentRecord> current(JobKey job, ProblemKind kind) {
        return store.load(job, kind).map(IncidentState::record);
    }

    /** Decides on an SLA or other {@code transition} (see {@link IncidentPolicy#decide}) and records the outcome. */
    public IncidentDecision onTransition(Transition transition, IncidentRules rules, JobHistory history,
                                         boolean inMaintenance) {
        return decide(transition.job(), transition.kind(), transition.runId(), state -> policy.decide(transition, rules,
                history, state.map(IncidentState::record), inMaintenance));
    }

    /**
     * Judges with {@code judge} against the stored state and saves what it decides, conditionally, retrying against
     * the newer state when another writer saved first.
     *
     * @param runId the run decided on (noted so that it never gets a second work note), or null
     */
    public IncidentDecision decide(JobKey job, ProblemKind kind, String runId,
                                   Function<Optional<IncidentState>, IncidentDecision> judge) {
        for (int attempt = 1; ; attempt++) {
            Optional<IncidentState> current = store.load(job, kind);
            current.ifPresent(this::relay);
            IncidentDecision d = judge.apply(current);
            if (d.record() == null) {
                return d;
            }
            IncidentState next = current.map(s -> s.next(d.record(), d.action(), runId))
                    .orElseGet(() -> IncidentState.first(d.record(), d.action(), runId));
            if (store.save(next, current.map(IncidentState::version).orElse(0L))) {
                relay(next);
                IncidentTimes.tell(times, d);
                return d;
            }
            if (attempt >= MAX_ATTEMPTS) {
                throw new IllegalStateException("could not save the incident decision for " + job + "/" + kind
                        + " after " + attempt + " attempts: other writers kept saving first");
            }
        }
    }

    /**
     * Copies the state's pending actions to the outbox, one entry per destination (idempotent: keyed), and drops them
     * from the record.
     */
    private void relay(IncidentState state) {
        if (state.pending().isEmpty()) {
            return;
        }
        List<String> to = channels.destinations(state.record().job());
        for (IncidentState.PendingAction p : state.pending()) {
            Instant now = clock.instant();
            outbox.append(p.key(), OutboxEntry.INCIDENT_SYSTEM, p.seq(), p.action(), now);
            for (String destination : to) {
                outbox.append(OutboxEntry.idFor(p.key(), destination), destination, p.seq(), p.action(), now);
            }
        }
        store.relayed(state.record().job(), state.record().kind(),
                List.copyOf(state.pending().stream().map(IncidentState.PendingAction::key).toList()));
    }
}
