package io.jobwatch.core.run;

import java.util.Optional;

/**
 * The job sources Jobwatch follows. The id is what users see and write in the catalog; everything else about a source
 * is its descriptor in {@code io.jobwatch.core.source.Sources}.
 */
public enum JobSource {
    GLUE_JOB("glue-job", "Glue job"),
    GLUE_CRAWLER("glue-crawler", "Glue crawler"),
    STEP_FUNCTIONS("step-functions", "Step Functions state machine"),
    APPFLOW("appflow", "AppFlow flow"),
    DATASYNC("datasync", "DataSync task"),
    BATCH("batch", "Batch job"),
    EMR_SERVERLESS("emr-serverless", "EMR Serverless job"),
    ECS_TASK("ecs-task", "ECS task"),
    EMR_STEP("emr-step", "EMR step"),
    SAGEMAKER_PIPELINE("sagemaker-pipeline", "SageMaker pipeline"),
    DMS_TASK("dms-task", "DMS replication task"),
    DATABREW("databrew", "DataBrew job"),
    /** Healthchecks-style pings to Jobwatch's own endpoint ({@code /ping/<ping-key>/<slug>}). */
    PING("ping", "Pinged job"),
    /** OpenLineage run events ({@code POST /api/v1/lineage}): Airflow, dbt, Spark, Flink. */
    OPENLINEAGE("openlineage", "OpenLineage job");

    private final String id;
    private final String label;

    JobSource(String id, String label) {
        this.id = id;
        this.label = label;
    }

    public String id() {
        return id;
    }

    /** Human label, e.g. "Glue job", for titles and digests. */
    public String label() {
        return label;
    }

    public static Optional<JobSource> byId(String id) {
        for (JobSource s : values()) {
            if (s.id.equals(id)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return id;
    }
}
