package io.jobwatch.core.reconcile;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.source.Sources;
import java.time.Instant;
import java.util.Objects;

/**
 * One run as the service's own API lists it. The job and run id follow the event normalizers exactly, so that a
 * reconciled run and the event-fed run are the same {@link RunKey}.
 *
 * @param job         the job (account, region, source, name as the normalizer names it)
 * @param runId       the run id as events carry it (Glue JobRunId, execution ARN, Batch jobId, DataSync execution
 *                    ARN, EMR Serverless jobRunId, AppFlow execution id)
 * @param sourceState the status exactly as the API wrote it
 * @param state       the run state: {@code sourceState} in the source's state map, unless the source decides it from
 *                    more fields (an ECS task's exit codes, a DMS task's stop reason)
 * @param startedAt   start, or null when the API gives none
 * @param endedAt     end, or null while the run is going (or when the API gives none)
 * @param error       the API's error text for a run that did not succeed, or null
 * @param attempt     which attempt of the run the listing is about (a Glue retry's {@code jr_…_attempt_N} is N + 1);
 *                    0 when the listing does not say (the run's current attempt)
 * @param rawJobName  the job name as the service lists it when {@link #identified} mapped it to another (stable) name,
 *                    else null — kept on the run like the events' raw name
 */
public record ObservedRun(JobKey job, String runId, String sourceState, RunState state, Instant startedAt,
                          Instant endedAt, String error, int attempt, String rawJobName) {
    public ObservedRun {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(sourceState, "sourceState");
        Objects.requireNonNull(state, "state");
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be 0 (not said) or at least 1, was " + attempt);
        }
    }

    /** A run as listed, under the name the service gives its job. */
    public ObservedRun(JobKey job, String runId, String sourceState, RunState state, Instant startedAt,
                       Instant endedAt, String error, int attempt) {
        this(job, runId, sourceState, state, startedAt, endedAt, error, attempt, null);
    }

    /** A run as listed, its attempt not said. */
    public ObservedRun(JobKey job, String runId, String sourceState, RunState state, Instant startedAt,
                       Instant endedAt, String error) {
        this(job, runId, sourceState, state, startedAt, endedAt, error, 0);
    }

    /** A run whose state is its source state name's in the source's state map. */
    public ObservedRun(JobKey job, String runId, String sourceState, Instant startedAt, Instant endedAt, String error) {
        this(job, runId, sourceState, Sources.of(job.source()).state(sourceState), startedAt, endedAt, error);
    }

    /** The same run under another id (a start-named run the store knows under its event's start time). */
    public ObservedRun withRunId(String id) {
        return new ObservedRun(job, id, sourceState, state, startedAt, endedAt, error, attempt, rawJobName);
    }

    /**
     * The run as the event normalizers name it: the job under its stable name ({@code stable}, the listing's name
     * being the service's), the run id and attempt as the source reads a listed id (a Glue retry's
     * {@code jr_…_attempt_N} is attempt N + 1 of {@code jr_…}).
     */
    public ObservedRun identified(String stableJobName) {
        io.jobwatch.core.source.SourceDescriptor.RunOfId run = Sources.of(job.source()).runOfId(runId);
        JobKey named = new JobKey(job.account(), job.region(), job.source(), stableJobName);
        String raw = job.jobName().equals(stableJobName) ? rawJobName : job.jobName();
        return new ObservedRun(named, run.runId(), sourceState, state, startedAt, endedAt, error,
                run.attempt() > 0 ? run.attempt() : attempt, raw);
    }

    public RunKey key() {
        return new RunKey(job, runId);
    }

}
