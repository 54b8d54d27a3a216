package io.jobwatch.core.run;

import java.util.Locale;

/**
 * The one life cycle every source's states map onto: PENDING → RUNNING → a terminal state.
 * Terminal states never regress to non-terminal ones.
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

    /**
     * Maps a service's own state name (any case) onto the run model. Unknown non-terminal names count as RUNNING:
     * a service that adds a new intermediate state must not break ingest.
     */
    public static RunState fromSourceState(String sourceState) {
        String s = sourceState.trim().toUpperCase(Locale.ROOT);
        return switch (s) {
            // SUCCESSFUL: AppFlow's API ExecutionStatus (its events say "Execution Successful"); COMPLETED: a crawl as
            // Glue's ListCrawls reports it (its events say "Succeeded").
            case "SUCCEEDED", "SUCCESS", "EXECUTION SUCCESSFUL", "SUCCESSFUL", "COMPLETED" -> SUCCEEDED;
            case "FAILED", "ERROR", "EXECUTION FAILED" -> FAILED;
            // EXPIRED: a queued Glue job run that never got to start within its time limit.
            case "TIMEOUT", "TIMED_OUT", "EXPIRED" -> TIMED_OUT;
            case "STOPPED", "ABORTED", "CANCELLED", "CANCELED" -> STOPPED;
            // WAITING: a Glue job run queued for resources (job queuing), not started yet.
            case "SUBMITTED", "PENDING", "RUNNABLE", "QUEUED", "QUEUEING", "SCHEDULED", "WAITING" -> PENDING;
            default -> RUNNING;
        };
    }
}
