package io.jobwatch.core.incident;

import io.jobwatch.core.run.RunState;

/** A job's health for one problem kind, as far as incidents care. */
public enum Health {
    /** Nothing known yet (a job's first run). Treated like {@link #HEALTHY}. */
    UNKNOWN,
    HEALTHY,
    FAILING;

    /**
     * The health after a terminal run: FAILED/TIMED_OUT → FAILING, SUCCEEDED → HEALTHY, and a STOPPED run (stopped on
     * purpose) leaves the health as it was.
     */
    public static Health after(RunState state, Health before) {
        if (state.failed()) {
            return FAILING;
        }
        if (state == RunState.SUCCEEDED) {
            return HEALTHY;
        }
        return before;
    }
}
