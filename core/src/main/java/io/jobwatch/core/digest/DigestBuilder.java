package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.source.ConsoleLinks;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a team's {@link Digest} from {@link JobView}s. Pure: no store, no I/O; the clock only stamps
 * {@code generatedAt}. The rules, per job:
 * <ul>
 *   <li><b>failing</b>: its newest finished run FAILED or TIMED_OUT. It is <b>still failing</b> when it was
 *       already failing before the window ({@code outcomeBeforeWindow} failed), otherwise a <b>new failure</b>.</li>
 *   <li><b>recovered</b>: its newest finished run SUCCEEDED inside the window, and it was failing before the window
 *       or failed inside it.</li>
 *   <li><b>running now</b>: its newest run is PENDING or RUNNING; shown with elapsed time vs its usual duration.</li>
 *   <li><b>succeeded with warnings</b>: its newest run that ended in the window succeeded with a warning (a partial
 *       failure, e.g. AppFlow records that failed) and it is not failing now.</li>
 *   <li>SLA breaches are passed in as found by the SLA checks; without SLA checks the section is absent.</li>
 *   <li>every other job is counted as healthy, not listed.</li>
 * </ul>
 * Within a section, items sort by criticality (critical, high, medium or normal, low, other), then for failures by
 * consecutive failures (most first), then by system and job id.
 */
public final class DigestBuilder {
    private static final String NO_SYSTEM = "(no system)";
    // "normal" is the catalog's word for the middle level; "medium" kept for callers that say so.
    private static final List<String> CRITICALITY_ORDER = List.of("critical", "high", "medium", "normal", "low");

    private final Clock clock;

    public DigestBuilder(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param team                   the team and its time zone
     * @param window                 the window to report on, usually {@link DigestSchedule#currentWindow}
     * @param previousWindow         the window before it, usually {@link DigestSchedule#windowBefore}; must end
     *                               no later than {@code window} starts
     * @param jobs                   one view per job of the team (no duplicates)
     * @param slaBreaches            breaches from the SLA checks, or empty when there are no SLA checks
     * @param previousDeliveryFailed whether the previous digest to this team could not be delivered
     */
    public Digest build(DigestTeam team, DigestWindow window, DigestWindow previousWindow, List<JobView> jobs,
                        Optional<List<SlaBreach>> slaBreaches, boolean previousDeliveryFailed) {
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(previousWindow, "previousWindow");
        Objects.requireNonNull(jobs, "jobs");
        Objects.requireNonNull(slaBreaches, "slaBreaches");
        if (previousWindow.to().isAfter(window.from())) {
            throw new IllegalArgumentException("previous window " + previousWindow + " overlaps the digest window " + window);
        }

        Map<JobKey, JobView> byKey = new LinkedHashMap<>();
        for (JobView v : jobs) {
            if (byKey.put(v.job(), v) != null) {
                throw new IllegalArgumentException("job " + v.job() + " appears twice in the digest input");
            }
        }

        List<FailingJob> still = new ArrayList<>();
        List<FailingJob> fresh = new ArrayList<>();
        List<RecoveredJob> recovered = new ArrayList<>();
        List<RunningJob> running = new ArrayList<>();
        List<WarnedJob> warned = new ArrayList<>();
        Map<String, int[]> jobsPerSystem = new TreeMap<>();
        Map<String, WindowCounts> current = new TreeMap<>();
        Map<String, WindowCounts> previous = new TreeMap<>();

        for (JobView v : jobs) {
            String system = systemOf(v.system());
            jobsPerSystem.computeIfAbsent(system, s -> new int[1])[0]++;
            current.merge(system, count(v.runs(), window), WindowCounts::plus);
            previous.merge(system, count(v.runs(), previousWindow), WindowCounts::plus);
            int failuresInWindow = count(v.runs(), window).failed();

            RunView last = v.lastFinished();
            RunState before = outcomeBeforeWindow(v, window);
            if (last != null && last.state().failed()) {
                FailingJob item = new FailingJob(v.job(), v.system(), v.criticality(), last,
                        Math.max(1, v.consecutiveFailures()), failuresInWindow, v.openIncident(),
                        ConsoleLinks.forRun(v.job(), last.runId()), v.retrying());
                (before != null && before.failed() ? still : fresh).add(item);
            } else if (last != null && last.state() == RunState.SUCCEEDED && window.contains(last.endedAt())
                    && ((before != null && before.failed()) || failuresInWindow > 0)) {
                recovered.add(new RecoveredJob(v.job(), v.system(), v.criticality(), last, failuresInWindow,
                        ConsoleLinks.forRun(v.job(), last.runId())));
            }

            if (last == null || !last.state().failed()) {
                warned(v, window).ifPresent(warned::add);
            }

            RunView latest = v.latest();
            if (latest != null && !latest.state().terminal()) {
                Duration elapsed = latest.startedAt() == null || latest.startedAt().isAfter(window.to())
                        ? Duration.ZERO : Duration.between(latest.startedAt(), window.to());
                running.add(new RunningJob(v.job(), v.system(), v.criticality(), latest, elapsed, v.usualDuration(),
                        ConsoleLinks.forRun(v.job(), latest.runId())));
            }
        }

        // Jobs known only from an SLA breach (e.g. a job that never ran) still count as the team's jobs.
        Set<JobKey> slaOnly = new HashSet<>();
        Optional<List<SlaBreach>> sla = slaBreaches.map(list -> {
            List<SlaBreach> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparing((SlaBreach b) -> criticalityRank(byKey.get(b.job())))
                    .thenComparing(b -> systemOf(b.system()))
                    .thenComparing(b -> b.job().id())
                    .thenComparing(SlaBreach::kind));
            for (SlaBreach b : sorted) {
                if (!byKey.containsKey(b.job()) && slaOnly.add(b.job())) {
                    String system = systemOf(b.system());
                    jobsPerSystem.computeIfAbsent(system, s -> new int[1])[0]++;
                    current.putIfAbsent(system, WindowCounts.NONE);
                    previous.putIfAbsent(system, WindowCounts.NONE);
                }
            }
            return sorted;
        });

        Comparator<FailingJob> failingOrder = Comparator.comparing((FailingJob f) -> criticalityRank(f.criticality()))
                .thenComparing(Comparator.comparingInt(FailingJob::consecutiveFailures).reversed())
                .thenComparing(f -> systemOf(f.system()))
                .thenComparing(f -> f.job().id());
        still.sort(failingOrder);
        fresh.sort(failingOrder);
        recovered.sort(Comparator.comparing((RecoveredJob r) -> criticalityRank(r.criticality()))
                .thenComparing(r -> systemOf(r.system())).thenComparing(r -> r.job().id()));
        warned.sort(Comparator.comparing((WarnedJob w) -> criticalityRank(w.criticality()))
                .thenComparing(w -> systemOf(w.system())).thenComparing(w -> w.job().id()));
        running.sort(Comparator.comparing((RunningJob r) -> !r.overUsual())
                .thenComparing(r -> criticalityRank(r.criticality()))
                .thenComparing(r -> systemOf(r.system())).thenComparing(r -> r.job().id()));

        List<SystemSummary> systems = new ArrayList<>();
        jobsPerSystem.forEach((system, n) -> systems.add(
                new SystemSummary(system, n[0], current.get(system), previous.get(system))));

        Set<JobKey> listed = new HashSet<>();
        still.forEach(i -> listed.add(i.job()));
        fresh.forEach(i -> listed.add(i.job()));
        recovered.forEach(i -> listed.add(i.job()));
        running.forEach(i -> listed.add(i.job()));
        warned.forEach(i -> listed.add(i.job()));
        sla.ifPresent(l -> l.forEach(i -> listed.add(i.job())));
        int jobCount = byKey.size() + slaOnly.size();

        return new Digest(team, window, previousWindow, clock.instant(), still, fresh, sla, recovered, running,
                systems, jobCount, jobCount - listed.size(), previousDeliveryFailed, warned);
    }

    /** The job's newest run that ended in the window, when it succeeded with a warning; with the window's count. */
    private static Optional<WarnedJob> warned(JobView v, DigestWindow window) {
        RunView newest = null;
        int n = 0;
        for (RunView r : v.runs()) {
            if (r.state().terminal() && r.endedAt() != null && window.contains(r.endedAt())) {
                n += r.succeededWithWarning() ? 1 : 0;
                if (newest == null || r.endedAt().isAfter(newest.endedAt())) {
                    newest = r;
                }
            }
        }
        if (newest == null || !newest.succeededWithWarning()) {
            return Optional.empty();
        }
        return Optional.of(new WarnedJob(v.job(), v.system(), v.criticality(), newest, n,
                ConsoleLinks.forRun(v.job(), newest.runId())));
    }

    /**
     * The caller's {@code outcomeBeforeWindow}, or, when it left it out, the newest finished run's state if that run
     * ended before the window (then it is the outcome before the window by definition).
     */
    private static RunState outcomeBeforeWindow(JobView v, DigestWindow window) {
        if (v.outcomeBeforeWindow() != null) {
            return v.outcomeBeforeWindow();
        }
        RunView last = v.lastFinished();
        if (last != null && last.endedAt() != null && last.endedAt().isBefore(window.from())) {
            return last.state();
        }
        return null;
    }

    private static WindowCounts count(List<RunView> runs, DigestWindow w) {
        int n = 0;
        int ok = 0;
        int failed = 0;
        for (RunView r : runs) {
            if (r.state().terminal() && w.contains(r.endedAt())) {
                n++;
                if (r.state() == RunState.SUCCEEDED) {
                    ok++;
                } else if (r.state().failed()) {
                    failed++;
                }
            }
        }
        return new WindowCounts(n, ok, failed);
    }

    private static String systemOf(String system) {
        return system == null || system.isBlank() ? NO_SYSTEM : system;
    }

    private static int criticalityRank(JobView v) {
        return v == null ? CRITICALITY_ORDER.size() : criticalityRank(v.criticality());
    }

    static int criticalityRank(String criticality) {
        if (criticality == null) {
            return CRITICALITY_ORDER.size();
        }
        int i = CRITICALITY_ORDER.indexOf(criticality.toLowerCase(Locale.ROOT));
        return i < 0 ? CRITICALITY_ORDER.size() : i;
    }
}
