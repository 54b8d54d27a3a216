package io.jobwatch.local;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.digest.SlaBreach;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.Run;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One job as the overview shows it: its latest finished run (from the long-lived job summary), owner from the
 * catalog, its open incident and SLA breaches. A job with no finished run is shown too: one whose first run is still
 * going, and one the catalog expects that has never run (the job an SLA check reports MISSING).
 *
 * @param job      the job
 * @param summary  the job summary, or null when no run of it has finished yet
 * @param running  the job's newest unfinished run when it has no summary, else null
 * @param system   the account's system from the catalog, else the account id
 * @param team     the owning team from the catalog, else {@link Team#UNOWNED}
 * @param incident the job's open incident (the oldest one when several kinds are open), or null
 * @param breaches the job's current SLA breaches
 */
public record JobRow(JobKey job, JobSummary summary, Run running, String system, String team, IncidentRecord incident,
                     List<SlaBreach> breaches) {

    /** The latest finished run's state, else the running run's, else null: the job has not been seen running. */
    public RunState state() {
        return summary != null ? summary.latestState() : running != null ? running.state() : null;
    }

    /** True when the job's latest finished run failed. */
    public boolean failing() {
        return summary != null && summary.latestState().failed();
    }

    /**
     * Rows, in job id order, for every job with a finished run, every job with a run still going, and every job the
     * catalog expects ({@code expected}, e.g. {@code ExpectedJobs.of}) or an SLA check reports, even if it never ran.
     */
    public static List<JobRow> of(List<JobSummary> summaries, List<Run> openRuns, List<JobKey> expected,
                                  Catalog catalog, List<IncidentRecord> open, List<SlaBreach> breaches) {
        Map<JobKey, IncidentRecord> incidents = new HashMap<>();
        for (IncidentRecord r : open) {
            incidents.putIfAbsent(r.job(), r);
        }
        Map<JobKey, List<SlaBreach>> byJob = new HashMap<>();
        for (SlaBreach b : breaches) {
            byJob.computeIfAbsent(b.job(), k -> new ArrayList<>()).add(b);
        }
        Map<JobKey, JobSummary> summaryOf = new HashMap<>();
        summaries.forEach(s -> summaryOf.put(s.job(), s));
        Map<JobKey, Run> runningOf = new HashMap<>();
        for (Run r : openRuns) {
            runningOf.merge(r.job(), r, (a, b) -> a.sortTime().isAfter(b.sortTime()) ? a : b);
        }
        Set<JobKey> jobs = new TreeSet<>(Comparator.comparing(JobKey::id));
        jobs.addAll(summaryOf.keySet());
        jobs.addAll(runningOf.keySet());
        jobs.addAll(expected);
        jobs.addAll(byJob.keySet());
        List<JobRow> rows = new ArrayList<>(jobs.size());
        for (JobKey job : jobs) {
            String system = job.account().isEmpty() ? job.source().label() : job.account();
            String team = Team.UNOWNED;
            if (catalog != null) {
                JobPolicy p = catalog.resolve(job);
                system = p.system();
                team = p.team().name();
            }
            JobSummary summary = summaryOf.get(job);
            rows.add(new JobRow(job, summary, summary == null ? runningOf.get(job) : null, system, team,
                    incidents.get(job), byJob.getOrDefault(job, List.of())));
        }
        return rows;
    }

    /**
     * The overview's filters, from GET query parameters; blank means "any".
     *
     * @param system exact system
     * @param team   exact team
     * @param state  a run state (SUCCEEDED …), or "failing" (FAILED or TIMED_OUT), "incident" (an open incident), or
     *               "never" (an expected job not seen running yet)
     * @param q      case-insensitive substring of the job id (source:account:region:name)
     */
    public record Filter(String system, String team, String state, String q) {
        public static Filter of(Map<String, String> params) {
            return new Filter(blank(params.get("system")), blank(params.get("team")), blank(params.get("state")),
                    blank(params.get("q")));
        }

        public boolean any() {
            return system != null || team != null || state != null || q != null;
        }

        public boolean matches(JobRow r) {
            if (system != null && !system.equals(r.system())) {
                return false;
            }
            if (team != null && !team.equals(r.team())) {
                return false;
            }
            if (state != null) {
                boolean ok = switch (state.toLowerCase(Locale.ROOT)) {
                    case "failing" -> r.failing();
                    case "incident" -> r.incident() != null;
                    case "never" -> r.state() == null;
                    default -> r.state() != null && r.state().name().equalsIgnoreCase(state);
                };
                if (!ok) {
                    return false;
                }
            }
            return q == null || r.job().id().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT));
        }

        private static String blank(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }
}
