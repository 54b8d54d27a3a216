package io.jobwatch.core.store;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where runs live: applies normalized events idempotently and in any arrival order, and answers the queries the
 * digest, SLA checks, dashboard and export need (by key or index, never by scanning the store).
 *
 * <p>Semantics every adapter honours (proven by the shared contract suite, {@code RunStoreContract} in core's
 * test-jar):
 * <ul>
 * <li>the same event id again → {@link Outcome#DUPLICATE}, nothing changes;</li>
 * <li>a terminal state never regresses to PENDING/RUNNING; the earliest known start and the terminal end are kept
 * whatever the arrival order; a second, different terminal state becomes a note and the outcome is STALE;</li>
 * <li>a Glue crawler terminal event (run id null) joins the crawler's open run (the latest crawl that started at or
 * before its end and has not finished) or the finished crawl whose end it repeats (within
 * {@link RunFold#CRAWL_END_TOLERANCE}), else it becomes a run of its own with id {@code crawler@END~end}; a Started
 * event arriving after such a run (starting at or before its end) takes it over under the Started's id
 * {@code crawler@START}, and so does a finished crawl reported with that id (the reconciler's) whose end it is: in
 * any arrival order, one crawl is one run;</li>
 * <li>runs expire {@code retention} after their last update by ingest (store clock, not event time: replays and
 * backfills are kept); reads never return an expired run even if the back end has not deleted it yet;</li>
 * <li>job summaries ({@link JobSummary}) are long-lived and never expire with runs.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface RunStore extends AutoCloseable {

    /** Default retention of runs: 7 days after their last update. */
    Duration DEFAULT_RETENTION = Duration.ofDays(7);

    /**
     * Applies one event.
     *
     * @throws InvalidRunEventException when the event does not fit the run model (nothing is written)
     * @throws RunStoreException        when the back end fails
     */
    ApplyResult apply(RunEvent event);

    /**
     * Applies events in the given order (a batch: SQLite uses one transaction). Every event is validated first; an
     * invalid one fails the whole call before anything is written.
     *
     * @return one result per event, in input order
     */
    List<ApplyResult> applyAll(List<RunEvent> events);

    /** The run, unless unknown or expired. */
    Optional<Run> get(RunKey key);

    /** The job's runs, newest first (by {@link Run#sortTime()}), at most {@code limit}. */
    List<Run> runsOfJob(JobKey job, int limit);

    /**
     * Every unexpired run that has not reached a terminal state (PENDING or RUNNING), ordered by job id, then by
     * {@link Run#sortTime()}: what is "running now" for the SLA checks (too long), read with one indexed query instead
     * of one query per job. A run whose terminal event never arrives stays here until it expires.
     */
    List<Run> openRuns();

    /** The summary of one job, if any run of it has finished. */
    Optional<JobSummary> summary(JobKey job);

    /** One summary per job that has a finished run, ordered by job id: the digest's input. */
    List<JobSummary> latestPerJob();

    /**
     * Every job's summary for the readers of all jobs at once (the digest, the SLA checks), ordered by job id: the
     * same jobs as {@link #latestPerJob()}, but an adapter may return lean summaries that are cheaper to read (see
     * {@link JobBrief}: only the latest run's id and error, times to the second) and say from when each one's recent
     * runs are complete. Default: {@link #latestPerJob()}, completeness unknown.
     */
    default List<JobBrief> briefPerJob() {
        return latestPerJob().stream().map(s -> new JobBrief(s, null)).toList();
    }

    /**
     * Streams every unexpired run whose {@link Run#sortTime()} is in {@code [from, to)}, one UTC day bucket at a
     * time (sorted by sort time within a day), holding at most one day in memory. Never scans the store.
     */
    void runsBetween(Instant from, Instant to, Consumer<Run> sink);

    /**
     * The daily rollups of the jobs whose runs this store keeps (written by the apply path and the daily pass, kept
     * far longer than the runs): trends, the dashboard's Trends page, the digest's trend line, the export's rollups.
     */
    Rollups rollups();

    /** Keeps an event that was not applied, with the reason, for someone to fix and replay. */
    ParkedEvent park(String raw, String reason, String source);

    /** Parked events, newest first, at most {@code limit} (expired with the same retention as runs). */
    List<ParkedEvent> parked(int limit);

    /**
     * Deletes expired runs and parked events now; returns how many were deleted. SQLite calls this periodically;
     * on DynamoDB the table's TTL deletes them and this returns 0.
     */
    int purgeExpired();

    @Override
    void close();
}
