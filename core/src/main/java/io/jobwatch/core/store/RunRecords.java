package io.jobwatch.core.store;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Port: where runs, the event ids they hold and job summaries are kept — storage only. Every rule (duplicates,
 * folding, crawler pairing, expiry, what a summary remembers) is {@link RecordRunStore}'s, which is the one
 * {@link RunStore} every deployment uses; an adapter only keeps what it is given, under the conditions stated here.
 * Adapters pass {@code RunStoreContract} (core's test-jar) through {@link RecordRunStore}; the in-memory reference is
 * {@code InMemoryRunRecords} in core's tests.
 *
 * <p>Times: {@code now} is the store clock, passed in; an adapter keeps no clock. Reads may return expired runs
 * (the store filters them); adapters filter what their indexes let them.
 */
public interface RunRecords extends AutoCloseable {

    // ---- the apply path ------------------------------------------------------------------------------------------

    /**
     * What {@link #append} found.
     *
     * @param before    the live run before the event (null: none, or it had expired)
     * @param stored    the run as stored after the call (for a duplicate: as it was)
     * @param duplicate the run already held the event's id: nothing was written
     */
    record Appended(Run before, Run stored, boolean duplicate) {
    }

    /**
     * Atomically: unless the live run {@code key} already holds {@code event}'s id, adds the id to it and keeps
     * {@code fold.apply(before)} as the run, where {@code before} is the live run or null (a run that has expired is
     * treated as absent and its event ids are forgotten). Two writers appending to one run never lose an event.
     *
     * @param expiresAt when the run expires after this write (= {@code fold}'s result's expiry)
     * @param fold      the run after the event, from the run before it (pure; may be called after the write, by
     *                  back ends that keep the events and fold them when read)
     */
    Appended append(RunKey key, RunEvent event, Instant now, Instant expiresAt, UnaryOperator<Run> fold);

    /** The job's run with the greatest run id in {@code [prefix, upTo]} (ids compared as strings), expired or not. */
    Optional<Run> lastRunUpTo(JobKey job, String prefix, String upTo);

    /** The job's run with the smallest run id greater than {@code after} that starts with {@code prefix}. */
    Optional<Run> firstRunAfter(JobKey job, String prefix, String after);

    /**
     * What {@link #absorb} did.
     *
     * @param into   the run absorbing, before
     * @param stored the run kept under {@code into}'s key
     * @param merged false when {@code from} was gone already (another writer absorbed it): nothing was written
     */
    record Absorbed(Run into, Run stored, boolean merged) {
    }

    /**
     * Moves run {@code from} into run {@code into}: the event ids of both end up on {@code into}, whose run becomes
     * {@code combine.apply(into, from)}, and {@code from} is deleted. Two writers absorbing the same run: one merges,
     * the other gets {@code merged = false}.
     */
    Absorbed absorb(RunKey from, RunKey into, Instant now, Instant expiresAt, BinaryOperator<Run> combine);

    /**
     * Applies a change to the job's summary ({@link SummaryUpdate#applyTo}). A back end may write it without reading
     * the summary first, as long as the result is the same; applying a {@link SummaryUpdate.Finished} of a run the
     * summary holds already counts nothing twice.
     */
    void summarize(JobKey job, SummaryUpdate update, Instant now);

    /**
     * Runs {@code work} as one unit: a back end with transactions commits the appends and summary changes of a batch
     * together (or none of them); others just run it. Calls may nest.
     */
    <T> T batch(Supplier<T> work);

    // ---- queries (by key or index, never a scan) -----------------------------------------------------------------

    Optional<Run> run(RunKey key);

    /** The job's runs, newest first by {@link Run#sortTime()}, at most {@code limit} live ones at {@code now}. */
    List<Run> runsOfJob(JobKey job, int limit, Instant now);

    /** Runs not finished (PENDING, RUNNING) and alive at {@code now}, by job id, then sort time, then run id. */
    List<Run> openRuns(Instant now);

    Optional<JobSummary> summary(JobKey job);

    /** Every job's summary, ordered by job id. */
    List<JobSummary> summaries();

    /** Every job's summary as a possibly lean brief ({@link JobBrief}), ordered by job id. */
    List<JobBrief> briefs();

    /** Runs alive at {@code now} with a sort time in {@code [from, to)}, one UTC day at a time, sorted within a day. */
    void runsBetween(Instant from, Instant to, Instant now, Consumer<Run> sink);

    // ---- long-lived records beside the runs -----------------------------------------------------------------------

    /**
     * This back end's daily rollups (the same file or table as the runs; one instance per records). Part of the runs'
     * port so that every back end has them and the apply path writes them with the runs (SQLite: in the batch's
     * transaction); the port of their own, {@link RollupRecords}, keeps them apart from the runs' methods.
     */
    RollupRecords rollups();

    // ---- parked input and expiry ---------------------------------------------------------------------------------

    /** Keeps a rejected input (raw already bounded) until {@code expiresAt}. */
    ParkedEvent park(String raw, String reason, String source, Instant now, Instant expiresAt);

    /** Parked inputs alive at {@code now}, newest first, at most {@code limit}. */
    List<ParkedEvent> parked(int limit, Instant now);

    /** Deletes what expired by {@code now}, if the back end does not do it itself; returns how many. */
    int purgeExpired(Instant now);

    @Override
    void close();
}
