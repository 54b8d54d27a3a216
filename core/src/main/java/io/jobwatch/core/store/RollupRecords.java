package io.jobwatch.core.store;

import io.jobwatch.core.run.JobKey;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Port: where the daily rollups are kept — storage only, long-lived (days, not the runs' week). Every rule (which line a
 * run makes, which day it counts on, which days the daily pass writes, how lines add up) is {@link Rollups}'s; an
 * adapter keeps what it is given under the conditions stated here. Each {@link RunRecords} back end provides its own
 * ({@link RunRecords#rollups()}), so the runs' and the rollups' writes share a back end (and SQLite's transaction).
 * Adapters pass {@code RollupRecordsContract} (core's test-jar); the in-memory reference is
 * {@code InMemoryRollupRecords}.
 *
 * <p>A day holds two kinds of lines: the <em>materialized</em> lines of its runs, written all at once by the daily pass
 * from the runs while they are kept ({@link #putDay}), and single lines ({@link #putLine}): a change to a run of a day
 * the pass has done already, and incidents' open time. Readers merge them by key and version.
 */
public interface RollupRecords {

    /** A job's run lines of one day. */
    record JobLines(JobKey job, List<RollupLine.RunLine> lines) {
        public JobLines {
            Objects.requireNonNull(job, "job");
            lines = List.copyOf(lines);
        }
    }

    /** A single line of a job. */
    record JobLine(JobKey job, RollupLine line) {
        public JobLine {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(line, "line");
        }
    }

    /**
     * What is stored for one day: the materialized lines (one entry per job with any) and the single lines.
     */
    record StoredDay(LocalDate day, List<JobLines> materialized, List<JobLine> lines) {
        public StoredDay {
            Objects.requireNonNull(day, "day");
            materialized = List.copyOf(materialized);
            lines = List.copyOf(lines);
        }
    }

    /**
     * An incident interval still open: since when (run time), for which incident.
     *
     * @param kind     the problem kind's name (FAILURE, LATE …)
     * @param incident the incident's identity among the job's incidents (its {@code openedAt})
     * @param since    when this open interval began (the run or breach that opened or reopened it)
     */
    record OpenInterval(JobKey job, String kind, Instant incident, Instant since) {
        public OpenInterval {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(incident, "incident");
            Objects.requireNonNull(since, "since");
        }
    }

    /** A day whose rollup changed after the daily pass wrote it, at {@code at} (store clock). */
    record ChangedDay(LocalDate day, Instant at) {
        public ChangedDay {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * Replaces the day's materialized lines (of every job) with {@code jobs}; single lines stay. Lines of one job are
     * unique by key.
     */
    void putDay(LocalDate day, List<JobLines> jobs, Instant expiresAt);

    /**
     * Keeps {@code line} for the job and day unless a single line with the same key (and kind: run or incident) is
     * stored with a version at least as great — atomically, so of concurrent writers the greatest version stays.
     */
    void putLine(JobKey job, LocalDate day, RollupLine line, Instant expiresAt);

    /**
     * Hands what is stored for each day of {@code [from, to]} that has anything, in day order, one day at a time;
     * only {@code job}'s lines when it is not null. Nothing expired at {@code now}.
     */
    void read(LocalDate from, LocalDate to, JobKey job, Instant now, Consumer<StoredDay> sink);

    /** Keeps the job's open interval of {@code open.kind()}, replacing the one kept before. */
    void putOpen(OpenInterval open);

    /** Drops the job's open interval of that kind if it is still {@code open} (same incident and start). */
    void removeOpen(OpenInterval open);

    Optional<OpenInterval> open(JobKey job, String kind);

    /** Every open interval, by job id and kind. */
    List<OpenInterval> openIntervals();

    /** Notes that the day's rollup changed at {@code at} (the later of two notes stays). */
    void markChanged(LocalDate day, Instant at);

    /** The days noted changed, oldest first. */
    List<ChangedDay> changedDays();

    /** Forgets the note, unless the day was noted again after {@code changed.at()}. */
    void clearChanged(ChangedDay changed);

    /** The day of the latest daily pass, if any. */
    Optional<LocalDate> lastPass();

    /** Records a daily pass on {@code day} (an earlier day than the one kept is ignored). */
    void passed(LocalDate day);

    /** Deletes what expired by {@code now}, if the back end does not do it itself; returns how many lines or items. */
    int purgeExpired(Instant now);
}
