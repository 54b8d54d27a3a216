package io.jobwatch.core.digest;

import java.util.OptionalDouble;

/**
 * The summary line of one system: its jobs and its finished runs, in this window and in the one before.
 *
 * @param system   system name, "(no system)" for jobs without one
 * @param jobs     how many of the team's jobs belong to it
 * @param current  runs that ended in this digest's window
 * @param previous runs that ended in the previous window
 */
public record SystemSummary(String system, int jobs, WindowCounts current, WindowCounts previous) {
    /** Change of success rate against the previous window in percentage points; empty if either rate is. */
    public OptionalDouble rateChange() {
        OptionalDouble now = current.successRate();
        OptionalDouble before = previous.successRate();
        return now.isPresent() && before.isPresent()
                ? OptionalDouble.of(now.getAsDouble() - before.getAsDouble()) : OptionalDouble.empty();
    }
}
