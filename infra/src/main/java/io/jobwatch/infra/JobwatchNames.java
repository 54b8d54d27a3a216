package io.jobwatch.infra;

import java.util.List;

/**
 * Every name the AWS deployment shares with the Lambda handlers and the DynamoDB store, in one place so they are easy
 * to align: table keys, index, TTL attribute, environment variables, handler classes, export layout, metric names.
 */
public final class JobwatchNames {

    private JobwatchNames() {
    }

    // --- DynamoDB single table ---------------------------------------------------------------------------------
    public static final String TABLE_NAME = "jobwatch";
    /** Partition key (S). */
    public static final String PK = "pk";
    /** Sort key (S). */
    public static final String SK = "sk";
    /** Sort time of a run (N, epoch millis): sort key of the time-ordered indexes (see store-dynamodb/README.md). */
    public static final String TIME = "t";
    /** LSI (pk, t): a job's runs newest first, and a job's runs of a time window (export, digest, rollups). */
    public static final String BY_TIME = "byTime";
    /** Sparse GSI (g, pk): open incidents, pending/parked outbox entries, SLA breaches — never a Scan. */
    public static final String SUMMARIES = "summaries";
    public static final String SUMMARY_FLAG = "g";
    /** Sparse GSI (o, t): runs that have not finished — what the SLA check reads for "running too long". */
    public static final String OPEN_RUNS = "openRuns";
    public static final String OPEN_FLAG = "o";
    /**
     * Sparse GSI (b, pk): job summaries with only their compact attributes (INCLUDE {@link #BRIEF_ATTRIBUTES}) — what
     * the digest and the SLA checks read.
     */
    public static final String BRIEFS = "briefs";
    public static final String BRIEF_FLAG = "b";
    /**
     * The summary attributes the briefs index projects: compact slots c00…c31, their previous values p00…p31, the
     * latest run (L), counters — the same list as store-dynamodb's {@code Items.briefAttributes()}.
     */
    public static final java.util.List<String> BRIEF_ATTRIBUTES = briefAttributes();
    /** Every index the store queries. */
    public static final java.util.List<String> INDEXES = java.util.List.of(BY_TIME, SUMMARIES, OPEN_RUNS, BRIEFS);

    private static java.util.List<String> briefAttributes() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < 32; i++) {
            out.add(String.format("c%02d", i));
            out.add(String.format("p%02d", i));
        }
        out.addAll(java.util.List.of("L", "streak", "runs", "ok", "fl"));
        return java.util.List.copyOf(out);
    }
    /** TTL attribute: epoch seconds (a Number); DynamoDB deletes the item some time after it passes. */
    public static final String TTL_ATTRIBUTE = "ttl";

    // --- Environment variables the handlers read ---------------------------------------------------------------
    public static final String ENV_TABLE = "JOBWATCH_TABLE";
    public static final String ENV_CATALOG = "JOBWATCH_CATALOG";
    public static final String ENV_EXPORT_BUCKET = "JOBWATCH_EXPORT_BUCKET";
    public static final String ENV_EXPORT_PREFIX = "JOBWATCH_EXPORT_PREFIX";
    public static final String ENV_SNS_TOPIC_ARN = "JOBWATCH_SNS_TOPIC_ARN";
    public static final String ENV_SES_FROM = "JOBWATCH_SES_FROM";
    public static final String ENV_SERVICENOW_SECRET_ID = "SERVICENOW_SECRET_ID";
    /** The channel secrets the teams' {@code "${NAME}"} channel settings are read from (Slack/Teams URLs, keys). */
    public static final String ENV_CHANNEL_SECRETS_ID = "JOBWATCH_CHANNEL_SECRETS_ID";
    /**
     * The channel secrets' name: one JSON object of variable names to values, created by the operator (like the
     * ServiceNow secret); read only when a team has channels.
     */
    public static final String CHANNEL_SECRETS_NAME = "jobwatch/channels";
    /** The secret of the HTTP endpoint's keys (API key, teams' ping keys): the ingest function reads it. */
    public static final String ENV_HTTP_KEYS_SECRET_ID = "JOBWATCH_HTTP_KEYS_SECRET_ID";
    /** The HTTP API's routes: Healthchecks-style pings and the OpenLineage transport's default path. */
    public static final String PING_ROUTE = "/ping/{proxy+}";
    public static final String LINEAGE_ROUTE = "/api/v1/lineage";
    /**
     * The HTTP API's access log line (JSON). The route key is the route's template ({@code GET /ping/{proxy+}}), never
     * the path: a ping's path holds its team's key. No header is logged (the lineage key travels in one).
     */
    public static final String HTTP_ACCESS_LOG_FORMAT = "{\"requestId\":\"$context.requestId\","
            + "\"time\":\"$context.requestTime\",\"ip\":\"$context.identity.sourceIp\","
            + "\"routeKey\":\"$context.routeKey\",\"status\":\"$context.status\","
            + "\"responseLength\":\"$context.responseLength\",\"latencyMs\":\"$context.responseLatency\","
            + "\"integrationStatus\":\"$context.integrationStatus\","
            + "\"integrationError\":\"$context.integrationErrorMessage\",\"userAgent\":\"$context.identity.userAgent\"}";
    /** Base URL of the ServiceNow instance, e.g. https://example.service-now.com (not a secret). */
    public static final String ENV_SERVICENOW_INSTANCE = "SERVICENOW_INSTANCE";
    public static final String ENV_RETENTION_DAYS = "JOBWATCH_RETENTION_DAYS";
    /** Reconcile: comma-separated member account ids (empty when the Organization is used instead). */
    public static final String ENV_MEMBER_ACCOUNTS = "JOBWATCH_MEMBER_ACCOUNTS";
    /** Reconcile: comma-separated regions the member stacks run in. */
    public static final String ENV_REGIONS = "JOBWATCH_REGIONS";
    /** Reconcile: the role name to assume in each member account ({@link #RECONCILER_READ_ONLY_ROLE}). */
    public static final String ENV_RECONCILE_ROLE_NAME = "JOBWATCH_RECONCILE_ROLE_NAME";
    /** Reconcile: the sts:ExternalId the member role requires. An external id is not a secret. */
    public static final String ENV_RECONCILE_EXTERNAL_ID = "JOBWATCH_RECONCILE_EXTERNAL_ID";

    /** Where the catalog is packaged: next to lib/jobwatch-lambda.jar at the root of the deployment package. */
    public static final String CATALOG_PATH_IN_LAMBDA = "/var/task/jobwatch.yml";

    // --- Lambda handlers (module `lambda`, one jar: lambda/target/jobwatch-lambda.jar) ----------------------------
    /**
     * The ingest handler's jar; the other functions' jars are its siblings {@code jobwatch-lambda-<task>.jar} (one per
     * handler, each with only the SDK services it calls).
     */
    public static final String LAMBDA_JAR = "lambda/target/jobwatch-lambda-ingest.jar";
    public static final String INGEST_HANDLER = "io.jobwatch.lambda.IngestHandler::handleRequest";
    public static final String DIGEST_HANDLER = "io.jobwatch.lambda.DigestHandler::handleRequest";
    /** The 5-minute function: SLA checks, then incident decisions and the outbox drain. */
    public static final String PERIODIC_HANDLER = "io.jobwatch.lambda.PeriodicHandler::handleRequest";
    public static final String EXPORT_HANDLER = "io.jobwatch.lambda.ExportHandler::handleRequest";
    public static final String RECONCILE_HANDLER = "io.jobwatch.lambda.ReconcileHandler::handleRequest";

    /**
     * The ingest function's alias: what EventBridge (direct mode) or the event source mapping (queue mode) invokes. It
     * points at the latest published version — SnapStart snapshots published versions only.
     */
    public static final String INGEST_ALIAS = "live";

    // --- EventBridge / IAM names other accounts refer to -----------------------------------------------------------
    public static final String BUS_NAME = "jobwatch";
    /** Fixed so that member accounts can trust exactly this role. */
    public static final String RECONCILER_ROLE = "JobwatchReconciler";
    /** Fixed so that the central reconciler can assume it in every member account. */
    public static final String RECONCILER_READ_ONLY_ROLE = "JobwatchReconcilerReadOnly";

    // --- Export (S3 + Glue + Athena) -------------------------------------------------------------------------------
    /**
     * Root of the export layout in the bucket: {@code export/runs/dt=YYYY-MM-DD/runs.csv.gz} (the Glue table's
     * location is {@code export/runs/}) and {@code export/manifests/<name>.json}. One prefix, so the export role's
     * s3:PutObject covers exactly the export.
     */
    public static final String EXPORT_PREFIX = "export/";
    /** Where the run partitions are, under {@link #EXPORT_PREFIX}. */
    public static final String EXPORT_RUNS = EXPORT_PREFIX + "runs/";
    public static final String ATHENA_RESULTS_PREFIX = "athena-results/";
    public static final String GLUE_DATABASE = "jobwatch";
    public static final String GLUE_TABLE = "runs";
    public static final String PARTITION_KEY = "dt";

    /** A column of the export: gzip CSV with a header line, in this order. */
    public record Column(String name, String type) {
    }

    /**
     * The export's columns in file order (Glue/Athena types). Timestamps are ISO-8601 UTC strings. The table reads
     * the files with OpenCSVSerde (quoted fields, commas inside errors), which cannot read an EMPTY numeric field:
     * duration_s is empty when a run's start is unknown (crawlers, lost events), so it is a string
     * ({@code CAST(NULLIF(duration_s, '') AS bigint)}); event_count and attempt are always at least 1. No newlines
     * inside fields.
     */
    public static final List<Column> EXPORT_COLUMNS = List.of(
            new Column("run_id", "string"),
            new Column("source", "string"),
            new Column("account", "string"),
            new Column("system", "string"),
            new Column("region", "string"),
            new Column("job_name", "string"),
            new Column("team", "string"),
            new Column("criticality", "string"),
            new Column("state", "string"),
            new Column("source_state", "string"),
            new Column("started_at", "string"),
            new Column("ended_at", "string"),
            new Column("duration_s", "string"),
            new Column("error", "string"),
            new Column("incident_number", "string"),
            new Column("event_count", "int"),
            new Column("first_seen", "string"),
            new Column("last_updated", "string"),
            new Column("attempt", "int"),
            new Column("warning", "string"),
            new Column("raw_job_name", "string"));

    // --- Metrics the handlers publish (CloudWatch embedded metric format) ------------------------------------------
    public static final String METRIC_NAMESPACE = "Jobwatch";
    /** Age in seconds of the oldest pending outbox item; the outbox handler publishes it on every run (0 if empty). */
    public static final String METRIC_OUTBOX_OLDEST_AGE = "OutboxOldestAgeSeconds";
    /**
     * Milliseconds from a job event's arrival at the ingest function to the first request of the incident action it
     * decided (one value per action; the periodic function's first requests measured from the decision).
     */
    public static final String METRIC_ALERT_LATENCY = "AlertLatency";
    /** Scopes (account, region, service) the reconciler could not ask in its last pass; published on every pass. */
    public static final String METRIC_RECONCILE_FAILED_SCOPES = "ReconcileFailedScopes";
}
