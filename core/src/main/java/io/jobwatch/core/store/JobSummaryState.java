package io.jobwatch.core.store;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a store persists for one job summary, and the pure rules that change it. Both adapters keep exactly this
 * state, so the DynamoDB adapter can update it with one blind write (no read): finished runs go into one of
 * {@link #SLOTS} slots chosen by the run's sort time ({@link #slotOf}; SET slotNN = run), counters are ADD/SET, and everything
 * derived (latest run, recent lists) is computed when read.
 *
 * @param slots               slot number → the newest finished run that hashed there
 * @param lastSuccessAt       end of the SUCCEEDED run that finished last (arrival order), or null
 * @param lastFailureAt       end of the failed run that finished last (arrival order), or null
 * @param consecutiveFailures failures finished since the last success (arrival order)
 * @param runCount            finished runs
 * @param lastUpdated         store clock of the last change
 */
public record JobSummaryState(Map<Integer, RecentRun> slots, Instant lastSuccessAt, Instant lastFailureAt,
                              int consecutiveFailures, long runCount, Instant lastUpdated) {
    /** Number of recent-run slots kept per job. */
    public static final int SLOTS = 32;
    /** Length of the recent durations / starts lists. */
    public static final int RECENT = 20;

    public JobSummaryState {
        slots = Map.copyOf(slots);
    }

    public static JobSummaryState empty() {
        return new JobSummaryState(Map.of(), null, null, 0, 0, null);
    }

    /**
     * The slot a run lands in: one of two rings of 16 (chosen by a hash of the run id), at (UTC hour number + UTC day
     * number) mod 16 of its sort time (start, else end). Runs in different hours less than 15 hours apart never share
     * a slot, nor a daily job's runs of 16 days in a ring — so the slots hold every recent run of a job that runs at
     * most hourly, which lets readers take a digest window's runs from the summary. Two runs in the same hour share a
     * slot when they pick the same ring (the newer one stays).
     */
    public static int slotOf(String runId, Instant sortTime) {
        long h = runId.hashCode() * 0x9E3779B97F4A7C15L;
        h ^= (h >>> 29);
        h *= 0xBF58476D1CE4E5B9L;
        h ^= (h >>> 32);
        int ring = (int) ((h >>> 3) & 1L);
        long hour = Math.floorDiv(sortTime.getEpochSecond(), 3600L);
        return ring * (SLOTS / 2) + (int) Math.floorMod(hour + Math.floorDiv(hour, 24L), (long) (SLOTS / 2));
    }

    /**
     * A run of the job reached a terminal state: count it and remember it. A run the slots hold already at this attempt
     * was counted when it got there (a repeated terminal event after a failure between the run's write and the
     * summary's): it is only refreshed. A run {@code counted} before (an earlier attempt ended: a redrive, a retry) has
     * only its new outcome counted — whether the slots still hold it or not, since a newer run may have taken its slot.
     */
    public JobSummaryState finished(Run run, boolean counted, Instant now) {
        requireTerminal(run);
        RecentRun held = slots.values().stream().filter(r -> run.runId().equals(r.runId())).findFirst().orElse(null);
        if (held != null && held.attempt() >= run.attempt()) {
            JobSummaryState same = refreshed(run, lastUpdated);
            return same.slots.equals(slots) ? this : refreshed(run, now);
        }
        Instant ok = lastSuccessAt;
        Instant fail = lastFailureAt;
        int streak = consecutiveFailures;
        switch (run.state()) {
            case SUCCEEDED -> {
                ok = run.endedAt();
                streak = 0;
            }
            case FAILED, TIMED_OUT -> {
                fail = run.endedAt();
                // A later attempt follows an earlier one's failure: a failure after it is the same streak step.
                if (!counted) {
                    streak++;
                }
            }
            default -> {
                // STOPPED: stopped on purpose, neither a failure nor a success.
            }
        }
        return new JobSummaryState(with(slots, run), ok, fail, streak, counted ? runCount : runCount + 1, now);
    }

    /** {@link #finished(Run, boolean, Instant)} of a run's first ending. */
    public JobSummaryState finished(Run run, Instant now) {
        return finished(run, false, now);
    }

    /**
     * An earlier attempt of a run that is running again ended (told late): the run counts, and so does that ending,
     * as they would had the ending arrived before the later attempt began. The slots wait for the run's own end.
     */
    public JobSummaryState attemptEnded(io.jobwatch.core.run.RunState endedAs, Instant endedAt, Instant now) {
        Instant fail = lastFailureAt;
        int streak = consecutiveFailures;
        if (endedAs.failed()) {
            fail = max(fail, endedAt);
            streak++;
        }
        return new JobSummaryState(slots, lastSuccessAt, fail, streak, runCount + 1, now);
    }

    /** A finished run learned something (e.g. a late start): refresh what the summary remembers of it. */
    public JobSummaryState refreshed(Run run, Instant now) {
        requireTerminal(run);
        return new JobSummaryState(with(slots, run), lastSuccessAt, lastFailureAt, consecutiveFailures, runCount, now);
    }

    /** A run got its final id (a crawl paired late): forget the old id's entry if it is still there, keep the new. */
    public JobSummaryState rekeyed(String oldRunId, Run run, Instant now) {
        requireTerminal(run);
        Map<Integer, RecentRun> m = new TreeMap<>(slots);
        m.values().removeIf(r -> oldRunId.equals(r.runId()) || run.runId().equals(r.runId()));
        m.put(slotOf(run.runId(), RecentRun.of(run).sortTime()), RecentRun.of(run));
        return new JobSummaryState(m, lastSuccessAt, lastFailureAt, consecutiveFailures, runCount, now);
    }

    /** The summary as readers see it; null while no run of the job has finished. */
    public JobSummary toSummary(JobKey job) {
        Objects.requireNonNull(job, "job");
        if (slots.isEmpty()) {
            return null;
        }
        List<RecentRun> recent = new ArrayList<>(slots.values());
        recent.sort(Comparator.comparing(RecentRun::sortTime).thenComparing(RecentRun::endedAt)
                .thenComparing(RecentRun::runId, Comparator.nullsFirst(Comparator.naturalOrder())).reversed());
        RecentRun latest = recent.get(0);
        Instant ok = lastSuccessAt;
        Instant fail = lastFailureAt;
        List<Duration> durations = new ArrayList<>();
        List<Instant> starts = new ArrayList<>();
        for (RecentRun r : recent) {
            if (r.state() == io.jobwatch.core.run.RunState.SUCCEEDED) {
                ok = max(ok, r.endedAt());
                if (r.startedAt() != null && durations.size() < RECENT) {
                    durations.add(Duration.between(r.startedAt(), r.endedAt()));
                }
            } else if (r.state().failed()) {
                fail = max(fail, r.endedAt());
            }
            if (r.startedAt() != null && starts.size() < RECENT) {
                starts.add(r.startedAt());
            }
        }
        return new JobSummary(job, new RunKey(job, latest.runId()), latest.state(), latest.startedAt(),
                latest.endedAt(), latest.error(), ok, fail, consecutiveFailures, recent, durations, starts, runCount,
                lastUpdated, latest.attempt(), latest.warning());
    }

    private static Map<Integer, RecentRun> with(Map<Integer, RecentRun> slots, Run run) {
        Map<Integer, RecentRun> m = new TreeMap<>(slots);
        RecentRun incoming = RecentRun.of(run);
        int slot = slotOf(run.runId(), incoming.sortTime());
        // The run may sit in another slot under its former sort time (a start learned late): it moves.
        m.entrySet().removeIf(e -> e.getKey() != slot && run.runId().equals(e.getValue().runId()));
        RecentRun held = m.get(slot);
        // A slot keeps the newer run: an older run that finishes (or arrives) late must not evict a newer one, or the
        // summary would name an older run as the job's latest after out-of-order delivery.
        if (held == null || held.runId().equals(run.runId()) || !incoming.sortTime().isBefore(held.sortTime())) {
            m.put(slot, incoming);
        }
        return m;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    private static void requireTerminal(Run run) {
        if (!run.terminal()) {
            throw new IllegalArgumentException("only finished runs go into a job summary: " + run.key());
        }
    }
}
