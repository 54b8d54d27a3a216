package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.source.ConsoleLinks;

import java.time.Instant;

/** Sample jobs, records and actions for incident tests and the port contracts (shared via core's test-jar). */
public final class IncidentFixtures {
    public static final JobKey LEDGER = new JobKey("234567890123", "eu-west-1", JobSource.GLUE_JOB, "fin-ledger-load");
    public static final JobKey ORDERS = new JobKey("123456789012", "eu-west-1", JobSource.STEP_FUNCTIONS, "erp-orders-nightly-etl");
    public static final Instant T0 = Instant.parse("2026-03-02T01:00:00Z");

    private IncidentFixtures() {
    }

    public static IncidentRef ref(JobKey job, Instant openedAt, String sysId) {
        return new IncidentRef(job, ProblemKind.FAILURE, CorrelationIds.of(job, ProblemKind.FAILURE), openedAt, sysId);
    }

    public static IncidentAction.Open open(JobKey job, String runId) {
        return new IncidentAction.Open(ref(job, T0, null), runId, T0, "[FinData] Glue job " + job.jobName() + " FAILED",
                "Glue job " + job.jobName() + " FAILED.\nRun: " + runId, 2, 2, "287ebd7da9fe198100f92cc8d1d2154e",
                IncidentPolicy.CORRELATION_DISPLAY, ConsoleLinks.forRun(job, runId), "Opened automatically by Jobwatch from run " + runId + ".");
    }

    public static IncidentAction.Update update(JobKey job, String runId) {
        return new IncidentAction.Update(ref(job, T0, null), runId, T0.plusSeconds(3600), "Failed again: run " + runId + ".");
    }

    public static IncidentAction.Resolve resolve(JobKey job, String runId) {
        return new IncidentAction.Resolve(ref(job, T0, "a3f5c2e14f8b4210b7d9e6c0a1b2c3d4"), runId, T0.plusSeconds(7200),
                "Auto-resolved: " + job.jobName() + " run " + runId + " SUCCEEDED.", "Resolved by Jobwatch after 1 successful run.");
    }

    public static IncidentAction.Reopen reopen(JobKey job, String runId) {
        return new IncidentAction.Reopen(ref(job, T0, "a3f5c2e14f8b4210b7d9e6c0a1b2c3d4"), runId, T0.plusSeconds(9000),
                "Reopened by Jobwatch: failed again.");
    }

    public static IncidentRecord openRecord(JobKey job, Instant openedAt) {
        return new IncidentRecord(job, ProblemKind.FAILURE, CorrelationIds.of(job, ProblemKind.FAILURE), null, null,
                IncidentRecord.State.OPEN, openedAt, openedAt, null, 1, 0, openedAt, "jr_1");
    }
}
