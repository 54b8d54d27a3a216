package io.jobwatch.core.incident;

import io.jobwatch.core.run.RunState;

import java.util.List;
import java.util.Objects;

/**
 * The job's recent terminal runs, newest first, <em>including</em> the run of the transition being decided.
 * The lead fills it from the run store's JobSummary (or recent runs); it needs at least
 * {@code max(openAfterConsecutiveFailures, failureRate.lastRuns)} runs to decide exactly. Non-terminal states are
 * ignored; STOPPED runs neither break nor extend a streak and are left out of failure rates.
 */
public record JobHistory(List<RunState> recentNewestFirst) {
    public JobHistory {
        recentNewestFirst = List.copyOf(Objects.requireNonNull(recentNewestFirst, "recentNewestFirst"));
    }

    /** No history known (e.g. no store): the policy then counts only the transition itself. */
    public static JobHistory unknown() {
        return new JobHistory(List.of());
    }

    public static JobHistory of(RunState... newestFirst) {
        return new JobHistory(List.of(newestFirst));
    }

    /** Failed (FAILED or TIMED_OUT) runs in a row, from the newest. */
    public int consecutiveFailures() {
        int n = 0;
        for (RunState s : recentNewestFirst) {
            if (s.failed()) {
                n++;
            } else if (s == RunState.SUCCEEDED) {
                break;
            }
        }
        return n;
    }

    /** Successful runs in a row, from the newest. */
    public int consecutiveSuccesses() {
        int n = 0;
        for (RunState s : recentNewestFirst) {
            if (s == RunState.SUCCEEDED) {
                n++;
            } else if (s.failed()) {
                break;
            }
        }
        return n;
    }

    /** Failed and counted runs among the newest {@code lastRuns} counted (SUCCEEDED or failed) runs: {failed, counted}. */
    int[] failuresAmongLast(int lastRuns) {
        int failed = 0;
        int counted = 0;
        for (RunState s : recentNewestFirst) {
            if (counted == lastRuns) {
                break;
            }
            if (s.failed()) {
                failed++;
                counted++;
            } else if (s == RunState.SUCCEEDED) {
                counted++;
            }
        }
        return new int[]{failed, counted};
    }
}
