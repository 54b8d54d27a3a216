package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One team's digest for one window: sections in order of urgency, a summary line per system, and counts.
 * Built by {@link DigestBuilder}; rendered by {@link HtmlDigestRenderer} and {@link TextDigestRenderer}.
 *
 * @param team                   the team and its time zone
 * @param window                 the window reported on, [from, to)
 * @param previousWindow         the window of the previous digest (for the comparison in the summary)
 * @param generatedAt            when the digest was built
 * @param stillFailing           jobs failing since before the window (already reported, still broken)
 * @param newFailures            jobs that started failing in the window
 * @param sla                    late / missing / too long / too short; empty Optional when no SLA checks ran
 *                               (the section is then absent, not "0 late")
 * @param recovered              jobs that were failing and succeeded since
 * @param runningNow             runs in progress at the end of the window
 * @param systems                one summary line per system, sorted by name
 * @param jobCount               all jobs of the team the digest looked at
 * @param healthyCount           jobs listed in no section ("counted, not listed")
 * @param previousDeliveryFailed the previous digest could not be delivered; the digest says so
 * @param warned                 jobs whose newest run in the window succeeded with a warning (a partial failure)
 * @param trend                  the team's week against the week before, one line (rollups), when known
 */
public record Digest(
        DigestTeam team,
        DigestWindow window,
        DigestWindow previousWindow,
        Instant generatedAt,
        List<FailingJob> stillFailing,
        List<FailingJob> newFailures,
        Optional<List<SlaBreach>> sla,
        List<RecoveredJob> recovered,
        List<RunningJob> runningNow,
        List<SystemSummary> systems,
        int jobCount,
        int healthyCount,
        boolean previousDeliveryFailed,
        List<WarnedJob> warned,
        Optional<String> trend) {

    /** Without a succeeded-with-warnings section or a trend line. */
    public Digest(DigestTeam team, DigestWindow window, DigestWindow previousWindow, Instant generatedAt,
                  List<FailingJob> stillFailing, List<FailingJob> newFailures, Optional<List<SlaBreach>> sla,
                  List<RecoveredJob> recovered, List<RunningJob> runningNow, List<SystemSummary> systems, int jobCount,
                  int healthyCount, boolean previousDeliveryFailed) {
        this(team, window, previousWindow, generatedAt, stillFailing, newFailures, sla, recovered, runningNow, systems,
                jobCount, healthyCount, previousDeliveryFailed, List.of(), Optional.empty());
    }

    /** Without a trend line. */
    public Digest(DigestTeam team, DigestWindow window, DigestWindow previousWindow, Instant generatedAt,
                  List<FailingJob> stillFailing, List<FailingJob> newFailures, Optional<List<SlaBreach>> sla,
                  List<RecoveredJob> recovered, List<RunningJob> runningNow, List<SystemSummary> systems, int jobCount,
                  int healthyCount, boolean previousDeliveryFailed, List<WarnedJob> warned) {
        this(team, window, previousWindow, generatedAt, stillFailing, newFailures, sla, recovered, runningNow, systems,
                jobCount, healthyCount, previousDeliveryFailed, warned, Optional.empty());
    }

    /** The same digest with the team's week-on-week trend line (from the daily rollups). */
    public Digest withTrend(String line) {
        return new Digest(team, window, previousWindow, generatedAt, stillFailing, newFailures, sla, recovered,
                runningNow, systems, jobCount, healthyCount, previousDeliveryFailed, warned, Optional.ofNullable(line));
    }

    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    public Digest {
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(previousWindow, "previousWindow");
        Objects.requireNonNull(generatedAt, "generatedAt");
        stillFailing = List.copyOf(stillFailing);
        newFailures = List.copyOf(newFailures);
        sla = sla.map(List::copyOf);
        recovered = List.copyOf(recovered);
        runningNow = List.copyOf(runningNow);
        systems = List.copyOf(systems);
        warned = List.copyOf(warned);
        Objects.requireNonNull(trend, "trend");
    }

    /** Jobs whose newest finished run failed: still failing plus new failures. */
    public int failingCount() {
        return stillFailing.size() + newFailures.size();
    }

    /** Distinct jobs with an SLA breach ("late" in the subject covers late, missing, too long and too short). */
    public int lateCount() {
        Set<JobKey> jobs = new HashSet<>();
        sla.ifPresent(items -> items.forEach(b -> jobs.add(b.job())));
        return jobs.size();
    }

    /** Jobs neither failing nor breaching an SLA (recovered and running jobs are ok). */
    public int okCount() {
        Set<JobKey> notOk = new HashSet<>();
        stillFailing.forEach(f -> notOk.add(f.job()));
        newFailures.forEach(f -> notOk.add(f.job()));
        sla.ifPresent(items -> items.forEach(b -> notOk.add(b.job())));
        return jobCount - notOk.size();
    }

    /** Nothing failing, nothing late, nothing recovered, no warning: the short "all N jobs healthy" message will do. */
    public boolean allGreen() {
        return stillFailing.isEmpty() && newFailures.isEmpty() && sla.map(List::isEmpty).orElse(true) && recovered.isEmpty()
                && warned.isEmpty();
    }

    /**
     * Whether to deliver this digest under the team's all-green rule. A digest after a failed delivery is always
     * sent, so the team learns about the gap.
     */
    public boolean shouldSend(AllGreen rule) {
        return !allGreen() || rule == AllGreen.SEND || previousDeliveryFailed;
    }

    /** The distinct systems of the team's jobs, sorted. */
    public List<String> systemNames() {
        return systems.stream().map(SystemSummary::system).toList();
    }

    /** The digest's time of day in the team's zone, e.g. "11:00" (the end of the window). */
    public String timeLabel() {
        return HH_MM.format(window.to().atZone(team.zone()));
    }

    /**
     * Who the digest is about in one short name: the system when all the team's jobs are in one system
     * ("FinData"), otherwise the team's name (the body then has one summary line per system).
     */
    public String heading() {
        return systems.size() == 1 ? systems.get(0).system() : team.name();
    }

    /** The email subject, see {@link DigestSubject}. */
    public String subject() {
        return DigestSubject.of(this);
    }
}
