package io.jobwatch.core.sla;

import io.jobwatch.core.incident.Health;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.incident.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns consecutive evaluations into events: a breach is {@link Raised} the first time it holds and {@link Cleared}
 * the first time it no longer does (the recovering run, the end of the condition, or a maintenance window starting).
 * The raised set lives in a {@link BreachStore}, so the engine stays stateless and an evaluation may run anywhere.
 */
public final class SlaTracker {
    /** Order of breaches everywhere: job id, then kind. */
    public static final Comparator<Breach> ORDER = Comparator.comparing((Breach b) -> b.job().id())
            .thenComparing(Breach::kind);

    private final BreachStore store;

    public SlaTracker(BreachStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** A change of one job's SLA state for one kind. */
    public sealed interface Change permits Raised, Cleared {
        Breach breach();

        /**
         * The incident step for this change: MISSING/LATE/LONG_RUNNING → FAILING when raised, → HEALTHY when cleared;
         * empty for TOO_SHORT (digest only) and for breaches that do not page (learned, without pageOnLearned).
         */
        Optional<Transition> transition();
    }

    /** The breach holds now and did not at the previous evaluation. */
    public record Raised(Breach breach) implements Change {
        @Override
        public Optional<Transition> transition() {
            if (!breach.pages()) {
                return Optional.empty();
            }
            return breach.problemKind().map(k -> step(breach, k, Health.HEALTHY, Health.FAILING, breach.detail(),
                    breach.detectedAt()));
        }
    }

    /** The breach held at the previous evaluation ({@code breach}, as raised) and no longer does at {@code at}. */
    public record Cleared(Breach breach, Instant at) implements Change {
        @Override
        public Optional<Transition> transition() {
            if (!breach.pages()) {
                return Optional.empty();
            }
            return breach.problemKind().map(k -> step(breach, k, Health.FAILING, Health.HEALTHY,
                    "back within the SLA: " + breach.kind().label() + " cleared", at));
        }
    }

    private static Transition step(Breach b, ProblemKind kind, Health from, Health to, String note, Instant at) {
        return new Transition(b.job(), kind, from, to, b.runId(), null, null, note, at);
    }

    /**
     * Compares {@code current} (all breaches at {@code now}, from {@link SlaEngine#evaluate}) with the raised set,
     * records the differences in the store and returns them: clears first, then raises, each in job/kind order. A
     * breach that still holds is left as first raised (no write).
     */
    public List<Change> update(List<Breach> current, Instant now) {
        Map<String, Breach> before = new HashMap<>();
        for (Breach b : store.active()) {
            before.put(b.key(), b);
        }
        Map<String, Breach> after = new HashMap<>();
        for (Breach b : current) {
            after.putIfAbsent(b.key(), b);
        }
        List<Change> out = new ArrayList<>();
        List<Breach> gone = new ArrayList<>();
        for (Breach b : before.values()) {
            if (!after.containsKey(b.key())) {
                gone.add(b);
            }
        }
        gone.sort(ORDER);
        for (Breach b : gone) {
            store.clear(b.job(), b.kind());
            out.add(new Cleared(b, now));
        }
        List<Breach> fresh = new ArrayList<>();
        for (Breach b : after.values()) {
            if (!before.containsKey(b.key())) {
                fresh.add(b);
            }
        }
        fresh.sort(ORDER);
        for (Breach b : fresh) {
            store.raise(b);
            out.add(new Raised(b));
        }
        return out;
    }
}
