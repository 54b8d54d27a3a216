package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;
import java.time.Clock;
import java.util.Optional;
import java.util.Objects;

/**
 * The write side of incidents on the ingest path: decide, append the action to the outbox, then save the record.
 * The outbox write comes first on purpose: after a crash between the two, the next failure decides an Open again and
 * the {@link OutboxProcessor} adopts the incident the first one created, so nothing is lost or duplicated.
 * Sending is separate ({@link OutboxProcessor}).
 */
public final class IncidentTracker {
    private final IncidentPolicy policy;
    private final IncidentStore store;
    private final Outbox outbox;
    private final Clock clock;

    public IncidentTracker(IncidentPolicy policy, IncidentStore store, Outbox outbox, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.store = Objects.requireNonNull(store, "store");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The job's current incident record for {@code kind}, if any (e.g. to see which run was decided last). */
    public Optional<IncidentRecord> current(JobKey job, ProblemKind kind) {
        return store.find(job, kind);
    }

    /** Decides on {@code transition} and records the outcome; returns the decision (for logs and reports). */
    public IncidentDecision onTransition(Transition transition, IncidentRules rules, JobHistory history,
                                         boolean inMaintenance) {
        IncidentDecision d = policy.decide(transition, rules, history,
                store.find(transition.job(), transition.kind()), inMaintenance);
        d.actionIfAny().ifPresent(a -> outbox.append(a, clock.instant()));
        d.recordToSave().ifPresent(store::save);
        return d;
    }
}
