package io.jobwatch.infra;

import static io.jobwatch.infra.JobwatchNames.*;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.IRuleTarget;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.events.targets.SqsQueueProps;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.cloudwatch.Unit;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.CfnLogGroup;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;

/**
 * The central (monitoring) account: an Organization-only event bus, the job-events rule delivering to the ingest
 * function directly or through a queue ({@link InfraConfig.IngestMode}), Lambdas with one least-privilege role each, the DynamoDB table, the export bucket with its Glue table and Athena workgroup, the
 * digest and alarm topics, schedules, dead-letter queues and alarms.
 */
public final class CentralStack extends Stack {

    /** Reserved concurrency of the periodic function (SLA checks, incident decisions, outbox): one pass at a time. */
    public static final int PERIODIC_CONCURRENCY = 1;

    /** The Lambda functions by task name: ingest, digest, periodic (SLA checks + incidents), export, reconcile. */
    public static final List<String> TASKS = List.of("ingest", "digest", "periodic", "export", "reconcile");

    private final InfraConfig config;
    private final Table table;
    private final EventBus bus;
    /** The ingest queue (queue mode), null in direct mode. */
    private Queue ingestQueue;
    /**
     * The functions that run as SnapStart snapshots, each through its alias {@link JobwatchNames#INGEST_ALIAS} on its
     * latest published version: ingest (restored on every scale-out, primed) and the scheduled functions that start
     * cold on every run (digest hourly, reconcile every 10 minutes, export daily), whose JVM start and init would
     * otherwise be billed each time. Not the 5-minute function: it stays warm, and it reads the ServiceNow secret at
     * init, which a snapshot would keep past a rotation.
     */
    static final java.util.Set<String> SNAPSTART = java.util.Set.of("ingest", "digest", "reconcile", "export");
    private final Map<String, Alias> aliases = new LinkedHashMap<>();
    private final Queue ingestDlq;
    private final Queue asyncDlq;
    private final Bucket exportBucket;
    private final Bucket accessLogBucket;
    private final Topic digestTopic;
    private final Topic alarmTopic;
    private final ISecret servicenowSecret;
    private final Role schedulerRole;
    private final Map<String, Role> roles = new LinkedHashMap<>();
    private final Map<String, Function> functions = new LinkedHashMap<>();
    /** Each function's code: its own jar (see {@link LambdaPackage}). */
    private final Map<String, Code> assets = new LinkedHashMap<>();
    private final Map<String, LogGroup> logGroups = new LinkedHashMap<>();
    private final List<Alarm> alarms = new ArrayList<>();
    private ISecret httpKeysSecret;
    private LogGroup httpAccessLogs;
    private HttpApi httpApi;
    private HttpStage httpStage;
    private final List<HttpRoute> httpRoutes = new ArrayList<>();
    /** Alert latency's p99 above this (milliseconds: one minute) alarms. */
    public static final double ALERT_LATENCY_ALARM_MS = 60_000;

    public CentralStack(Construct scope, String id, StackProps props, InfraConfig config, LambdaPackage code) {
        super(scope, id, props);
        this.config = config;
        warnAboutExamples(code);

        table = Table.Builder.create(this, "Table")
                .tableName(TABLE_NAME)
                .partitionKey(Attribute.builder().name(PK).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(SK).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute(TTL_ATTRIBUTE)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                // AWS-managed KMS key: encrypted at rest with an auditable key, no key policy to maintain.
                .encryption(TableEncryption.AWS_MANAGED)
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        // The indexes the run store queries (store-dynamodb's DynamoRunStore.createTable has the same definition).
        // byTime holds keys only: each event rewrites its run item, and an index that copied the item would be billed
        // for the copy every time; keys-only entries are written only when a run enters the index or its sort time
        // moves. Its Queries fetch the items from the table. No index by day: the export, the rollups and the digest
        // read a window one job at a time through byTime (store-dynamodb's runsBetween), which costs read units once
        // a day instead of an index entry per run. openRuns keeps whole items: the SLA check reads it every 5
        // minutes, and fetching those runs by key would cost more reads than it saves.
        table.addLocalSecondaryIndex(software.amazon.awscdk.services.dynamodb.LocalSecondaryIndexProps.builder()
                .indexName(BY_TIME)
                .sortKey(Attribute.builder().name(TIME).type(AttributeType.NUMBER).build())
                .projectionType(ProjectionType.KEYS_ONLY)
                .build());
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(SUMMARIES)
                .partitionKey(Attribute.builder().name(SUMMARY_FLAG).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(PK).type(AttributeType.STRING).build())
                .projectionType(ProjectionType.ALL)
                .build());
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(BRIEFS)
                .partitionKey(Attribute.builder().name(BRIEF_FLAG).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(PK).type(AttributeType.STRING).build())
                .projectionType(ProjectionType.INCLUDE)
                .nonKeyAttributes(BRIEF_ATTRIBUTES)
                .build());
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(OPEN_RUNS)
                .partitionKey(Attribute.builder().name(OPEN_FLAG).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(TIME).type(AttributeType.NUMBER).build())
                .projectionType(ProjectionType.ALL)
                .build());

        // --- Ingest: bus and the DLQ every undelivered or failed event ends in (the rule and function come below) ---
        bus = EventBus.Builder.create(this, "Bus").eventBusName(BUS_NAME).build();
        addBusPolicy();
        ingestDlq = queue("IngestDlq", null);
        asyncDlq = queue("ScheduledDlq", null);

        // --- Export: bucket, Glue table with partition projection, Athena workgroup ------------------------------
        accessLogBucket = Bucket.Builder.create(this, "AccessLogBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder().id("expire-access-logs")
                        .expiration(Duration.days(90)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        exportBucket = Bucket.Builder.create(this, "ExportBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .serverAccessLogsBucket(accessLogBucket)
                .serverAccessLogsPrefix("export-bucket/")
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("expire-runs").prefix(EXPORT_PREFIX)
                                .expiration(Duration.days(config.exportRetentionDays())).build(),
                        LifecycleRule.builder().id("expire-athena-results").prefix(ATHENA_RESULTS_PREFIX)
                                .expiration(Duration.days(7)).build(),
                        LifecycleRule.builder().id("abort-incomplete-uploads")
                                .abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        addGlueAndAthena();

        // --- Notification targets and the ServiceNow secret --------------------------------------------------------
        digestTopic = Topic.Builder.create(this, "DigestTopic")
                .displayName("Jobwatch digest")
                .masterKey(software.amazon.awscdk.services.kms.Alias.fromAliasName(this, "SnsManagedKey", "alias/aws/sns"))
                .enforceSsl(true)
                .build();
        for (String email : config.digestEmails()) {
            digestTopic.addSubscription(new EmailSubscription(email));
        }
        alarmTopic = Topic.Builder.create(this, "AlarmTopic").displayName("Jobwatch alarms").enforceSsl(true).build();
        alarmTopic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchAlarms")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(alarmTopic.getTopicArn()))
                .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                .build());
        if (!config.alarmEmail().isEmpty()) {
            alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail()));
        }
        servicenowSecret = Secret.fromSecretNameV2(this, "ServiceNowSecret", config.servicenowSecretName());

        // --- Lambdas, one role each --------------------------------------------------------------------------------
        for (String task : TASKS) {
            assets.put(task, Code.fromAsset(code.dirFor(task).toString()));
        }
        // Ingest also decides incidents and sends their first requests to ServiceNow and the teams' channels (30 s
        // covers a request's 5 s timeout with room: what cannot be sent in time is the periodic function's).
        Function ingest = function("ingest", INGEST_HANDLER, 512, Duration.seconds(30),
                Map.of(ENV_HTTP_KEYS_SECRET_ID, config.httpKeysSecretName(),
                        ENV_SERVICENOW_SECRET_ID, config.servicenowSecretName(),
                        ENV_SERVICENOW_INSTANCE, config.servicenowInstance(),
                        ENV_CHANNEL_SECRETS_ID, CHANNEL_SECRETS_NAME), false);
        wireIngest(ingest);
        // Runs: one conditional UpdateItem per event; Glue crawler and DMS task pairing adds a Limit-1 Query on the
        // table and, when a crawl's Started arrives after its end, a PutItem + DeleteItem merge; GetItem only for a
        // duplicate whose condition failure returned no item. Pings and lineage events add a conditional PutItem per
        // run detail (a ping's body, a lineage parent) and, for /log, a Query of the job's latest run. Incidents of a
        // finished run: the record and the job's summary (GetItem), the job's newest runs (Query on byTime), the
        // record with its action and the outbox entry (PutItem), the relay, claims and marks (UpdateItem), the
        // incident's outbox entries (Query on the table). No Scan, no other index.
        grantTable("ingest", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:GetItem");
        allow("ingest", List.of("dynamodb:Query"), List.of(table.getTableArn(),
                table.getTableArn() + "/index/" + BY_TIME));
        allowServiceNowSecret("ingest");
        // ... and to the teams' channels, whose settings are in the channel secrets.
        allow("ingest", List.of("secretsmanager:GetSecretValue"), List.of(channelSecretsArn()));
        addHttpEndpoint();

        function("digest", DIGEST_HANDLER, 512, Duration.minutes(2),
                Map.of(ENV_SNS_TOPIC_ARN, digestTopic.getTopicArn(), ENV_SES_FROM, config.sesFrom(),
                        ENV_CHANNEL_SECRETS_ID, CHANNEL_SECRETS_NAME), true);
        // The teams' chat channels get a digest summary: their webhook URLs live in the channel secrets.
        allow("digest", List.of("secretsmanager:GetSecretValue"), List.of(channelSecretsArn()));
        grantQuery("digest");
        // Per-team "last digest sent" state (CHECKPOINT#digest items), so each team's own times are honoured.
        grantTable("digest", "dynamodb:PutItem", "dynamodb:GetItem");
        allow("digest", List.of("ses:SendEmail", "ses:SendRawEmail"), List.of(formatArn(ArnComponents.builder()
                .service("ses").resource("identity").resourceName(config.sesIdentity()).build())));
        allow("digest", List.of("sns:Publish"), List.of(digestTopic.getTopicArn()));
        // Only the digest role may publish: the topic's own policy says so, whatever IAM policies say elsewhere.
        digestTopic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowPublishFromDigestRole")
                .principals(List.of(roles.get("digest")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(digestTopic.getTopicArn()))
                .build());
        digestTopic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("DenyPublishFromOtherPrincipals")
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("sns:Publish"))
                .resources(List.of(digestTopic.getTopicArn()))
                .conditions(Map.of("ArnNotEquals", Map.of("aws:PrincipalArn", roles.get("digest").getRoleArn())))
                .build());

        function("export", EXPORT_HANDLER, 1024, Duration.minutes(10),
                Map.of(ENV_EXPORT_BUCKET, exportBucket.getBucketName(), ENV_EXPORT_PREFIX, EXPORT_PREFIX), true);
        // Runs of each day, one job at a time through byTime; the incident record (GetItem) of a job with a failed run.
        grantQuery("export");
        // Writes: the daily rollups' pass runs with the export (one item per day, the pass marker, changed-day notes).
        grantTable("export", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
        // PutObject also covers a multipart upload's create/part/complete; a failed multipart upload is aborted.
        allow("export", List.of("s3:PutObject", "s3:AbortMultipartUpload"),
                List.of(exportBucket.arnForObjects(EXPORT_PREFIX + "*")));

        // The 5-minute work in one function: SLA checks, then incident decisions and the outbox drain.
        Function periodic = function("periodic", PERIODIC_HANDLER, 512, Duration.minutes(2),
                Map.of(ENV_SERVICENOW_SECRET_ID, config.servicenowSecretName(),
                        ENV_SERVICENOW_INSTANCE, config.servicenowInstance(),
                        ENV_CHANNEL_SECRETS_ID, CHANNEL_SECRETS_NAME), true);
        // One pass at a time: a pass checks the SLAs and drains the outbox (what ingest could not send) for up to its
        // timeout; an overlapping pass (a slow ServiceNow, a retried invocation) would only redo that work. Claims and
        // conditional decisions keep concurrent senders correct anyway (ingest, the CLI and other writers share the
        // table); a throttled scheduled invocation is retried by Lambda's async retries.
        ((CfnFunction) periodic.getNode().getDefaultChild()).setReservedConcurrentExecutions(PERIODIC_CONCURRENCY);
        grantQuery("periodic");
        // SLA: raised breaches (Put/Delete), the incident record read and outbox/record writes of a transition.
        // Outbox: pending entries (summaries index), an incident's entries (table), claims, marks, tickets.
        grantTable("periodic", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:GetItem");
        allowServiceNowSecret("periodic");
        // Incident actions to the teams' Slack, Teams, PagerDuty and webhooks: their settings in the channel secrets.
        allow("periodic", List.of("secretsmanager:GetSecretValue"), List.of(channelSecretsArn()));

        // 256 MB by default: the hourly pass over the seed's estate peaks at ~160 MB RSS with ~12 MB of live heap and is
        // mostly waiting on the services' APIs, which Lambda bills by memory × time (`jobwatch bench lambda-reconcile`).
        function("reconcile", RECONCILE_HANDLER, config.reconcileMemoryMb(), Duration.minutes(5),
                Map.of(ENV_MEMBER_ACCOUNTS, String.join(",", config.memberAccounts()),
                        ENV_REGIONS, String.join(",", config.regions()),
                        ENV_RECONCILE_ROLE_NAME, RECONCILER_READ_ONLY_ROLE,
                        ENV_RECONCILE_EXTERNAL_ID, config.reconcileExternalId()), true);
        // Known jobs (summaries, open runs) and its per-scope "last reconciled" items by Query; the stored run of each
        // listed run (GetItem); a missing run through the ingest path (UpdateItem; a listed crawl that takes over an
        // orphan crawl merges it: PutItem + DeleteItem), the decision on a run it finished (incident record and
        // outbox entry: PutItem, UpdateItem) and its state items (PutItem).
        grantQuery("reconcile");
        grantTable("reconcile", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
        addReconcilerAssumeRole();

        // --- Schedules (EventBridge Scheduler: time zones, so the digest is "06:00 local" across DST) -------------
        schedulerRole = Role.Builder.create(this, "SchedulerRole")
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com").withConditions(
                        Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID))))
                .description("Lets EventBridge Scheduler invoke the Jobwatch scheduled Lambdas")
                .build();
        schedule("digest", config.digestSchedule(), "{\"task\":\"digest\"}");
        schedule("periodic", config.periodicSchedule(), "{\"task\":\"periodic\"}");
        schedule("export", config.exportSchedule(), "{\"task\":\"export\"}");
        // The slot, not the arrival time, decides what is due: rate(10 minutes) keeps the 10-minute critical cadence.
        schedule("reconcile", config.reconcileSchedule(),
                "{\"task\":\"reconcile\",\"scheduledTime\":\"<aws.scheduler.scheduled-time>\"}");
        schedulerRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("sqs:SendMessage"))
                .resources(List.of(asyncDlq.getQueueArn()))
                .build());

        addAlarms();
        addSuppressions();
        output("TableName", table.getTableName());
        output("EventBusArn", bus.getEventBusArn());
        output("ExportBucketName", exportBucket.getBucketName());
        output("DigestTopicArn", digestTopic.getTopicArn());
        output("AlarmTopicArn", alarmTopic.getTopicArn());
        output("ReconcilerRoleArn", roles.get("reconcile").getRoleArn());
        output("IngestMode", config.ingestMode().id());
        output("IngestDlqUrl", ingestDlq.getQueueUrl());
        output("IngestFunctionAlias", ingestAlias().getFunctionArn());
        if (ingestQueue != null) {
            output("IngestQueueUrl", ingestQueue.getQueueUrl());
        }
        // What to run when the DLQ alarm fires (the same command for both modes; see docs).
        output("RedriveCommand", "jobwatch aws redrive --queue " + ingestDlq.getQueueUrl() + " "
                + (ingestQueue == null ? "--function " + ingestAlias().getFunctionArn()
                : "--to-queue " + ingestQueue.getQueueUrl()) + " --region " + Aws.REGION);
    }

    // --- Accessors for tests and the other stack ----------------------------------------------------------------

    public Table table() {
        return table;
    }

    public EventBus bus() {
        return bus;
    }

    /** The ingest queue in queue mode; empty in direct mode. */
    public java.util.Optional<Queue> ingestQueue() {
        return java.util.Optional.ofNullable(ingestQueue);
    }

    public Alias ingestAlias() {
        return aliases.get("ingest");
    }

    /** The alias of each SnapStart function ({@link #SNAPSTART}). */
    public Map<String, Alias> aliases() {
        return Map.copyOf(aliases);
    }

    public Queue ingestDlq() {
        return ingestDlq;
    }

    public Queue scheduledDlq() {
        return asyncDlq;
    }

    public Bucket exportBucket() {
        return exportBucket;
    }

    public Topic digestTopic() {
        return digestTopic;
    }

    public Topic alarmTopic() {
        return alarmTopic;
    }

    /** The channel secrets' ARN, with the "-??????" suffix Secrets Manager appends to a name. */
    private String channelSecretsArn() {
        return formatArn(ArnComponents.builder().service("secretsmanager").resource("secret")
                .resourceName(CHANNEL_SECRETS_NAME + "-??????").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
    }

    public HttpApi httpApi() {
        return httpApi;
    }

    public HttpStage httpStage() {
        return httpStage;
    }

    public LogGroup httpAccessLogs() {
        return httpAccessLogs;
    }

    public List<HttpRoute> httpRoutes() {
        return List.copyOf(httpRoutes);
    }

    public ISecret servicenowSecret() {
        return servicenowSecret;
    }

    /** The role of each task in {@link #TASKS}. */
    public Map<String, Role> roles() {
        return Map.copyOf(roles);
    }

    public Role schedulerRole() {
        return schedulerRole;
    }

    public Map<String, Function> functions() {
        return Map.copyOf(functions);
    }

    public Map<String, LogGroup> logGroups() {
        return Map.copyOf(logGroups);
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    // --- Pieces ---------------------------------------------------------------------------------------------------

    private void warnAboutExamples(LambdaPackage code) {
        if (!config.exampleValuesUsed().isEmpty()) {
            Annotations.of(this).addWarningV2("jobwatch:example-context", "Example values used for "
                    + String.join(", ", config.exampleValuesUsed()) + ": set them with -c key=value before deploying");
        }
        if (code.placeholder()) {
            Annotations.of(this).addWarningV2("jobwatch:placeholder-code", "Lambda code is a placeholder: build "
                    + LAMBDA_JAR + " (./mvnw -pl lambda -am package -DskipTests) before deploying");
        }
        if (!code.hasCatalog()) {
            Annotations.of(this).addWarningV2("jobwatch:no-catalog", "No catalog packaged: pass -c catalog=PATH"
                    + " (your jobwatch.yml) so the handlers find it at " + CATALOG_PATH_IN_LAMBDA);
        }
    }

    private void addBusPolicy() {
        if (!config.orgId().isEmpty()) {
            bus.addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("AllowPutEventsFromOrganization")
                    .principals(List.of(new AnyPrincipal()))
                    .actions(List.of("events:PutEvents"))
                    .resources(List.of(bus.getEventBusArn()))
                    .conditions(Map.of("StringEquals", Map.of("aws:PrincipalOrgID", config.orgId())))
                    .build());
        }
        if (!config.memberAccounts().isEmpty()) {
            List<IPrincipal> accounts = config.memberAccounts().stream()
                    .map(a -> (IPrincipal) new AccountPrincipal(a)).toList();
            bus.addToResourcePolicy(PolicyStatement.Builder.create()
                    .sid("AllowPutEventsFromMemberAccounts")
                    .principals(accounts)
                    .actions(List.of("events:PutEvents"))
                    .resources(List.of(bus.getEventBusArn()))
                    .build());
        }
    }

    private Queue queue(String id, DeadLetterQueue dlq) {
        Queue.Builder b = Queue.Builder.create(this, id)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true);
        if (dlq != null) {
            b.deadLetterQueue(dlq).visibilityTimeout(Duration.seconds(180));
        } else {
            b.retentionPeriod(Duration.days(14));
        }
        return b.build();
    }

    private void addGlueAndAthena() {
        CfnDatabase database = CfnDatabase.Builder.create(this, "GlueDatabase")
                .catalogId(Aws.ACCOUNT_ID)
                .databaseInput(CfnDatabase.DatabaseInputProperty.builder()
                        .name(GLUE_DATABASE)
                        .description("Jobwatch run exports")
                        .build())
                .build();
        String runsLocation = "s3://" + exportBucket.getBucketName() + "/" + EXPORT_RUNS;
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("classification", "csv");
        parameters.put("skip.header.line.count", "1");
        parameters.put("projection.enabled", "true");
        parameters.put("projection." + PARTITION_KEY + ".type", "date");
        parameters.put("projection." + PARTITION_KEY + ".range", "2025-01-01,NOW");
        parameters.put("projection." + PARTITION_KEY + ".format", "yyyy-MM-dd");
        parameters.put("projection." + PARTITION_KEY + ".interval", "1");
        parameters.put("projection." + PARTITION_KEY + ".interval.unit", "DAYS");
        parameters.put("storage.location.template", runsLocation + PARTITION_KEY + "=${" + PARTITION_KEY + "}/");
        CfnTable.Builder.create(this, "GlueRunsTable")
                .catalogId(Aws.ACCOUNT_ID)
                .databaseName(database.getRef()) // the database's name; the reference orders creation
                .tableInput(CfnTable.TableInputProperty.builder()
                        .name(GLUE_TABLE)
                        .description("One row per run, exported daily as gzip CSV in Hive partitions dt=YYYY-MM-DD")
                        .tableType("EXTERNAL_TABLE")
                        .parameters(parameters)
                        .partitionKeys(List.of(CfnTable.ColumnProperty.builder()
                                .name(PARTITION_KEY).type("string").build()))
                        .storageDescriptor(CfnTable.StorageDescriptorProperty.builder()
                                .location(runsLocation)
                                .columns(EXPORT_COLUMNS.stream().map(c -> (Object) CfnTable.ColumnProperty.builder()
                                        .name(c.name()).type(c.type()).build()).collect(Collectors.toList()))
                                .inputFormat("org.apache.hadoop.mapred.TextInputFormat")
                                .outputFormat("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat")
                                .serdeInfo(CfnTable.SerdeInfoProperty.builder()
                                        .serializationLibrary("org.apache.hadoop.hive.serde2.OpenCSVSerde")
                                        .parameters(Map.of("separatorChar", ",", "quoteChar", "\"",
                                                "escapeChar", "\\"))
                                        .build())
                                .build())
                        .build())
                .build();
        CfnWorkGroup.Builder.create(this, "AthenaWorkgroup")
                .name("jobwatch")
                .description("Jobwatch exports; results expire after 7 days")
                .state("ENABLED")
                .recursiveDeleteOption(true)
                .workGroupConfiguration(CfnWorkGroup.WorkGroupConfigurationProperty.builder()
                        .enforceWorkGroupConfiguration(true)
                        .publishCloudWatchMetricsEnabled(true)
                        .bytesScannedCutoffPerQuery(config.athenaBytesScannedLimit())
                        .resultConfiguration(CfnWorkGroup.ResultConfigurationProperty.builder()
                                .outputLocation("s3://" + exportBucket.getBucketName() + "/" + ATHENA_RESULTS_PREFIX)
                                .encryptionConfiguration(CfnWorkGroup.EncryptionConfigurationProperty.builder()
                                        .encryptionOption("SSE_S3").build())
                                .build())
                        .build())
                .build();
    }

    /**
     * Events to the ingest function's alias ({@link JobwatchNames#INGEST_ALIAS}, on the latest published version:
     * SnapStart restores published versions only), in the configured mode. Both modes lose nothing: what cannot be
     * delivered or stored ends in {@code IngestDlq} (kept 14 days, alarmed), and {@code jobwatch aws redrive}
     * replays it.
     * <ul>
     * <li><b>direct</b>: the rule invokes the alias asynchronously. Lambda retries a failed invocation twice (about
     * 1 and 2 minutes later) and keeps events up to 6 hours while throttled, then sends the invocation record to the
     * on-failure destination, the DLQ. EventBridge itself retries an invocation it cannot make for 24 hours (185
     * attempts) before putting the event into the same DLQ.</li>
     * <li><b>queue</b>: rule → {@code IngestQueue} → event source mapping on the alias (batches of 10, 5 s window,
     * {@code ReportBatchItemFailures}, at most 5 concurrent invocations); a message received 5 times goes to the
     * DLQ, as do events EventBridge could not send to the queue.</li>
     * </ul>
     */
    private void wireIngest(Function ingest) {
        Alias ingestAlias = aliases.get("ingest");
        IRuleTarget target;
        if (config.ingestMode() == InfraConfig.IngestMode.DIRECT) {
            ingestAlias.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                    .retryAttempts(2)
                    .maxEventAge(Duration.hours(6))
                    .onFailure(new SqsDestination(ingestDlq))
                    .build());
            target = new LambdaFunction(ingestAlias, LambdaFunctionProps.builder()
                    .deadLetterQueue(ingestDlq)
                    .maxEventAge(Duration.hours(24))
                    .retryAttempts(185)
                    .build());
        } else {
            // Visibility 6× the ingest timeout, as Lambda recommends for SQS sources.
            ingestQueue = queue("IngestQueue", DeadLetterQueue.builder().queue(ingestDlq).maxReceiveCount(5).build());
            ingestAlias.addEventSource(SqsEventSource.Builder.create(ingestQueue)
                    .batchSize(10)
                    .maxBatchingWindow(Duration.seconds(5))
                    .reportBatchItemFailures(true)
                    // Caps concurrent writers so a burst (e.g. a region-wide Glue incident) cannot throttle the table.
                    .maxConcurrency(5)
                    .build());
            target = new SqsQueue(ingestQueue, SqsQueueProps.builder()
                    .deadLetterQueue(ingestDlq)
                    .maxEventAge(Duration.hours(24))
                    .retryAttempts(185)
                    .build());
        }
        JobEvents.applyTo(Rule.Builder.create(this, "JobEventsRule")
                .eventBus(bus)
                .description("Job state changes of the watched sources, forwarded from member accounts")
                .eventPattern(JobEvents.pattern())
                .targets(List.of(target))
                .build());
    }

    /**
     * The HTTP endpoint of jobs outside AWS: an API Gateway HTTP API whose two routes — {@code GET|HEAD|POST
     * /ping/{proxy+}} (Healthchecks-style pings) and {@code POST /api/v1/lineage} (OpenLineage's HTTP transport) —
     * invoke the ingest function's alias. The function checks the key (a team's ping key in the path, the API key in
     * a header) before it stores anything; API Gateway throttles the stage and writes access logs that hold the route
     * template, never the path (a ping's path holds its key) nor a header. The keys live in a Secrets Manager secret
     * created by you ({@code httpKeysSecretName}), which only the ingest function may read.
     */
    private void addHttpEndpoint() {
        httpKeysSecret = Secret.fromSecretNameV2(this, "HttpKeysSecret", config.httpKeysSecretName());
        // fromSecretNameV2 ARNs end without the random suffix Secrets Manager appends; "-??????" matches exactly it.
        allow("ingest", List.of("secretsmanager:GetSecretValue"), List.of(httpKeysSecret.getSecretArn() + "-??????"));
        httpAccessLogs = LogGroup.Builder.create(this, "HttpAccessLogs").removalPolicy(RemovalPolicy.RETAIN).build();
        ((CfnLogGroup) httpAccessLogs.getNode().getDefaultChild()).setRetentionInDays(config.logRetentionDays());
        httpApi = HttpApi.Builder.create(this, "HttpApi")
                .apiName("jobwatch")
                .description("Jobwatch: pings (/ping/<ping-key>/<slug>) and OpenLineage run events (/api/v1/lineage)")
                .createDefaultStage(false)
                .build();
        IAccessLogDestination destination = new LogGroupLogDestination(httpAccessLogs);
        httpStage = HttpStage.Builder.create(this, "HttpStage")
                .httpApi(httpApi)
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder().rateLimit(config.httpRateLimit())
                        .burstLimit(config.httpBurstLimit()).build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return destination;
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        return AccessLogFormat.custom(HTTP_ACCESS_LOG_FORMAT);
                    }
                })
                .build();
        software.amazon.awscdk.services.lambda.IFunction target = aliases.containsKey("ingest") ? aliases.get("ingest")
                : functions.get("ingest");
        HttpLambdaIntegration integration = new HttpLambdaIntegration("IngestIntegration", target);
        httpRoutes.addAll(httpApi.addRoutes(AddRoutesOptions.builder().path(PING_ROUTE)
                .methods(List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST)).integration(integration).build()));
        httpRoutes.addAll(httpApi.addRoutes(AddRoutesOptions.builder().path(LINEAGE_ROUTE)
                .methods(List.of(HttpMethod.POST)).integration(integration).build()));
        output("HttpEndpoint", httpApi.getApiEndpoint());
    }

    private Function function(String task, String handler, int memoryMb, Duration timeout,
                              Map<String, String> extraEnv, boolean scheduled) {
        String id = capitalize(task);
        Role.Builder rb = Role.Builder.create(this, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Jobwatch " + task + " Lambda");
        if (task.equals("reconcile")) {
            rb.roleName(RECONCILER_ROLE); // member accounts trust exactly this ARN
        }
        Role role = rb.build();
        roles.put(task, role);
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs").removalPolicy(RemovalPolicy.RETAIN).build();
        ((CfnLogGroup) logs.getNode().getDefaultChild()).setRetentionInDays(config.logRetentionDays());
        logGroups.put(task, logs);
        // Own log group, own statement: no AWSLambdaBasicExecutionRole (it allows logs:* groups on "*").
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(logs.getLogGroupArn()))
                .build());
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENV_TABLE, table.getTableName());
        env.put(ENV_CATALOG, CATALOG_PATH_IN_LAMBDA);
        env.put(ENV_RETENTION_DAYS, String.valueOf(config.retentionDays()));
        // C1-only JIT: the documented cold-start trade-off for short Java handlers.
        env.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        env.putAll(extraEnv);
        Function.Builder fb = Function.Builder.create(this, id + "Function")
                .description("Jobwatch " + task)
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(handler)
                .code(assets.get(task))
                .memorySize(memoryMb)
                .timeout(timeout)
                .role(role)
                .logGroup(logs)
                .environment(env);
        boolean snapStart = SNAPSTART.contains(task);
        if (snapStart) {
            // A snapshot of the initialised JVM (ingest: also primed, IngestPriming) per published version, restored
            // on a cold start instead of the JVM start, class loading and init.
            fb.snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS);
        } else if (scheduled) {
            // Scheduler invokes asynchronously: two retries, then the event goes to the DLQ.
            fb.onFailure(new SqsDestination(asyncDlq)).retryAttempts(2).maxEventAge(Duration.hours(1));
        }
        Function fn = fb.build();
        functions.put(task, fn);
        if (snapStart) {
            // CDK warns on every SnapStart function that only published versions are snapshotted: the alias is on one.
            Annotations.of(fn).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                    "invocations go to the alias on the function's current published version");
            Alias.Builder ab = Alias.Builder.create(this, id + "Alias")
                    .aliasName(INGEST_ALIAS)
                    .version(fn.getCurrentVersion())
                    .description("What is invoked: the latest published (SnapStart) version");
            if (scheduled) {
                // The schedule invokes the alias asynchronously: two retries, then the event goes to the DLQ.
                ab.onFailure(new SqsDestination(asyncDlq)).retryAttempts(2).maxEventAge(Duration.hours(1));
            }
            aliases.put(task, ab.build());
        }
        return fn;
    }

    private void allow(String task, List<String> actions, List<String> resources) {
        roles.get(task).addToPolicy(PolicyStatement.Builder.create().actions(actions).resources(resources).build());
    }

    /** Reading the ServiceNow secret. */
    private void allowServiceNowSecret(String task) {
        // fromSecretNameV2 ARNs end without the random suffix Secrets Manager appends; "-??????" matches exactly it.
        allow(task, List.of("secretsmanager:GetSecretValue"), List.of(servicenowSecret.getSecretArn() + "-??????"));
    }

    private void grantTable(String task, String... actions) {
        allow(task, List.of(actions), List.of(table.getTableArn()));
    }

    private void grantQuery(String task) {
        List<String> resources = new java.util.ArrayList<>(List.of(table.getTableArn()));
        INDEXES.forEach(index -> resources.add(table.getTableArn() + "/index/" + index));
        allow(task, List.of("dynamodb:Query"), resources);
        // The whole job summaries (the dashboard's and tools' summaries()) are read by key.
        allow(task, List.of("dynamodb:BatchGetItem"), List.of(table.getTableArn()));
    }

    private void addReconcilerAssumeRole() {
        Role role = roles.get("reconcile");
        if (!config.memberAccounts().isEmpty()) {
            role.addToPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("sts:AssumeRole"))
                    .resources(config.memberAccounts().stream()
                            .map(a -> "arn:" + Aws.PARTITION + ":iam::" + a + ":role/" + RECONCILER_READ_ONLY_ROLE)
                            .toList())
                    .build());
        }
        if (!config.orgId().isEmpty()) {
            // Any account of the Organization except this one: "member accounts only".
            role.addToPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("sts:AssumeRole"))
                    .resources(List.of("arn:" + Aws.PARTITION + ":iam::*:role/" + RECONCILER_READ_ONLY_ROLE))
                    .conditions(Map.of(
                            "StringEquals", Map.of("aws:ResourceOrgID", config.orgId()),
                            "StringNotEquals", Map.of("aws:ResourceAccount", Aws.ACCOUNT_ID)))
                    .build());
        }
    }

    private void schedule(String task, String expression, String input) {
        // The alias when the function runs as a SnapStart snapshot, else the function ($LATEST).
        software.amazon.awscdk.services.lambda.IFunction fn = aliases.containsKey(task) ? aliases.get(task)
                : functions.get(task);
        schedulerRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("lambda:InvokeFunction"))
                .resources(List.of(fn.getFunctionArn()))
                .build());
        CfnSchedule.Builder.create(this, capitalize(task) + "Schedule")
                .description("Jobwatch " + task)
                .scheduleExpression(expression)
                .scheduleExpressionTimezone(config.scheduleTimezone())
                .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
                .target(CfnSchedule.TargetProperty.builder()
                        .arn(fn.getFunctionArn())
                        .roleArn(schedulerRole.getRoleArn())
                        .input(input)
                        .deadLetterConfig(CfnSchedule.DeadLetterConfigProperty.builder()
                                .arn(asyncDlq.getQueueArn()).build())
                        .retryPolicy(CfnSchedule.RetryPolicyProperty.builder()
                                .maximumRetryAttempts(2).maximumEventAgeInSeconds(3600).build())
                        .build())
                .build();
    }

    private void addAlarms() {
        SnsAction notify = new SnsAction(alarmTopic);
        MetricOptions fiveMinuteSum = MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build();
        for (Map.Entry<String, Function> e : functions.entrySet()) {
            alarm(capitalize(e.getKey()) + "ErrorsAlarm", "Jobwatch " + e.getKey() + " Lambda reported errors",
                    e.getValue().metricErrors(fiveMinuteSum), 1, 1, TreatMissingData.NOT_BREACHING, notify);
        }
        MetricOptions fiveMinuteMax = MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build();
        alarm("IngestDlqDepthAlarm", "Events that could not be ingested wait in the ingest DLQ (redrive them)",
                ingestDlq.metricApproximateNumberOfMessagesVisible(fiveMinuteMax), 1, 1,
                TreatMissingData.NOT_BREACHING, notify);
        alarm("ScheduledDlqDepthAlarm", "A scheduled Jobwatch run failed after retries",
                asyncDlq.metricApproximateNumberOfMessagesVisible(fiveMinuteMax), 1, 1,
                TreatMissingData.NOT_BREACHING, notify);
        if (ingestQueue != null) {
            alarm("IngestQueueAgeAlarm", "Job events wait more than 15 minutes to be ingested",
                    ingestQueue.metricApproximateAgeOfOldestMessage(fiveMinuteMax), 900, 2,
                    TreatMissingData.NOT_BREACHING, notify);
        } else {
            Function ingest = functions.get("ingest");
            // The direct mode's counterparts of the queue's age and the DLQ: Lambda's asynchronous-invocation metrics.
            alarm("IngestAsyncEventAgeAlarm", "Job events wait more than 15 minutes in Lambda's asynchronous queue"
                            + " (throttled or failing ingest function)",
                    ingest.metric("AsyncEventAge", MetricOptions.builder().period(Duration.minutes(5))
                            .statistic("Maximum").unit(Unit.MILLISECONDS).build()), 900_000, 2,
                    TreatMissingData.NOT_BREACHING, notify);
            alarm("IngestAsyncEventsDroppedAlarm", "Lambda dropped job events without processing them (check the"
                            + " ingest function's on-failure destination)",
                    ingest.metric("AsyncEventsDropped", fiveMinuteSum), 1, 1, TreatMissingData.NOT_BREACHING, notify);
            alarm("IngestDestinationDeliveryFailuresAlarm", "Failed job events could not be written to the ingest"
                            + " DLQ (they are lost unless the queue is fixed)",
                    ingest.metric("DestinationDeliveryFailures", fiveMinuteSum), 1, 1,
                    TreatMissingData.NOT_BREACHING, notify);
        }
        // Missing data breaches: the outbox handler publishes the age on every run, so silence means it stopped.
        alarm("OutboxAgeAlarm", "ServiceNow calls have been waiting in the outbox for more than an hour",
                Metric.Builder.create().namespace(METRIC_NAMESPACE).metricName(METRIC_OUTBOX_OLDEST_AGE)
                        .period(Duration.minutes(5)).statistic("Maximum").build(),
                3600, 3, TreatMissingData.BREACHING, notify);
        // Ingest publishes each action's alert latency (event arrival → first request); the periodic function the
        // latency of the first requests it makes. No actions, no data: not breaching.
        alarm("AlertLatencyAlarm", "Incident actions reached ServiceNow more than a minute after their job event"
                        + " (p99 over 5 minutes): check the ingest function's errors and duration, and ServiceNow",
                Metric.Builder.create().namespace(METRIC_NAMESPACE).metricName(METRIC_ALERT_LATENCY)
                        .period(Duration.minutes(5)).statistic("p99").unit(Unit.MILLISECONDS).build(),
                ALERT_LATENCY_ALARM_MS, 1, TreatMissingData.NOT_BREACHING, notify);
        // The reconciler publishes the count on every pass: a member account it cannot enter (role missing, external
        // id wrong) shows here, while the function itself succeeds (the other accounts were reconciled).
        alarm("ReconcileFailedScopesAlarm", "The reconciler could not ask a member account's services (check its"
                        + " JobwatchReconcilerReadOnly role and external id)",
                Metric.Builder.create().namespace(METRIC_NAMESPACE).metricName(METRIC_RECONCILE_FAILED_SCOPES)
                        .period(Duration.minutes(15)).statistic("Maximum").build(),
                1, 2, TreatMissingData.NOT_BREACHING, notify);
    }

    private void alarm(String id, String description, software.amazon.awscdk.services.cloudwatch.IMetric metric,
                       double threshold, int periods, TreatMissingData missing, SnsAction action) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(periods)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(missing)
                .build();
        alarm.addAlarmAction(action);
        alarms.add(alarm);
    }

    private void addSuppressions() {
        for (HttpRoute route : httpRoutes) {
            NagSuppressions.addResourceSuppressions(route, List.of(suppress("AwsSolutions-APIG4",
                    "The ingest function authorizes every request before it stores anything: a ping carries its team's"
                            + " key in the path (Healthchecks' URL shape, which an API Gateway authorizer cannot read"
                            + " without a second Lambda per ping), an OpenLineage event the API key as a Bearer token;"
                            + " a wrong key answers 404/401 and stores nothing")));
        }
        for (Function fn : functions.values()) {
            NagSuppressions.addResourceSuppressions(fn, List.of(suppress("AwsSolutions-L1",
                    "Java 21 is the runtime the handlers are built and tested for; the runtime is upgraded"
                            + " deliberately together with the lambda module, not by a linter")));
        }
        NagSuppressions.addResourceSuppressions(roles.get("export"), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("The export writes one object per day partition and a manifest per export under export/"
                        + " (export/runs/dt=YYYY-MM-DD/…, export/manifests/…); the"
                        + " object names are not known in advance, so the prefix wildcard is the narrowest grant")
                .appliesTo(List.of("Resource::<" + getLogicalId(exportBucket) + ".Arn>/" + EXPORT_PREFIX + "*"))
                .build()), true);
        if (!config.orgId().isEmpty()) {
            NagSuppressions.addResourceSuppressions(roles.get("reconcile"), List.of(NagPackSuppression.builder()
                    .id("AwsSolutions-IAM5")
                    .reason("Member accounts come from the Organization (aws:ResourceOrgID condition, this account"
                            + " excluded), so the account part of the read-only role's ARN is a wildcard")
                    .appliesTo(List.of("Resource::arn:<AWS::Partition>:iam::*:role/" + RECONCILER_READ_ONLY_ROLE))
                    .build()), true);
        }
        if (ingestQueue == null) {
            NagSuppressions.addResourceSuppressions(ingestDlq, List.of(suppress("AwsSolutions-SQS3",
                    "This queue is itself the dead-letter queue of the ingest path: the ingest function's on-failure"
                            + " destination and the job-events rule's target DLQ (direct mode)")));
        }
        NagSuppressions.addResourceSuppressions(asyncDlq, List.of(suppress("AwsSolutions-SQS3",
                "This queue is itself the dead-letter queue of the scheduled Lambdas (on-failure destination)"
                        + " and of their schedules")));
    }

    private String getLogicalId(Bucket bucket) {
        return getLogicalId((software.amazon.awscdk.CfnElement) bucket.getNode().getDefaultChild());
    }

    static NagPackSuppression suppress(String id, String reason) {
        return NagPackSuppression.builder().id(id).reason(reason).build();
    }

    private void output(String id, String value) {
        CfnOutput.Builder.create(this, id).value(value).build();
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
