package io.jobwatch.core.source;

import io.jobwatch.core.run.RunState;
import java.time.Duration;
import java.time.Instant;

/**
 * What a source reads from one event; the normalizer adds the shared parts (envelope, identity, error rule, truncation).
 *
 * @param jobName     the job as the source names it, before any per-run suffix is stripped ({@link SourceDescriptor#stableName})
 * @param runId       the run id, or null where the source's terminal events carry none (paired with the open run)
 * @param sourceState the service's own state name, kept on the run
 * @param state       the run state; null means "look {@code sourceState} up in the source's state map". A source sets
 *                    it when one state name means different outcomes (an ECS task STOPPED with exit code 0 or 1)
 * @param startedAt   the best start the event carries, or null
 * @param endedAt     the best end the event carries, or null
 * @param error       the service's error text (kept only for runs that did not succeed), or null
 * @param ignored     non-null when the event is well-formed but not about a job run (an ECS service task, a DMS task
 *                    being created): the reason, and every other field is null
 * @param attempt     which attempt of the run the event is about (1 for sources without attempts); 0 when the event
 *                    does not say, although the service retries (it then belongs to the run's current attempt)
 * @param warning     a partial failure of a run that succeeded (e.g. AppFlow records that failed), or null
 * @param notifyDelay the service's own "late" threshold when the event says the run passed it, or null
 */
public record Parsed(String jobName, String runId, String sourceState, RunState state, Instant startedAt,
                     Instant endedAt, String error, String ignored, int attempt, String warning,
                     Duration notifyDelay) {

    /** A run event whose state the source's state map gives. */
    public static Parsed of(String jobName, String runId, String sourceState, Instant startedAt, Instant endedAt,
                            String error) {
        return new Parsed(jobName, runId, sourceState, null, startedAt, endedAt, error, null, 1, null, null);
    }

    /** A run event whose state the source decided from more than the state name. */
    public static Parsed of(String jobName, String runId, String sourceState, RunState state, Instant startedAt,
                            Instant endedAt, String error) {
        return new Parsed(jobName, runId, sourceState, state, startedAt, endedAt, error, null, 1, null, null);
    }

    /** Not a job run: skipped like an unsupported event, with the reason. */
    public static Parsed notARun(String reason) {
        return new Parsed(null, null, null, null, null, null, null, reason, 1, null, null);
    }

    /** The same event about attempt {@code n} of its run (0: the event does not say). */
    public Parsed withAttempt(int n) {
        return new Parsed(jobName, runId, sourceState, state, startedAt, endedAt, error, ignored, n, warning,
                notifyDelay);
    }

    public Parsed withWarning(String w) {
        return new Parsed(jobName, runId, sourceState, state, startedAt, endedAt, error, ignored, attempt, w,
                notifyDelay);
    }

    public Parsed withNotifyDelay(Duration d) {
        return new Parsed(jobName, runId, sourceState, state, startedAt, endedAt, error, ignored, attempt, warning,
                d);
    }
}
