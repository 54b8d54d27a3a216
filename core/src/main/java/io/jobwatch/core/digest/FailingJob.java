package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;

/**
 * A job whose newest finished run failed or timed out ("still failing" or "new failure").
 *
 * @param job                 the job
 * @param system              its system, or null
 * @param criticality         its criticality name, or null
 * @param lastRun             the failed run
 * @param consecutiveFailures failures in a row (at least 1)
 * @param failuresInWindow    failed runs that ended in this digest's window
 * @param openIncident        the open incident number, or null
 * @param consoleUrl          link to the run in the AWS console, or null
 */
public record FailingJob(JobKey job, String system, String criticality, RunView lastRun, int consecutiveFailures,
                         int failuresInWindow, String openIncident, String consoleUrl) implements DigestItem {
}
