package io.jobwatch.sim;

import io.jobwatch.core.run.JobKey;
import java.time.Duration;
import java.time.LocalTime;

/**
 * A job the simulator runs.
 *
 * @param key           the job
 * @param system        the system its account belongs to (ERP, FinData, Analytics)
 * @param firstStart    time of day (UTC) of its first run
 * @param every         interval between runs (1 day for daily jobs)
 * @param typical       typical run duration
 * @param failureRate   probability a run fails (0..1)
 * @param behaviour     special behaviour for demos and tests
 */
public record SimJob(JobKey key, String system, LocalTime firstStart, Duration every, Duration typical,
                     double failureRate, Behaviour behaviour) {

    public enum Behaviour {
        /** Runs on schedule; fails now and then. */
        NORMAL,
        /** Alternates failure and success, run after run. */
        FLAPPING,
        /** Fails every run (a job that broke and stays broken). */
        BROKEN,
        /** Scheduled, but never starts: no events at all. */
        NEVER_RUNS,
        /** Its last run starts on time and never finishes within the window. */
        LONG_RUNNER
    }

    /** AWS schedule expression for the job's cadence, as a catalog would hold it. */
    public String scheduleExpression() {
        if (every.equals(Duration.ofDays(1))) {
            return "cron(" + firstStart.getMinute() + " " + firstStart.getHour() + " * * ? *)";
        }
        long minutes = every.toMinutes();
        return minutes % 60 == 0 ? "rate(" + minutes / 60 + (minutes == 60 ? " hour)" : " hours)")
                : "rate(" + minutes + " minutes)";
    }
}
