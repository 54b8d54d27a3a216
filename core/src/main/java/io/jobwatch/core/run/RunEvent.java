package io.jobwatch.core.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One service event, normalized: what happened to which run, and when.
 *
 * @param eventId     the EventBridge event id (duplicates share it)
 * @param job         the job the event is about, under its stable name (a per-run suffix stripped)
 * @param runId       the service's run id; {@code null} only for the terminal events of sources whose runs are named
 *                    by their start (Glue crawlers, DMS tasks), which carry none (the store pairs them)
 * @param state       the state mapped onto the run model
 * @param sourceState the state exactly as the service wrote it
 * @param eventTime   the envelope's time
 * @param startedAt   the best start time the event carries, or null
 * @param endedAt     the best end time the event carries, or null
 * @param error       the service's message/reason/cause for a run that did not succeed, at most 4 KiB of UTF-8; or null
 * @param attempt     which attempt of the run the event is about, 1 for the first (a Glue {@code _attempt_N} retry, a
 *                    Step Functions redrive, an EMR Serverless retry start the next one); 0 when the event does not
 *                    say (an EMR Serverless state change): it is about the run's current attempt
 * @param warning     a partial failure in a run that succeeded (e.g. AppFlow records that failed), at most 1 KiB of
 *                    UTF-8; or null
 * @param rawJobName  the job name as the service wrote it, when it differs from {@code job.jobName()} (a per-run
 *                    suffix was stripped); null when they are the same
 * @param notifyDelay the service's own "late" threshold, when the event says the run has passed it (Glue Job Run
 *                    Status: NotifyDelayAfter); null otherwise
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
        String error,
        int attempt,
        String warning,
        String rawJobName,
        Duration notifyDelay) {

    /** Errors are bounded so one noisy stack trace cannot bloat a store item or an email. */
    public static final int MAX_ERROR_BYTES = 4096;
    /** Warnings are one line for people ("12 of 63000 records failed"). */
    public static final int MAX_WARNING_BYTES = 1024;

    public RunEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sourceState, "sourceState");
        Objects.requireNonNull(eventTime, "eventTime");
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be 0 (not said) or at least 1, was " + attempt);
        }
        if (notifyDelay != null && (notifyDelay.isNegative() || notifyDelay.isZero())) {
            throw new IllegalArgumentException("notifyDelay must be positive, was " + notifyDelay);
        }
        error = Text.truncateUtf8(error, MAX_ERROR_BYTES);
        warning = Text.truncateUtf8(warning, MAX_WARNING_BYTES);
        if (rawJobName != null && rawJobName.equals(job.jobName())) {
            rawJobName = null;
        }
    }

    /** An event of a run's first attempt, without warning, renamed job or late signal. */
    public RunEvent(String eventId, JobKey job, String runId, RunState state, String sourceState, Instant eventTime,
                    Instant startedAt, Instant endedAt, String error) {
        this(eventId, job, runId, state, sourceState, eventTime, startedAt, endedAt, error, 1, null, null, null);
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

    /** Whether the event names its attempt (else it is about the run's current one). */
    public boolean attemptNamed() {
        return attempt > 0;
    }

    /** The attempt as people read it: the one named, else 1. */
    public int attemptOrFirst() {
        return Math.max(1, attempt);
    }

    /** The job name as the service wrote it. */
    public String serviceJobName() {
        return rawJobName != null ? rawJobName : job.jobName();
    }

    /** The same event of another job (the catalog's identity rule renamed it); the service's name is kept. */
    public RunEvent withJob(JobKey renamed) {
        return new RunEvent(eventId, renamed, runId, state, sourceState, eventTime, startedAt, endedAt, error, attempt,
                warning, serviceJobName(), notifyDelay);
    }
}
