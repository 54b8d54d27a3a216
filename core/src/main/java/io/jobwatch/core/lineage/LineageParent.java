package io.jobwatch.core.lineage;

import java.util.Objects;

/**
 * The {@code parent} run facet of an OpenLineage run: the run that spawned it (an Airflow task's DAG run, a dbt
 * model's {@code dbt run}), and the root of that chain when the producer names it.
 *
 * @param job      the parent job, {@code namespace/name}
 * @param runId    the parent run's id
 * @param rootJob  the root job, {@code namespace/name}, or null
 * @param rootRun  the root run's id, or null
 */
public record LineageParent(String job, String runId, String rootJob, String rootRun) {
    public LineageParent {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(runId, "runId");
    }

    /** One line: {@code parent airflow-prod/etl_daily run 3b45… (root …)}. */
    public String describe() {
        return "parent " + job + " run " + runId + (rootJob == null ? "" : " (root " + rootJob + " run " + rootRun + ")");
    }
}
