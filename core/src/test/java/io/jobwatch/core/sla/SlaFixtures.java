package io.jobwatch.core.sla;

import io.jobwatch.core.catalog.Criticality;
import io.jobwatch.core.catalog.Expectations;
import io.jobwatch.core.catalog.JobIncidentPolicy;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.catalog.MaintenanceWindow;
import io.jobwatch.core.catalog.Schedule;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.store.Run;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Policies, runs and contexts for SLA tests, built directly (no store, no catalog file). */
public final class SlaFixtures {
    public static final JobKey JOB = new JobKey("234567890123", "eu-west-1", JobSource.GLUE_JOB, "fin-close-reconciliation");
    public static final JobKey OTHER = new JobKey("345678901234", "us-east-1", JobSource.GLUE_JOB, "analytics-sessions-rebuild");

    private SlaFixtures() {
    }

    /** Expectations with a builder feel: start from {@link #expect(String, String)} and change with the with-methods. */
    public record Exp(Optional<Schedule> schedule, ZoneId zone, Optional<LocalTime> deadline, Duration grace,
                      Optional<Duration> max, Optional<Duration> min, boolean learned, boolean pageOnLearned) {
        public Exp deadline(String hhmm) {
            return new Exp(schedule, zone, Optional.of(LocalTime.parse(hhmm)), grace, max, min, learned, pageOnLearned);
        }

        public Exp grace(Duration g) {
            return new Exp(schedule, zone, deadline, g, max, min, learned, pageOnLearned);
        }

        public Exp max(Duration d) {
            return new Exp(schedule, zone, deadline, grace, Optional.of(d), min, learned, pageOnLearned);
        }

        public Exp min(Duration d) {
            return new Exp(schedule, zone, deadline, grace, max, Optional.of(d), learned, pageOnLearned);
        }

        public Exp learned(boolean on) {
            return new Exp(schedule, zone, deadline, grace, max, min, on, pageOnLearned);
        }

        public Exp pageOnLearned(boolean on) {
            return new Exp(schedule, zone, deadline, grace, max, min, learned, on);
        }

        public Expectations toExpectations() {
            return new Expectations(schedule, zone, deadline, grace, max, min, learned, pageOnLearned);
        }
    }

    /** A schedule (or null) in a zone, grace 15m, nothing learned. */
    public static Exp expect(String schedule, String zone) {
        return new Exp(Optional.ofNullable(schedule).map(Schedule::parse), ZoneId.of(zone), Optional.empty(),
                Expectations.DEFAULT_GRACE, Optional.empty(), Optional.empty(), false, false);
    }

    public static JobPolicy policy(JobKey job, Exp e, MaintenanceWindow... windows) {
        return new JobPolicy(job, "test", 0, "FinData", Optional.empty(),
                new Team("finance-close", List.of(), Optional.empty(), Optional.empty(), e.zone()), Criticality.HIGH,
                new JobIncidentPolicy(true, 2, 2, 1, Optional.empty(), 1, Duration.ZERO), true, e.toExpectations(),
                List.of(windows));
    }

    /** A run as the tests write it: start, end (null while running), state. */
    public record R(String id, Instant start, Instant end, RunState state) {
        public static R ok(String id, String start, Duration took) {
            Instant s = Instant.parse(start);
            return new R(id, s, s.plus(took), RunState.SUCCEEDED);
        }

        public static R failed(String id, String start, Duration took) {
            Instant s = Instant.parse(start);
            return new R(id, s, s.plus(took), RunState.FAILED);
        }

        public static R running(String id, String start) {
            return new R(id, Instant.parse(start), null, RunState.RUNNING);
        }
    }

    /** The job's context: finished runs go into the summary (all of them, newest first), the others are open. */
    public static JobContext context(JobPolicy policy, List<R> runs) {
        List<RecentRun> finished = new ArrayList<>();
        List<Run> open = new ArrayList<>();
        for (R r : runs) {
            if (r.end() == null) {
                open.add(new Run(new RunKey(policy.job(), r.id()), r.state(), r.state().name(), r.start(), null, null,
                        List.of(), r.start(), r.start(), 1, r.start(), Instant.MAX));
            } else {
                finished.add(new RecentRun(r.id(), r.state(), r.start(), r.end(), r.state().failed() ? "boom" : null));
            }
        }
        return new JobContext(policy, Optional.ofNullable(summary(policy.job(), finished)), open);
    }

    /** A summary holding exactly these finished runs (as JobSummaryState derives one, without slot sampling). */
    public static JobSummary summary(JobKey job, List<RecentRun> runs) {
        if (runs.isEmpty()) {
            return null;
        }
        List<RecentRun> recent = new ArrayList<>(runs);
        recent.sort(Comparator.comparing(RecentRun::sortTime).thenComparing(RecentRun::runId).reversed());
        RecentRun latest = recent.get(0);
        List<Duration> durations = new ArrayList<>();
        List<Instant> starts = new ArrayList<>();
        Instant ok = null;
        Instant fail = null;
        for (RecentRun r : recent) {
            if (r.state() == RunState.SUCCEEDED) {
                ok = ok == null || r.endedAt().isAfter(ok) ? r.endedAt() : ok;
                if (r.startedAt() != null && durations.size() < 20) {
                    durations.add(Duration.between(r.startedAt(), r.endedAt()));
                }
            } else if (r.state().failed()) {
                fail = fail == null || r.endedAt().isAfter(fail) ? r.endedAt() : fail;
            }
            if (r.startedAt() != null && starts.size() < 20) {
                starts.add(r.startedAt());
            }
        }
        return new JobSummary(job, new RunKey(job, latest.runId()), latest.state(), latest.startedAt(),
                latest.endedAt(), latest.error(), ok, fail, 0, recent, durations, starts, recent.size(), latest.endedAt());
    }
}
