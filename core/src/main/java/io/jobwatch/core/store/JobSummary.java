package io.jobwatch.core.store;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The long-lived record of one job (it is NOT expired with its runs): what the digest and the SLA checks read
 * instead of the whole week. Written when a run of the job finishes (reaches a terminal state), so a run that is
 * still going shows up here only once it ends; ask {@link RunStore#runsOfJob} for "running now".
 *
 * @param job                 the job
 * @param latestRun           the finished run with the latest start (else end) among the recent ones
 * @param latestState         its terminal state
 * @param latestStartedAt     its start, or null when no event carried one
 * @param latestEndedAt       its end
 * @param latestError         its error, or null
 * @param lastSuccessAt       end of the latest SUCCEEDED run ever seen, or null
 * @param lastFailureAt       end of the latest FAILED or TIMED_OUT run ever seen, or null
 * @param consecutiveFailures failed/timed-out runs finished since the last success, in the order they finished
 *                            (STOPPED neither counts nor resets)
 * @param recentRuns          up to {@value JobSummaryState#SLOTS} recent finished runs, newest first (a bounded
 *                            sample: each run id hashes to one of the slots and a newer run replaces an older one)
 * @param recentDurations     durations of recent SUCCEEDED runs with a known start, newest first, at most
 *                            {@value JobSummaryState#RECENT}
 * @param recentStarts        start times of recent runs, newest first, at most {@value JobSummaryState#RECENT}
 *                            (for cadence learning)
 * @param runCount            finished runs seen since the summary was created
 * @param lastUpdated         store clock of the last change
 * @param latestAttempt       the attempt that finished the latest run (1 = the first)
 * @param latestWarning       the latest run's warning (a partial failure of a success), or null
 */
public record JobSummary(
        JobKey job,
        RunKey latestRun,
        RunState latestState,
        Instant latestStartedAt,
        Instant latestEndedAt,
        String latestError,
        Instant lastSuccessAt,
        Instant lastFailureAt,
        int consecutiveFailures,
        List<RecentRun> recentRuns,
        List<Duration> recentDurations,
        List<Instant> recentStarts,
        long runCount,
        Instant lastUpdated,
        int latestAttempt,
        String latestWarning) {

    public JobSummary {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(latestRun, "latestRun");
        Objects.requireNonNull(latestState, "latestState");
        recentRuns = List.copyOf(recentRuns);
        recentDurations = List.copyOf(recentDurations);
        recentStarts = List.copyOf(recentStarts);
    }

    /** A summary whose latest run finished at its first attempt, without warning. */
    public JobSummary(JobKey job, RunKey latestRun, RunState latestState, Instant latestStartedAt,
                      Instant latestEndedAt, String latestError, Instant lastSuccessAt, Instant lastFailureAt,
                      int consecutiveFailures, List<RecentRun> recentRuns, List<Duration> recentDurations,
                      List<Instant> recentStarts, long runCount, Instant lastUpdated) {
        this(job, latestRun, latestState, latestStartedAt, latestEndedAt, latestError, lastSuccessAt, lastFailureAt,
                consecutiveFailures, recentRuns, recentDurations, recentStarts, runCount, lastUpdated, 1, null);
    }
}
