package io.jobwatch.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.reconcile.ReconcilePlan;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.reconcile.aws.AwsRunSources;
import io.jobwatch.reconcile.aws.ListingBounds;
import io.jobwatch.reconcile.aws.MemberClients;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The reconcile handler jar-in-hand against dynalite and WireMock playing STS (AssumeRole, query protocol), Glue
 * (JSON 1.1), Step Functions (JSON 1.0) and Batch (REST-JSON): it acts in the member account through the read-only
 * role, adds the runs whose events never arrived, honours the critical/hourly cadence and reports a member account it
 * cannot enter without marking it done.
 */
class ReconcileHandlerTest {
    static final String ACCOUNT = "111122223333";
    static final String REGION = "us-west-2";
    static final String JSON11 = "application/x-amz-json-1.1";
    static final String JSON10 = "application/x-amz-json-1.0";

    @RegisterExtension
    static WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(Instant.parse("2026-03-04T03:00:00Z"));
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    DynamoDbClient dynamo;
    String table;
    MemberClients clients;
    RunStore store;

    @BeforeEach
    void setUp() {
        dynamo = Dynalite.shared().client();
        table = Fixtures.newTable(dynamo);
        store = new DynamoRunStore(dynamo, table, clock, RunStore.DEFAULT_RETENTION);
        URI endpoint = URI.create(aws.baseUrl());
        clients = new MemberClients(new MemberClients.Settings(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCENTRAL", "central-secret")), true,
                MemberClients.DEFAULT_ROLE_NAME, "ext-123", "aws",
                Map.of("glue", endpoint, "states", endpoint, "batch", endpoint, "datasync", endpoint, "sts", endpoint,
                        "ecs", endpoint, "emr", endpoint, "sagemaker", endpoint, "dms", endpoint, "databrew", endpoint), null)
                .withThrottlingBackoff(Duration.ofMillis(20)));
    }

    @AfterEach
    void tearDown() {
        clients.close();
        dynamo.close();
    }

    /** The test catalog with the Orders Glue job made critical (reconciled every 10 minutes). */
    Catalog criticalCatalog() throws IOException {
        Path file = dir.resolve("jobwatch.yml");
        Files.writeString(file, Files.readString(Fixtures.catalogFile()).replace("criticality: high", "criticality: critical"));
        return CatalogFile.load(file);
    }

    ReconcileHandler handler(Catalog catalog) {
        Env env = Fixtures.env(table, Map.of());
        ReconcileHandler.Settings settings = ReconcileHandler.Settings.from(Map.of(
                ReconcileHandler.REGIONS, REGION, ReconcileHandler.EXTERNAL_ID, "ext-123"));
        return new ReconcileHandler(env, settings, catalog, dynamo, AwsRunSources.all(clients, new ListingBounds(2, 5)),
                ReconcilePlan.defaults(), clock, log);
    }

    static MappingBuilder json(String target) {
        return WireMock.post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
    }

    static ResponseDefinitionBuilder ok(String contentType, String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body);
    }

    static double seconds(String instant) {
        return Instant.parse(instant).toEpochMilli() / 1000.0;
    }

    static RunEvent sample(String file) {
        Normalization n = new EventNormalizer().normalize(Fixtures.tree(Fixtures.example("events/" + file)));
        return ((Normalization.Normalized) n).event();
    }

    void stubAssumeRole() {
        aws.stubFor(WireMock.post(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole"))
                .willReturn(ok("text/xml", """
                        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <AssumeRoleResult>
                            <Credentials>
                              <AccessKeyId>ASIAMEMBEREXAMPLE</AccessKeyId>
                              <SecretAccessKey>member-secret</SecretAccessKey>
                              <SessionToken>member-session-token</SessionToken>
                              <Expiration>2099-01-01T00:00:00Z</Expiration>
                            </Credentials>
                            <AssumedRoleUser>
                              <AssumedRoleId>AROAEXAMPLE:jobwatch-reconcile</AssumedRoleId>
                              <Arn>arn:aws:sts::111122223333:assumed-role/JobwatchReconcilerReadOnly/jobwatch-reconcile</Arn>
                            </AssumedRoleUser>
                          </AssumeRoleResult>
                          <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
                        </AssumeRoleResponse>""")));
    }

    /**
     * The member account: one Glue job with two runs that never sent events, no state machines, no Batch queues, no
     * DataSync task executions.
     */
    void stubServices(RunEvent arrived) {
        aws.stubFor(json("AWSGlue.GetJobs").willReturn(ok(JSON11,
                "{\"Jobs\":[{\"Name\":\"nightly-orders-etl\",\"Role\":\"arn:aws:iam::111122223333:role/glue\"}]}")));
        aws.stubFor(json("AWSGlue.GetJobRuns").atPriority(5)
                .withRequestBody(equalToJson("{\"JobName\":\"nightly-orders-etl\"}", true, true))
                .willReturn(ok(JSON11, """
                        {"JobRuns":[
                          {"Id":"jr_new2","JobName":"nightly-orders-etl","JobRunState":"FAILED","StartedOn":%s,
                           "CompletedOn":%s,"ErrorMessage":"An error occurred while calling o87.save"},
                          {"Id":"jr_new1","JobName":"nightly-orders-etl","JobRunState":"RUNNING","StartedOn":%s}],
                         "NextToken":"page-2"}""".formatted(seconds("2026-03-04T02:00:00Z"),
                        seconds("2026-03-04T02:09:00Z"), seconds("2026-03-03T02:00:00Z")))));
        aws.stubFor(json("AWSGlue.GetJobRuns").atPriority(1)
                .withRequestBody(matchingJsonPath("$.NextToken", equalTo("page-2")))
                .willReturn(ok(JSON11, """
                        {"JobRuns":[{"Id":"%s","JobName":"nightly-orders-etl","JobRunState":"SUCCEEDED",
                           "StartedOn":%s,"CompletedOn":%s}]}""".formatted(arrived.runId(),
                        arrived.eventTime().minusSeconds(700).toEpochMilli() / 1000.0,
                        arrived.eventTime().toEpochMilli() / 1000.0))));
        aws.stubFor(json("AWSStepFunctions.ListStateMachines").willReturn(ok(JSON10, "{\"stateMachines\":[]}")));
        aws.stubFor(WireMock.post(urlEqualTo("/v1/describejobqueues")).willReturn(ok("application/json",
                "{\"jobQueues\":[]}")));
        aws.stubFor(json("FmrsService.ListTaskExecutions").willReturn(ok(JSON11, "{\"TaskExecutions\":[]}")));
        aws.stubFor(json("AmazonEC2ContainerServiceV20141113.ListClusters").willReturn(ok(JSON11, "{\"clusterArns\":[]}")));
        aws.stubFor(json("ElasticMapReduce.ListClusters").willReturn(ok(JSON11, "{\"Clusters\":[]}")));
        aws.stubFor(json("SageMaker.ListPipelines").willReturn(ok(JSON11, "{\"PipelineSummaries\":[]}")));
        aws.stubFor(json("AmazonDMSv20160101.DescribeReplicationTasks").willReturn(ok(JSON11, "{\"ReplicationTasks\":[]}")));
        aws.stubFor(WireMock.get(urlPathEqualTo("/jobs")).willReturn(ok("application/json", "{\"Jobs\":[]}")));
    }

    /** The services a reconciler lists whole in an account (the others it asks about named jobs only). */
    static final int LISTED_WHOLE = (int) io.jobwatch.core.source.Sources.eventBridge().stream()
            .filter(io.jobwatch.core.source.EventBridgeSource::reconcileListsAllJobs).count();

    @Test
    void reconcile_assumesTheMemberRole_addsTheRunsWhoseEventsNeverArrived_onceAndOnTheCriticalAndHourlyCadence()
            throws Exception {
        RunEvent arrived = sample("glue-job/succeeded.json");
        store.apply(arrived);
        stubAssumeRole();
        stubServices(arrived);
        ReconcileHandler handler = handler(criticalCatalog());

        JsonNode first = Fixtures.invoke(handler, "{\"task\":\"reconcile\"}");

        // critical Glue jobs, and every service the account can be listed whole for (Glue jobs, Step Functions, Batch,
        // DataSync, ECS, EMR steps, …: no stored job yet); not its crawlers, EMR Serverless applications or AppFlow
        // flows: none is known, and they cannot be listed
        assertThat(first.get("scopes").asInt()).isEqualTo(1 + LISTED_WHOLE);
        assertThat(first.get("failed")).isEmpty();
        assertThat(first.get("missingFromEvents").asInt()).isEqualTo(2);
        assertThat(store.get(new RunKey(arrived.job(), "jr_new2")).orElseThrow().state()).isEqualTo(RunState.FAILED);
        assertThat(store.get(new RunKey(arrived.job(), "jr_new1")).orElseThrow().state()).isEqualTo(RunState.RUNNING);
        // Into the member account through the read-only role, with the external id ...
        aws.verify(postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole"))
                .withRequestBody(containing("RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FJobwatchReconcilerReadOnly"))
                .withRequestBody(containing("ExternalId=ext-123"))
                .withHeader("Authorization", containing("Credential=AKIDCENTRAL/")));
        // ... and every service call signed with the role's credentials, not the function's.
        aws.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSGlue.GetJobRuns"))
                .withHeader("Authorization", containing("Credential=ASIAMEMBEREXAMPLE/"))
                .withHeader("X-Amz-Security-Token", equalTo("member-session-token")));
        assertThat(aws.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", containing("AWS"))))
                .allSatisfy(r -> assertThat(r.getHeader("Authorization")).contains("Credential=ASIAMEMBEREXAMPLE/"));
        String logText = logBytes.toString(StandardCharsets.UTF_8);
        assertThat(logText).contains("\"Name\":\"ReconcileMissingRuns\"", "\"ReconcileMissingRuns\":2")
                .contains("2 runs were found only by reconciliation in Orders");

        clock.advance(Duration.ofMinutes(10));
        JsonNode second = Fixtures.invoke(handler, "{\"task\":\"reconcile\"}");

        assertThat(second.get("scopes").asInt()).as("only the critical jobs are due after 10 minutes").isEqualTo(1);
        assertThat(second.get("missingFromEvents").asInt()).isZero();

        clock.advance(Duration.ofMinutes(50));
        JsonNode third = Fixtures.invoke(handler, "{\"task\":\"reconcile\"}");

        assertThat(third.get("scopes").asInt()).as("everything again after an hour").isEqualTo(1 + LISTED_WHOLE);
        assertThat(third.get("missingFromEvents").asInt()).isZero();
        assertThat(store.runsOfJob(arrived.job(), 10)).hasSize(3);
    }

    @Test
    void reconcile_plansOnTheSchedulesSlot_soAnInvocationArrivingEarlyStillRunsTheCriticalScopeEveryTenMinutes()
            throws Exception {
        RunEvent arrived = sample("glue-job/succeeded.json");
        store.apply(arrived);
        stubAssumeRole();
        stubServices(arrived);
        ReconcileHandler handler = handler(criticalCatalog());
        Instant slot = clock.instant();
        // rate(10 minutes): the 03:00 slot's invocation arrives 0.8 s late, the 03:10 slot's 0.3 s early.
        clock.set(slot.plusMillis(800));
        assertThat(Fixtures.invoke(handler, input(slot)).get("scopes").asInt()).isEqualTo(1 + LISTED_WHOLE);
        clock.set(slot.plus(Duration.ofMinutes(10)).minusMillis(300));

        // Planned on the arrival time the critical scope is not due (0.3 s short) and would wait for 03:20.
        assertThat(Fixtures.invoke(handler, "{\"task\":\"reconcile\"}").get("scopes").asInt()).isZero();
        // Planned on the slot it is due: the critical jobs keep their 10-minute cadence.
        JsonNode onSlot = Fixtures.invoke(handler, input(slot.plus(Duration.ofMinutes(10))));
        assertThat(onSlot.get("scopes").asInt()).isEqualTo(1);
        // A slot far from the clock (a replayed or hand-written input) is not trusted: planned on now instead.
        clock.advance(Duration.ofMinutes(1));
        assertThat(Fixtures.invoke(handler, input(slot.minus(Duration.ofHours(3)))).get("scopes").asInt()).isZero();
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("scheduledTime " + slot.minus(Duration.ofHours(3))
                + " is PT");
    }

    static String input(Instant slot) {
        return "{\"task\":\"reconcile\",\"scheduledTime\":\"" + slot + "\"}";
    }

    @Test
    void memberAccountThatDeniesTheRole_isReportedPerScope_andAskedAgainNextPass() throws Exception {
        aws.stubFor(WireMock.post(urlEqualTo("/")).withRequestBody(containing("Action=AssumeRole"))
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "text/xml").withBody("""
                        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <Error><Type>Sender</Type><Code>AccessDenied</Code>
                            <Message>User: arn:aws:sts::999999999999:assumed-role/JobwatchReconciler/fn is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/JobwatchReconcilerReadOnly</Message>
                          </Error>
                          <RequestId>x</RequestId>
                        </ErrorResponse>""")));
        ReconcileHandler handler = handler(Fixtures.catalog());

        JsonNode first = Fixtures.invoke(handler, "{\"task\":\"reconcile\"}");

        // No stored jobs: one "all jobs" scope per service of the catalog's account that can be listed.
        assertThat(first.get("scopes").asInt()).isEqualTo(LISTED_WHOLE);
        assertThat(first.get("failed")).hasSize(LISTED_WHOLE);
        assertThat(first.get("failed").get(0).get("account").asText()).isEqualTo(ACCOUNT);
        assertThat(first.get("failed").get(0).get("error").asText()).contains("not authorized to perform: sts:AssumeRole");
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("\"ReconcileFailedScopes\":" + LISTED_WHOLE);

        clock.advance(Duration.ofMinutes(15));
        JsonNode second = Fixtures.invoke(handler, "{\"task\":\"reconcile\"}");

        assertThat(second.get("scopes").asInt()).as("failed scopes are not marked done").isEqualTo(LISTED_WHOLE);
    }

    @Test
    void crawlerKnownFromTheStore_isAskedByName_theServicesThatCannotBeListedNeverAsAllJobs() throws Exception {
        RunEvent started = sample("glue-crawler/started.json");
        store.apply(started);
        stubAssumeRole();
        stubServices(sample("glue-job/succeeded.json"));
        aws.stubFor(json("AWSGlue.ListCrawls").willReturn(ok(JSON11, "{\"Crawls\":[]}")));
        ReconcileHandler handler = handler(Fixtures.catalog());

        JsonNode first = Fixtures.invoke(handler, "{\"task\":\"reconcile\"}");

        assertThat(first.get("failed")).isEmpty();
        aws.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSGlue.ListCrawls"))
                .withRequestBody(matchingJsonPath("$.CrawlerName", equalTo(started.job().jobName()))));
        assertThat(aws.findAll(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSGlue.ListCrawls"))))
                .as("only the known crawler").hasSize(1);
    }

    @Test
    void settings_needTheExternalIdAndValidAccounts() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReconcileHandler.Settings.from(Map.of(
                ReconcileHandler.REGIONS, REGION))).hasMessageContaining("JOBWATCH_RECONCILE_EXTERNAL_ID is not set");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReconcileHandler.Settings.from(Map.of(
                ReconcileHandler.REGIONS, REGION, ReconcileHandler.EXTERNAL_ID, "x",
                ReconcileHandler.MEMBER_ACCOUNTS, "1234"))).hasMessageContaining("'1234' is not an AWS account id");
        ReconcileHandler.Settings s = ReconcileHandler.Settings.from(Map.of(Env.REGION, "cn-north-1",
                ReconcileHandler.EXTERNAL_ID, "x", ReconcileHandler.MEMBER_ACCOUNTS, "111122223333, 234567890123"));
        assertThat(s.accounts()).containsExactly("111122223333", "234567890123");
        assertThat(s.regions()).containsExactly("cn-north-1");
        assertThat(s.partition()).isEqualTo("aws-cn");
        assertThat(s.roleName()).isEqualTo("JobwatchReconcilerReadOnly");
        assertThat(s.concurrency()).isEqualTo(8);
        assertThat(ReconcileHandler.Settings.from(Map.of(Env.REGION, "eu-west-1", ReconcileHandler.EXTERNAL_ID, "x",
                ReconcileHandler.CONCURRENCY, "1")).concurrency()).isOne();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReconcileHandler.Settings.from(Map.of(
                Env.REGION, "eu-west-1", ReconcileHandler.EXTERNAL_ID, "x", ReconcileHandler.CONCURRENCY, "0")))
                .hasMessage("JOBWATCH_RECONCILE_CONCURRENCY must be a whole number from 1 to 64, was '0'");
    }

    @Test
    void reconcile_asksTheScopesConcurrently_withTheSameResultAsOneAtATime() throws Exception {
        RunEvent arrived = sample("glue-job/succeeded.json");
        stubAssumeRole();
        stubServices(arrived);
        List<JsonNode> reports = new ArrayList<>();
        for (int concurrency : new int[] {1, 8}) {
            // Step Functions, Batch and DataSync (no stored job: "all jobs" scopes) only answer once all three are
            // being asked at the same time — one after the other, each gives up after a second.
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(3);
            List<io.jobwatch.core.reconcile.RunSource> sources = new ArrayList<>(AwsRunSources.all(clients,
                    new ListingBounds(2, 5)));
            for (io.jobwatch.core.run.JobSource slow : List.of(io.jobwatch.core.run.JobSource.STEP_FUNCTIONS,
                    io.jobwatch.core.run.JobSource.BATCH, io.jobwatch.core.run.JobSource.DATASYNC)) {
                sources.removeIf(x -> x.source() == slow);
                sources.add(new io.jobwatch.core.reconcile.RunSource() {
                    @Override
                    public io.jobwatch.core.run.JobSource source() {
                        return slow;
                    }

                    @Override
                    public List<io.jobwatch.core.reconcile.ObservedRun> runsSince(
                            io.jobwatch.core.reconcile.Scope scope, Instant since, int limit) {
                        try {
                            together.await(1, java.util.concurrent.TimeUnit.SECONDS);
                            return List.of();
                        } catch (Exception e) {
                            throw new io.jobwatch.core.reconcile.RunSourceException("asked alone: " + e, e);
                        }
                    }
                });
            }
            String t = Fixtures.newTable(dynamo);
            RunStore s = new DynamoRunStore(dynamo, t, clock, RunStore.DEFAULT_RETENTION);
            s.apply(arrived);
            ReconcileHandler handler = new ReconcileHandler(Fixtures.env(t, Map.of()), new ReconcileHandler.Settings(
                    List.of(), List.of(REGION), MemberClients.DEFAULT_ROLE_NAME, "ext-123", 1000, concurrency),
                    criticalCatalog(), dynamo, sources, ReconcilePlan.defaults(), clock, log);
            reports.add(Fixtures.invoke(handler, "{\"task\":\"reconcile\"}"));
            assertThat(s.get(new RunKey(arrived.job(), "jr_new2")).orElseThrow().state()).isEqualTo(RunState.FAILED);
        }
        assertThat(reports.get(0).get("scopes").asInt()).isEqualTo(reports.get(1).get("scopes").asInt())
                .isEqualTo(1 + LISTED_WHOLE);
        assertThat(reports.get(0).get("missingFromEvents").asInt()).isEqualTo(2);
        assertThat(reports.get(1).get("missingFromEvents").asInt()).isEqualTo(2);
        assertThat(reports.get(0).get("failed")).as("one at a time, the three never meet").hasSize(3);
        assertThat(reports.get(1).get("failed")).as("asked at once").isEmpty();
    }
}
