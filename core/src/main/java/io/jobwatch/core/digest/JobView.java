package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunState;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the digest builder needs to know about one job, for one digest window and the window before it.
 * This is the seam between the digest and the store/catalog: the caller fills it from key/index queries
 * (the store's per-job latest state, the runs between {@code previousWindow.from} and {@code window.to}, and the
 * catalog's policy for the job); the builder never reads a store. See notes/digest-MERGE.md for the mapping.
 *
 * @param job                 the job
 * @param system              the system it belongs to (ERP, FinData, Analytics …) from the catalog; null counts
 *                            as "(no system)"
 * @param criticality         the catalog's criticality name, shown as is and used for ordering: critical, high,
 *                            medium, low (any case) sort in that order, any other value after them; may be null
 * @param latest              the job's newest run in any state, or null if the store has none
 * @param lastFinished        the job's newest terminal run (equal to {@code latest} when that is terminal), or null
 * @param outcomeBeforeWindow the state of the newest terminal run that ended before {@code window.from}, or null
 *                            if there is none; tells "still failing" from "new failure" and finds recoveries
 * @param consecutiveFailures failed/timed-out runs in a row up to {@code lastFinished} (0 when it succeeded)
 * @param openIncident        the number of the job's open incident (e.g. INC0012345), or null
 * @param usualDuration       the job's usual run time (e.g. the median of recent durations), or null if unknown
 * @param runs                the job's terminal runs that ended in {@code [previousWindow.from, window.to)}, any
 *                            order; runs outside that range are ignored
 * @param waitForRetries      the catalog's {@code incident.waitForRetries}: a failed attempt up to it is "failed,
 *                            retrying" (0: none)
 */
public record JobView(
        JobKey job,
        String system,
        String criticality,
        RunView latest,
        RunView lastFinished,
        RunState outcomeBeforeWindow,
        int consecutiveFailures,
        String openIncident,
        Duration usualDuration,
        List<RunView> runs,
        int waitForRetries) {

    /** A job whose service does not retry failed runs (or whose catalog does not say). */
    public JobView(JobKey job, String system, String criticality, RunView latest, RunView lastFinished,
                   RunState outcomeBeforeWindow, int consecutiveFailures, String openIncident, Duration usualDuration,
                   List<RunView> runs) {
        this(job, system, criticality, latest, lastFinished, outcomeBeforeWindow, consecutiveFailures, openIncident,
                usualDuration, runs, 0);
    }

    public JobView {
        Objects.requireNonNull(job, "job");
        if (consecutiveFailures < 0) {
            throw new IllegalArgumentException("consecutiveFailures must be >= 0 for " + job + ": " + consecutiveFailures);
        }
        if (lastFinished != null && !lastFinished.state().terminal()) {
            throw new IllegalArgumentException("lastFinished of " + job + " must be a terminal run, was " + lastFinished.state());
        }
        runs = runs == null ? List.of() : List.copyOf(runs);
    }

    /** Whether the job's newest finished run failed on an attempt the service will retry ("failed, retrying"). */
    public boolean retrying() {
        return lastFinished != null && lastFinished.state().failed() && lastFinished.attempt() <= waitForRetries;
    }
}
