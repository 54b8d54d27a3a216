package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;

/**
 * A job that was failing (at the start of the window or during it) and whose newest run, in the window, succeeded.
 *
 * @param job              the job
 * @param system           its system, or null
 * @param criticality      its criticality name, or null
 * @param run              the successful run
 * @param failuresInWindow failed runs that ended in the window before it recovered
 * @param consoleUrl       link to the run in the AWS console, or null
 */
public record RecoveredJob(JobKey job, String system, String criticality, RunView run, int failuresInWindow,
                           String consoleUrl) implements DigestItem {
}
