package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;

import java.time.Duration;

/**
 * A job with a run in progress at the end of the window.
 *
 * @param job         the job
 * @param system      its system, or null
 * @param criticality its criticality name, or null
 * @param run         the run in progress
 * @param elapsed     how long it has been running at the end of the window
 * @param usual       the job's usual duration, or null if unknown
 * @param consoleUrl  link to the run in the AWS console, or null
 */
public record RunningJob(JobKey job, String system, String criticality, RunView run, Duration elapsed,
                         Duration usual, String consoleUrl) implements DigestItem {
    /** Running longer than this many times its usual duration is called out. */
    public static final double OVER_USUAL_FACTOR = 1.5;

    public boolean overUsual() {
        return usual != null && !usual.isZero() && elapsed.toMillis() > usual.toMillis() * OVER_USUAL_FACTOR;
    }

    /** elapsed / usual, or NaN when the usual duration is unknown. */
    public double ratioToUsual() {
        return usual == null || usual.isZero() ? Double.NaN : (double) elapsed.toMillis() / usual.toMillis();
    }
}
