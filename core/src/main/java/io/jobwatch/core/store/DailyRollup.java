package io.jobwatch.core.store;

import io.jobwatch.core.store.RollupLine.IncidentLine;
import io.jobwatch.core.store.RollupLine.RunLine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The figures of a day (one job's, or a group's: {@link #plus}): finished runs by outcome, the durations of the
 * succeeded runs and the incidents' open time. Durations are those of SUCCEEDED runs with a known start: a failed run
 * stops early and a stopped one was cut off, so they would hide a job getting slower.
 *
 * @param runs             finished runs (succeeded + failed + timedOut + stopped)
 * @param durations        whole seconds of the succeeded runs with a known start, ascending
 * @param incidentMinutes  minutes incidents were open on the day (resolved ones, and open ones up to now)
 * @param incidentsResolved incident intervals resolved on the day
 * @param resolvedMinutes  the whole open time of the intervals resolved on the day (their time to resolve)
 */
public record DailyRollup(int runs, int succeeded, int failed, int timedOut, int stopped, List<Long> durations,
                          long incidentMinutes, int incidentsResolved, long resolvedMinutes) {
    public static final DailyRollup EMPTY = new DailyRollup(0, 0, 0, 0, 0, List.of(), 0, 0, 0);

    public DailyRollup {
        durations = List.copyOf(durations);
    }

    public static DailyRollup of(JobDay day) {
        int ok = 0;
        int failed = 0;
        int timedOut = 0;
        int stopped = 0;
        List<Long> durations = new ArrayList<>();
        for (RunLine l : day.runs()) {
            switch (l.state()) {
                case SUCCEEDED -> {
                    ok++;
                    if (l.seconds() != null) {
                        durations.add(l.seconds());
                    }
                }
                case FAILED -> failed++;
                case TIMED_OUT -> timedOut++;
                case STOPPED -> stopped++;
                default -> throw new IllegalStateException("not a finished run: " + l);
            }
        }
        Collections.sort(durations);
        long minutes = day.openMinutes();
        int resolved = 0;
        long resolvedMinutes = 0;
        for (IncidentLine i : day.incidents()) {
            minutes += i.minutes();
            if (i.resolved()) {
                resolved++;
                resolvedMinutes += i.totalMinutes();
            }
        }
        return new DailyRollup(ok + failed + timedOut + stopped, ok, failed, timedOut, stopped, durations, minutes,
                resolved, resolvedMinutes);
    }

    /** This and {@code other} together (a group of jobs, or several days). */
    public DailyRollup plus(DailyRollup other) {
        List<Long> d = new ArrayList<>(durations.size() + other.durations.size());
        d.addAll(durations);
        d.addAll(other.durations);
        Collections.sort(d);
        return new DailyRollup(runs + other.runs, succeeded + other.succeeded, failed + other.failed,
                timedOut + other.timedOut, stopped + other.stopped, d, incidentMinutes + other.incidentMinutes,
                incidentsResolved + other.incidentsResolved, resolvedMinutes + other.resolvedMinutes);
    }

    /** Failed and timed-out runs. */
    public int failures() {
        return failed + timedOut;
    }

    /** succeeded / (runs − stopped); null when no run finished other than stopped ones. */
    public Double successRate() {
        int judged = runs - stopped;
        return judged == 0 ? null : (double) succeeded / judged;
    }

    public Long p50() {
        return percentile(durations, 50);
    }

    public Long p95() {
        return percentile(durations, 95);
    }

    public Long max() {
        return durations.isEmpty() ? null : durations.get(durations.size() - 1);
    }

    /**
     * The nearest-rank percentile of ascending values: the value at rank ⌈p/100 × n⌉ (the median of an even count is
     * the lower middle value); null for no values. The SQL views compute the same.
     */
    public static Long percentile(List<Long> ascending, int p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be 1..100, was " + p);
        }
        int n = ascending.size();
        if (n == 0) {
            return null;
        }
        int rank = (int) ((p * (long) n + 99) / 100);
        return ascending.get(rank - 1);
    }

    /** Minutes to resolve on average over the intervals resolved; null when none was. */
    public Double mttrMinutes() {
        return incidentsResolved == 0 ? null : (double) resolvedMinutes / incidentsResolved;
    }
}
