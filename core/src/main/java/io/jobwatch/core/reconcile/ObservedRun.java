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
 * @param startedAt   start, or null when the API gives none
 * @param endedAt     end, or null while the run is going (or when the API gives none)
 * @param error       the API's error text for a run that did not succeed, or null
 */
public record ObservedRun(JobKey job, String runId, String sourceState, Instant startedAt, Instant endedAt,
                          String error) {
    public ObservedRun {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(sourceState, "sourceState");
    }

    public RunKey key() {
        return new RunKey(job, runId);
    }

    /** The run state of {@code sourceState} in the source's state map. */
    public RunState state() {
        return Sources.of(job.source()).state(sourceState);
    }
}
