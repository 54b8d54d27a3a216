package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;

/** A line of a digest section: something to tell a team about one job. */
public sealed interface DigestItem permits FailingJob, SlaBreach, RecoveredJob, WarnedJob, RunningJob {
    JobKey job();

    String system();
}
