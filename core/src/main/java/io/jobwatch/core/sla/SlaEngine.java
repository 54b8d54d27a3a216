package io.jobwatch.core.sla;

import io.jobwatch.core.catalog.Durations;
import io.jobwatch.core.catalog.Expectations;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.catalog.Schedule;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.store.Run;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The SLA checks: which expectations of which jobs are broken at {@code now}. Pure and stateless: the same inputs
 * give the same breaches; raising and clearing is the diff between evaluations ({@link SlaTracker}).
 *
 * <p>Per job, nothing is reported while {@code now} is inside one of its maintenance windows. Otherwise:
 * <ul>
 * <li><b>MISSING</b> (declared schedule): take the latest expected start {@code t} whose grace has passed
 * ({@code t + grace ≤ now}). It is covered by any run that started at or after {@code t − early}, where
 * {@code early = min(grace, half the gap to the previous expected start)} (a run may start a little early). If no run
 * covers it and {@code t} is not inside a maintenance window, the job is missing. Only that one expected start is ever
 * looked at, so after a window or a long outage there is no catch-up storm. For {@code rate(…)} the expected starts
 * are the last run's start + k × period (a rate job that never ran has no anchor and is never missing).</li>
 * <li><b>LATE</b> (declared deadline): take the latest deadline {@code d} (local time in the expectations' zone) with
 * {@code d + grace ≤ now}; the run due by it is the one for the latest expected start at or before {@code d} (without
 * a cron schedule: any run since the deadline a day earlier), up to the window of the next expected start. If a run
 * of that window started but no run since its start has succeeded, the job is late until one does. If none started: MISSING (the schedule's, or, without a schedule, one for
 * the deadline).</li>
 * <li><b>LONG_RUNNING</b>: a run that has not finished and has been going longer than {@code maxDuration}, or, when
 * none is declared and the job learns, longer than max(p95 × factor, p95 + slack) of its recent successful durations
 * (with at least {@code minHistory} of them; LOW confidence); or a run the service itself said is past the job's
 * notify delay (Glue's Job Run Status: HIGH confidence, no expectation needed; the tighter of the two is reported).</li>
 * <li><b>TOO_SHORT</b> (digest only): the latest finished run succeeded in less than {@code minDuration}, or, learned,
 * in less than the median of the earlier successes × fraction.</li>
 * <li><b>learned cadence</b>: a job without schedule or deadline that learns gets its cadence from its recent starts
 * (median gap, when most gaps are regular); it is missing (LOW confidence) when no run started by last start + k ×
 * gap + max(grace, gap/4, p90 deviation).</li>
 * </ul>
 * Runs that start after {@code now} are ignored and runs that end after it count as running, so any past instant
 * can be evaluated.
 *
 * <p>An engine keeps a memo of cron intervals per schedule (see {@link ExpectedStarts}): reuse one engine across
 * evaluations. It is thread-safe and its answers do not depend on what it evaluated before.
 */
public final class SlaEngine {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT);

    private final SlaSettings settings;
    /** Memos of cron intervals: one for "now − grace", one for deadlines (they move independently). */
    private final ExpectedStarts starts = new ExpectedStarts();
    private final ExpectedStarts deadlineStarts = new ExpectedStarts();

    public SlaEngine(SlaSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public SlaEngine() {
        this(SlaSettings.defaults());
    }

    public SlaSettings settings() {
        return settings;
    }

    /** Every breach that holds at {@code now}, ordered by job id, then kind. */
    public List<Breach> evaluate(Instant now, Collection<JobContext> jobs) {
        List<Breach> out = new ArrayList<>();
        for (JobContext j : jobs) {
            out.addAll(evaluate(now, j));
        }
        out.sort(Comparator.comparing((Breach b) -> b.job().id()).thenComparing(Breach::kind));
        return out;
    }

    /** The breaches of one job that hold at {@code now} (at most one per kind). */
    public List<Breach> evaluate(Instant now, JobContext job) {
        Objects.requireNonNull(now, "now");
        JobPolicy p = job.policy();
        if (p.inMaintenance(now)) {
            return List.of();
        }
        History h = History.of(job, now);
        List<Breach> out = new ArrayList<>(2);
        Breach missing = missing(now, p, h);
        if (missing != null) {
            out.add(missing);
        }
        Breach late = late(now, p, h, missing != null);
        if (late != null) {
            out.add(late);
        }
        Breach tooLong = longRunning(now, p, h);
        if (tooLong != null) {
            out.add(tooLong);
        }
        Breach tooShort = tooShort(now, p, h);
        if (tooShort != null) {
            out.add(tooShort);
        }
        return out;
    }

    // ---- MISSING -------------------------------------------------------------------------------------------------

    private Breach missing(Instant now, JobPolicy p, History h) {
        Expectations e = p.expectations();
        if (e.schedule().isEmpty()) {
            return e.deadline().isEmpty() && e.learned() ? learnedMissing(now, p, h) : null;
        }
        Schedule s = e.schedule().get();
        ZoneId tz = e.timezone();
        Instant limit = now.minus(e.grace());
        Instant t;
        Duration early = Duration.ZERO;
        if (s instanceof Schedule.Cron c) {
            Optional<ExpectedStarts.Interval> due = starts.around(c, tz, limit);
            if (due.isEmpty()) {
                return null;
            }
            t = due.get().due();
            early = early(due.get().prev(), t, e.grace());
        } else {
            Duration period = ((Schedule.Rate) s).period();
            t = h.latestStart == null ? null : latestDue(h.latestStart, period, limit);
            if (t == null) {
                return null;
            }
        }
        if (p.inMaintenance(t) || covered(h, t.minus(early))) {
            return null;
        }
        String detail = "expected at " + local(t, tz) + " (" + s.expression() + "), not started within "
                + Durations.format(e.grace()) + "; " + lastSeen(h, tz);
        return new Breach(p.job(), BreachKind.MISSING, t, now, detail, Confidence.HIGH, null, true);
    }

    private Breach learnedMissing(Instant now, JobPolicy p, History h) {
        Expectations e = p.expectations();
        List<Instant> starts = h.startsAscending();
        if (starts.size() < settings.minHistory()) {
            return null;
        }
        List<Duration> gaps = new ArrayList<>(starts.size() - 1);
        for (int i = 1; i < starts.size(); i++) {
            gaps.add(Duration.between(starts.get(i - 1), starts.get(i)));
        }
        Duration gap = percentile(gaps, 0.5);
        if (gap.compareTo(Duration.ofMinutes(1)) < 0) {
            return null;
        }
        long tolerance = (long) (gap.toMillis() * settings.cadenceTolerance());
        List<Duration> deviations = new ArrayList<>(gaps.size());
        int regular = 0;
        for (Duration g : gaps) {
            Duration dev = g.minus(gap).abs();
            deviations.add(dev);
            if (dev.toMillis() <= tolerance) {
                regular++;
            }
        }
        if (regular < settings.minRegular() * gaps.size()) {
            return null;
        }
        Duration slack = max(max(e.grace(), gap.dividedBy(4)), percentile(deviations, 0.9));
        Instant t = latestDue(h.latestStart, gap, now.minus(slack));
        if (t == null || p.inMaintenance(t)) {
            return null;
        }
        ZoneId tz = e.timezone();
        boolean daily = gap.minus(Duration.ofDays(1)).abs().compareTo(Duration.ofHours(2)) <= 0;
        String cadence = daily ? "daily at ~" + HHMM.format(t.atZone(tz)) + " " + tz.getId()
                : "about every " + Durations.format(gap);
        String detail = "expected " + cadence + " (learned from " + starts.size() + " runs), none started by "
                + local(t.plus(slack), tz) + "; " + lastSeen(h, tz);
        return new Breach(p.job(), BreachKind.MISSING, t, now, detail, Confidence.LOW, null, e.pageOnLearned());
    }

    // ---- LATE ----------------------------------------------------------------------------------------------------

    private Breach late(Instant now, JobPolicy p, History h, boolean alreadyMissing) {
        Expectations e = p.expectations();
        if (e.deadline().isEmpty()) {
            return null;
        }
        ZoneId tz = e.timezone();
        LocalTime at = e.deadline().get();
        Instant d = latestDeadline(at, tz, now.minus(e.grace()));
        if (p.inMaintenance(d)) {
            return null;
        }
        // The runs due by d: from the expected start at or before it (a little early allowed) until the next one's
        // window opens (a run of the next cycle does not make this deadline late; its success still clears it).
        Instant from = d.atZone(tz).minusDays(1).toInstant();
        Instant until = Instant.MAX;
        if (e.schedule().isPresent() && e.schedule().get() instanceof Schedule.Cron c) {
            Optional<ExpectedStarts.Interval> due = deadlineStarts.around(c, tz, d);
            if (due.isPresent()) {
                ExpectedStarts.Interval i = due.get();
                from = i.due().minus(early(i.prev(), i.due(), e.grace()));
                if (i.next() != null) {
                    until = i.next().minus(early(i.due(), i.next(), e.grace()));
                }
            } else {
                Optional<Instant> next = c.nextAfter(d, tz);
                if (next.isPresent()) {
                    until = next.get().minus(e.grace());
                }
            }
        }
        String deadline = "the " + HHMM.format(at) + " " + tz.getId() + " deadline";
        RecentRun success = null;
        for (RecentRun r : h.finished) {
            if (r.state() == RunState.SUCCEEDED && !r.sortTime().isBefore(from)) {
                success = r;
                break;
            }
        }
        if (success != null) {
            return null;
        }
        // The newest run of the window that started: a finished one (failed, stopped) or one still going.
        String runId = null;
        String how = null;
        Instant newest = null;
        for (RecentRun r : h.finished) {
            if (!r.sortTime().isBefore(from) && r.sortTime().isBefore(until)
                    && (newest == null || r.sortTime().isAfter(newest))) {
                newest = r.sortTime();
                runId = r.runId();
                how = runName(r, tz) + " " + r.state() + " at " + local(r.endedAt(), tz);
            }
        }
        for (Run r : h.open) {
            if (!r.sortTime().isBefore(from) && r.sortTime().isBefore(until)
                    && (newest == null || r.sortTime().isAfter(newest))) {
                newest = r.sortTime();
                runId = r.runId();
                how = "run " + r.runId() + " still " + r.state() + " since " + local(r.sortTime(), tz);
            }
        }
        if (runId != null) {
            String detail = "not succeeded by " + deadline + " (" + local(d, tz) + "): " + how;
            return new Breach(p.job(), BreachKind.LATE, d, now, detail, Confidence.HIGH, runId, true);
        }
        if (e.schedule().isEmpty() && !alreadyMissing) {
            String detail = "no run by " + deadline + " (" + local(d, tz) + "); " + lastSeen(h, tz);
            return new Breach(p.job(), BreachKind.MISSING, d, now, detail, Confidence.HIGH, null, true);
        }
        return null;
    }

    /** The latest instant at local time {@code at} in {@code tz} that is not after {@code limit}. */
    static Instant latestDeadline(LocalTime at, ZoneId tz, Instant limit) {
        ZonedDateTime local = limit.atZone(tz);
        Instant d = local.toLocalDate().atTime(at).atZone(tz).toInstant();
        if (d.isAfter(limit)) {
            d = local.toLocalDate().minusDays(1).atTime(at).atZone(tz).toInstant();
        }
        return d;
    }

    // ---- LONG_RUNNING / TOO_SHORT ----------------------------------------------------------------------------------

    /**
     * The tighter of the catalog's LONG_RUNNING (declared or learned) and the service's own: a run whose service said
     * it passed the job's notify delay (Glue's Job Run Status, the job's NotifyDelayAfter) is too long at once, with no
     * expectation in the catalog — the job's owner set that threshold in the service.
     */
    private Breach longRunning(Instant now, JobPolicy p, History h) {
        if (h.open.isEmpty()) {
            return null;
        }
        Breach expected = expectedLongRunning(now, p, h);
        Breach told = serviceLongRunning(now, p, h);
        if (expected == null || told == null) {
            return expected != null ? expected : told;
        }
        return told.expectedAt().isBefore(expected.expectedAt()) ? told : expected;
    }

    private Breach serviceLongRunning(Instant now, JobPolicy p, History h) {
        Run oldest = null;
        for (Run r : h.open) {
            if (r.notifyDelay() != null && (oldest == null || r.sortTime().isBefore(oldest.sortTime()))) {
                oldest = r;
            }
        }
        if (oldest == null) {
            return null;
        }
        ZoneId tz = p.expectations().timezone();
        String detail = "run " + oldest.runId() + " running " + Durations.format(Duration.between(oldest.sortTime(),
                now).truncatedTo(java.time.temporal.ChronoUnit.MINUTES)) + " (since " + local(oldest.sortTime(), tz)
                + "), past the job's own notify delay of " + Durations.format(oldest.notifyDelay())
                + " (the service said so)";
        return new Breach(p.job(), BreachKind.LONG_RUNNING, oldest.sortTime().plus(oldest.notifyDelay()), now, detail,
                Confidence.HIGH, oldest.runId(), true);
    }

    private Breach expectedLongRunning(Instant now, JobPolicy p, History h) {
        Expectations e = p.expectations();
        Duration bound;
        Confidence confidence;
        String usual;
        if (e.maxDuration().isPresent()) {
            bound = e.maxDuration().get();
            confidence = Confidence.HIGH;
            usual = "max " + Durations.format(bound);
        } else if (e.learned() && h.durations.size() >= settings.minHistory()) {
            Duration p95 = percentile(h.durations, 0.95);
            bound = max(Duration.ofMillis((long) (p95.toMillis() * settings.durationFactor())),
                    p95.plus(settings.minLongSlack()));
            confidence = Confidence.LOW;
            usual = "usually ≤ " + Durations.format(p95) + " (p95 of " + h.durations.size() + " runs), limit "
                    + Durations.format(bound);
        } else {
            return null;
        }
        Run oldest = null;
        for (Run r : h.open) {
            if (Duration.between(r.sortTime(), now).compareTo(bound) > 0
                    && (oldest == null || r.sortTime().isBefore(oldest.sortTime()))) {
                oldest = r;
            }
        }
        if (oldest == null) {
            return null;
        }
        ZoneId tz = e.timezone();
        String detail = "run " + oldest.runId() + " running " + Durations.format(Duration.between(oldest.sortTime(), now)
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)) + " (since " + local(oldest.sortTime(), tz)
                + "), " + usual;
        boolean pages = confidence == Confidence.HIGH || e.pageOnLearned();
        return new Breach(p.job(), BreachKind.LONG_RUNNING, oldest.sortTime().plus(bound), now, detail, confidence,
                oldest.runId(), pages);
    }

    private Breach tooShort(Instant now, JobPolicy p, History h) {
        if (h.finished.isEmpty()) {
            return null;
        }
        RecentRun last = h.finished.get(0);
        if (last.state() != RunState.SUCCEEDED || last.startedAt() == null) {
            return null;
        }
        Expectations e = p.expectations();
        Duration took = Duration.between(last.startedAt(), last.endedAt());
        Confidence confidence;
        String usual;
        if (e.minDuration().isPresent()) {
            if (took.compareTo(e.minDuration().get()) >= 0) {
                return null;
            }
            confidence = Confidence.HIGH;
            usual = "min " + Durations.format(e.minDuration().get());
        } else if (e.learned()) {
            List<Duration> earlier = new ArrayList<>();
            for (int i = 1; i < h.finished.size(); i++) {
                RecentRun r = h.finished.get(i);
                if (r.state() == RunState.SUCCEEDED && r.startedAt() != null) {
                    earlier.add(Duration.between(r.startedAt(), r.endedAt()));
                }
            }
            if (earlier.size() < settings.minHistory()) {
                return null;
            }
            Duration median = percentile(earlier, 0.5);
            if (took.toMillis() >= median.toMillis() * settings.tooShortFraction()) {
                return null;
            }
            confidence = Confidence.LOW;
            usual = "usually " + Durations.format(median) + " (median of " + earlier.size() + " runs)";
        } else {
            return null;
        }
        String detail = runName(last, tz(p)) + " succeeded in " + Durations.format(took) + ", " + usual;
        return new Breach(p.job(), BreachKind.TOO_SHORT, last.startedAt(), now, detail, confidence, last.runId(), false);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** How early a run may start and still count for expected start {@code t}: min(grace, half the gap before t). */
    private static Duration early(Instant prev, Instant t, Duration grace) {
        if (prev == null) {
            return grace;
        }
        Duration half = Duration.between(prev, t).dividedBy(2);
        return half.compareTo(grace) < 0 ? half : grace;
    }

    /** anchor + k × period for the largest k ≥ 1 with the result ≤ limit; null when even k = 1 is after limit. */
    static Instant latestDue(Instant anchor, Duration period, Instant limit) {
        Instant first = anchor.plus(period);
        if (first.isAfter(limit)) {
            return null;
        }
        long k = Duration.between(anchor, limit).toMillis() / period.toMillis();
        return anchor.plus(period.multipliedBy(k));
    }

    private static boolean covered(History h, Instant from) {
        return h.latestStart != null && !h.latestStart.isBefore(from);
    }

    private static String lastSeen(History h, ZoneId tz) {
        return h.latestStart == null ? "no run seen" : "last run started " + local(h.latestStart, tz);
    }

    /** "run ID", or, when a lean summary left the id out (not the job's latest run), "the run started HH:MM". */
    private static String runName(RecentRun r, ZoneId tz) {
        return r.runId() != null ? "run " + r.runId() : "the run started " + local(r.sortTime(), tz);
    }

    private static ZoneId tz(JobPolicy p) {
        return p.expectations().timezone();
    }

    private static String local(Instant t, ZoneId tz) {
        return LOCAL.format(t.atZone(tz)) + " " + tz.getId();
    }

    /** Nearest-rank percentile (q in 0..1) of a non-empty list. */
    static Duration percentile(List<Duration> values, double q) {
        List<Duration> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * What the engine knows of a job's runs as of {@code now}: finished runs newest first (from the summary's sample),
     * runs going at {@code now}, the latest start, and recent successful durations (for learned bounds).
     */
    private static final class History {
        final List<RecentRun> finished;
        final List<Run> open;
        final Instant latestStart;
        final List<Duration> durations;
        private List<Instant> starts;

        private History(List<RecentRun> finished, List<Run> open, Instant latestStart, List<Duration> durations) {
            this.finished = finished;
            this.open = open;
            this.latestStart = latestStart;
            this.durations = durations;
        }

        static History of(JobContext job, Instant now) {
            Optional<JobSummary> summary = job.summary();
            List<RecentRun> finished = new ArrayList<>();
            List<Run> open = new ArrayList<>(job.openRuns().size());
            List<Duration> durations = new ArrayList<>();
            Instant latest = null;
            boolean future = false;
            if (summary.isPresent()) {
                for (RecentRun r : summary.get().recentRuns()) {
                    Instant start = r.sortTime();
                    if (start.isAfter(now)) {
                        future = true;
                        continue;
                    }
                    latest = latest == null || start.isAfter(latest) ? start : latest;
                    if (r.endedAt().isAfter(now)) {
                        future = true;
                        open.add(asOpen(job.job(), r));
                    } else {
                        finished.add(r);
                    }
                }
                if (!future) {
                    durations = summary.get().recentDurations();
                } else {
                    for (RecentRun r : finished) {
                        if (r.state() == RunState.SUCCEEDED && r.startedAt() != null && durations.size() < 20) {
                            durations.add(Duration.between(r.startedAt(), r.endedAt()));
                        }
                    }
                }
            }
            for (Run r : job.openRuns()) {
                if (!r.sortTime().isAfter(now)) {
                    open.add(r);
                    latest = latest == null || r.sortTime().isAfter(latest) ? r.sortTime() : latest;
                }
            }
            // recentRuns are newest first already; filtering keeps that order.
            return new History(finished, open, latest, durations);
        }

        /** A run that had not ended at {@code now}: as the engine sees it then (running). */
        private static Run asOpen(JobKey job, RecentRun r) {
            Instant start = r.sortTime();
            String id = r.runId() != null ? r.runId() : "started@" + start;
            return new Run(new io.jobwatch.core.run.RunKey(job, id), RunState.RUNNING, "RUNNING", start, null,
                    null, List.of(), start, start, 1, start, Instant.MAX);
        }

        List<Instant> startsAscending() {
            if (starts == null) {
                List<Instant> s = new ArrayList<>(finished.size() + open.size());
                for (RecentRun r : finished) {
                    s.add(r.sortTime());
                }
                for (Run r : open) {
                    s.add(r.sortTime());
                }
                Collections.sort(s);
                starts = s;
            }
            return starts;
        }
    }
}
