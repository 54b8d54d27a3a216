package io.jobwatch.core.store;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.RollupLine.IncidentLine;
import io.jobwatch.core.store.RollupLine.RunLine;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The pure rules of the daily rollups, shared by every back end: which day a run counts on, the line it makes, what a
 * change to a run writes, how stored lines merge, and how an incident's open time splits into days.
 */
public final class RollupFold {
    private RollupFold() {
    }

    /** The UTC day of an instant. */
    public static LocalDate dayOf(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    /** The day a run counts on: the UTC day of its start, else its end — the day the export partitions it under. */
    public static LocalDate dayOf(Run run) {
        return dayOf(run.sortTime());
    }

    /** The first instant of a UTC day. */
    public static Instant startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Whole seconds from start to end, rounded down (the export's {@code duration_s}); null when either is unknown. */
    public static Long seconds(Run run) {
        if (run.startedAt() == null || run.endedAt() == null || run.endedAt().isBefore(run.startedAt())) {
            return null;
        }
        return Duration.between(run.startedAt(), run.endedAt()).getSeconds();
    }

    /** The line a finished run makes on its day, versioned by its event count; null while it is not finished. */
    public static RunLine lineOf(Run run) {
        if (run == null || !run.terminal()) {
            return null;
        }
        return new RunLine(runKey(run.runId()), version(run), run.state(), seconds(run));
    }

    private static final String B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /**
     * A run's key in the rollups: 9 base-62 characters of its id's SHA-256 (53 bits: a clash within one job's day is
     * out of reach), so a day of lines stays small whatever the services' run ids look like.
     */
    public static String runKey(String runId) {
        byte[] h;
        try {
            h = java.security.MessageDigest.getInstance("SHA-256").digest(runId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
        long v = 0;
        for (int i = 0; i < 7; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        v &= (1L << 53) - 1;
        char[] out = new char[9];
        for (int i = 0; i < 9; i++) {
            out[i] = B62.charAt((int) (v % 62));
            v /= 62;
        }
        return new String(out);
    }

    private static long version(Run run) {
        return Math.max(1, Math.min(RollupLine.MAX_VERSION, run.eventCount()));
    }

    /** A line to write: the job, the day and the line. */
    public record Write(JobKey job, LocalDate day, RunLine line) {
        public Write {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(line, "line");
        }
    }

    /**
     * What a change to a run (from {@code before}, null when new, to {@code after}) writes: its line on its day when it
     * finished or what counts changed (state, duration, day), and a "gone" line on the day it counted on before when it
     * left that day or is no longer finished (another attempt started). Both carry {@code after}'s version, so in any
     * order the newest change wins. Nothing when the run's line did not change.
     */
    public static List<Write> changes(Run before, Run after) {
        Objects.requireNonNull(after, "after");
        RunLine was = lineOf(before);
        RunLine now = lineOf(after);
        LocalDate dayWas = was == null ? null : dayOf(before);
        LocalDate dayNow = now == null ? null : dayOf(after);
        List<Write> out = new ArrayList<>(2);
        if (now != null && (was == null || !sameCount(was, now) || !dayNow.equals(dayWas))) {
            out.add(new Write(after.job(), dayNow, now));
        }
        if (was != null && (now == null || !dayWas.equals(dayNow))) {
            out.add(new Write(before.job(), dayWas, RunLine.gone(runKey(before.runId()), version(after))));
        }
        return out;
    }

    /** A run that is gone for good (merged into another run): it no longer counts on its day, whatever comes later. */
    public static Write goneForGood(Run run) {
        return new Write(run.job(), dayOf(run), RunLine.gone(runKey(run.runId()), RollupLine.MAX_VERSION));
    }

    private static boolean sameCount(RunLine a, RunLine b) {
        return a.state() == b.state() && Objects.equals(a.seconds(), b.seconds());
    }

    /**
     * The counted run lines of a job's day from its materialized lines and its single lines: per key the greatest
     * version (a single line on a tie: it was written by a later change), runs that are gone left out; by key.
     */
    public static List<RunLine> merge(List<RunLine> materialized, List<RunLine> single) {
        Map<String, RunLine> best = new HashMap<>();
        for (RunLine l : materialized) {
            best.merge(l.key(), l, (a, b) -> b.version() > a.version() ? b : a);
        }
        for (RunLine l : single) {
            best.merge(l.key(), l, (a, b) -> b.version() >= a.version() ? b : a);
        }
        return best.values().stream().filter(RunLine::counted).sorted(Comparator.comparing(RunLine::key)).toList();
    }

    /**
     * The stored day's lines per job, merged: counted runs and incident lines (from the single lines), by job id.
     *
     * @param useRunLines false when the day's runs come from the runs themselves (then only incident lines are taken)
     */
    public static Map<JobKey, JobDay.Builder> merged(RollupRecords.StoredDay stored, boolean useRunLines) {
        Map<JobKey, List<RunLine>> mat = new LinkedHashMap<>();
        Map<JobKey, List<RunLine>> single = new LinkedHashMap<>();
        Map<JobKey, JobDay.Builder> out = new TreeMap<>(Comparator.comparing(JobKey::id));
        if (useRunLines) {
            for (RollupRecords.JobLines j : stored.materialized()) {
                mat.computeIfAbsent(j.job(), k -> new ArrayList<>()).addAll(j.lines());
            }
        }
        for (RollupRecords.JobLine l : stored.lines()) {
            if (l.line() instanceof RunLine r) {
                if (useRunLines) {
                    single.computeIfAbsent(l.job(), k -> new ArrayList<>()).add(r);
                }
            } else if (l.line() instanceof IncidentLine i) {
                out.computeIfAbsent(l.job(), k -> new JobDay.Builder(k, stored.day())).incident(i);
            }
        }
        java.util.Set<JobKey> jobs = new java.util.HashSet<>(mat.keySet());
        jobs.addAll(single.keySet());
        for (JobKey job : jobs) {
            List<RunLine> runs = merge(mat.getOrDefault(job, List.of()), single.getOrDefault(job, List.of()));
            if (!runs.isEmpty()) {
                JobDay.Builder b = out.computeIfAbsent(job, k -> new JobDay.Builder(k, stored.day()));
                runs.forEach(b::run);
            }
        }
        return out;
    }

    // ---- incidents' open time ------------------------------------------------------------------------------------

    /** The key of an open interval's lines: {@code KIND@epochSecond} of its start. */
    public static String intervalKey(String kind, Instant since) {
        return kind + "@" + since.getEpochSecond();
    }

    /**
     * An incident interval [since, until) in whole minutes per UTC day (instants taken to the minute, so the days add up
     * to the whole): one line per day it touches, the last one marked resolved and holding the total.
     */
    public static Map<LocalDate, IncidentLine> intervalLines(String kind, Instant since, Instant until) {
        String key = intervalKey(kind, since);
        long from = Math.floorDiv(since.getEpochSecond(), 60);
        long to = Math.max(from, Math.floorDiv(until.getEpochSecond(), 60));
        long total = to - from;
        Map<LocalDate, IncidentLine> out = new TreeMap<>();
        LocalDate last = dayOf(Instant.ofEpochSecond(to * 60));
        for (LocalDate d = dayOf(Instant.ofEpochSecond(from * 60)); !d.isAfter(last); d = d.plusDays(1)) {
            long dayFrom = startOf(d).getEpochSecond() / 60;
            long minutes = Math.max(0, Math.min(to, dayFrom + 1440) - Math.max(from, dayFrom));
            boolean end = d.equals(last);
            if (minutes > 0 || end) {
                out.put(d, new IncidentLine(key, minutes, end, total));
            }
        }
        return out;
    }

    /** Minutes of [since, now) on {@code day}, counted the same way as {@link #intervalLines} (an interval still open). */
    public static long openMinutes(Instant since, Instant now, LocalDate day) {
        long from = Math.floorDiv(since.getEpochSecond(), 60);
        long to = Math.floorDiv(now.getEpochSecond(), 60);
        long dayFrom = startOf(day).getEpochSecond() / 60;
        return Math.max(0, Math.min(to, dayFrom + 1440) - Math.max(from, dayFrom));
    }
}
