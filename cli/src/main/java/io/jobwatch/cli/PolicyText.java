package io.jobwatch.cli;

import io.jobwatch.core.catalog.Durations;
import io.jobwatch.core.catalog.Expectations;
import io.jobwatch.core.catalog.JobIncidentPolicy;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.catalog.MaintenanceWindow;
import io.jobwatch.core.catalog.Team;
import java.util.ArrayList;
import java.util.List;

/** Human-readable lines for a resolved policy (config explain). */
final class PolicyText {
    private PolicyText() {
    }

    static String team(Team t) {
        List<String> parts = new ArrayList<>();
        parts.add(t.recipients().isEmpty() ? "no digest recipients" : "recipients " + String.join(", ", t.recipients()));
        t.assignmentGroup().ifPresent(g -> parts.add("ServiceNow group \"" + g + "\""));
        parts.add("timezone " + t.timezone().getId());
        t.digestSchedule().ifPresent(s -> parts.add("digest " + s.expression()));
        return t.name() + " (" + String.join("; ", parts) + ")";
    }

    static String incident(JobIncidentPolicy i) {
        if (!i.enabled()) {
            return "off (problems show in digests only)";
        }
        String open = "open after " + plural(i.openAfterConsecutiveFailures(), "failure")
                + i.failureRate().map(r -> " or " + r.percent() + "% of the last " + r.ofLastRuns() + " runs failed").orElse("");
        return "on: urgency " + i.urgency() + ", impact " + i.impact() + "; " + open + "; resolve after "
                + plural(i.resolveAfterConsecutiveSuccesses(), "success") + "; flap damping "
                + (i.flapDampingWindow().isZero() ? "none" : Durations.format(i.flapDampingWindow()))
                + (i.waitForRetries() > 0 ? "; waits for " + i.waitForRetries() + (i.waitForRetries() == 1 ? " retry" : " retries") : "")
                + (i.openOnWarning() ? "; a success with a warning opens" : "");
    }

    static String expectations(Expectations e) {
        List<String> parts = new ArrayList<>();
        parts.add("schedule " + e.schedule().map(s -> s.expression()).orElse("none"));
        parts.add("timezone " + e.timezone().getId());
        e.deadline().ifPresent(d -> parts.add("deadline " + d));
        parts.add("grace " + Durations.format(e.grace()));
        e.maxDuration().ifPresent(d -> parts.add("max duration " + Durations.format(d)));
        e.minDuration().ifPresent(d -> parts.add("min duration " + Durations.format(d)));
        parts.add("learned " + (e.learned() ? (e.pageOnLearned() ? "on (pages)" : "on (digest only)") : "off"));
        return String.join("; ", parts);
    }

    static String maintenance(JobPolicy p) {
        if (p.maintenance().isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        for (MaintenanceWindow w : p.maintenance()) {
            if (w instanceof MaintenanceWindow.Recurring r) {
                parts.add(r.start().expression() + " for " + Durations.format(r.duration()) + " (" + r.zone().getId() + ")");
            } else if (w instanceof MaintenanceWindow.Fixed f) {
                parts.add(f.from() + " to " + f.to());
            }
        }
        return String.join("; ", parts);
    }

    private static String plural(int n, String word) {
        return n + " " + (n == 1 ? word : word.endsWith("s") ? word + "es" : word + "s");
    }
}
