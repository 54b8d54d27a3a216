package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;

/**
 * A job whose newest run that ended in the window succeeded with a warning (a partial failure: records that failed in
 * a run the service calls successful). Listed on its own, not as a failure: no incident unless the catalog says
 * {@code incident.onWarning: open}.
 *
 * @param job        the job
 * @param system     its system, or null
 * @param criticality its criticality name, or null
 * @param run        the run that succeeded with the warning ({@link RunView#warning()})
 * @param warnedInWindow how many of the job's runs that ended in the window succeeded with a warning
 * @param consoleUrl link to the run in the AWS console, or null
 */
public record WarnedJob(JobKey job, String system, String criticality, RunView run, int warnedInWindow,
                        String consoleUrl) implements DigestItem {
}
