package io.jobwatch.core.run;

import java.time.Instant;
import java.util.Objects;

/**
 * One service event, normalized: what happened to which run, and when.
 *
 * @param eventId     the EventBridge event id (duplicates share it)
 * @param job         the job the event is about
 * @param runId       the service's run id; {@code null} only for Glue crawler terminal events, which carry none
 *                    (the store pairs them with the crawler's open run)
 * @param state       the state mapped onto the run model
 * @param sourceState the state exactly as the service wrote it
 * @param eventTime   the envelope's time
 * @param startedAt   the best start time the event carries, or null
 * @param endedAt     the best end time the event carries, or null
 * @param error       the service's message/reason/cause for a run that did not succeed, at most 4 KiB of UTF-8; or null
 */
public record RunEvent(
        String eventId,
        JobKey job,
        String runId,
        RunState state,
        String sourceState,
        Instant eventTime,
        Instant startedAt,
        Instant endedAt,
        String error) {

    /** Errors are bounded so one noisy stack trace cannot bloat a store item or an email. */
    public static final int MAX_ERROR_BYTES = 4096;

    public RunEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sourceState, "sourceState");
        Objects.requireNonNull(eventTime, "eventTime");
        error = Text.truncateUtf8(error, MAX_ERROR_BYTES);
    }

    public boolean terminal() {
        return state.terminal();
    }

    public boolean failed() {
        return state.failed();
    }

    /** The run this event belongs to, or null when the run id is not known yet (crawler terminal events). */
    public RunKey runKey() {
        return runId == null ? null : new RunKey(job, runId);
    }
}
