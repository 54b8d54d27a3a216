package io.jobwatch.core.digest;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.catalog.Schedule;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobBrief;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fills the digest builder's {@link JobView}s from the run store and the catalog, with key and index queries only:
 * one {@link RunStore#briefPerJob()} (the job summaries) shared by every team of one digest run, and the runs of the
 * range ({@link #runsByJob}: from the summaries where they are complete, else per job or one
 * {@link RunStore#runsBetween}). Reusable by every entry point (Lambda digest handler, CLI).
 *
 * <p>Per job: {@code latest} is the newest run in any state (a run still going is known only from the runs of the
 * range; the summary holds finished runs), {@code lastFinished} the newest finished one, {@code outcomeBeforeWindow}
 * the newest run that ended before the window (runs of the range, else the summary's recent runs, else whichever of
 * last success / last failure is later). Jobs of the catalog the store has never seen are left to the SLA checks.
 */
public final class DigestInputs {
    /** Runs are listed by start; a run that ended in the range may have started this much earlier. */
    public static final Duration LONGEST_RUN = Duration.ofDays(1);

    private final RunStore store;
    private final Catalog catalog;
    private final Map<JobKey, String> openIncidents;
    /** Runs read one job at a time when its summary does not reach back far enough (most jobs run ≤ a few a day). */
    static final int RUNS_PER_JOB = 16;

    private List<JobBrief> briefs;
    private final Map<String, Map<JobKey, List<RunView>>> runsByRange = new HashMap<>();

    /**
     * @param store         where runs and job summaries live
     * @param catalog       teams, systems, criticality and digest include/exclude per job
     * @param openIncidents the open incident number per job (empty map when incidents are off)
     */
    public DigestInputs(RunStore store, Catalog catalog, Map<JobKey, String> openIncidents) {
        this.store = Objects.requireNonNull(store, "store");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.openIncidents = Map.copyOf(openIncidents);
    }

    /** The schedule of a team's digest: its own, else the catalog's. */
    public static Schedule scheduleOf(Catalog catalog, Team team) {
        return team.digestSchedule().orElse(catalog.digest().schedule());
    }

    /**
     * The window the digest due at {@code now} covers, in the team's zone: from the scheduled time before the latest
     * one to the latest one at or before {@code now}. A rate schedule counts in whole periods since the epoch.
     */
    public static DigestWindow windowAt(Schedule schedule, ZoneId zone, Instant now) {
        Instant end = latestAtOrBefore(schedule, zone, now);
        return new DigestWindow(latestAtOrBefore(schedule, zone, end.minusSeconds(1)), end);
    }

    /** The window before {@code window} under the same schedule. */
    public static DigestWindow windowBefore(Schedule schedule, ZoneId zone, DigestWindow window) {
        return new DigestWindow(latestAtOrBefore(schedule, zone, window.from().minusSeconds(1)), window.from());
    }

    private static Instant latestAtOrBefore(Schedule schedule, ZoneId zone, Instant t) {
        if (schedule instanceof Schedule.Cron cron) {
            return cron.previousAtOrBefore(t, zone).orElseThrow(() -> new IllegalArgumentException(
                    "digest schedule " + schedule.expression() + " never fired before " + t));
        }
        long period = ((Schedule.Rate) schedule).period().toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), period) * period);
    }

    /** One view per job of {@code team} (digest-included, seen by the store), ordered by job id. */
    public List<JobView> forTeam(String team, DigestWindow window, DigestWindow previous) {
        Instant from = previous.from();
        Instant to = window.to();
        Map<JobKey, JobSummary> byJob = new LinkedHashMap<>();
        for (JobBrief b : briefs()) {
            if (belongs(b.summary().job(), team)) {
                byJob.put(b.summary().job(), b.summary());
            }
        }
        Map<JobKey, List<RunView>> runs = new TreeMap<>(Comparator.comparing(JobKey::id));
        runsByJob(from.minus(LONGEST_RUN), to).forEach((job, list) -> {
            if (belongs(job, team)) {
                runs.put(job, list);
            }
        });
        Map<JobKey, Boolean> jobs = new TreeMap<>(Comparator.comparing(JobKey::id));
        byJob.keySet().forEach(j -> jobs.put(j, true));
        runs.keySet().forEach(j -> jobs.put(j, true));
        List<JobView> out = new ArrayList<>(jobs.size());
        for (JobKey job : jobs.keySet()) {
            out.add(view(job, Optional.ofNullable(byJob.get(job)), runs.getOrDefault(job, List.of()), window, from, to));
        }
        return out;
    }

    /**
     * What every team's digest reads, once per digest run: the job summaries ({@link RunStore#briefPerJob()}) and the
     * runs per job whose sort time is in {@code [from, to)} ({@code from} = the earliest end of interest − {@link
     * #LONGEST_RUN}). Where a summary's recent runs are complete back to that end minus the job's reach (twice its
     * longest recent run, 1 hour to {@link #LONGEST_RUN}), its finished runs come from it and the runs still going from {@link RunStore#openRuns()}; the other jobs are
     * read one by one ({@link RunStore#runsOfJob}). A store that does not know completeness (or too many jobs
     * without it) gets one {@link RunStore#runsBetween} instead.
     */
    public Map<JobKey, List<RunView>> runsByJob(Instant from, Instant to) {
        return runsByRange.computeIfAbsent(from + "/" + to, k -> readRuns(from, to));
    }

    private Map<JobKey, List<RunView>> readRuns(Instant from, Instant to) {
        Map<JobKey, List<RunView>> out = new HashMap<>();
        List<JobBrief> all = briefs();
        List<JobKey> incomplete = new ArrayList<>();
        for (JobBrief b : all) {
            if (!b.completeFrom(from.plus(LONGEST_RUN).minus(reach(b.summary())))) {
                incomplete.add(b.summary().job());
            }
        }
        if (all.isEmpty() || incomplete.size() * 4 > all.size()) {
            store.runsBetween(from, to, r -> add(out, r));
            return out;
        }
        Set<JobKey> readWhole = new HashSet<>(incomplete);
        for (JobBrief b : all) {
            if (readWhole.contains(b.summary().job())) {
                continue;
            }
            for (RecentRun r : b.summary().recentRuns()) {
                if (!r.sortTime().isBefore(from) && r.sortTime().isBefore(to)) {
                    out.computeIfAbsent(b.summary().job(), j -> new ArrayList<>())
                            .add(new RunView(r.runId(), r.state(), r.startedAt(), r.endedAt(), r.error(), r.warning(), r.attempt()));
                }
            }
        }
        for (JobKey job : incomplete) {
            for (int limit = RUNS_PER_JOB; ; limit *= 4) {
                List<Run> newestFirst = store.runsOfJob(job, limit);
                boolean enough = newestFirst.size() < limit
                        || newestFirst.get(newestFirst.size() - 1).sortTime().isBefore(from);
                if (enough) {
                    newestFirst.forEach(r -> {
                        if (!r.sortTime().isBefore(from) && r.sortTime().isBefore(to)) {
                            add(out, r);
                        }
                    });
                    break;
                }
            }
        }
        for (Run r : store.openRuns()) {
            if (!readWhole.contains(r.job()) && !r.sortTime().isBefore(from) && r.sortTime().isBefore(to)) {
                add(out, r);
            }
        }
        return out;
    }

    /**
     * How long before the range's end-time bound a run of this job may have started: twice its longest recent run, at
     * least an hour, at most {@link #LONGEST_RUN} — the summary must be complete that far back.
     */
    private static Duration reach(JobSummary s) {
        Duration longest = Duration.ZERO;
        for (RecentRun r : s.recentRuns()) {
            Duration d = r.duration().orElse(Duration.ZERO);
            longest = d.compareTo(longest) > 0 ? d : longest;
        }
        Duration reach = longest.multipliedBy(2);
        reach = reach.compareTo(Duration.ofHours(1)) < 0 ? Duration.ofHours(1) : reach;
        return reach.compareTo(LONGEST_RUN) > 0 ? LONGEST_RUN : reach;
    }

    private static void add(Map<JobKey, List<RunView>> out, Run r) {
        out.computeIfAbsent(r.job(), j -> new ArrayList<>())
                .add(new RunView(r.runId(), r.state(), r.startedAt(), r.endedAt(), r.error(), r.warning(), r.attempt()));
    }

    private JobView view(JobKey job, Optional<JobSummary> summary, List<RunView> jobRuns, DigestWindow window,
                         Instant from, Instant to) {
        JobPolicy policy = catalog.resolve(job);
        RunView latest = summary.map(s -> new RunView(s.latestRun().runId(), s.latestState(), s.latestStartedAt(),
                s.latestEndedAt(), s.latestError(), s.latestWarning(), s.latestAttempt())).orElse(null);
        RunView lastFinished = latest;
        List<RunView> finishedInRange = new ArrayList<>();
        RunView beforeWindow = null;
        for (RunView v : jobRuns) {
            if (v.startedAt() != null && v.startedAt().isAfter(to)) {
                continue; // started after the digest's time: not part of this digest
            }
            if (latest == null || sortTime(v).isAfter(sortTime(latest))) {
                latest = v;
            }
            if (v.state().terminal() && v.endedAt() != null) {
                if (!v.endedAt().isBefore(from) && v.endedAt().isBefore(to)) {
                    finishedInRange.add(v);
                }
                if (v.endedAt().isBefore(to) && (lastFinished == null || v.endedAt().isAfter(lastFinished.endedAt()))) {
                    lastFinished = v;
                }
                if (v.endedAt().isBefore(window.from())
                        && (beforeWindow == null || v.endedAt().isAfter(beforeWindow.endedAt()))) {
                    beforeWindow = v;
                }
            }
        }
        RunState outcomeBefore = beforeWindow != null ? beforeWindow.state()
                : summary.map(s -> outcomeBefore(s, window.from())).orElse(null);
        int failures = lastFinished == null || !lastFinished.state().failed() ? 0
                : Math.max(1, summary.map(JobSummary::consecutiveFailures).orElse(1));
        return new JobView(job, policy.system(), policy.criticality().id(), latest, lastFinished, outcomeBefore,
                failures, openIncidents.get(job), summary.map(s -> median(s.recentDurations())).orElse(null),
                finishedInRange, policy.incident().waitForRetries());
    }

    /** The newest of the summary's recent runs that ended before {@code t}; else the later of last success/failure. */
    private static RunState outcomeBefore(JobSummary s, Instant t) {
        RecentRun best = null;
        for (RecentRun r : s.recentRuns()) {
            if (r.endedAt().isBefore(t) && (best == null || r.endedAt().isAfter(best.endedAt()))) {
                best = r;
            }
        }
        if (best != null) {
            return best.state();
        }
        Instant ok = s.lastSuccessAt();
        Instant failed = s.lastFailureAt();
        if (ok != null && ok.isBefore(t) && (failed == null || ok.isAfter(failed))) {
            return RunState.SUCCEEDED;
        }
        if (failed != null && failed.isBefore(t) && (ok == null || failed.isAfter(ok))) {
            return RunState.FAILED;
        }
        return null;
    }

    private boolean belongs(JobKey job, String team) {
        JobPolicy p = catalog.resolve(job);
        return p.inDigest() && p.team().name().equals(team);
    }

    private List<JobBrief> briefs() {
        if (briefs == null) {
            briefs = store.briefPerJob();
        }
        return briefs;
    }

    private static Instant sortTime(RunView v) {
        return v.startedAt() != null ? v.startedAt() : v.endedAt() != null ? v.endedAt() : Instant.MIN;
    }

    private static Duration median(List<Duration> durations) {
        if (durations.isEmpty()) {
            return null;
        }
        List<Duration> sorted = new ArrayList<>(durations);
        sorted.sort(Comparator.naturalOrder());
        return sorted.get(sorted.size() / 2);
    }
}
