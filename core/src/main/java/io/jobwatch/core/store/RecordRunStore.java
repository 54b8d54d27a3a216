package io.jobwatch.core.store;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.Text;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The run store: the one apply algorithm — duplicate check, Glue crawler pairing, orphan takeover, fold, job summary —
 * over a {@link RunRecords} back end (SQLite, DynamoDB, or memory in tests), which only keeps what it is given. Every
 * entry point (CLI, local server, Lambda, reconciler, bench) applies events through this class, so the rules hold the
 * same everywhere. Reads never return a run that has expired, whatever the back end still holds.
 *
 * <p>Crawler pairing under concurrent writers: a crawler's terminal event carries no run id, so it is paired with the
 * crawl its Started event opened by a query. Both sides store first and look second — a terminal event that made a
 * run of its own looks for a crawl started meanwhile, a Started event that made a new run looks for a crawl that
 * ended meanwhile — so of two writers racing, at least one sees the other, and {@link RunRecords#absorb} lets exactly
 * one of them merge the two runs: one crawl is one run in any order and under any concurrency.
 *
 * <p>Subclasses only wire a back end (e.g. {@code SqliteRunStore}); every method is final.
 */
public class RecordRunStore implements RunStore {
    private final RunRecords records;
    private final Clock clock;
    private final Duration retention;
    private final Rollups rollups;

    /**
     * @param records   the back end; closed with this store
     * @param clock     store clock: firstSeen, lastUpdated, expiry
     * @param retention how long runs and parked events live after their last update
     */
    public RecordRunStore(RunRecords records, Clock clock, Duration retention) {
        this(records, clock, retention, Rollups.DEFAULT_RETENTION);
    }

    /**
     * @param rollupRetention how long a day's rollup is kept after the day (the catalog's {@code retention.rollups})
     */
    public RecordRunStore(RunRecords records, Clock clock, Duration retention, Duration rollupRetention) {
        this.records = Objects.requireNonNull(records, "records");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        this.rollups = new Rollups(records.rollups(), this, clock, retention, rollupRetention);
    }

    /** The back end (for adapters' own tests and tools). */
    public final RunRecords records() {
        return records;
    }

    public final Duration retention() {
        return retention;
    }

    @Override
    public final Rollups rollups() {
        return rollups;
    }

    // ---- apply ---------------------------------------------------------------------------------------------------

    @Override
    public final ApplyResult apply(RunEvent event) {
        return applyAll(List.of(event)).get(0);
    }

    @Override
    public final List<ApplyResult> applyAll(List<RunEvent> events) {
        events.forEach(RunFold::validate);
        if (events.isEmpty()) {
            return List.of();
        }
        try {
            return records.batch(() -> {
                Instant now = clock.instant();
                List<ApplyResult> out = new ArrayList<>(events.size());
                for (RunEvent e : events) {
                    out.add(RunFold.pairsByStart(e.job().source()) ? applyCrawl(e, now)
                            : applyTo(e.runKey(), e, now));
                }
                return out;
            });
        } catch (RunStoreException e) {
            throw new RunStoreException("cannot apply " + events.size() + " event(s): " + e.getMessage(), e);
        }
    }

    /** Appends the event to run {@code key}, then keeps the job summary up to date. */
    private ApplyResult applyTo(RunKey key, RunEvent e, Instant now) {
        return summarized(append(key, e, now), key, e, now);
    }

    private RunRecords.Appended append(RunKey key, RunEvent e, Instant now) {
        return records.append(key, e, now, now.plus(retention), before -> fold(before, key, e, now).run());
    }

    private ApplyResult fold(Run before, RunKey key, RunEvent e, Instant now) {
        return RunFold.apply(before, key, e, now, retention);
    }

    private ApplyResult summarized(RunRecords.Appended a, RunKey key, RunEvent e, Instant now) {
        if (a.duplicate()) {
            return duplicate(a.stored(), e, now);
        }
        ApplyResult r = fold(a.before(), key, e, now);
        summarize(a.before(), r, now, e);
        rollups.changed(a.before(), r.run(), now);
        return r;
    }

    /**
     * A duplicate changes nothing, but a terminal one may be the platform's retry after the back end failed between
     * the run's write and the summary's: the summary is told again (it counts a run it holds only once).
     */
    private ApplyResult duplicate(Run stored, RunEvent e, Instant now) {
        if (e.terminal() && stored.terminal() && stored.endedAt() != null) {
            records.summarize(stored.job(), new SummaryUpdate.Repeated(stored), now);
            rollups.repeated(stored, now);
        }
        return new ApplyResult(Outcome.DUPLICATE, stored, stored.state());
    }

    private void summarize(Run before, ApplyResult r, Instant now, RunEvent e) {
        switch (RunFold.summaryChange(before, r)) {
            case FINISHED -> records.summarize(r.run().job(),
                    new SummaryUpdate.Finished(r.run(), RunFold.anAttemptEnded(before)), now);
            case REFRESHED -> records.summarize(r.run().job(), new SummaryUpdate.Refreshed(before, r.run()), now);
            case ATTEMPT_ENDED -> records.summarize(r.run().job(),
                    new SummaryUpdate.AttemptEnded(r.run(), e.state(), RunFold.endOf(e)), now);
            case NONE -> {
            }
        }
    }

    // ---- Glue crawler pairing ------------------------------------------------------------------------------------

    private ApplyResult applyCrawl(RunEvent e, Instant now) {
        JobKey job = e.job();
        String prefix = RunFold.crawlPrefix(e);
        if (e.runId() != null) {
            // A crawl's Started event (crawler@START), or a finished crawl the reconciler read with that id.
            RunKey key = e.runKey();
            RunRecords.Appended a = append(key, e, now);
            if (a.duplicate() || a.before() != null) {
                return summarized(a, key, e, now);
            }
            // A new run: a crawl that ended before its Started arrived (an orphan) is this one — look after writing.
            Run next = live(records.firstRunAfter(job, prefix, key.runId()), now);
            if (RunFold.takesOverOrphan(next, e, now)) {
                RunRecords.Absorbed m = records.absorb(next.key(), key, now, now.plus(retention),
                        (into, from) -> RunFold.absorb(into, from, now, retention));
                if (m.merged()) {
                    // Reported as if the event had been applied to the orphan under its final id (it was known first).
                    ApplyResult r = fold(RunFold.rekey(next, key), key, e, now);
                    records.summarize(job, new SummaryUpdate.Rekeyed(next, m.stored()), now);
                    rollups.gone(next, now);
                    rollups.changed(a.stored(), m.stored(), now);
                    return new ApplyResult(r.outcome(), m.stored(), r.previousState());
                }
            }
            return summarized(a, key, e, now);
        }
        // A terminal event without a run id: the open crawl it ends (or the finished crawl it repeats), else its own run.
        Run candidate = live(records.lastRunUpTo(job, prefix, RunFold.orphanCrawlRunId(e)), now);
        if (RunFold.joinsCrawl(candidate, e, now)) {
            return applyTo(candidate.key(), e, now);
        }
        RunKey orphan = new RunKey(job, RunFold.orphanCrawlRunId(e));
        RunRecords.Appended a = append(orphan, e, now);
        if (a.duplicate() || a.before() != null) {
            return summarized(a, orphan, e, now);
        }
        // A crawl started meanwhile by another writer (its Started stored after our query): this end is its end.
        Run open = live(records.lastRunUpTo(job, prefix, RunFold.belowOrphanCrawlRunId(e)), now);
        if (RunFold.endsOpenCrawl(open, e, now)) {
            RunRecords.Absorbed m = records.absorb(orphan, open.key(), now, now.plus(retention),
                    (into, from) -> RunFold.absorb(into, from, now, retention));
            if (m.merged()) {
                ApplyResult r = new ApplyResult(Outcome.ADVANCED, m.stored(), m.into().state());
                summarize(m.into(), r, now, e);
                rollups.gone(a.stored(), now);
                rollups.changed(m.into(), m.stored(), now);
                return r;
            }
        }
        return summarized(a, orphan, e, now);
    }

    private static Run live(Optional<Run> run, Instant now) {
        return run.filter(r -> !r.expired(now)).orElse(null);
    }

    // ---- reads ---------------------------------------------------------------------------------------------------

    @Override
    public final Optional<Run> get(RunKey key) {
        return records.run(key).filter(r -> !r.expired(clock.instant()));
    }

    @Override
    public final List<Run> runsOfJob(JobKey job, int limit) {
        Instant now = clock.instant();
        return records.runsOfJob(job, limit, now).stream().filter(r -> !r.expired(now)).limit(limit).toList();
    }

    @Override
    public final List<Run> openRuns() {
        Instant now = clock.instant();
        return records.openRuns(now).stream().filter(r -> !r.expired(now) && !r.terminal()).toList();
    }

    @Override
    public final Optional<JobSummary> summary(JobKey job) {
        return records.summary(job);
    }

    @Override
    public final List<JobSummary> latestPerJob() {
        return records.summaries();
    }

    @Override
    public final List<JobBrief> briefPerJob() {
        return records.briefs();
    }

    @Override
    public final void runsBetween(Instant from, Instant to, Consumer<Run> sink) {
        if (!from.isBefore(to)) {
            return;
        }
        Instant now = clock.instant();
        records.runsBetween(from, to, now, r -> {
            if (!r.expired(now) && !r.sortTime().isBefore(from) && r.sortTime().isBefore(to)) {
                sink.accept(r);
            }
        });
    }

    // ---- parked input, expiry ------------------------------------------------------------------------------------

    @Override
    public final ParkedEvent park(String raw, String reason, String source) {
        Instant now = clock.instant();
        return records.park(Text.truncateUtf8(raw, ParkedEvent.MAX_RAW_BYTES), reason, source, now, now.plus(retention));
    }

    @Override
    public final List<ParkedEvent> parked(int limit) {
        return records.parked(limit, clock.instant());
    }

    @Override
    public final int purgeExpired() {
        return records.purgeExpired(clock.instant());
    }

    @Override
    public final void close() {
        records.close();
    }
}
