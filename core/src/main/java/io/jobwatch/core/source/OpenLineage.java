package io.jobwatch.core.source;

import io.jobwatch.core.run.JobSource;

/**
 * OpenLineage run events ({@code POST /api/v1/lineage}, the OpenLineage HTTP transport's default path), as Airflow,
 * dbt, Spark and Flink send them: the job is {@code namespace/name}, the run is {@code run.runId}, the event type is
 * the state (START and RUNNING are running; COMPLETE, FAIL and ABORT end the run; OTHER carries metadata only and is
 * not a state). The job key's account and region parts are empty: the namespace is in the job name.
 */
final class OpenLineage extends HttpSource {
    private static final StateMap STATES = StateMap.builder()
            .running("START", "RUNNING")
            .succeeded("COMPLETE")
            .failed("FAIL")
            .stopped("ABORT")
            .build();

    OpenLineage() {
        super(JobSource.OPENLINEAGE);
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    @Override
    public Help help() {
        return new Help("job.namespace + \"/\" + job.name", "run.runId");
    }

    @Override
    public String endpoint() {
        return "POST /api/v1/lineage (one RunEvent, or a JSON array of them)";
    }

    @Override
    public String authentication() {
        return "the API key (Authorization: Bearer KEY, as the OpenLineage client's api_key auth sends it, or x-api-key)";
    }

    @Override
    public String accountIs() {
        return "empty (the namespace is part of the job name)";
    }
}
