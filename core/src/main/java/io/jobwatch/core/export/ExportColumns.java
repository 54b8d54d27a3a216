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
     * first_seen, last_updated.
     */
    public static final List<String> NAMES = List.of(
            "run_id", "source", "account", "system", "region", "job_name", "team", "criticality", "state",
            "source_state", "started_at", "ended_at", "duration_s", "error", "incident_number", "event_count",
            "first_seen", "last_updated");

    /** The partition column: the UTC day of the run's bucket, {@code yyyy-MM-dd}, from the object key. */
    public static final String PARTITION = "dt";
}
