package io.jobwatch.core.export;

import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One run as the BI export writes it: the run's latest state joined with the catalog's system, team and criticality.
 * One value becomes one CSV line, in the order of {@link ExportColumns#NAMES}.
 *
 * @param runId           the service's run id
 * @param source          the service that ran it
 * @param account         12-digit AWS account id
 * @param system          the system the account belongs to (catalog), or null when the catalog does not name it
 * @param region          AWS region
 * @param jobName         the job's name as the service knows it
 * @param team            owning team (catalog), or null
 * @param criticality     criticality (catalog), or null
 * @param state           the run's latest state
 * @param sourceState     the state exactly as the service wrote it
 * @param startedAt       start time, or null when no event carried one
 * @param endedAt         end time, or null while the run is not terminal (or no event carried one)
 * @param durationSeconds whole seconds from start to end, or null when either is unknown
 * @param error           the service's error message (bounded, see RunEvent), or null
 * @param incidentNumber  the ServiceNow incident number opened for this run, or null
 * @param eventCount      how many distinct events the run has seen (duplicates not counted)
 * @param firstSeen       when Jobwatch first saw an event of this run (event time)
 * @param lastUpdated     when Jobwatch last changed this run (event time of the newest event applied)
 * @param attempt         the run's attempt (1 = the first; a redrive or a retry counts up)
 * @param warning         a partial failure of a run that succeeded, or null
 * @param rawJobName      the job name as the service wrote it (equal to {@code jobName} unless a per-run suffix was
 *                        stripped)
 */
public record ExportRow(
        String runId,
        JobSource source,
        String account,
        String system,
        String region,
        String jobName,
        String team,
        String criticality,
        RunState state,
        String sourceState,
        Instant startedAt,
        Instant endedAt,
        Long durationSeconds,
        String error,
        String incidentNumber,
        int eventCount,
        Instant firstSeen,
        Instant lastUpdated,
        int attempt,
        String warning,
        String rawJobName) {

    public ExportRow {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sourceState, "sourceState");
        if (eventCount < 0) {
            throw new IllegalArgumentException("eventCount must not be negative: " + eventCount);
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
        if (rawJobName == null) {
            rawJobName = jobName;
        }
    }

    /** A row of a run's first attempt, without warning, under the service's own job name. */
    public ExportRow(String runId, JobSource source, String account, String system, String region, String jobName,
                     String team, String criticality, RunState state, String sourceState, Instant startedAt,
                     Instant endedAt, Long durationSeconds, String error, String incidentNumber, int eventCount,
                     Instant firstSeen, Instant lastUpdated) {
        this(runId, source, account, system, region, jobName, team, criticality, state, sourceState, startedAt,
                endedAt, durationSeconds, error, incidentNumber, eventCount, firstSeen, lastUpdated, 1, null, null);
    }

    /** Whole seconds between start and end (rounded down), or null when either is unknown or end precedes start. */
    public static Long durationSeconds(Instant startedAt, Instant endedAt) {
        if (startedAt == null || endedAt == null || endedAt.isBefore(startedAt)) {
            return null;
        }
        return Duration.between(startedAt, endedAt).getSeconds();
    }
}
