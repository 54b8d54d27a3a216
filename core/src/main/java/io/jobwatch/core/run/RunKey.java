package io.jobwatch.core.run;

import java.util.Objects;

/** Identifies one run of a job: the service's own run id (Glue JobRunId, execution ARN, Batch jobId …). */
public record RunKey(JobKey job, String runId) {
    public RunKey {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(runId, "runId");
    }

    @Override
    public String toString() {
        return job.id() + "#" + runId;
    }
}
