package io.jobwatch.core.store;

/** What applying one event did to the store. */
public enum Outcome {
    /** The event opened a run the store did not know. */
    CREATED,
    /** The run's state moved forward, or the event added information (an earlier start, an end, an error). */
    ADVANCED,
    /** The same event (same event id) was applied before: nothing changed. */
    DUPLICATE,
    /**
     * An older or regressing event (a late RUNNING after FAILED, a second different terminal state): recorded
     * (event count, last update, notes, an earlier start) but the run's state is unchanged.
     */
    STALE
}
