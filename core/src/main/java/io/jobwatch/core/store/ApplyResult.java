package io.jobwatch.core.store;

import io.jobwatch.core.run.RunState;
import java.util.Objects;

/**
 * What one apply did, with the run as it is now and the state it had before, so that later layers (incidents) see
 * the transition without reading again.
 *
 * @param outcome       CREATED, ADVANCED, DUPLICATE or STALE
 * @param run           the run after the event (for DUPLICATE: as stored)
 * @param previousState the run's state before the event; null when the event created the run
 */
public record ApplyResult(Outcome outcome, Run run, RunState previousState) {
    public ApplyResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(run, "run");
    }

    /** True when this event moved the run into a terminal state (the moment to notify, resolve, count). */
    public boolean becameTerminal() {
        return run.terminal() && (previousState == null || !previousState.terminal())
                && (outcome == Outcome.CREATED || outcome == Outcome.ADVANCED);
    }

    /** True when the run's state differs from before (CREATED counts as a change from nothing). */
    public boolean stateChanged() {
        return previousState != run.state();
    }
}
