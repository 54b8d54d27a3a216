package io.jobwatch.core.export;

import java.util.List;

/**
 * The export's columns, in file order. This order is a stable contract: Athena/Glue tables (see {@link AthenaDdl}
 * and the CDK stack) map columns by position, so columns are only ever appended at the end, never reordered.
 *
 * <p>Every value is text in the CSV; times are ISO-8601 UTC ({@code 2026-11-20T03:00:31.554Z}), duration_s and
 * event_count are whole numbers, a null is an empty unquoted field and an empty string is {@code ""}.
 */
public final class ExportColumns {
    private ExportColumns() {
    }

    /**
     * run_id, source (glue-job …), account, system, region, job_name, team, criticality, state (PENDING … STOPPED),
     * source_state, started_at, ended_at, duration_s (whole seconds), error, incident_number, event_count,
     * first_seen, last_updated, attempt (1 for a run's first attempt; a redrive or a retry counts up), warning (a
     * partial failure of a success, e.g. AppFlow records that failed), raw_job_name (the job name as the service wrote
     * it, before a per-run suffix was stripped; equal to job_name otherwise).
     */
    public static final List<String> NAMES = List.of(
            "run_id", "source", "account", "system", "region", "job_name", "team", "criticality", "state",
            "source_state", "started_at", "ended_at", "duration_s", "error", "incident_number", "event_count",
            "first_seen", "last_updated", "attempt", "warning", "raw_job_name");

    /** The partition column: the UTC day of the run's bucket, {@code yyyy-MM-dd}, from the object key. */
    public static final String PARTITION = "dt";
}
