package io.jobwatch.core.sla;

/** What is wrong with a job's schedule or duration. */
public enum BreachKind {
    /** No run at all where the schedule expected one. */
    MISSING("missing"),
    /** The run started or finished after its deadline. */
    LATE("late"),
    /** The run has been running longer than its maximum duration. */
    LONG_RUNNING("too long"),
    /** The run finished much faster than usual (often: it did nothing). */
    TOO_SHORT("too short");

    private final String label;

    BreachKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
