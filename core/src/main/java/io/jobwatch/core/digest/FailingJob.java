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
 * @param retrying            the run failed on an attempt the service retries (the catalog's waitForRetries): a later
 *                            attempt decides, no incident yet
 */
public record FailingJob(JobKey job, String system, String criticality, RunView lastRun, int consecutiveFailures,
                         int failuresInWindow, String openIncident, String consoleUrl, boolean retrying)
        implements DigestItem {

    public FailingJob(JobKey job, String system, String criticality, RunView lastRun, int consecutiveFailures,
                      int failuresInWindow, String openIncident, String consoleUrl) {
        this(job, system, criticality, lastRun, consecutiveFailures, failuresInWindow, openIncident, consoleUrl, false);
    }

    /** "failed, retrying (attempt 1)" for a run the service retries, else empty. */
    public String retryingNote() {
        return retrying ? "failed, retrying (attempt " + lastRun.attempt() + ")" : "";
    }
}
