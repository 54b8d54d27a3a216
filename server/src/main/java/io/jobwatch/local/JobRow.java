package io.jobwatch.local;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.digest.SlaBreach;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One job as the overview shows it: its latest finished run (from the long-lived job summary), owner from the
 * catalog, its open incident and SLA breaches.
 *
 * @param summary  the job summary
 * @param system   the account's system from the catalog, else the account id
 * @param team     the owning team from the catalog, else {@link Team#UNOWNED}
 * @param incident the job's open incident (the oldest one when several kinds are open), or null
 * @param breaches the job's current SLA breaches
 */
public record JobRow(JobSummary summary, String system, String team, IncidentRecord incident, List<SlaBreach> breaches) {

    public JobKey job() {
        return summary.job();
    }

    public RunState state() {
        return summary.latestState();
    }

    /** Rows for every job with a finished run, in job id order. */
    public static List<JobRow> of(List<JobSummary> summaries, Catalog catalog, List<IncidentRecord> open,
                                  List<SlaBreach> breaches) {
        Map<JobKey, IncidentRecord> incidents = new HashMap<>();
        for (IncidentRecord r : open) {
            incidents.putIfAbsent(r.job(), r);
        }
        Map<JobKey, List<SlaBreach>> byJob = new HashMap<>();
        for (SlaBreach b : breaches) {
            byJob.computeIfAbsent(b.job(), k -> new ArrayList<>()).add(b);
        }
        List<JobRow> rows = new ArrayList<>(summaries.size());
        for (JobSummary s : summaries) {
            String system = s.job().account().isEmpty() ? s.job().source().label() : s.job().account();
            String team = Team.UNOWNED;
            if (catalog != null) {
                JobPolicy p = catalog.resolve(s.job());
                system = p.system();
                team = p.team().name();
            }
            rows.add(new JobRow(s, system, team, incidents.get(s.job()), byJob.getOrDefault(s.job(), List.of())));
        }
        return rows;
    }

    /**
     * The overview's filters, from GET query parameters; blank means "any".
     *
     * @param system exact system
     * @param team   exact team
     * @param state  a run state (SUCCEEDED …), or "failing" (FAILED or TIMED_OUT), or "incident" (an open incident)
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
                    case "failing" -> r.state().failed();
                    case "incident" -> r.incident() != null;
                    default -> r.state().name().equalsIgnoreCase(state);
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
