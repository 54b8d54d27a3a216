package io.jobwatch.core.incident;

/**
 * What is wrong with a job. Each kind of problem of one job has its own incident (and correlation id), so a job
 * that fails and also runs late has two.
 */
public enum ProblemKind {
    /** A run ended FAILED or TIMED_OUT. */
    FAILURE("FAILED"),
    /** An expected run never started (SLA engine). */
    MISSING("MISSING"),
    /** A run started or finished after its deadline (SLA engine). */
    LATE("LATE"),
    /** A run is still going past its maximum duration (SLA engine). */
    LONG_RUNNING("RUNNING TOO LONG");

    private final String headline;

    ProblemKind(String headline) {
        this.headline = headline;
    }

    /** The word(s) used in incident titles, e.g. "FAILED". */
    public String headline() {
        return headline;
    }
}
