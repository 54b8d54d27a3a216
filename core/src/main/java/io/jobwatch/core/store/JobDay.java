package io.jobwatch.core.store;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.RollupLine.IncidentLine;
import io.jobwatch.core.store.RollupLine.RunLine;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One job's day as the rollups know it: its finished runs and its incidents' open time on that day.
 *
 * @param runs        the finished runs that count on the day (one line each)
 * @param incidents   the resolved incident intervals' parts on the day
 * @param openMinutes minutes on the day of incident intervals still open (up to now)
 */
public record JobDay(JobKey job, LocalDate day, List<RunLine> runs, List<IncidentLine> incidents, long openMinutes) {
    public JobDay {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(day, "day");
        runs = List.copyOf(runs);
        incidents = List.copyOf(incidents);
    }

    /** The day's figures. */
    public DailyRollup rollup() {
        return DailyRollup.of(this);
    }

    /** Collects a job's day. */
    public static final class Builder {
        private final JobKey job;
        private final LocalDate day;
        private final List<RunLine> runs = new ArrayList<>();
        private final List<IncidentLine> incidents = new ArrayList<>();
        private long openMinutes;

        public Builder(JobKey job, LocalDate day) {
            this.job = job;
            this.day = day;
        }

        public Builder run(RunLine line) {
            if (line.counted()) {
                runs.add(line);
            }
            return this;
        }

        public Builder incident(IncidentLine line) {
            incidents.add(line);
            return this;
        }

        public Builder openMinutes(long minutes) {
            openMinutes += minutes;
            return this;
        }

        public boolean empty() {
            return runs.isEmpty() && incidents.isEmpty() && openMinutes == 0;
        }

        public JobDay build() {
            return new JobDay(job, day, runs, incidents, openMinutes);
        }
    }
}
