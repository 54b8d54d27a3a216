package io.jobwatch.reconcile.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.reconcile.ReconcileAction;
import io.jobwatch.core.reconcile.ReconcileReport;
import io.jobwatch.core.reconcile.ReconcileStats;
import io.jobwatch.core.reconcile.Reconciler;
import io.jobwatch.core.reconcile.Scope;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.Outcome;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * DataSync (AWS JSON 1.1), EMR Serverless and AppFlow (REST-JSON) spoken by {@link SignedJsonClient}, and Glue crawlers
 * (ListCrawls), against WireMock serving the documented response shapes (pagination tokens, a ThrottlingException then
 * success), reconciling into a real SQLite store with the repository's real event samples as the events that did (or
 * did not) arrive: a reconciled run and its real event are one run.
 */
class SignedJsonSourcesReconcileTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = "111122223333";
    static final String JSON11 = "application/x-amz-json-1.1";
    static final Instant SINCE = Instant.parse("2026-03-01T00:00:00Z");

    @RegisterExtension
    static WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    TestClock clock;
    SqliteRunStore store;
    MemberClients clients;

    @BeforeEach
    void setUp() {
        clock = new TestClock(Instant.parse("2026-03-14T06:00:00Z"));
        store = new SqliteRunStore(dir.resolve("jobwatch.db"), clock, Duration.ofDays(30));
        URI endpoint = URI.create(aws.baseUrl());
        clients = new MemberClients(MemberClients.Settings.direct(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "test-secret")),
                Map.of("glue", endpoint, "datasync", endpoint, "emr-serverless", endpoint, "appflow", endpoint))
                .withThrottlingBackoff(Duration.ofMillis(20)));
    }

    @AfterEach
    void tearDown() {
        clients.close();
        store.close();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static JsonNode sampleJson(String file) throws IOException {
        return JSON.readTree(AwsReconcileTest.repo().resolve("examples/events").resolve(file).toFile());
    }

    static RunEvent normalize(JsonNode event) {
        Normalization n = new EventNormalizer().normalize(event);
        assertThat(n).isInstanceOf(Normalization.Normalized.class);
        return ((Normalization.Normalized) n).event();
    }

    static RunEvent sample(String file) throws IOException {
        return normalize(sampleJson(file));
    }

    Reconciler reconciler(KnownJobs known) {
        return new Reconciler(store, new IngestPipeline(store, null, null),
                AwsRunSources.all(clients, new ListingBounds(2, 5), known), clock);
    }

    ReconcileReport reconcile(Scope scope) {
        return reconcile(scope, KnownJobs.none());
    }

    ReconcileReport reconcile(Scope scope, KnownJobs known) {
        return reconciler(known).reconcile(List.of(scope), SINCE, 100, false);
    }

    static MappingBuilder target(String target) {
        return WireMock.post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
    }

    static ResponseDefinitionBuilder ok(String contentType, String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body);
    }

    static String seconds(Instant t) {
        return new java.math.BigDecimal(t.getEpochSecond()).add(java.math.BigDecimal.valueOf(t.getNano(), 9))
                .stripTrailingZeros().toPlainString();
    }

    // ---- DataSync --------------------------------------------------------------------------------------------------

    static final String TASK = "task-04f2a6c8e0b2d4f61";
    static final String TASK_ARN = "arn:aws:datasync:us-east-1:111122223333:task/" + TASK;

    static String exec(String id) {
        return TASK_ARN + "/execution/" + id;
    }

    void stubDescribe(String arn, String status, Instant start, Instant end, String errorCode, String errorDetail) {
        String result = errorCode == null ? "{\"TotalDuration\":1000}"
                : "{\"TotalDuration\":1000,\"ErrorCode\":\"%s\",\"ErrorDetail\":\"%s\"}".formatted(errorCode, errorDetail);
        aws.stubFor(target("FmrsService.DescribeTaskExecution")
                .withRequestBody(matchingJsonPath("$.TaskExecutionArn", equalTo(arn)))
                .willReturn(ok(JSON11, """
                        {"TaskExecutionArn":"%s","Status":"%s","StartTime":%s,%s"Result":%s,"TaskMode":"BASIC"}"""
                        .formatted(arn, status, seconds(start), end == null ? "" : "\"EndTime\":" + seconds(end) + ",",
                                result))));
    }

    @Test
    void dataSync_staleRunningSucceeds_missingIsAddedOnce_storedIsUntouched_afterThrottling_andTheLateEventIsANoOp()
            throws IOException {
        RunEvent transferring = sample("datasync/transferring.json");
        RunEvent success = sample("datasync/success.json");
        store.apply(transferring);
        // Another execution whose SUCCESS event did arrive.
        ObjectNode otherEvent = (ObjectNode) sampleJson("datasync/success.json");
        otherEvent.put("id", "6e7f8091-a2b3-44c5-99fa-c5d6e7f8091a");
        otherEvent.withArray("resources").set(0, JSON.getNodeFactory().textNode(exec("exec-0c0d0e0f101112131")));
        RunEvent storedOther = normalize(otherEvent);
        store.apply(storedOther);
        Run storedBefore = store.get(storedOther.runKey()).orElseThrow();

        String lost = transferring.runId();
        aws.stubFor(target("FmrsService.ListTaskExecutions").atPriority(5)
                .withRequestBody(equalToJson("{\"TaskArn\":\"" + TASK_ARN + "\",\"MaxResults\":2}"))
                .willReturn(ok(JSON11, """
                        {"TaskExecutions":[{"TaskExecutionArn":"%s","Status":"SUCCESS","TaskMode":"BASIC"},
                                           {"TaskExecutionArn":"%s","Status":"ERROR","TaskMode":"BASIC"}],
                         "NextToken":"AAEAAQ-page-2"}""".formatted(lost, exec("exec-0f1e2d3c4b5a69788")))));
        aws.stubFor(target("FmrsService.ListTaskExecutions").atPriority(1)
                .withRequestBody(matchingJsonPath("$.NextToken", equalTo("AAEAAQ-page-2")))
                .willReturn(ok(JSON11, """
                        {"TaskExecutions":[{"TaskExecutionArn":"%s","Status":"SUCCESS"},
                                           {"TaskExecutionArn":"%s","Status":"SUCCESS"}]}"""
                        .formatted(exec("exec-0c0d0e0f101112131"), exec("exec-0000000000000old1")))));
        // The first DescribeTaskExecution is throttled (JSON 1.1 error shape), the retry succeeds.
        aws.stubFor(target("FmrsService.DescribeTaskExecution").atPriority(1).inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("throttled once")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON11)
                        .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")));
        Instant lostEnd = Instant.parse("2026-03-08T02:37:10.412Z");
        stubDescribe(lost, "SUCCESS", Instant.parse("2026-03-08T02:00:31.905Z"), lostEnd, null, null);
        stubDescribe(exec("exec-0f1e2d3c4b5a69788"), "ERROR", Instant.parse("2026-03-09T02:00:00Z"),
                Instant.parse("2026-03-09T02:04:00Z"), "OpError", "Transfer and verification completed. Verification detected 2 mismatches.");
        stubDescribe(exec("exec-0c0d0e0f101112131"), "SUCCESS", Instant.parse("2026-03-08T01:00:00Z"),
                Instant.parse("2026-03-08T01:20:00Z"), null, null);
        stubDescribe(exec("exec-0000000000000old1"), "SUCCESS", Instant.parse("2026-02-20T01:00:00Z"),
                Instant.parse("2026-02-20T01:20:00Z"), null, null);
        Scope scope = new Scope(ACCOUNT, "us-east-1", JobSource.DATASYNC, List.of(TASK));

        ReconcileReport first = reconcile(scope);

        ReconcileStats s = first.stats().get(0);
        assertThat(s.error()).isNull();
        assertThat(s.seen()).isEqualTo(3); // the February execution is outside the window
        assertThat(s.advanced()).isEqualTo(1);
        assertThat(s.missingFromEvents()).isEqualTo(1);
        assertThat(s.unchanged()).isEqualTo(1);
        Run advanced = store.get(transferring.runKey()).orElseThrow();
        assertThat(advanced.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(advanced.endedAt()).isEqualTo(lostEnd);
        Run added = store.get(new RunKey(transferring.job(), exec("exec-0f1e2d3c4b5a69788"))).orElseThrow();
        assertThat(added.state()).isEqualTo(RunState.FAILED);
        assertThat(added.error()).startsWith("OpError: Transfer and verification completed");
        assertThat(store.get(storedOther.runKey()).orElseThrow()).isEqualTo(storedBefore);
        aws.verify(2, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("FmrsService.ListTaskExecutions"))
                .withHeader("Content-Type", equalTo(JSON11))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/us-east-1/datasync/aws4_request, SignedHeaders=.*host.*x-amz-date.*, Signature=[0-9a-f]{64}")));
        aws.verify(5, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("FmrsService.DescribeTaskExecution")));

        // Again: nothing new, nothing touched.
        clock.advance(Duration.ofMinutes(10));
        ReconcileReport second = reconcile(scope);
        assertThat(second.stats().get(0).missingFromEvents()).isZero();
        assertThat(second.stats().get(0).advanced()).isZero();
        assertThat(second.stats().get(0).unchanged()).isEqualTo(3);

        // The lost SUCCESS event turns up after all: the same run, nothing new.
        assertThat(store.apply(success).outcome()).isIn(Outcome.STALE, Outcome.ADVANCED);
        assertThat(store.runsOfJob(transferring.job(), 10)).hasSize(3)
                .filteredOn(r -> r.runId().equals(lost)).singleElement()
                .satisfies(r -> assertThat(r.state()).isEqualTo(RunState.SUCCEEDED));
    }

    @Test
    void dataSync_withoutTaskNames_listsEveryExecutionOfTheAccount() {
        aws.stubFor(target("FmrsService.ListTaskExecutions").withRequestBody(matchingJsonPath("$.TaskArn", absent()))
                .willReturn(ok(JSON11, """
                        {"TaskExecutions":[{"TaskExecutionArn":"%s","Status":"LAUNCHING"}]}"""
                        .formatted(exec("exec-0f1e2d3c4b5a69788")))));
        stubDescribe(exec("exec-0f1e2d3c4b5a69788"), "LAUNCHING", Instant.parse("2026-03-14T05:59:00Z"), null, null, null);

        ReconcileReport report = reconcile(Scope.all(ACCOUNT, "us-east-1", JobSource.DATASYNC));

        assertThat(report.missingFromEvents()).isEqualTo(1);
        assertThat(store.get(new RunKey(new JobKey(ACCOUNT, "us-east-1", JobSource.DATASYNC, TASK),
                exec("exec-0f1e2d3c4b5a69788"))).orElseThrow().state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void dataSync_invalidRequest_isReportedWithOperationTaskAndAccount() {
        aws.stubFor(target("FmrsService.ListTaskExecutions").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", JSON11).withBody("""
                        {"__type":"InvalidRequestException","message":"Request references a resource which does not exist.",
                         "errorCode":"NotFound"}""")));

        ReconcileStats s = reconcile(new Scope(ACCOUNT, "us-east-1", JobSource.DATASYNC, List.of(TASK))).stats().get(0);

        assertThat(s.error()).contains("DataSync ListTaskExecutions failed: InvalidRequestException (HTTP 400)",
                "does not exist", TASK, "111122223333/us-east-1");
        // Not retried: only throttling, 5xx and I/O errors are.
        aws.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    // ---- EMR Serverless --------------------------------------------------------------------------------------------

    static final String APP = "00fh3k2l9q8r7s01";

    @Test
    void emrServerless_staleRunningSucceeds_acrossPages_afterA429_andTheLateEventIsANoOp() throws IOException {
        RunEvent running = sample("emr-serverless/running.json");
        RunEvent success = sample("emr-serverless/success.json");
        store.apply(running);
        String path = "/applications/" + APP + "/jobruns";
        // ListJobRuns asks from a day before the window: a run created earlier may have ended inside it.
        String createdAfter = "2026-02-28T00:00:00Z";
        aws.stubFor(WireMock.get(urlPathEqualTo(path)).atPriority(5).inScenario("emr")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("throttled once")
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withHeader("x-amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/")
                        .withBody("{\"message\":\"Rate exceeded\"}")));
        aws.stubFor(WireMock.get(urlPathEqualTo(path)).atPriority(5).inScenario("emr")
                .whenScenarioStateIs("throttled once")
                .withQueryParam("createdAtAfter", equalTo(createdAfter)).withQueryParam("maxResults", equalTo("2"))
                .withQueryParam("nextToken", absent())
                .willReturn(ok("application/json", """
                        {"jobRuns":[
                          {"applicationId":"%s","id":"%s","name":"sessions-daily-2026-03-12","arn":"arn:aws:emr-serverless:us-east-1:111122223333:/applications/%s/jobruns/%s",
                           "createdBy":"arn:aws:sts::111122223333:assumed-role/EmrServerlessSubmitter/airflow-worker-3",
                           "createdAt":%s,"updatedAt":%s,"executionRole":"arn:aws:iam::111122223333:role/EmrJob",
                           "state":"SUCCESS","stateDetails":"","releaseLabel":"emr-7.2.0","type":"Spark"},
                          {"applicationId":"%s","id":"00fh3z9y8x7w6v05","arn":"arn:aws:emr-serverless:us-east-1:111122223333:/applications/%s/jobruns/00fh3z9y8x7w6v05",
                           "createdBy":"arn:aws:iam::111122223333:user/ops","createdAt":1773374400.5,"updatedAt":1773375000.25,
                           "executionRole":"arn:aws:iam::111122223333:role/EmrJob","state":"FAILED",
                           "stateDetails":"Job failed, please check complete logs in configured logging destination.",
                           "releaseLabel":"emr-7.2.0","type":"Spark"}],
                         "nextToken":"eyJwYWdlIjoyfQ=="}""".formatted(APP, running.runId(), APP, running.runId(),
                        seconds(running.startedAt()), seconds(success.endedAt()), APP, APP))));
        aws.stubFor(WireMock.get(urlPathEqualTo(path)).atPriority(1)
                .withQueryParam("nextToken", equalTo("eyJwYWdlIjoyfQ=="))
                .willReturn(ok("application/json", """
                        {"jobRuns":[
                          {"applicationId":"%s","id":"00fh3q1r2s3t4u06","name":"backfill-2026-03","arn":"arn:aws:emr-serverless:us-east-1:111122223333:/applications/%s/jobruns/00fh3q1r2s3t4u06",
                           "createdBy":"arn:aws:iam::111122223333:user/ops","createdAt":1773460800,"updatedAt":1773460860,
                           "executionRole":"arn:aws:iam::111122223333:role/EmrJob","state":"RUNNING","stateDetails":"",
                           "releaseLabel":"emr-7.2.0","type":"Spark"}]}""".formatted(APP, APP))));

        ReconcileReport report = reconcile(Scope.all(ACCOUNT, "us-east-1", JobSource.EMR_SERVERLESS),
                KnownJobs.of(List.of(running.job())));

        ReconcileStats s = report.stats().get(0);
        assertThat(s.error()).isNull();
        assertThat(s.seen()).isEqualTo(3);
        assertThat(s.advanced()).isEqualTo(1);
        assertThat(s.missingFromEvents()).isEqualTo(2);
        Run advanced = store.get(running.runKey()).orElseThrow();
        assertThat(advanced.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(advanced.endedAt()).isEqualTo(success.endedAt());
        JobKey unnamed = new JobKey(ACCOUNT, "us-east-1", JobSource.EMR_SERVERLESS, APP);
        Run failed = store.get(new RunKey(unnamed, "00fh3z9y8x7w6v05")).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.startedAt()).isEqualTo(Instant.parse("2026-03-13T04:00:00.500Z"));
        assertThat(failed.endedAt()).isEqualTo(Instant.parse("2026-03-13T04:10:00.250Z"));
        assertThat(failed.error()).startsWith("Job failed");
        JobKey backfill = new JobKey(ACCOUNT, "us-east-1", JobSource.EMR_SERVERLESS, APP + "/backfill-2026-03");
        assertThat(store.get(new RunKey(backfill, "00fh3q1r2s3t4u06")).orElseThrow().state()).isEqualTo(RunState.RUNNING);
        aws.verify(3, getRequestedFor(urlPathEqualTo(path)).withHeader("Authorization",
                matching("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/us-east-1/emr-serverless/aws4_request, .*")));

        assertThat(store.apply(success).outcome()).isIn(Outcome.STALE, Outcome.DUPLICATE);
        assertThat(store.runsOfJob(running.job(), 10)).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(r.endedAt()).isEqualTo(success.endedAt());
            assertThat(r.startedAt()).isEqualTo(running.startedAt());
        });
    }

    @Test
    void emrServerless_withNoApplicationToAskAbout_saysHowToNameThem() {
        ReconcileStats s = reconcile(Scope.all(ACCOUNT, "us-east-1", JobSource.EMR_SERVERLESS)).stats().get(0);

        assertThat(s.error()).contains("no application to ask about", "emr-serverless", "--job");
        aws.verify(0, getRequestedFor(urlPathEqualTo("/applications/" + APP + "/jobruns")));
    }

    // ---- AppFlow ---------------------------------------------------------------------------------------------------

    @Test
    void appFlow_withoutCredentials_isReportedInItsScope_notRetried_andNothingIsSent() {
        try (MemberClients noCredentials = new MemberClients(MemberClients.Settings.direct(() -> {
            throw software.amazon.awssdk.core.exception.SdkClientException.create("Unable to load credentials");
        }, Map.of("appflow", URI.create(aws.baseUrl()))))) {
            Reconciler r = new Reconciler(store, new IngestPipeline(store, null, null),
                    AwsRunSources.all(noCredentials, ListingBounds.defaults()), clock);

            ReconcileStats s = r.reconcile(List.of(new Scope(ACCOUNT, "us-east-1", JobSource.APPFLOW,
                    List.of("s3-orders-to-lake"))), SINCE, 100, false).stats().get(0);

            assertThat(s.error()).contains("AppFlow DescribeFlowExecutionRecords failed: CredentialsUnavailable",
                    "Unable to load credentials", "s3-orders-to-lake", "111122223333/us-east-1");
        }
        aws.verify(0, postRequestedFor(urlEqualTo("/describe-flow-execution-records")));
    }


    @Test
    void appFlow_missingRunsAreAddedOnce_storedIsUntouched_inProgressLaterSucceeds_andTheLateEventIsANoOp()
            throws IOException {
        RunEvent arrived = sample("appflow/success.json");
        RunEvent lostFailed = sample("appflow/failed.json");
        store.apply(arrived);
        Run storedBefore = store.get(arrived.runKey()).orElseThrow();
        String flow = arrived.job().jobName();
        String inProgress = "9f5b3d4c-1e0a-4b82-c3d4-5e6f7a8b9c0d";
        stubFlowRecords(flow, inProgress, "InProgress", null, arrived, lostFailed);
        aws.stubFor(WireMock.post(urlEqualTo("/describe-flow-execution-records"))
                .withRequestBody(matchingJsonPath("$.flowName", equalTo("retired-flow")))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withHeader("x-amzn-ErrorType", "ResourceNotFoundException")
                        .withBody("{\"message\":\"Flow retired-flow does not exist\"}")));
        Scope scope = new Scope(ACCOUNT, "us-east-1", JobSource.APPFLOW, List.of("retired-flow", flow));

        ReconcileReport first = reconcile(scope);

        ReconcileStats s = first.stats().get(0);
        assertThat(s.error()).isNull();
        assertThat(s.seen()).isEqualTo(3);
        assertThat(s.missingFromEvents()).isEqualTo(2);
        assertThat(s.unchanged()).isEqualTo(1);
        assertThat(store.get(arrived.runKey()).orElseThrow()).isEqualTo(storedBefore);
        Run failed = store.get(lostFailed.runKey()).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.error()).isEqualTo("Access Denied (Service: Amazon S3; Status Code: 403)");
        assertThat(failed.startedAt()).isEqualTo(lostFailed.startedAt());
        RunKey inProgressKey = new RunKey(arrived.job(), inProgress);
        assertThat(store.get(inProgressKey).orElseThrow().state()).isEqualTo(RunState.RUNNING);
        aws.verify(2, postRequestedFor(urlEqualTo("/describe-flow-execution-records"))
                .withRequestBody(matchingJsonPath("$.flowName", equalTo(flow)))
                .withHeader("Content-Type", equalTo("application/json"))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/us-east-1/appflow/aws4_request, .*")));

        // The next cycle: the run in progress has finished (its end report is lost too); everything else unchanged.
        aws.resetAll();
        Instant end = Instant.parse("2026-03-14T05:02:00.125Z");
        stubFlowRecords(flow, inProgress, "Successful", end, arrived, lostFailed);
        clock.advance(Duration.ofMinutes(10));
        ReconcileReport second = reconcile(new Scope(ACCOUNT, "us-east-1", JobSource.APPFLOW, List.of(flow)));
        assertThat(second.stats().get(0).advanced()).isEqualTo(1);
        assertThat(second.stats().get(0).missingFromEvents()).isZero();
        assertThat(second.stats().get(0).unchanged()).isEqualTo(2);
        assertThat(store.get(inProgressKey).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(store.get(inProgressKey).orElseThrow().endedAt()).isEqualTo(end);

        // The lost end-of-run report of the failed run turns up: the same run, nothing new.
        assertThat(store.apply(lostFailed).outcome()).isIn(Outcome.STALE, Outcome.ADVANCED);
        assertThat(store.runsOfJob(arrived.job(), 10)).hasSize(3);
        assertThat(store.get(lostFailed.runKey()).orElseThrow().state()).isEqualTo(RunState.FAILED);
    }

    /** Two pages, most recent first: [in progress or finished, the lost failed run] then [the run whose event arrived]. */
    void stubFlowRecords(String flow, String recent, String recentStatus, Instant recentEnd, RunEvent arrived,
                         RunEvent failed) {
        aws.stubFor(WireMock.post(urlEqualTo("/describe-flow-execution-records")).atPriority(5)
                .withRequestBody(equalToJson("{\"flowName\":\"" + flow + "\",\"maxResults\":2}"))
                .willReturn(ok("application/json", """
                        {"flowExecutions":[
                          {"executionId":"%s","executionStatus":"%s","executionResult":{"bytesProcessed":0,"recordsProcessed":0},
                           "startedAt":1773464400.5,"lastUpdatedAt":%s},
                          {"executionId":"%s","executionStatus":"Error",
                           "executionResult":{"errorInfo":{"putFailuresCount":1312,"executionMessage":"Access Denied (Service: Amazon S3; Status Code: 403)"},
                                              "bytesProcessed":0,"bytesWritten":0,"recordsProcessed":0},
                           "startedAt":%s,"lastUpdatedAt":%s}],
                         "nextToken":"page-2-of-%s"}""".formatted(recent, recentStatus,
                        recentEnd == null ? "1773464410" : seconds(recentEnd), failed.runId(), seconds(failed.startedAt()),
                        seconds(failed.endedAt()), flow))));
        aws.stubFor(WireMock.post(urlEqualTo("/describe-flow-execution-records")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.nextToken", equalTo("page-2-of-" + flow)))
                .willReturn(ok("application/json", """
                        {"flowExecutions":[
                          {"executionId":"%s","executionStatus":"Successful",
                           "executionResult":{"bytesProcessed":8734112,"bytesWritten":8734112,"recordsProcessed":48211},
                           "startedAt":%s,"lastUpdatedAt":%s}]}""".formatted(arrived.runId(),
                        seconds(arrived.startedAt()), seconds(arrived.endedAt())))));
    }

    // ---- Glue crawlers ---------------------------------------------------------------------------------------------

    static final String CRAWLER = "raw-orders-s3-crawler";
    // ListCrawls reports milliseconds; the crawler events whole seconds (started.json / succeeded.json).
    static final Instant CRAWL_START = Instant.parse("2026-03-02T01:00:04.318Z");
    static final Instant CRAWL_END = Instant.parse("2026-03-02T01:03:51.702Z");

    void stubCrawls() {
        aws.stubFor(target("AWSGlue.ListCrawls").atPriority(5)
                .withRequestBody(matchingJsonPath("$.CrawlerName", equalTo(CRAWLER)))
                .withRequestBody(matchingJsonPath("$.Filters[0].FieldName", equalTo("START_TIME")))
                .withRequestBody(matchingJsonPath("$.Filters[0].FilterOperator", equalTo("GE")))
                .withRequestBody(matchingJsonPath("$.Filters[0].FieldValue",
                        equalTo(Long.toString(SINCE.minus(Duration.ofDays(1)).toEpochMilli()))))
                .willReturn(ok(JSON11, """
                        {"Crawls":[
                          {"CrawlId":"1a2b3c4d-0000-4e5f-8a9b-0c1d2e3f4a5b","State":"RUNNING","StartTime":1773453600.0,
                           "LogGroup":"/aws-glue/crawlers","LogStream":"raw-orders-s3-crawler"},
                          {"CrawlId":"0f9e8d7c-1111-4b6a-9c8d-7e6f5a4b3c2d","State":"COMPLETED","StartTime":%s,"EndTime":%s,
                           "Summary":"{\\"TABLE\\":{\\"UPDATE\\":{\\"Count\\":1}}}","DPUHour":0.1}],
                         "NextToken":"crawls-page-2"}""".formatted(seconds(CRAWL_START), seconds(CRAWL_END)))));
        aws.stubFor(target("AWSGlue.ListCrawls").atPriority(1)
                .withRequestBody(matchingJsonPath("$.NextToken", equalTo("crawls-page-2")))
                .willReturn(ok(JSON11, """
                        {"Crawls":[
                          {"CrawlId":"2b3c4d5e-2222-4c7b-8d9e-8f7a6b5c4d3e","State":"FAILED","StartTime":1772326800.0,
                           "EndTime":1772326920.0,"ErrorMessage":"Internal Service Exception"}]}""")));
    }

    Scope crawlerScope() {
        return new Scope(ACCOUNT, "us-west-2", JobSource.GLUE_CRAWLER, List.of(CRAWLER));
    }

    @Test
    void crawler_startedArrivedButNotItsEnd_isFinishedByListCrawls_andTheLateEndEventJoinsIt() throws IOException {
        RunEvent started = sample("glue-crawler/started.json");
        RunEvent succeeded = sample("glue-crawler/succeeded.json");
        store.apply(started);
        stubCrawls();

        ReconcileReport report = reconcile(crawlerScope());

        ReconcileStats s = report.stats().get(0);
        assertThat(s.error()).isNull();
        assertThat(s.seen()).isEqualTo(3);
        assertThat(s.advanced()).isEqualTo(1);
        assertThat(s.missingFromEvents()).isEqualTo(2);
        assertThat(report.actions()).filteredOn(a -> a.kind() == ReconcileAction.Kind.ADVANCE).singleElement()
                .satisfies(a -> assertThat(a.observed().key()).isEqualTo(started.runKey()));
        Run crawl = store.get(started.runKey()).orElseThrow();
        assertThat(crawl.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(crawl.endedAt()).isEqualTo(CRAWL_END);

        // The lost Succeeded event turns up: it joins the finished crawl instead of becoming a second run.
        store.apply(succeeded);
        assertThat(store.runsOfJob(started.job(), 10)).extracting(Run::runId).containsExactlyInAnyOrder(
                CRAWLER + "@2026-03-02T01:00:04Z", CRAWLER + "@2026-03-14T02:00:00Z", CRAWLER + "@2026-03-01T01:00:00Z");
        assertThat(store.get(started.runKey()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void crawler_noEventArrived_theReconciledCrawlAndTheLateEventsAreOneRun_inEitherOrder() throws IOException {
        RunEvent started = sample("glue-crawler/started.json");
        RunEvent succeeded = sample("glue-crawler/succeeded.json");
        stubCrawls();

        assertThat(reconcile(crawlerScope()).missingFromEvents()).isEqualTo(3);
        assertThat(reconcile(crawlerScope()).missingFromEvents()).isZero();

        store.apply(succeeded);
        store.apply(started);
        assertThat(store.runsOfJob(started.job(), 10)).hasSize(3)
                .filteredOn(r -> r.runId().equals(started.runId())).singleElement()
                .satisfies(r -> assertThat(r.state()).isEqualTo(RunState.SUCCEEDED));
        assertThat(store.summary(started.job()).orElseThrow().runCount()).isEqualTo(2);
    }

    @Test
    void crawler_onlyTheEndEventArrived_theReconciledCrawlTakesItOver() throws IOException {
        RunEvent succeeded = sample("glue-crawler/succeeded.json");
        Run orphan = store.apply(succeeded).run();
        assertThat(orphan.runId()).endsWith("~end");
        stubCrawls();

        ReconcileReport report = reconcile(crawlerScope());

        assertThat(report.stats().get(0).error()).isNull();
        JobKey job = succeeded.job();
        assertThat(store.get(orphan.key())).isEmpty();
        Run crawl = store.get(new RunKey(job, CRAWLER + "@2026-03-02T01:00:04Z")).orElseThrow();
        assertThat(crawl.startedAt()).isEqualTo(CRAWL_START);
        assertThat(crawl.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(store.runsOfJob(job, 10)).hasSize(3);
        // Reconciling again and the late Started event change nothing.
        assertThat(reconcile(crawlerScope()).missingFromEvents()).isZero();
        store.apply(sample("glue-crawler/started.json"));
        assertThat(store.runsOfJob(job, 10)).hasSize(3);
    }

    @Test
    void crawler_withoutKnownCrawlers_saysHowToNameThem_andWithThemAsksAboutEach() {
        stubCrawls();

        assertThat(reconcile(Scope.all(ACCOUNT, "us-west-2", JobSource.GLUE_CRAWLER)).stats().get(0).error())
                .contains("no crawler to ask about", "glue-crawler");
        ReconcileReport known = reconcile(Scope.all(ACCOUNT, "us-west-2", JobSource.GLUE_CRAWLER),
                KnownJobs.of(List.of(new JobKey(ACCOUNT, "us-west-2", JobSource.GLUE_CRAWLER, CRAWLER),
                        new JobKey(ACCOUNT, "eu-west-1", JobSource.GLUE_CRAWLER, "elsewhere"))));
        assertThat(known.stats().get(0).error()).isNull();
        assertThat(known.missingFromEvents()).isEqualTo(3);
    }
}
