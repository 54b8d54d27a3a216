package io.jobwatch.infra;

import static io.jobwatch.infra.Synthesized.CENTRAL_JSON;
import static io.jobwatch.infra.Synthesized.central;
import static io.jobwatch.infra.Synthesized.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.normalize.EventNormalizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.event.ruler.Machine;

class CentralStackTest {

    private static Template template;

    @BeforeAll
    static void synthesizeOnce() {
        template = Synthesized.centralTemplate();
    }

    private static List<JsonNode> resources(String type) {
        List<JsonNode> out = new ArrayList<>();
        CENTRAL_JSON.get("Resources").forEach(r -> {
            if (r.get("Type").asText().equals(type)) {
                out.add(r);
            }
        });
        return out;
    }

    private static JsonNode resource(String logicalId) {
        return CENTRAL_JSON.get("Resources").get(logicalId);
    }

    // --- Event bus and ingest path ----------------------------------------------------------------------------

    @Test
    void busPolicy_allowsPutEventsOnlyFromTheOrganizationOrTheListedAccounts() {
        List<JsonNode> policies = resources("AWS::Events::EventBusPolicy");
        assertThat(policies).hasSize(2);
        List<String> statements = new ArrayList<>();
        for (JsonNode p : policies) {
            JsonNode s = p.at("/Properties/Statement");
            assertThat(s.get("Effect").asText()).isEqualTo("Allow");
            assertThat(s.get("Action").asText()).isEqualTo("events:PutEvents");
            assertThat(Policies.render(s.get("Resource"))).isEqualTo(id(central().bus()) + ".Arn");
            statements.add(Policies.render(s.get("Principal")) + " " + Policies.render(s.path("Condition")));
        }
        assertThat(statements).containsExactlyInAnyOrder(
                "{AWS=*} {StringEquals={aws:PrincipalOrgID=" + Synthesized.ORG_ID + "}}",
                "{AWS=[arn:${AWS::Partition}:iam::" + Synthesized.MEMBER_1 + ":root, arn:${AWS::Partition}:iam::"
                        + Synthesized.MEMBER_2 + ":root]} ");
        template.hasResourceProperties("AWS::Events::EventBus", Map.of("Name", JobwatchNames.BUS_NAME));
    }

    @Test
    void jobEventsRule_matchesExactlyTheRegistrysSourcesAndDetailTypes_withTheSourcesFiltersAsOrBranches() {
        JsonNode rule = resources("AWS::Events::Rule").get(0);
        JsonNode pattern = rule.at("/Properties/EventPattern");
        assertThat(pattern.fieldNames()).toIterable().containsExactly("$or");
        List<String> sources = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (JsonNode branch : pattern.get("$or")) {
            branch.get("source").forEach(n -> {
                if (!sources.contains(n.asText())) {
                    sources.add(n.asText());
                }
            });
            branch.get("detail-type").forEach(n -> types.add(n.asText()));
        }
        Map<String, List<String>> supported = EventNormalizer.supportedDetailTypes();
        assertThat(sources).containsExactlyInAnyOrderElementsOf(supported.keySet());
        assertThat(types).containsExactlyInAnyOrderElementsOf(supported.values().stream().flatMap(List::stream)
                .toList());
        assertThat(sources).containsExactlyInAnyOrder("aws.glue", "aws.states", "aws.appflow", "aws.datasync",
                "aws.batch", "aws.emr-serverless", "aws.ecs", "aws.emr", "aws.sagemaker", "aws.dms", "aws.databrew");
        assertThat(types).hasSize(14).contains("Glue Crawler State Change", "EMR Serverless Job Run State Change",
                "EMR Serverless Job Run Retry",
                "ECS Task State Change", "EMR Step Status Change", "SageMaker Model Building Pipeline Execution Status Change",
                "DMS Replication Task State Change", "DataBrew Job State Change");
        assertThat(pattern.get("$or").toString())
                .contains("{\"source\":[\"aws.ecs\"],\"detail-type\":[\"ECS Task State Change\"],\"detail\":{\"group\":[{\"anything-but\":{\"prefix\":\"service:\"}}]}}");
        assertThat(Policies.render(rule.at("/Properties/EventBusName"))).isEqualTo("${" + id(central().bus()) + "}");
    }

    @Test
    void jobEventsRule_matchesEveryRealSampleEvent_andNothingElse() throws Exception {
        Machine machine = new Machine();
        JsonNode rule = resources("AWS::Events::Rule").get(0);
        machine.addRule("jobs", rule.at("/Properties/EventPattern").toString());
        Path events = repoRoot().resolve("examples/events");
        List<Path> samples;
        try (Stream<Path> files = Files.walk(events)) {
            samples = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThanOrEqualTo(7);
        ObjectMapper json = new ObjectMapper();
        for (Path sample : samples) {
            JsonNode event = json.readTree(sample.toFile());
            assertThat(machine.rulesForJSONEvent(event.toString())).as(sample.toString()).containsExactly("jobs");
        }
        String other = "{\"source\":\"aws.ec2\",\"detail-type\":\"EC2 Instance State-change Notification\","
                + "\"account\":\"123456789012\",\"region\":\"eu-west-1\",\"detail\":{}}";
        assertThat(machine.rulesForJSONEvent(other)).isEmpty();
        // Events of a followed type that are not job runs stay in their account: an ECS service's task, a DMS task
        // being modified.
        JsonNode serviceTask = json.readTree(repoRoot().resolve("examples/not-runs/ecs-service-task-stopped.json").toFile());
        assertThat(machine.rulesForJSONEvent(serviceTask.toString())).isEmpty();
        com.fasterxml.jackson.databind.node.ObjectNode modified = (com.fasterxml.jackson.databind.node.ObjectNode)
                json.readTree(events.resolve("dms-task/started.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) modified.get("detail")).put("eventType", "REPLICATION_TASK_CONFIGURATION_CHANGE");
        assertThat(machine.rulesForJSONEvent(modified.toString())).isEmpty();
    }

    @Test
    void ingestPath_direct_ruleInvokesTheAliasAsynchronously_withEventBridgeRetriesAndTheDlq() {
        String dlq = id(central().ingestDlq()) + ".Arn";
        String alias = "${" + id(central().ingestAlias()) + "}";
        JsonNode target = resources("AWS::Events::Rule").get(0).at("/Properties/Targets");
        assertThat(target).hasSize(1);
        assertThat(Policies.render(target.at("/0/Arn"))).isEqualTo(alias);
        assertThat(Policies.render(target.at("/0/DeadLetterConfig/Arn"))).isEqualTo(dlq);
        assertThat(target.at("/0/RetryPolicy/MaximumRetryAttempts").asInt()).isEqualTo(185);
        assertThat(target.at("/0/RetryPolicy/MaximumEventAgeInSeconds").asInt()).isEqualTo(86_400);
        // No queue and no pollers in direct mode.
        assertThat(central().ingestQueue()).isEmpty();
        assertThat(resources("AWS::Lambda::EventSourceMapping")).isEmpty();
        assertThat(resources("AWS::SQS::Queue")).hasSize(2); // IngestDlq, ScheduledDlq
        for (JsonNode q : resources("AWS::SQS::Queue")) {
            assertThat(q.at("/Properties/SqsManagedSseEnabled").asBoolean()).isTrue();
            assertThat(q.at("/Properties/MessageRetentionPeriod").asInt()).isEqualTo(14 * 86_400);
        }
        // Only this rule may invoke the alias for events (the HTTP API's routes have their own permissions, see
        // HttpEndpointTest), and only this rule may write to the DLQ besides the function.
        List<JsonNode> permissions = resources("AWS::Lambda::Permission").stream()
                .filter(r -> !r.at("/Properties/Principal").asText().equals("apigateway.amazonaws.com")).toList();
        assertThat(permissions).hasSize(1);
        JsonNode p = permissions.get(0).get("Properties");
        assertThat(p.get("Principal").asText()).isEqualTo("events.amazonaws.com");
        assertThat(p.get("Action").asText()).isEqualTo("lambda:InvokeFunction");
        assertThat(Policies.render(p.get("FunctionName"))).isEqualTo(alias);
        assertThat(Policies.render(p.get("SourceArn"))).isEqualTo(id(rule()) + ".Arn");
    }

    @Test
    void ingestAlias_direct_retriesTwice_keepsEventsSixHours_andSendsFailuresToTheDlq() {
        String ingestFn = "${" + id(central().functions().get("ingest")) + "}";
        List<JsonNode> configs = resources("AWS::Lambda::EventInvokeConfig").stream()
                .filter(c -> Policies.render(c.at("/Properties/FunctionName")).equals(ingestFn)).toList();
        assertThat(configs).hasSize(1);
        JsonNode config = configs.get(0).get("Properties");
        assertThat(Policies.render(config.get("Qualifier"))).contains(id(central().ingestAlias()));
        assertThat(config.get("MaximumRetryAttempts").asInt()).isEqualTo(2);
        assertThat(config.get("MaximumEventAgeInSeconds").asInt()).isEqualTo(6 * 3600);
        assertThat(Policies.render(config.at("/DestinationConfig/OnFailure/Destination")))
                .isEqualTo(id(central().ingestDlq()) + ".Arn");
        assertThat(config.at("/DestinationConfig/OnSuccess").isMissingNode()).isTrue();
    }

    @Test
    void snapStartFunctions_runTheirPublishedVersionThroughTheLiveAlias_andThe5MinuteFunctionStaysOnLatest() {
        List<JsonNode> versions = resources("AWS::Lambda::Version");
        assertThat(versions).hasSize(4);
        assertThat(central().aliases().keySet()).containsExactlyInAnyOrder("ingest", "digest", "reconcile", "export");
        for (String task : List.of("ingest", "digest", "reconcile", "export")) {
            String fn = id(central().functions().get(task));
            assertThat(resource(fn).at("/Properties/SnapStart/ApplyOn").asText()).as(task).isEqualTo("PublishedVersions");
            String versionId = null;
            for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) () -> CENTRAL_JSON.get("Resources").fields()) {
                if (e.getValue().get("Type").asText().equals("AWS::Lambda::Version")
                        && Policies.render(e.getValue().at("/Properties/FunctionName")).equals("${" + fn + "}")) {
                    versionId = e.getKey();
                }
            }
            assertThat(versionId).as(task).isNotNull();
            JsonNode alias = resource(id(central().aliases().get(task))).get("Properties");
            assertThat(alias.get("Name").asText()).isEqualTo(JobwatchNames.INGEST_ALIAS).isEqualTo("live");
            assertThat(Policies.render(alias.get("FunctionName"))).isEqualTo("${" + fn + "}");
            assertThat(Policies.render(alias.get("FunctionVersion"))).isEqualTo(versionId + ".Version");
        }
        // The 5-minute function reads the ServiceNow secret at init (a snapshot would keep it past a rotation) and
        // stays warm anyway.
        assertThat(resource(id(central().functions().get("periodic"))).at("/Properties/SnapStart").isMissingNode())
                .isTrue();
        assertThat(central().aliases()).doesNotContainKey("periodic");
    }

    @Test
    void outputs_nameTheIngestModeDlqAliasAndTheRedriveCommand() {
        JsonNode outputs = CENTRAL_JSON.get("Outputs");
        assertThat(outputs.at("/IngestMode/Value").asText()).isEqualTo("direct");
        assertThat(Policies.render(outputs.at("/IngestDlqUrl/Value"))).isEqualTo("${" + id(central().ingestDlq()) + "}");
        assertThat(Policies.render(outputs.at("/RedriveCommand/Value"))).isEqualTo("jobwatch aws redrive --queue ${"
                + id(central().ingestDlq()) + "} --function ${" + id(central().ingestAlias()) + "} --region"
                + " ${AWS::Region}");
        assertThat(outputs.has("IngestQueueUrl")).isFalse();
    }

    private static software.constructs.IConstruct rule() {
        return (software.constructs.IConstruct) central().getNode().findChild("JobEventsRule");
    }

    // --- Roles: exactly the allowed actions on exactly the expected resources ---------------------------------

    private static TreeSet<String> role(String task) {
        return Policies.ofRole(CENTRAL_JSON, id(central().roles().get(task)));
    }

    private static List<String> allow(List<String> actions, String resource) {
        return actions.stream().map(a -> "Allow " + a + " " + resource).toList();
    }

    private static Set<String> expected(List<List<String>> groups) {
        Set<String> out = new TreeSet<>();
        groups.forEach(out::addAll);
        return out;
    }

    private static List<String> logs(String task) {
        return allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"), id(central().logGroups().get(task)) + ".Arn");
    }

    private static List<String> query() {
        String table = id(central().table()) + ".Arn";
        return List.of("Allow dynamodb:Query " + table, "Allow dynamodb:Query " + table + "/index/byTime",
                "Allow dynamodb:Query " + table + "/index/summaries",
                "Allow dynamodb:Query " + table + "/index/openRuns", "Allow dynamodb:Query " + table + "/index/briefs",
                // the whole job summaries are read by key
                "Allow dynamodb:BatchGetItem " + table);
    }

    private static List<String> table(String... actions) {
        return allow(List.of(actions), id(central().table()) + ".Arn");
    }

    private static List<String> scheduledDlq() {
        return allow(List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
                id(central().scheduledDlq()) + ".Arn");
    }

    @Test
    void ingestRole_direct_writesRunsAndDecidesIncidentsWithoutScan_readsTheServiceNowAndChannelSecrets_andMayOnlySendItsFailuresToTheDlq() {
        String table = id(central().table()) + ".Arn";
        assertThat(role("ingest")).containsExactlyInAnyOrderElementsOf(expected(List.of(
                logs("ingest"),
                table("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:GetItem"),
                // The table (crawl pairing, an incident's outbox entries) and the job's runs by time; no other index.
                List.of("Allow dynamodb:Query " + table, "Allow dynamodb:Query " + table + "/index/byTime"),
                allow(List.of("secretsmanager:GetSecretValue"), "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:"
                        + "${AWS::AccountId}:secret:jobwatch/servicenow-??????"),
                // The teams' channels hear from ingest too: their settings are in the channel secrets.
                allow(List.of("secretsmanager:GetSecretValue"), CHANNEL_SECRETS),
                // The on-failure destination is sent with the function's role.
                allow(List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"),
                        id(central().ingestDlq()) + ".Arn"),
                // The HTTP endpoint's keys (API key, teams' ping keys): this secret and no other.
                allow(List.of("secretsmanager:GetSecretValue"), "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:"
                        + "${AWS::AccountId}:secret:jobwatch/http-keys-??????"))));
    }

    @Test
    void digestRole_mayQueryAndSendThroughItsIdentityAndTopicOnly() {
        assertThat(role("digest")).containsExactlyInAnyOrderElementsOf(expected(List.of(
                logs("digest"), query(), scheduledDlq(), table("dynamodb:PutItem", "dynamodb:GetItem"),
                allow(List.of("ses:SendEmail", "ses:SendRawEmail"),
                        "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/mail.example.org"),
                allow(List.of("sns:Publish"), "${" + id(central().digestTopic()) + "}"),
                allow(List.of("secretsmanager:GetSecretValue"), CHANNEL_SECRETS))));
    }

    /** The channel secrets (the teams' Slack/Teams URLs, PagerDuty keys, webhook secrets) and nothing else. */
    static final String CHANNEL_SECRETS = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:"
            + "jobwatch/channels-??????";

    @Test
    void periodicRole_mayQueryRecordBreachesAndIncidents_andReadTheServiceNowSecret_butNotPublish() {
        assertThat(role("periodic")).containsExactlyInAnyOrderElementsOf(expected(List.of(
                logs("periodic"), query(), scheduledDlq(),
                table("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:GetItem"),
                allow(List.of("secretsmanager:GetSecretValue"), "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:"
                        + "${AWS::AccountId}:secret:jobwatch/servicenow-??????"),
                allow(List.of("secretsmanager:GetSecretValue"), CHANNEL_SECRETS))));
    }

    @Test
    void exportRole_mayQueryReadIncidentRecordsWriteRollupsAndPutObjectsUnderTheExportPrefixOnly() {
        assertThat(role("export")).containsExactlyInAnyOrderElementsOf(expected(List.of(
                logs("export"), query(), scheduledDlq(),
                table("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
                allow(List.of("s3:PutObject", "s3:AbortMultipartUpload"),
                        id(central().exportBucket()) + ".Arn/export/*"))));
    }

    @Test
    void reconcileRole_mayAssumeTheReadOnlyRoleInMemberAccountsOnly() {
        String readOnly = ":role/" + JobwatchNames.RECONCILER_READ_ONLY_ROLE;
        assertThat(role("reconcile")).containsExactlyInAnyOrderElementsOf(expected(List.of(
                logs("reconcile"), query(), scheduledDlq(),
                table("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
                List.of("Allow sts:AssumeRole arn:${AWS::Partition}:iam::" + Synthesized.MEMBER_1 + readOnly,
                        "Allow sts:AssumeRole arn:${AWS::Partition}:iam::" + Synthesized.MEMBER_2 + readOnly,
                        "Allow sts:AssumeRole arn:${AWS::Partition}:iam::*" + readOnly
                                + " {StringEquals={aws:ResourceOrgID=" + Synthesized.ORG_ID + "},"
                                + " StringNotEquals={aws:ResourceAccount=${AWS::AccountId}}}"))));
        template.hasResourceProperties("AWS::IAM::Role", Map.of("RoleName", JobwatchNames.RECONCILER_ROLE));
    }

    @Test
    void schedulerRole_mayInvokeTheFourScheduledFunctionsAndFeedTheirDlq() {
        List<String> expected = new ArrayList<>();
        expected.add("Allow lambda:InvokeFunction " + id(central().functions().get("periodic")) + ".Arn");
        for (String task : List.of("digest", "export", "reconcile")) {
            expected.add("Allow lambda:InvokeFunction ${" + id(central().aliases().get(task)) + "}");
        }
        expected.add("Allow sqs:SendMessage " + id(central().scheduledDlq()) + ".Arn");
        assertThat(Policies.ofRole(CENTRAL_JSON, id(central().schedulerRole())))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void rolesHaveNoManagedPolicies_andNoRoleMayScan() {
        for (JsonNode role : resources("AWS::IAM::Role")) {
            assertThat(role.at("/Properties/ManagedPolicyArns").isMissingNode()).isTrue();
        }
        assertThat(resources("AWS::IAM::Role")).hasSize(6); // five Lambdas + the scheduler
        assertThat(Policies.allIdentityStatements(CENTRAL_JSON)).noneMatch(s -> s.contains("dynamodb:Scan"));
    }

    /** Wildcards that are justified (and suppressed for cdk-nag with the same reason in the stack). */
    static final Set<String> JUSTIFIED_WILDCARDS = Set.of(
            "export/*",                                         // export: one object per day partition + manifests
            ":iam::*:role/" + JobwatchNames.RECONCILER_READ_ONLY_ROLE); // org members, aws:ResourceOrgID-bound

    @Test
    void noIdentityStatement_hasAWildcardActionOrAnUnjustifiedWildcardResource() {
        for (String line : Policies.allIdentityStatements(CENTRAL_JSON)) {
            String[] parts = line.split(" ");
            assertThat(parts[1]).as(line).doesNotContain("*");
            if (parts[2].contains("*")) {
                assertThat(JUSTIFIED_WILDCARDS).as(line).anyMatch(parts[2]::endsWith);
            }
        }
    }

    // --- Data: table, bucket, Glue, Athena ----------------------------------------------------------------------

    @Test
    void table_isOnDemandWithTtlPitrEncryptionAndTheSharedKeyNames() {
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "TableName", "jobwatch",
                "BillingMode", "PAY_PER_REQUEST",
                "KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                "TimeToLiveSpecification", Map.of("AttributeName", "ttl", "Enabled", true),
                "PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true),
                // SSEEnabled without a key id: KMS with the AWS-managed aws/dynamodb key.
                "SSESpecification", Map.of("SSEEnabled", true),
                "LocalSecondaryIndexes", List.of(Match.objectLike(Map.of(
                        "IndexName", "byTime",
                        "KeySchema", List.of(Map.of("AttributeName", "pk", "KeyType", "HASH"),
                                Map.of("AttributeName", "t", "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "KEYS_ONLY")))),
                // No index by day (a window's runs are read one job at a time through byTime): exactly these four.
                "GlobalSecondaryIndexes", List.of(Match.objectLike(Map.of(
                        "IndexName", "summaries",
                        "KeySchema", List.of(Map.of("AttributeName", "g", "KeyType", "HASH"),
                                Map.of("AttributeName", "pk", "KeyType", "RANGE")))),
                        Match.objectLike(Map.of(
                        "IndexName", "briefs",
                        "KeySchema", List.of(Map.of("AttributeName", "b", "KeyType", "HASH"),
                                Map.of("AttributeName", "pk", "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "INCLUDE",
                                "NonKeyAttributes", JobwatchNames.BRIEF_ATTRIBUTES))),
                        Match.objectLike(Map.of(
                        "IndexName", "openRuns",
                        "KeySchema", List.of(Map.of("AttributeName", "o", "KeyType", "HASH"),
                                Map.of("AttributeName", "t", "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "ALL"))))));
        template.hasResource("AWS::DynamoDB::Table", Map.of("DeletionPolicy", "Retain"));
    }

    @Test
    void buckets_blockPublicAccess_encrypt_enforceTls_andExpireObjects() {
        Map<String, Object> blockAll = Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                "IgnorePublicAcls", true, "RestrictPublicBuckets", true);
        template.resourceCountIs("AWS::S3::Bucket", 2);
        template.allResourcesProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "PublicAccessBlockConfiguration", blockAll,
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "LifecycleConfiguration", Match.anyValue())));
        template.allResourcesProperties("AWS::S3::BucketPolicy", Match.objectLike(Map.of("PolicyDocument",
                Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))))));
        JsonNode rules = resource(id(central().exportBucket())).at("/Properties/LifecycleConfiguration/Rules");
        List<String> prefixes = new ArrayList<>();
        rules.forEach(r -> prefixes.add(r.path("Prefix").asText("") + ":" + r.path("ExpirationInDays").asText("")));
        assertThat(prefixes).contains("export/:730", "athena-results/:7");
    }

    @Test
    void glueTable_hasTheExportColumns_andDatePartitionProjection() {
        JsonNode input = resources("AWS::Glue::Table").get(0).at("/Properties/TableInput");
        List<String> columns = new ArrayList<>();
        input.at("/StorageDescriptor/Columns").forEach(c -> columns.add(c.get("Name").asText() + " "
                + c.get("Type").asText()));
        assertThat(columns).containsExactlyElementsOf(JobwatchNames.EXPORT_COLUMNS.stream()
                .map(c -> c.name() + " " + c.type()).toList());
        assertThat(columns.stream().map(c -> c.split(" ")[0]).toList()).containsExactly("run_id", "source", "account",
                "system", "region", "job_name", "team", "criticality", "state", "source_state", "started_at",
                "ended_at", "duration_s", "error", "incident_number", "event_count", "first_seen", "last_updated",
                "attempt", "warning", "raw_job_name");
        assertThat(input.at("/PartitionKeys/0/Name").asText()).isEqualTo("dt");
        JsonNode p = input.get("Parameters");
        assertThat(p.get("projection.enabled").asText()).isEqualTo("true");
        assertThat(p.get("projection.dt.type").asText()).isEqualTo("date");
        assertThat(p.get("projection.dt.range").asText()).isEqualTo("2025-01-01,NOW");
        assertThat(p.get("projection.dt.format").asText()).isEqualTo("yyyy-MM-dd");
        assertThat(Policies.render(p.get("storage.location.template")))
                .isEqualTo("s3://${" + id(central().exportBucket()) + "}/export/runs/dt=${dt}/");
        assertThat(input.at("/StorageDescriptor/SerdeInfo/SerializationLibrary").asText())
                .isEqualTo("org.apache.hadoop.hive.serde2.OpenCSVSerde");
    }

    @Test
    void athenaWorkgroup_enforcesResultLocationEncryptionAndBytesScannedLimit() {
        template.hasResourceProperties("AWS::Athena::WorkGroup", Map.of("WorkGroupConfiguration", Match.objectLike(
                Map.of("EnforceWorkGroupConfiguration", true,
                        "BytesScannedCutoffPerQuery", 10737418240L,
                        "ResultConfiguration", Map.of(
                                "EncryptionConfiguration", Map.of("EncryptionOption", "SSE_S3"),
                                "OutputLocation", Match.anyValue())))));
        JsonNode location = resources("AWS::Athena::WorkGroup").get(0)
                .at("/Properties/WorkGroupConfiguration/ResultConfiguration/OutputLocation");
        assertThat(Policies.render(location)).isEqualTo("s3://${" + id(central().exportBucket()) + "}/athena-results/");
    }

    // --- Notifications ------------------------------------------------------------------------------------------

    @Test
    void digestTopic_allowsPublishOnlyFromTheDigestRole() {
        JsonNode policy = null;
        for (JsonNode p : resources("AWS::SNS::TopicPolicy")) {
            if (Policies.render(p.at("/Properties/Topics/0")).equals("${" + id(central().digestTopic()) + "}")) {
                policy = p;
            }
        }
        assertThat(policy).isNotNull();
        String digestRole = id(central().roles().get("digest")) + ".Arn";
        List<String> statements = new ArrayList<>();
        for (JsonNode s : policy.at("/Properties/PolicyDocument/Statement")) {
            statements.add(s.get("Effect").asText() + " " + s.get("Action").asText() + " "
                    + Policies.render(s.get("Principal")) + " " + Policies.render(s.path("Condition")));
        }
        assertThat(statements).containsExactlyInAnyOrder(
                "Deny sns:Publish * {Bool={aws:SecureTransport=false}}",
                "Allow sns:Publish {AWS=" + digestRole + "} ",
                "Deny sns:Publish {AWS=*} {ArnNotEquals={aws:PrincipalArn=" + digestRole + "}}");
        template.hasResourceProperties("AWS::SNS::Topic", Map.of("DisplayName", "Jobwatch digest",
                "KmsMasterKeyId", Match.anyValue()));
    }

    // --- Lambdas, schedules, DLQs, alarms, logs -----------------------------------------------------------------

    @Test
    void lambdas_runJava21OnArm64_withTheAgreedHandlersAndEnvironment() {
        Map<String, String> handlers = Map.of("ingest", JobwatchNames.INGEST_HANDLER,
                "digest", JobwatchNames.DIGEST_HANDLER, "periodic", JobwatchNames.PERIODIC_HANDLER,
                "export", JobwatchNames.EXPORT_HANDLER, "reconcile", JobwatchNames.RECONCILE_HANDLER);
        assertThat(central().functions().keySet()).containsExactlyInAnyOrderElementsOf(handlers.keySet());
        for (Map.Entry<String, String> h : handlers.entrySet()) {
            JsonNode fn = resource(id(central().functions().get(h.getKey()))).get("Properties");
            assertThat(fn.get("Handler").asText()).isEqualTo(h.getValue());
            assertThat(fn.get("Runtime").asText()).isEqualTo("java21");
            assertThat(fn.get("Architectures").toString()).isEqualTo("[\"arm64\"]");
            assertThat(fn.get("MemorySize").asInt()).as(h.getKey()).isEqualTo(h.getKey().equals("export") ? 1024
                    : h.getKey().equals("reconcile") ? 256 : 512);
            assertThat(Policies.render(fn.get("Role"))).isEqualTo(id(central().roles().get(h.getKey())) + ".Arn");
            JsonNode env = fn.at("/Environment/Variables");
            assertThat(Policies.render(env.get("JOBWATCH_TABLE"))).isEqualTo("${" + id(central().table()) + "}");
            assertThat(env.get("JOBWATCH_CATALOG").asText()).isEqualTo("/var/task/jobwatch.yml");
            assertThat(env.get("JOBWATCH_RETENTION_DAYS").asText()).isEqualTo("7");
            assertThat(Policies.render(fn.at("/LoggingConfig/LogGroup")))
                    .isEqualTo("${" + id(central().logGroups().get(h.getKey())) + "}");
        }
        JsonNode digestEnv = resource(id(central().functions().get("digest"))).at("/Properties/Environment/Variables");
        assertThat(digestEnv.get("JOBWATCH_SES_FROM").asText()).isEqualTo("jobwatch@mail.example.org");
        assertThat(Policies.render(digestEnv.get("JOBWATCH_SNS_TOPIC_ARN")))
                .isEqualTo("${" + id(central().digestTopic()) + "}");
        // Ingest sends the first requests of the incidents it decides: it names ServiceNow and its secret, like periodic.
        for (String task : List.of("ingest", "periodic")) {
            JsonNode env = resource(id(central().functions().get(task))).at("/Properties/Environment/Variables");
            assertThat(env.get("SERVICENOW_SECRET_ID").asText()).as(task).isEqualTo("jobwatch/servicenow");
            assertThat(env.has("SERVICENOW_INSTANCE")).as(task).isTrue();
            assertThat(env.get("JOBWATCH_CHANNEL_SECRETS_ID").asText()).as(task).isEqualTo("jobwatch/channels");
        }
        JsonNode exportEnv = resource(id(central().functions().get("export"))).at("/Properties/Environment/Variables");
        assertThat(exportEnv.get("JOBWATCH_EXPORT_PREFIX").asText()).isEqualTo("export/");
        // One periodic pass at a time (SLA checks, incident decisions, the outbox); every other function keeps the
        // account's unreserved pool.
        for (Map.Entry<String, software.amazon.awscdk.services.lambda.Function> f : central().functions().entrySet()) {
            JsonNode reserved = resource(id(f.getValue())).at("/Properties/ReservedConcurrentExecutions");
            if (f.getKey().equals("periodic")) {
                assertThat(reserved.asInt()).isEqualTo(CentralStack.PERIODIC_CONCURRENCY).isEqualTo(1);
            } else {
                assertThat(reserved.isMissingNode()).as(f.getKey()).isTrue();
            }
        }
        JsonNode outboxEnv = resource(id(central().functions().get("periodic"))).at("/Properties/Environment/Variables");
        assertThat(outboxEnv.get("SERVICENOW_SECRET_ID").asText()).isEqualTo("jobwatch/servicenow");
        assertThat(outboxEnv.get("SERVICENOW_INSTANCE").asText()).isEqualTo("https://acme.service-now.com");
        assertThat(outboxEnv.get("JOBWATCH_CHANNEL_SECRETS_ID").asText()).isEqualTo("jobwatch/channels");
        assertThat(digestEnv.get("JOBWATCH_CHANNEL_SECRETS_ID").asText()).isEqualTo("jobwatch/channels");
        JsonNode reconcileEnv = resource(id(central().functions().get("reconcile")))
                .at("/Properties/Environment/Variables");
        assertThat(reconcileEnv.get("JOBWATCH_REGIONS").asText()).isEqualTo("eu-west-1,eu-central-1");
        assertThat(reconcileEnv.get("JOBWATCH_RECONCILE_ROLE_NAME").asText()).isEqualTo("JobwatchReconcilerReadOnly");
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
        // One per function, and the HTTP API's access logs.
        template.resourceCountIs("AWS::Logs::LogGroup", 6);
    }

    @Test
    void everyScheduledPath_hasRetriesAndADlq_andTheAgreedSchedules() {
        Map<String, String> expressions = Map.of("digest", "cron(0 * * * ? *)", "periodic", "rate(5 minutes)",
                "export", "cron(0 3 * * ? *)", "reconcile", "rate(10 minutes)");
        String dlq = id(central().scheduledDlq()) + ".Arn";
        List<JsonNode> schedules = resources("AWS::Scheduler::Schedule");
        assertThat(schedules).hasSize(4);
        List<String> tasks = new ArrayList<>();
        for (JsonNode s : schedules) {
            JsonNode p = s.get("Properties");
            JsonNode input = Policies.json(p.at("/Target/Input").asText());
            String task = input.get("task").asText();
            tasks.add(task);
            assertThat(p.get("ScheduleExpression").asText()).as(task).isEqualTo(expressions.get(task));
            assertThat(Policies.render(p.at("/Target/Arn"))).as(task).isEqualTo(task.equals("periodic")
                    ? id(central().functions().get(task)) + ".Arn" : "${" + id(central().aliases().get(task)) + "}");
            assertThat(Policies.render(p.at("/Target/DeadLetterConfig/Arn"))).isEqualTo(dlq);
            assertThat(p.at("/Target/RetryPolicy/MaximumRetryAttempts").asInt()).isEqualTo(2);
            assertThat(p.get("ScheduleExpressionTimezone").asText()).isEqualTo("UTC");
            // The reconciler plans on the schedule's slot (Scheduler fills the context attribute in).
            assertThat(input.has("scheduledTime")).as(task).isEqualTo(task.equals("reconcile"));
            if (task.equals("reconcile")) {
                assertThat(input.get("scheduledTime").asText()).isEqualTo("<aws.scheduler.scheduled-time>");
            }
        }
        assertThat(tasks).containsExactlyInAnyOrder("digest", "periodic", "export", "reconcile");
        String ingestFn = "${" + id(central().functions().get("ingest")) + "}";
        List<JsonNode> scheduled = resources("AWS::Lambda::EventInvokeConfig").stream()
                .filter(c -> !Policies.render(c.at("/Properties/FunctionName")).equals(ingestFn)).toList();
        assertThat(scheduled).hasSize(4);
        // periodic on $LATEST, the SnapStart functions on their alias (the qualifier the schedule invokes).
        assertThat(scheduled.stream().filter(c -> c.at("/Properties/Qualifier").asText("").equals("$LATEST")))
                .hasSize(1);
        for (JsonNode c : scheduled) {
            assertThat(Policies.render(c.at("/Properties/DestinationConfig/OnFailure/Destination"))).isEqualTo(dlq);
            assertThat(c.at("/Properties/MaximumRetryAttempts").asInt()).isEqualTo(2);
        }
    }

    @Test
    void alarms_coverErrorsDlqDepthAsyncAgeDropsDestinationFailuresAndOutboxAge_andNotifyTheAlarmTopic() {
        List<String> metrics = new ArrayList<>();
        for (JsonNode a : resources("AWS::CloudWatch::Alarm")) {
            metrics.add(a.at("/Properties/Namespace").asText() + "/" + a.at("/Properties/MetricName").asText());
            assertThat(Policies.render(a.at("/Properties/AlarmActions/0")))
                    .isEqualTo("${" + id(central().alarmTopic()) + "}");
        }
        assertThat(metrics).containsExactlyInAnyOrder(
                "AWS/Lambda/Errors", "AWS/Lambda/Errors", "AWS/Lambda/Errors", "AWS/Lambda/Errors",
                "AWS/Lambda/Errors",
                "AWS/SQS/ApproximateNumberOfMessagesVisible", "AWS/SQS/ApproximateNumberOfMessagesVisible",
                "AWS/Lambda/AsyncEventAge", "AWS/Lambda/AsyncEventsDropped", "AWS/Lambda/DestinationDeliveryFailures",
                "Jobwatch/OutboxOldestAgeSeconds", "Jobwatch/ReconcileFailedScopes", "Jobwatch/AlertLatency");
        // Issue 25: a failed job's first request to ServiceNow more than a minute after its event, at p99.
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "AlertLatency",
                "Namespace", "Jobwatch", "ExtendedStatistic", "p99", "Unit", "Milliseconds", "Period", 300,
                "Threshold", 60_000, "EvaluationPeriods", 1, "ComparisonOperator", "GreaterThanOrEqualToThreshold",
                "TreatMissingData", "notBreaching"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "OutboxOldestAgeSeconds",
                "Threshold", 3600, "TreatMissingData", "breaching"));
        // The direct mode's "events waiting" and "events lost" alarms are on the ingest function.
        String ingest = "${" + id(central().functions().get("ingest")) + "}";
        for (String metric : List.of("AsyncEventAge", "AsyncEventsDropped", "DestinationDeliveryFailures")) {
            JsonNode alarm = resources("AWS::CloudWatch::Alarm").stream()
                    .filter(a -> a.at("/Properties/MetricName").asText().equals(metric)).findFirst().orElseThrow();
            assertThat(Policies.render(alarm.at("/Properties/Dimensions/0/Value"))).as(metric).isEqualTo(ingest);
        }
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "AsyncEventAge",
                "Statistic", "Maximum", "Threshold", 900_000, "EvaluationPeriods", 2));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "DestinationDeliveryFailures",
                "Statistic", "Sum", "Threshold", 1));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "ApproximateNumberOfMessagesVisible",
                "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt",
                        List.of(id(central().ingestDlq()), "QueueName")))), "Threshold", 1));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "ReconcileFailedScopes",
                "Threshold", 1, "TreatMissingData", "notBreaching"));
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email",
                "Endpoint", "oncall@example.org"));
    }

    static Path repoRoot() throws IOException {
        String prop = System.getProperty("jobwatch.repo");
        if (prop != null && Files.isDirectory(Path.of(prop, "examples/events"))) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples/events"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IOException("cannot find the repository root (examples/events) above " + Path.of("")
                    .toAbsolutePath());
        }
        return p;
    }
}
