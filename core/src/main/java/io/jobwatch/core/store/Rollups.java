package io.jobwatch.core.store;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.RollupLine.IncidentLine;
import io.jobwatch.core.store.RollupLine.RunLine;
import io.jobwatch.core.store.RollupRecords.ChangedDay;
import io.jobwatch.core.store.RollupRecords.JobLines;
import io.jobwatch.core.store.RollupRecords.OpenInterval;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The daily rollups of every job — runs by outcome, durations, incidents' open time per UTC day — kept for
 * {@link #DEFAULT_RETENTION} while runs are kept a week: written cheaply, read by trends, the dashboard, the digest and
 * the export. One instance per run store ({@link RunStore#rollups()}).
 *
 * <p><b>How they are written</b> (a hybrid, so that ingest writes nothing extra on the usual path):
 * <ul>
 * <li>The <em>daily pass</em> ({@link #materialize}) writes each day from its runs while they are all kept: on day T it
 * writes days T−{@value #PASS_DAYS} … T−1 (and any day a missed pass left, as far back as the runs reach), one
 * {@link RollupRecords#putDay} per day. On DynamoDB that is a handful of item writes a day for the whole estate.</li>
 * <li>A change to a run of a day the pass has done for good — T−{@value #PASS_DAYS} or older by the store clock: a late
 * event, a late start, a redelivery long after — is written by the apply path at once as a single, versioned line
 * ({@link #changed}). Such events are rare, so these writes are too.</li>
 * <li>Incidents' open time is written when an incident is resolved (the incident tracker tells {@link #incidentOpened}
 * and {@link #incidentResolved}); an incident still open counts up to now when read.</li>
 * </ul>
 * Why this is exact: a change applied on day T' to a run of day D either writes a line (D ≤ T'−2) or is seen by the pass
 * of day T'+1, which writes D (D ≥ T'−1) from the runs, which are kept a week. Lines carry the run's event count as
 * their version, so concurrent writers, redeliveries and any arrival order leave the newest line; the reader merges the
 * pass's lines and the single lines by version ({@link RollupFold#merge}).
 *
 * <p><b>How they are read</b> ({@link #days}): days up to two days before the latest pass from the stored lines; later
 * days (today, yesterday) from the runs themselves, which are exact until the next pass.
 */
public final class Rollups {
    /** How long a day's rollup is kept after the day (the catalog's {@code retention.rollups}). */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(400);
    /** The daily pass on day T writes T−2 and T−1; a change to a day T−2 or older is written at once. */
    public static final int PASS_DAYS = 2;

    private final RollupRecords records;
    private final RunStore runs;
    private final Clock clock;
    private final Duration runRetention;
    private final Duration retention;

    /**
     * @param records      the back end
     * @param runs         the run store whose runs the pass and the reader read
     * @param runRetention how long runs are kept (the pass reads only days whose runs are all still kept)
     * @param retention    how long a day's rollup is kept after the day
     */
    public Rollups(RollupRecords records, RunStore runs, Clock clock, Duration runRetention, Duration retention) {
        this.records = Objects.requireNonNull(records, "records");
        this.runs = Objects.requireNonNull(runs, "runs");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.runRetention = Objects.requireNonNull(runRetention, "runRetention");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException("rollup retention must be at least 1 day, was " + retention);
        }
    }

    /** The back end (for adapters' tests and tools). */
    public RollupRecords records() {
        return records;
    }

    public Duration retention() {
        return retention;
    }

    public Clock clock() {
        return clock;
    }

    // ---- the apply path ------------------------------------------------------------------------------------------

    /** A run changed from {@code before} (null: new) to {@code after}: lines for the days the pass is done with. */
    void changed(Run before, Run after, Instant now) {
        for (RollupFold.Write w : RollupFold.changes(before, after)) {
            write(w, now);
        }
    }

    /**
     * A finished run's terminal event came again: perhaps the platform's retry after the back end failed between the
     * run's write and its line's. The line is written again (a no-op when it is there).
     */
    void repeated(Run stored, Instant now) {
        RunLine line = RollupFold.lineOf(stored);
        if (line != null) {
            write(new RollupFold.Write(stored.job(), RollupFold.dayOf(stored), line), now);
        }
    }

    /** A run was merged into another (a crawl known by its end, now by its start): it never counts again. */
    void gone(Run run, Instant now) {
        if (run.terminal()) {
            write(RollupFold.goneForGood(run), now);
        }
    }

    private void write(RollupFold.Write w, Instant now) {
        if (doneByPass(w.day(), now) && kept(w.day(), now)) {
            records.putLine(w.job(), w.day(), w.line(), expiresAt(w.day()));
            records.markChanged(w.day(), now);
        }
    }

    /** Days the daily pass has written for the last time by {@code now}: T−{@value #PASS_DAYS} and before. */
    static boolean doneByPass(LocalDate day, Instant now) {
        return !day.isAfter(RollupFold.dayOf(now).minusDays(PASS_DAYS));
    }

    private boolean kept(LocalDate day, Instant now) {
        return expiresAt(day).isAfter(now);
    }

    /** When a day's rollup expires: the retention after the day ends. */
    public Instant expiresAt(LocalDate day) {
        return RollupFold.startOf(day.plusDays(1)).plus(retention);
    }

    // ---- the daily pass ------------------------------------------------------------------------------------------

    /** What a pass wrote. */
    public record Pass(LocalDate on, List<LocalDate> days, int runs, int jobs) {
        public Pass {
            days = List.copyOf(days);
        }
    }

    /**
     * The daily pass: writes each day from T−{@value #PASS_DAYS} to yesterday from its runs (back to the day after the
     * previous pass's oldest if passes were missed, as far as the runs are still all kept), then records the pass.
     * Run it once a day (the export does, before it exports); running it more often is harmless. Passes may be missed
     * up to the run retention less 4 days in a row (3 with the default 7 days): the next pass catches up from the runs.
     * Missed longer, changes to the runs of the two days before the gap that came after the last pass are lost to the
     * rollups (those days keep what the last pass wrote).
     */
    public Pass materialize() {
        Instant now = clock.instant();
        LocalDate today = RollupFold.dayOf(now);
        LocalDate newest = today.minusDays(1);
        LocalDate usual = today.minusDays(PASS_DAYS);
        LocalDate from = records.lastPass().map(p -> p.minusDays(PASS_DAYS - 1)).orElse(oldestComplete(today));
        if (from.isBefore(oldestComplete(today))) {
            from = oldestComplete(today);
        }
        if (from.isAfter(usual)) {
            from = usual;
        }
        List<LocalDate> days = new ArrayList<>();
        int[] count = new int[2];
        for (LocalDate d = from; !d.isAfter(newest); d = d.plusDays(1)) {
            if (!kept(d, now)) {
                continue;
            }
            int[] c = materialize(d);
            count[0] += c[0];
            count[1] += c[1];
            days.add(d);
            if (d.isBefore(usual)) {
                records.markChanged(d, now); // a catch-up of a day that may be exported already
            }
        }
        records.passed(today);
        return new Pass(today, days, count[0], count[1]);
    }

    /** Writes one day from its runs; returns {runs, jobs}. */
    private int[] materialize(LocalDate day) {
        Map<JobKey, List<RunLine>> byJob = new TreeMap<>(Comparator.comparing(JobKey::id));
        runs.runsBetween(RollupFold.startOf(day), RollupFold.startOf(day.plusDays(1)), run -> {
            RunLine l = RollupFold.lineOf(run);
            if (l != null) {
                byJob.computeIfAbsent(run.job(), k -> new ArrayList<>()).add(l);
            }
        });
        List<JobLines> jobs = new ArrayList<>(byJob.size());
        int n = 0;
        for (Map.Entry<JobKey, List<RunLine>> e : byJob.entrySet()) {
            jobs.add(new JobLines(e.getKey(), e.getValue()));
            n += e.getValue().size();
        }
        records.putDay(day, jobs, expiresAt(day));
        return new int[] {n, jobs.size()};
    }

    /**
     * The oldest day whose runs are surely all still kept on {@code today}: runs expire the run retention after their
     * last update, which is no earlier than their day (a day of margin for clocks that run ahead).
     */
    LocalDate oldestComplete(LocalDate today) {
        long days = Math.max(PASS_DAYS + 1, runRetention.toDays()) - PASS_DAYS;
        return today.minusDays(days);
    }

    // ---- incidents' open time ------------------------------------------------------------------------------------

    /**
     * An incident of the job was opened (or reopened) by a run or breach at {@code since} (run time). Repeating it is
     * harmless.
     *
     * @param kind     the problem kind's name
     * @param incident the incident's identity (its {@code openedAt})
     */
    public void incidentOpened(JobKey job, String kind, Instant incident, Instant since) {
        records.putOpen(new OpenInterval(job, kind, incident, since));
    }

    /**
     * The job's incident was resolved by a run or recovery at {@code until} (run time): its open interval's minutes go
     * to the days it spans. Repeating it is harmless (the interval is gone, or its lines are written again).
     */
    public void incidentResolved(JobKey job, String kind, Instant incident, Instant until) {
        Optional<OpenInterval> open = records.open(job, kind);
        if (open.isEmpty() || !open.get().incident().equals(incident)) {
            return;
        }
        Instant now = clock.instant();
        OpenInterval o = open.get();
        for (Map.Entry<LocalDate, IncidentLine> e : RollupFold.intervalLines(kind, o.since(), until).entrySet()) {
            if (kept(e.getKey(), now)) {
                records.putLine(job, e.getKey(), e.getValue(), expiresAt(e.getKey()));
                if (doneByPass(e.getKey(), now)) {
                    records.markChanged(e.getKey(), now);
                }
            }
        }
        records.removeOpen(o);
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    /**
     * Every job's day in {@code [from, to]} that has anything (runs or incident time), day by day and by job id within
     * a day; only {@code job}'s when it is not null. Days the daily pass has done for good come from the stored lines,
     * later ones from the runs; incident time from the incidents' lines and, for intervals still open, up to now.
     */
    public void days(LocalDate from, LocalDate to, JobKey job, Consumer<JobDay> sink) {
        Instant now = clock.instant();
        LocalDate today = RollupFold.dayOf(now);
        LocalDate stored = records.lastPass().map(p -> p.minusDays(PASS_DAYS)).orElse(null);
        LocalDate complete = oldestComplete(today);
        List<OpenInterval> open = records.openIntervals().stream()
                .filter(o -> job == null || o.job().equals(job)).toList();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            boolean fromRuns = (stored == null || d.isAfter(stored)) && !d.isBefore(complete);
            LocalDate day = d;
            List<RollupRecords.StoredDay> got = new ArrayList<>(1);
            records.read(d, d, job, now, got::add);
            Map<JobKey, JobDay.Builder> jobs = got.isEmpty()
                    ? new TreeMap<>(Comparator.comparing(JobKey::id))
                    : RollupFold.merged(got.get(0), !fromRuns);
            if (fromRuns) {
                runs.runsBetween(RollupFold.startOf(d), RollupFold.startOf(d.plusDays(1)), run -> {
                    if (job == null || run.job().equals(job)) {
                        RunLine l = RollupFold.lineOf(run);
                        if (l != null) {
                            jobs.computeIfAbsent(run.job(), k -> new JobDay.Builder(k, day)).run(l);
                        }
                    }
                });
            }
            for (OpenInterval o : open) {
                long minutes = RollupFold.openMinutes(o.since(), now, d);
                if (minutes > 0) {
                    jobs.computeIfAbsent(o.job(), k -> new JobDay.Builder(k, day)).openMinutes(minutes);
                }
            }
            for (JobDay.Builder b : jobs.values()) {
                if (!b.empty()) {
                    sink.accept(b.build());
                }
            }
        }
    }

    /** The days {@link #days} takes from stored lines: up to this day (none before a first pass). */
    public Optional<LocalDate> storedUpTo() {
        return records.lastPass().map(p -> p.minusDays(PASS_DAYS));
    }

    // ---- export --------------------------------------------------------------------------------------------------

    /** Days whose rollup changed after the daily pass wrote it (to export again), oldest first. */
    public List<ChangedDay> changedDays() {
        return records.changedDays();
    }

    /** The day was exported after its change: forget the note (unless it changed again since). */
    public void exported(ChangedDay day) {
        records.clearChanged(day);
    }

    /** Deletes expired rollups where the back end does not; returns how many. */
    public int purgeExpired() {
        return records.purgeExpired(clock.instant());
    }
}
