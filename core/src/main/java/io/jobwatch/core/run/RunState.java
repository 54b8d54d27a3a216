package io.jobwatch.core.run;

/**
 * The one life cycle every source's states map onto: PENDING → RUNNING → a terminal state.
 * Terminal states never regress to non-terminal ones. Each source maps its own state names onto it (its
 * {@code StateMap} in {@code io.jobwatch.core.source}).
 */
public enum RunState {
    PENDING, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == TIMED_OUT || this == STOPPED;
    }

    /** A failure worth telling someone about: FAILED or TIMED_OUT (a STOPPED run was stopped on purpose). */
    public boolean failed() {
        return this == FAILED || this == TIMED_OUT;
    }

    /** Progress order used to decide which of two events is newer: PENDING &lt; RUNNING &lt; terminal. */
    public int rank() {
        return switch (this) {
            case PENDING -> 0;
            case RUNNING -> 1;
            default -> 2;
        };
    }
}
