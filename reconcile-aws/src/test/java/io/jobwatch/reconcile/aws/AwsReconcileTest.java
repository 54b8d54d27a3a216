package io.jobwatch.reconcile.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
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
import java.nio.file.Files;
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
 * The Glue, Step Functions and Batch run sources against WireMock serving the services' documented responses (JSON
 * 1.1 / JSON 1.0 with X-Amz-Target, REST-JSON by path), reconciling into a real SQLite store, with the repository's
 * real event samples as the events that did (or did not) arrive.
 */
class AwsReconcileTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = "111122223333";

    @RegisterExtension
    static WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    TestClock clock;
    SqliteRunStore store;
    MemberClients clients;
    Reconciler reconciler;

    @BeforeEach
    void setUp() {
        clock = new TestClock(Instant.parse("2026-03-10T06:00:00Z"));
        store = new SqliteRunStore(dir.resolve("jobwatch.db"), clock, Duration.ofDays(30));
        URI endpoint = URI.create(aws.baseUrl());
        clients = new MemberClients(MemberClients.Settings.direct(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "test-secret")),
                Map.of("glue", endpoint, "states", endpoint, "batch", endpoint)).withThrottlingBackoff(Duration.ofMillis(20)));
        reconciler = new Reconciler(store, new IngestPipeline(store, null, null),
                AwsRunSources.all(clients, new ListingBounds(2, 5)), clock);
    }

    @AfterEach
    void tearDown() {
        clients.close();
        store.close();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    static Path repo() {
        String prop = System.getProperty("jobwatch.repo");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples/events"))) {
            p = p.getParent();
        }
        assertThat(p).as("repository root with examples/events").isNotNull();
        return p;
    }

    /** A real event sample, normalized as ingest would. */
    static RunEvent sample(String file) throws IOException {
        JsonNode event = JSON.readTree(repo().resolve("examples/events").resolve(file).toFile());
        Normalization n = new EventNormalizer().normalize(event);
        assertThat(n).isInstanceOf(Normalization.Normalized.class);
        return ((Normalization.Normalized) n).event();
    }

    /** A JSON-protocol operation (Glue: JSON 1.1, Step Functions: JSON 1.0), matched by its X-Amz-Target. */
    static MappingBuilder json(String target) {
        return WireMock.post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(target));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ok(String contentType, String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body);
    }

    static final String JSON11 = "application/x-amz-json-1.1";
    static final String JSON10 = "application/x-amz-json-1.0";

    static double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    ReconcileReport reconcile(Scope scope) {
        return reconciler.reconcile(List.of(scope), Instant.parse("2026-03-01T00:00:00Z"), 100, false);
    }

    // ---- Glue job runs -------------------------------------------------------------------------------------------

    /** Three runs of nightly-orders-etl over two pages: the sample's run (its event arrived) and two more. */
    void stubGlueRuns() throws IOException {
        RunEvent arrived = sample("glue-job/succeeded.json");
        Instant end = arrived.eventTime();
        aws.stubFor(json("AWSGlue.GetJobRuns").atPriority(5)
                .withRequestBody(equalToJson("{\"JobName\":\"nightly-orders-etl\"}", true, true))
                .willReturn(ok(JSON11, """
                        {"JobRuns":[
                          {"Id":"jr_new2","JobName":"nightly-orders-etl","JobRunState":"FAILED","StartedOn":%s,
                           "CompletedOn":%s,"ErrorMessage":"An error occurred while calling o87.save"},
                          {"Id":"jr_new1","JobName":"nightly-orders-etl","JobRunState":"RUNNING","StartedOn":%s}],
                         "NextToken":"page-2"}""".formatted(seconds(Instant.parse("2026-03-04T02:00:00Z")),
                        seconds(Instant.parse("2026-03-04T02:09:00Z")), seconds(Instant.parse("2026-03-03T02:00:00Z"))))));
        aws.stubFor(json("AWSGlue.GetJobRuns").atPriority(1)
                .withRequestBody(matchingJsonPath("$.NextToken", equalTo("page-2")))
                .willReturn(ok(JSON11, """
                        {"JobRuns":[
                          {"Id":"%s","JobName":"nightly-orders-etl","JobRunState":"SUCCEEDED","StartedOn":%s,
                           "CompletedOn":%s}]}""".formatted(arrived.runId(), seconds(end.minusSeconds(700)), seconds(end)))));
    }

    @Test
    void glue_runsMissingFromEvents_areAddedOnce_acrossPages_andTheStoredRunIsUntouched() throws IOException {
        RunEvent arrived = sample("glue-job/succeeded.json");
        store.apply(arrived);
        Run storedBefore = store.get(arrived.runKey()).orElseThrow();
        stubGlueRuns();
        Scope scope = new Scope(ACCOUNT, arrived.job().region(), JobSource.GLUE_JOB, List.of("nightly-orders-etl"));

        ReconcileReport first = reconcile(scope);

        ReconcileStats s = first.stats().get(0);
        assertThat(s.error()).isNull();
        assertThat(s.seen()).isEqualTo(3);
        assertThat(s.missingFromEvents()).isEqualTo(2);
        assertThat(s.unchanged()).isEqualTo(1);
        assertThat(store.get(arrived.runKey()).orElseThrow()).isEqualTo(storedBefore);
        JobKey job = arrived.job();
        Run failed = store.get(new RunKey(job, "jr_new2")).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.error()).isEqualTo("An error occurred while calling o87.save");
        assertThat(failed.endedAt()).isEqualTo(Instant.parse("2026-03-04T02:09:00Z"));
        assertThat(store.get(new RunKey(job, "jr_new1")).orElseThrow().state()).isEqualTo(RunState.RUNNING);
        aws.verify(2, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSGlue.GetJobRuns"))
                .withHeader("Content-Type", equalTo(JSON11)));

        clock.advance(Duration.ofMinutes(10));
        ReconcileReport second = reconcile(scope);

        assertThat(second.stats().get(0).missingFromEvents()).isZero();
        assertThat(second.stats().get(0).unchanged()).isEqualTo(3);
        assertThat(store.runsOfJob(job, 10)).hasSize(3);
        assertThat(store.get(new RunKey(job, "jr_new2")).orElseThrow().eventCount()).isEqualTo(1);
        // Two reconcilers racing: the deterministic event id makes the second apply a no-op.
        assertThat(store.apply(Reconciler.eventOf(new io.jobwatch.core.reconcile.ObservedRun(job, "jr_new2", "FAILED",
                Instant.parse("2026-03-04T02:00:00Z"), Instant.parse("2026-03-04T02:09:00Z"), "x"), clock.instant()))
                .outcome()).isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void glue_withoutJobNames_listsTheAccountsJobs() throws IOException {
        stubGlueRuns();
        aws.stubFor(json("AWSGlue.GetJobs").willReturn(ok(JSON11,
                "{\"Jobs\":[{\"Name\":\"nightly-orders-etl\",\"Role\":\"arn:aws:iam::111122223333:role/glue\"}]}")));

        ReconcileReport report = reconcile(Scope.all(ACCOUNT, "us-west-2", JobSource.GLUE_JOB));

        assertThat(report.stats().get(0).seen()).isEqualTo(3);
        assertThat(report.missingFromEvents()).isEqualTo(3);
    }

    @Test
    void glue_deniedAccess_isReportedWithServiceAccountAndRegion() {
        aws.stubFor(json("AWSGlue.GetJobRuns").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", JSON11)
                .withBody("{\"__type\":\"AccessDeniedException\",\"Message\":\"User is not authorized to perform: glue:GetJobRuns\"}")));

        ReconcileStats s = reconcile(new Scope(ACCOUNT, "us-west-2", JobSource.GLUE_JOB, List.of("nightly-orders-etl")))
                .stats().get(0);

        assertThat(s.error()).contains("Glue GetJobRuns", "nightly-orders-etl", "111122223333/us-west-2",
                "not authorized");
        assertThat(store.runsOfJob(new JobKey(ACCOUNT, "us-west-2", JobSource.GLUE_JOB, "nightly-orders-etl"), 5)).isEmpty();
    }

    @Test
    void glue_jobTheAccountNoLongerHas_isSkipped_andTheOthersAreListed() throws IOException {
        stubGlueRuns();
        aws.stubFor(json("AWSGlue.GetJobRuns").atPriority(0)
                .withRequestBody(matchingJsonPath("$.JobName", equalTo("retired-job")))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON11)
                        .withBody("{\"__type\":\"EntityNotFoundException\",\"Message\":\"Job retired-job not found\"}")));

        ReconcileStats s = reconcile(new Scope(ACCOUNT, "us-west-2", JobSource.GLUE_JOB,
                List.of("retired-job", "nightly-orders-etl"))).stats().get(0);

        assertThat(s.error()).isNull();
        assertThat(s.seen()).isEqualTo(3);
        aws.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSGlue.GetJobRuns"))
                .withRequestBody(equalToJson("{\"JobName\":\"nightly-orders-etl\",\"MaxResults\":2,\"NextToken\":\"page-2\"}")));
    }

    // ---- Step Functions ------------------------------------------------------------------------------------------

    @Test
    void stepFunctions_staleRunningBecomesSucceeded_afterThrottling_andTheLateRealEventIsANoOp() throws IOException {
        RunEvent running = sample("step-functions/running.json");
        RunEvent succeeded = sample("step-functions/succeeded.json");
        store.apply(running);
        aws.stubFor(json("AWSStepFunctions.ListStateMachines").willReturn(ok(JSON10, """
                {"stateMachines":[
                  {"stateMachineArn":"arn:aws:states:us-east-1:111122223333:stateMachine:daily-warehouse-load",
                   "name":"daily-warehouse-load","type":"STANDARD","creationDate":1767225600},
                  {"stateMachineArn":"arn:aws:states:us-east-1:111122223333:stateMachine:fast-lookups",
                   "name":"fast-lookups","type":"EXPRESS","creationDate":1767225600}]}""")));
        aws.stubFor(json("AWSStepFunctions.ListExecutions").inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("throttled once")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON10)
                        .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")));
        aws.stubFor(json("AWSStepFunctions.ListExecutions").inScenario("throttle")
                .whenScenarioStateIs("throttled once")
                .withRequestBody(matchingJsonPath("$.stateMachineArn",
                        equalTo("arn:aws:states:us-east-1:111122223333:stateMachine:daily-warehouse-load")))
                .willReturn(ok(JSON10, """
                        {"executions":[
                          {"executionArn":"%s","stateMachineArn":"arn:aws:states:us-east-1:111122223333:stateMachine:daily-warehouse-load",
                           "name":"2026-03-05-scheduled","status":"SUCCEEDED","startDate":%s,"stopDate":%s}]}"""
                        .formatted(running.runId(), seconds(succeeded.startedAt()), seconds(succeeded.endedAt())))));

        ReconcileReport report = reconcile(Scope.all(ACCOUNT, "us-east-1", JobSource.STEP_FUNCTIONS));

        assertThat(report.stats().get(0).error()).isNull();
        assertThat(report.advanced()).isEqualTo(1);
        assertThat(report.actions()).singleElement().extracting(ReconcileAction::kind)
                .isEqualTo(ReconcileAction.Kind.ADVANCE);
        aws.verify(2, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AWSStepFunctions.ListExecutions")));
        Run run = store.get(running.runKey()).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.endedAt()).isEqualTo(succeeded.endedAt());

        // The lost event turns up after all: same run, nothing new.
        Outcome late = store.apply(succeeded).outcome();

        assertThat(late).isIn(Outcome.STALE, Outcome.DUPLICATE);
        assertThat(store.runsOfJob(running.job(), 10)).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(r.endedAt()).isEqualTo(succeeded.endedAt());
        });
    }

    @Test
    void stepFunctions_followsNextTokenOfBothListings_andSkipsAStateMachineDeletedInBetween() {
        String gone = "arn:aws:states:us-east-1:111122223333:stateMachine:retired-flow";
        String live = "arn:aws:states:us-east-1:111122223333:stateMachine:hourly-sync";
        aws.stubFor(json("AWSStepFunctions.ListStateMachines").atPriority(5).willReturn(ok(JSON10, """
                {"stateMachines":[{"stateMachineArn":"%s","name":"retired-flow","type":"STANDARD","creationDate":1767225600}],
                 "nextToken":"sm-page-2"}""".formatted(gone))));
        aws.stubFor(json("AWSStepFunctions.ListStateMachines").atPriority(1)
                .withRequestBody(matchingJsonPath("$.nextToken", equalTo("sm-page-2")))
                .willReturn(ok(JSON10, """
                        {"stateMachines":[{"stateMachineArn":"%s","name":"hourly-sync","type":"STANDARD",
                          "creationDate":1767225600.5}]}""".formatted(live))));
        aws.stubFor(json("AWSStepFunctions.ListExecutions").withRequestBody(matchingJsonPath("$.stateMachineArn", equalTo(gone)))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON10)
                        .withBody("{\"__type\":\"com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist\","
                                + "\"message\":\"State Machine Does Not Exist: '" + gone + "'\"}")));
        aws.stubFor(json("AWSStepFunctions.ListExecutions").atPriority(5)
                .withRequestBody(matchingJsonPath("$.stateMachineArn", equalTo(live)))
                .willReturn(ok(JSON10, """
                        {"executions":[{"executionArn":"%s:run-2","stateMachineArn":"%s","name":"run-2","status":"RUNNING",
                          "startDate":%s}],
                         "nextToken":"ex-page-2"}""".formatted(live.replace("stateMachine", "execution"), live,
                        seconds(Instant.parse("2026-03-09T05:00:00.250Z"))))));
        aws.stubFor(json("AWSStepFunctions.ListExecutions").atPriority(1)
                .withRequestBody(matchingJsonPath("$.nextToken", equalTo("ex-page-2")))
                .willReturn(ok(JSON10, """
                        {"executions":[{"executionArn":"%s:run-1","stateMachineArn":"%s","name":"run-1","status":"FAILED",
                          "startDate":%s,"stopDate":%s}]}""".formatted(live.replace("stateMachine", "execution"), live,
                        seconds(Instant.parse("2026-03-09T04:00:00Z")), seconds(Instant.parse("2026-03-09T04:01:30Z"))))));

        ReconcileStats s = reconcile(Scope.all(ACCOUNT, "us-east-1", JobSource.STEP_FUNCTIONS)).stats().get(0);

        assertThat(s.error()).isNull();
        assertThat(s.seen()).isEqualTo(2);
        JobKey job = new JobKey(ACCOUNT, "us-east-1", JobSource.STEP_FUNCTIONS, "hourly-sync");
        String execution = live.replace("stateMachine", "execution");
        assertThat(store.get(new RunKey(job, execution + ":run-2")).orElseThrow().startedAt())
                .isEqualTo(Instant.parse("2026-03-09T05:00:00.250Z"));
        Run failed = store.get(new RunKey(job, execution + ":run-1")).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.endedAt()).isEqualTo(Instant.parse("2026-03-09T04:01:30Z"));
        aws.verify(2, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSStepFunctions.ListStateMachines"))
                .withHeader("Content-Type", equalTo(JSON10)));
        aws.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSStepFunctions.ListExecutions"))
                .withRequestBody(equalToJson("{\"stateMachineArn\":\"" + live + "\",\"maxResults\":2,\"nextToken\":\"ex-page-2\"}")));
    }

    // ---- Batch ---------------------------------------------------------------------------------------------------

    @Test
    void batch_jobMissingFromEvents_isAdded_andTheRealEventLandsOnTheSameRun() throws IOException {
        RunEvent real = sample("batch/succeeded.json");
        aws.stubFor(WireMock.post(urlEqualTo("/v1/describejobqueues")).willReturn(ok("application/json", """
                {"jobQueues":[{"jobQueueName":"etl-standard",
                  "jobQueueArn":"arn:aws:batch:us-east-1:111122223333:job-queue/etl-standard",
                  "state":"ENABLED","priority":1}]}""")));
        aws.stubFor(WireMock.post(urlEqualTo("/v1/listjobs"))
                .withRequestBody(matchingJsonPath("$.jobQueue", equalTo("arn:aws:batch:us-east-1:111122223333:job-queue/etl-standard")))
                .withRequestBody(matchingJsonPath("$.filters[0].name", equalTo("AFTER_CREATED_AT")))
                .willReturn(ok("application/json", """
                        {"jobSummaryList":[
                          {"jobId":"%s","jobName":"risk-scoring-daily","status":"SUCCEEDED",
                           "statusReason":"Essential container in task exited","createdAt":1773111600412,
                           "startedAt":1773111638901,"stoppedAt":1773114481577},
                          {"jobId":"9a1b2c3d-0000-4c7a-9e1f-8d2b5a7c3e61","jobName":"some-other-job","status":"RUNNING",
                           "createdAt":1773111600000,"startedAt":1773111610000}]}""".formatted(real.runId()))));

        ReconcileReport report = reconcile(new Scope(ACCOUNT, "us-east-1", JobSource.BATCH, List.of("risk-scoring-daily")));

        assertThat(report.stats().get(0).seen()).isEqualTo(1);
        assertThat(report.missingFromEvents()).isEqualTo(1);
        assertThat(report.stats().get(0).lag()).isEqualTo(Duration.between(Instant.ofEpochMilli(1773114481577L),
                clock.instant()));
        Run added = store.get(real.runKey()).orElseThrow();
        assertThat(added.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(added.startedAt()).isEqualTo(real.startedAt());
        assertThat(added.error()).isNull();

        assertThat(store.apply(real).outcome()).isIn(Outcome.STALE, Outcome.DUPLICATE);
        assertThat(store.runsOfJob(real.job(), 10)).singleElement()
                .satisfies(r -> assertThat(r.state()).isEqualTo(RunState.SUCCEEDED));
    }

    @Test
    void batch_followsNextToken_withTheFilterOnEveryPage_andReportsAThrottledQueueListing() {
        String queue = "arn:aws:batch:us-east-1:111122223333:job-queue/etl-standard";
        aws.stubFor(WireMock.post(urlEqualTo("/v1/describejobqueues")).willReturn(ok("application/json",
                "{\"jobQueues\":[{\"jobQueueName\":\"etl-standard\",\"jobQueueArn\":\"" + queue + "\"}]}")));
        aws.stubFor(WireMock.post(urlEqualTo("/v1/listjobs")).atPriority(5).willReturn(ok("application/json", """
                {"jobSummaryList":[{"jobId":"job-2","jobName":"risk-scoring-daily","status":"RUNNING",
                  "createdAt":1773111600000,"startedAt":1773111610000}],
                 "nextToken":"batch-page-2"}""")));
        aws.stubFor(WireMock.post(urlEqualTo("/v1/listjobs")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.nextToken", equalTo("batch-page-2")))
                .willReturn(ok("application/json", """
                        {"jobSummaryList":[{"jobId":"job-1","jobName":"risk-scoring-daily","status":"FAILED",
                          "statusReason":"Essential container in task exited","createdAt":1773025200000,
                          "startedAt":1773025210000,"stoppedAt":1773025270000}]}""")));

        ReconcileStats s = reconcile(new Scope(ACCOUNT, "us-east-1", JobSource.BATCH, List.of("risk-scoring-daily")))
                .stats().get(0);

        assertThat(s.error()).isNull();
        assertThat(s.seen()).isEqualTo(2);
        JobKey job = new JobKey(ACCOUNT, "us-east-1", JobSource.BATCH, "risk-scoring-daily");
        Run failed = store.get(new RunKey(job, "job-1")).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.endedAt()).isEqualTo(Instant.ofEpochMilli(1773025270000L));
        assertThat(failed.error()).isEqualTo("Essential container in task exited");
        String filter = ",\"filters\":[{\"name\":\"AFTER_CREATED_AT\",\"values\":[\""
                + Instant.parse("2026-03-01T00:00:00Z").toEpochMilli() + "\"]}]";
        aws.verify(postRequestedFor(urlEqualTo("/v1/listjobs")).withRequestBody(equalToJson(
                "{\"jobQueue\":\"" + queue + "\",\"maxResults\":2" + filter + "}")));
        aws.verify(postRequestedFor(urlEqualTo("/v1/listjobs")).withRequestBody(equalToJson(
                "{\"jobQueue\":\"" + queue + "\",\"maxResults\":2" + filter + ",\"nextToken\":\"batch-page-2\"}")));

        // Throttled on every attempt (REST-JSON names the error in x-amzn-ErrorType): retried, then reported.
        aws.resetAll();
        aws.stubFor(WireMock.post(urlEqualTo("/v1/describejobqueues")).willReturn(aResponse().withStatus(429)
                .withHeader("x-amzn-ErrorType", "TooManyRequestsException:http://internal.amazon.com/")
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Too Many Requests\"}")));

        ReconcileStats throttled = reconcile(Scope.all(ACCOUNT, "us-east-1", JobSource.BATCH)).stats().get(0);

        assertThat(throttled.error()).contains("Batch DescribeJobQueues", "TooManyRequestsException", "111122223333/us-east-1");
        aws.verify(3, postRequestedFor(urlEqualTo("/v1/describejobqueues")));
    }
}
