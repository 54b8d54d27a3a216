package io.jobwatch.core.reconcile;

import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.Outcome;
import java.util.Objects;

/**
 * One fix the reconciler made (or, in a dry run, would make).
 *
 * @param kind        ADD: the store did not know the run (its events never arrived); ADVANCE: the store has it in
 *                    an earlier state than the service reports (e.g. still RUNNING, the service says SUCCEEDED)
 * @param observed    the run as the service lists it
 * @param storedState the state the store had, or null for ADD
 * @param outcome     what the store did with the synthesized event; null in a dry run
 */
public record ReconcileAction(Kind kind, ObservedRun observed, RunState storedState, Outcome outcome) {
    public enum Kind { ADD, ADVANCE }

    public ReconcileAction {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(observed, "observed");
    }

    /** One line for the CLI: {@code add   glue-job:…:nightly#jr_1  SUCCEEDED (service: SUCCEEDED)}. */
    public String describe() {
        String what = kind == Kind.ADD ? "add    " : "advance";
        String from = storedState == null ? "" : storedState + " -> ";
        return what + " " + observed.key() + "  " + from + observed.state() + " (service: " + observed.sourceState() + ")"
                + (outcome == null ? "" : "  [" + outcome + "]");
    }
}
