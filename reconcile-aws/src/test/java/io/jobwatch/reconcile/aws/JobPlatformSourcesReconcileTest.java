package io.jobwatch.reconcile.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.jobwatch.reconcile.aws.SignedJsonSourcesReconcileTest.JSON11;
import static io.jobwatch.reconcile.aws.SignedJsonSourcesReconcileTest.ok;
import static io.jobwatch.reconcile.aws.SignedJsonSourcesReconcileTest.sample;
import static io.jobwatch.reconcile.aws.SignedJsonSourcesReconcileTest.seconds;
import static io.jobwatch.reconcile.aws.SignedJsonSourcesReconcileTest.target;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.reconcile.ReconcileReport;
import io.jobwatch.core.reconcile.ReconcileStats;
import io.jobwatch.core.reconcile.Reconciler;
import io.jobwatch.core.reconcile.Scope;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.source.Sources;
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
 * ECS tasks, EMR steps, SageMaker pipelines, DMS tasks (AWS JSON 1.1) and DataBrew jobs (REST-JSON) spoken by
 * {@link SignedJsonClient}, against WireMock serving the response shapes of the services' API references (botocore's
 * models: member names, epoch-second times, pagination tokens, a throttling error then success), reconciling into a
 * real SQLite store with the repository's real event samples as the events that did (or did not) arrive. Every call a
 * lister makes must be one of its source descriptor's IAM actions: the member role grants nothing else.
 */
class JobPlatformSourcesReconcileTest {
    static final String ACCOUNT = "111122223333";
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
        clock = new TestClock(Instant.parse("2026-03-20T23:00:00Z"));
        store = new SqliteRunStore(dir.resolve("jobwatch.db"), clock, Duration.ofDays(30));
        URI endpoint = URI.create(aws.baseUrl());
        clients = new MemberClients(MemberClients.Settings.direct(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "test-secret")),
                Map.of("ecs", endpoint, "emr", endpoint, "sagemaker", endpoint, "dms", endpoint, "databrew", endpoint))
                .withThrottlingBackoff(Duration.ofMillis(20)));
    }

    @AfterEach
    void tearDown() {
        clients.close();
        store.close();
    }

    ReconcileReport reconcile(Scope scope) {
        return new Reconciler(store, new IngestPipeline(store, null, null), AwsRunSources.all(clients, new ListingBounds(2, 5)),
                clock).reconcile(List.of(scope), SINCE, 100, false);
    }

    /** Every request WireMock saw is an operation the source's descriptor grants (service prefix: its actions'). */
    static void assertCalledOnlyItsActions(JobSource source) {
        List<String> actions = Sources.eventBridge(source).reconcileActions();
        String prefix = actions.get(0).substring(0, actions.get(0).indexOf(':') + 1);
        List<ServeEvent> served = aws.getAllServeEvents();
        assertThat(served).isNotEmpty();
        for (ServeEvent e : served) {
            String target = e.getRequest().getHeader("X-Amz-Target");
            String operation = target != null ? target.substring(target.indexOf('.') + 1)
                    : e.getRequest().getUrl().matches("/jobs/[^/]+/jobRuns.*") ? "ListJobRuns"
                    : e.getRequest().getUrl().matches("/jobs(\\?.*)?") ? "ListJobs" : e.getRequest().getUrl();
            assertThat(actions).as(e.getRequest().getMethod() + " " + e.getRequest().getUrl()).contains(prefix + operation);
        }
    }

    // ---- ECS -------------------------------------------------------------------------------------------------------

    @Test
    void ecs_aLostStopIsFoundByItsExitCodes_serviceTasksAreSkipped_afterThrottling_andTheLateEventIsANoOp()
            throws IOException {
        RunEvent stopped = sample("ecs-task/stopped-succeeded.json");
        String cluster = "arn:aws:ecs:us-east-2:111122223333:cluster/etl";
        aws.stubFor(target("AmazonEC2ContainerServiceV20141113.ListClusters")
                .willReturn(ok(JSON11, "{\"clusterArns\":[\"" + cluster + "\"]}")));
        // Stopped tasks over two pages; nothing running.
        aws.stubFor(target("AmazonEC2ContainerServiceV20141113.ListTasks").atPriority(5)
                .withRequestBody(matchingJsonPath("$.desiredStatus", equalTo("STOPPED")))
                .willReturn(ok(JSON11, """
                        {"taskArns":["%s","arn:aws:ecs:us-east-2:111122223333:task/web/c50e321c974248dbaf4ae2cfa1662986"],
                         "nextToken":"eyJwYWdlIjoyfQ"}""".formatted(stopped.runId()))));
        aws.stubFor(target("AmazonEC2ContainerServiceV20141113.ListTasks").atPriority(1)
                .withRequestBody(matchingJsonPath("$.nextToken", equalTo("eyJwYWdlIjoyfQ")))
                .willReturn(ok(JSON11, "{\"taskArns\":[\"arn:aws:ecs:us-east-2:111122223333:task/etl/0a1b2c3d4e5f40718293a4b5c6d7e8f9\"]}")));
        aws.stubFor(target("AmazonEC2ContainerServiceV20141113.ListTasks").atPriority(5)
                .withRequestBody(matchingJsonPath("$.desiredStatus", equalTo("RUNNING")))
                .willReturn(ok(JSON11, "{\"taskArns\":[]}")));
        aws.stubFor(target("AmazonEC2ContainerServiceV20141113.DescribeTasks").atPriority(1).inScenario("ecs")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("throttled once")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON11)
                        .withBody("{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}")));
        aws.stubFor(target("AmazonEC2ContainerServiceV20141113.DescribeTasks").atPriority(5)
                .withRequestBody(matchingJsonPath("$.cluster", equalTo(cluster)))
                .willReturn(ok(JSON11, """
                        {"tasks":[
                          {"taskArn":"%s","clusterArn":"%s","group":"family:orders-rollup","startedBy":"events-rule/orders-rollup-hourly",
                           "taskDefinitionArn":"arn:aws:ecs:us-east-2:111122223333:task-definition/orders-rollup:60",
                           "lastStatus":"STOPPED","desiredStatus":"STOPPED","launchType":"FARGATE","createdAt":1773496828.849,
                           "startedAt":%s,"stoppingAt":1773496875.514,"stoppedAt":%s,"stopCode":"EssentialContainerExited",
                           "stoppedReason":"Essential container in task exited","version":5,
                           "containers":[{"name":"orders-rollup","exitCode":0,"lastStatus":"STOPPED"}]},
                          {"taskArn":"arn:aws:ecs:us-east-2:111122223333:task/web/c50e321c974248dbaf4ae2cfa1662986",
                           "clusterArn":"%s","group":"service:api-service","startedBy":"ecs-svc/8646900195280463695",
                           "lastStatus":"STOPPED","stopCode":"ServiceSchedulerInitiated","startedAt":1773670774.52,
                           "stoppedAt":1773674951.177,"containers":[{"name":"api","exitCode":137,"lastStatus":"STOPPED"}]},
                          {"taskArn":"arn:aws:ecs:us-east-2:111122223333:task/etl/0a1b2c3d4e5f40718293a4b5c6d7e8f9",
                           "clusterArn":"%s","group":"family:orders-rollup","lastStatus":"STOPPED","startedAt":1773500400,
                           "stoppedAt":1773500460,"stopCode":"TaskFailedToStart",
                           "stoppedReason":"CannotPullContainerError: pull image manifest has been retried 5 time(s)",
                           "containers":[{"name":"orders-rollup","lastStatus":"STOPPED","reason":"CannotPullContainerError"}]}],
                         "failures":[]}""".formatted(stopped.runId(), cluster, seconds(stopped.startedAt()),
                        seconds(stopped.endedAt()), cluster, cluster))));

        ReconcileStats s = reconcile(Scope.all(ACCOUNT, "us-east-2", JobSource.ECS_TASK)).stats().get(0);

        assertThat(s.error()).isNull();
        assertThat(s.seen()).isEqualTo(2); // the service's task is not a job run
        assertThat(s.missingFromEvents()).isEqualTo(2);
        Run found = store.get(stopped.runKey()).orElseThrow();
        assertThat(found.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(found.endedAt()).isEqualTo(stopped.endedAt());
        Run failedToStart = store.get(new RunKey(stopped.job(),
                "arn:aws:ecs:us-east-2:111122223333:task/etl/0a1b2c3d4e5f40718293a4b5c6d7e8f9")).orElseThrow();
        assertThat(failedToStart.state()).isEqualTo(RunState.FAILED);
        assertThat(failedToStart.error()).startsWith("CannotPullContainerError: pull image manifest")
                .contains("container orders-rollup: CannotPullContainerError");
        aws.verify(3, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonEC2ContainerServiceV20141113.ListTasks"))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/us-east-2/ecs/aws4_request, .*")));
        assertCalledOnlyItsActions(JobSource.ECS_TASK);

        // The lost STOPPED event turns up: the same run, nothing new.
        assertThat(store.apply(stopped).outcome()).isIn(Outcome.STALE, Outcome.DUPLICATE);
        assertThat(store.runsOfJob(stopped.job(), 10)).hasSize(2);
    }

    // ---- EMR steps -------------------------------------------------------------------------------------------------

    @Test
    void emrStep_aRunningStepThatCompletedIsAdvanced_aFailedOneAddedWithItsFailureDetails_andTheLateEventIsANoOp()
            throws IOException {
        RunEvent running = sample("emr-step/running.json");
        RunEvent completed = sample("emr-step/completed.json");
        store.apply(running);
        aws.stubFor(target("ElasticMapReduce.ListClusters")
                .withRequestBody(matchingJsonPath("$.CreatedAfter", equalTo(Long.toString(SINCE.minus(Duration.ofDays(1)).getEpochSecond()))))
                .willReturn(ok(JSON11, """
                        {"Clusters":[{"Id":"j-PES1EPZ6LHJU","Name":"analytics-emr",
                          "Status":{"State":"TERMINATED","Timeline":{"CreationDateTime":1773716400}},
                          "ClusterArn":"arn:aws:elasticmapreduce:us-east-1:111122223333:cluster/j-PES1EPZ6LHJU"}]}""")));
        aws.stubFor(target("ElasticMapReduce.ListSteps").atPriority(5)
                .withRequestBody(matchingJsonPath("$.ClusterId", equalTo("j-PES1EPZ6LHJU")))
                .willReturn(ok(JSON11, """
                        {"Steps":[
                          {"Id":"s-3QZPI770O6MVP","Name":"daily-export","ActionOnFailure":"CONTINUE",
                           "Config":{"Jar":"command-runner.jar","Args":["spark-submit","s3://lake/jobs/export.py"]},
                           "Status":{"State":"FAILED","StateChangeReason":{},
                             "FailureDetails":{"Reason":"Unknown Error","Message":"Exception in thread \\"main\\" org.apache.spark.SparkException: Job aborted.","LogFile":"s3://aws-logs/j-PES1EPZ6LHJU/steps/s-3QZPI770O6MVP/stderr.gz"},
                             "Timeline":{"CreationDateTime":1773720000,"StartDateTime":1773720030,"EndDateTime":1773720330}}}],
                         "Marker":"step-page-2"}""")));
        aws.stubFor(target("ElasticMapReduce.ListSteps").atPriority(1)
                .withRequestBody(matchingJsonPath("$.Marker", equalTo("step-page-2")))
                .willReturn(ok(JSON11, """
                        {"Steps":[
                          {"Id":"s-2PZOH669N5LUO","Name":"daily-sessionize","ActionOnFailure":"CONTINUE",
                           "Config":{"Jar":"command-runner.jar","Args":["spark-submit","s3://lake/jobs/sessionize.py"]},
                           "Status":{"State":"COMPLETED","StateChangeReason":{},
                             "Timeline":{"CreationDateTime":1773717302,"StartDateTime":1773717371,"EndDateTime":%s}}}]}"""
                        .formatted(seconds(completed.eventTime())))));

        ReconcileStats s = reconcile(Scope.all(ACCOUNT, "us-east-1", JobSource.EMR_STEP)).stats().get(0);

        assertThat(s.error()).isNull();
        assertThat(s.seen()).isEqualTo(2);
        assertThat(s.advanced()).isEqualTo(1);
        assertThat(s.missingFromEvents()).isEqualTo(1);
        Run done = store.get(running.runKey()).orElseThrow();
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.endedAt()).isEqualTo(completed.eventTime());
        Run failed = store.get(new RunKey(new JobKey(ACCOUNT, "us-east-1", JobSource.EMR_STEP, "analytics-emr/daily-export"),
                "j-PES1EPZ6LHJU/s-3QZPI770O6MVP")).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.error()).startsWith("Exception in thread \"main\" org.apache.spark.SparkException");
        assertThat(failed.startedAt()).isEqualTo(Instant.ofEpochSecond(1773720030));
        assertCalledOnlyItsActions(JobSource.EMR_STEP);

        assertThat(store.apply(completed).outcome()).isIn(Outcome.STALE, Outcome.DUPLICATE);
        assertThat(store.runsOfJob(running.job(), 10)).singleElement()
                .satisfies(r -> assertThat(r.state()).isEqualTo(RunState.SUCCEEDED));
    }

    // ---- SageMaker pipelines ---------------------------------------------------------------------------------------

    @Test
    void sageMaker_aLostFailureIsAddedWithTheEndAndReasonItsDescriptionGives_andTheLateEventIsANoOp() throws IOException {
        RunEvent failedEvent = sample("sagemaker-pipeline/failed.json");
        aws.stubFor(target("SageMaker.ListPipelines")
                .willReturn(ok(JSON11, """
                        {"PipelineSummaries":[{"PipelineArn":"arn:aws:sagemaker:us-east-1:111122223333:pipeline/churn-training",
                          "PipelineName":"churn-training","PipelineDisplayName":"churn-training","CreationTime":1770000000,
                          "LastModifiedTime":1770000000,"LastExecutionTime":1773720193}]}""")));
        aws.stubFor(target("SageMaker.ListPipelineExecutions")
                .withRequestBody(matchingJsonPath("$.PipelineName", equalTo("churn-training")))
                .withRequestBody(matchingJsonPath("$.SortOrder", equalTo("Descending")))
                .willReturn(ok(JSON11, """
                        {"PipelineExecutionSummaries":[
                          {"PipelineExecutionArn":"arn:aws:sagemaker:us-east-1:111122223333:pipeline/churn-training/execution/q5ko0ypv9b9t",
                           "StartTime":1773806593,"PipelineExecutionStatus":"Executing","PipelineExecutionDisplayName":"execution-1773806593000"},
                          {"PipelineExecutionArn":"%s","StartTime":%s,"PipelineExecutionStatus":"Failed",
                           "PipelineExecutionDisplayName":"execution-1773720193000"}]}"""
                        .formatted(failedEvent.runId(), seconds(failedEvent.startedAt())))));
        aws.stubFor(target("SageMaker.DescribePipelineExecution")
                .withRequestBody(matchingJsonPath("$.PipelineExecutionArn", equalTo(failedEvent.runId())))
                .willReturn(ok(JSON11, """
                        {"PipelineArn":"arn:aws:sagemaker:us-east-1:111122223333:pipeline/churn-training",
                         "PipelineExecutionArn":"%s","PipelineExecutionDisplayName":"execution-1773720193000",
                         "PipelineExecutionStatus":"Failed","FailureReason":"Step failure: One or multiple steps failed.",
                         "CreationTime":%s,"LastModifiedTime":%s}"""
                        .formatted(failedEvent.runId(), seconds(failedEvent.startedAt()), seconds(failedEvent.endedAt())))));

        ReconcileStats s = reconcile(Scope.all(ACCOUNT, "us-east-1", JobSource.SAGEMAKER_PIPELINE)).stats().get(0);

        assertThat(s.error()).isNull();
        assertThat(s.missingFromEvents()).isEqualTo(2);
        Run failed = store.get(failedEvent.runKey()).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.endedAt()).isEqualTo(failedEvent.endedAt());
        assertThat(failed.error()).isEqualTo("Step failure: One or multiple steps failed.");
        assertThat(store.get(new RunKey(failedEvent.job(),
                "arn:aws:sagemaker:us-east-1:111122223333:pipeline/churn-training/execution/q5ko0ypv9b9t")).orElseThrow()
                .state()).isEqualTo(RunState.RUNNING);
        // Only the finished execution is described.
        aws.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("SageMaker.DescribePipelineExecution"))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/us-east-1/sagemaker/aws4_request, .*")));
        assertCalledOnlyItsActions(JobSource.SAGEMAKER_PIPELINE);

        assertThat(store.apply(failedEvent).outcome()).isIn(Outcome.STALE, Outcome.DUPLICATE);
        assertThat(store.runsOfJob(failedEvent.job(), 10)).hasSize(2);
    }

    // ---- DMS -------------------------------------------------------------------------------------------------------

    @Test
    void dms_theStopOfAStartedTaskIsFound_asTheRunItsStartEventNamed_secondsApart_andTheLateStopJoinsIt()
            throws IOException {
        RunEvent started = sample("dms-task/started.json");
        // The full-load task's stop, as the started task's (its sample is of another task).
        ObjectNode stopJson = (ObjectNode) SignedJsonSourcesReconcileTest.sampleJson("dms-task/stopped-full-load-finished.json");
        stopJson.withArray("resources").set(0, stopJson.textNode("arn:aws:dms:us-east-1:111122223333:task:"
                + started.job().jobName()));
        RunEvent stop = SignedJsonSourcesReconcileTest.normalize(stopJson);
        store.apply(started);
        String arn = "arn:aws:dms:us-east-1:111122223333:task:" + started.job().jobName();
        // The API's start is 3 s before the start event's time.
        Instant apiStart = started.eventTime().minusSeconds(3);
        aws.stubFor(target("AmazonDMSv20160101.DescribeReplicationTasks")
                .withRequestBody(matchingJsonPath("$.Filters[0].Name", equalTo("replication-task-arn")))
                .withRequestBody(matchingJsonPath("$.Filters[0].Values[0]", equalTo(arn)))
                .withRequestBody(matchingJsonPath("$.WithoutSettings", equalTo("true")))
                .willReturn(ok(JSON11, """
                        {"ReplicationTasks":[
                          {"ReplicationTaskIdentifier":"orders-full-load","ReplicationTaskArn":"%s",
                           "SourceEndpointArn":"arn:aws:dms:us-east-1:111122223333:endpoint:SRC","TargetEndpointArn":"arn:aws:dms:us-east-1:111122223333:endpoint:TGT",
                           "ReplicationInstanceArn":"arn:aws:dms:us-east-1:111122223333:rep:RI","MigrationType":"full-load",
                           "Status":"stopped","StopReason":"Stop Reason FULL_LOAD_ONLY_FINISHED",
                           "ReplicationTaskCreationDate":1773000000,"ReplicationTaskStartDate":%s,
                           "ReplicationTaskStats":{"FullLoadProgressPercent":100,"ElapsedTimeMillis":4456000,"TablesLoaded":12,
                             "TablesLoading":0,"TablesQueued":0,"TablesErrored":0,"FreshStartDate":%s,"StartDate":%s,
                             "StopDate":%s,"FullLoadStartDate":%s,"FullLoadFinishDate":%s}}]}"""
                        .formatted(arn, seconds(apiStart), seconds(apiStart), seconds(apiStart), seconds(stop.eventTime()),
                                seconds(apiStart), seconds(stop.eventTime())))));

        ReconcileStats s = reconcile(new Scope(ACCOUNT, "us-east-1", JobSource.DMS_TASK,
                List.of(started.job().jobName()))).stats().get(0);

        assertThat(s.error()).isNull();
        assertThat(s.advanced()).isEqualTo(1);
        assertThat(s.missingFromEvents()).isZero();
        assertThat(store.runsOfJob(started.job(), 10)).singleElement().satisfies(r -> {
            assertThat(r.runId()).isEqualTo(started.runId());
            assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(r.endedAt()).isEqualTo(stop.eventTime());
        });
        assertCalledOnlyItsActions(JobSource.DMS_TASK);

        // The lost stop event turns up: it joins the finished run (it repeats its end), nothing new.
        store.apply(stop);
        assertThat(store.runsOfJob(started.job(), 10)).singleElement()
                .satisfies(r -> assertThat(r.state()).isEqualTo(RunState.SUCCEEDED));
    }

    @Test
    void dms_aTaskThatFailed_andOneNeverStarted_listedWhole() {
        aws.stubFor(target("AmazonDMSv20160101.DescribeReplicationTasks")
                .withRequestBody(matchingJsonPath("$.Filters", absent()))
                .willReturn(ok(JSON11, """
                        {"ReplicationTasks":[
                          {"ReplicationTaskIdentifier":"orders-cdc","ReplicationTaskArn":"arn:aws:dms:us-east-1:111122223333:task:ORDERSCDCTASK7Q2XJ5K3LM4N5P6R7S8T9U0V",
                           "MigrationType":"cdc","Status":"failed","StopReason":"Stop Reason RECOVERABLE_ERROR",
                           "LastFailureMessage":"Last Error  ODBC general error. Stop Reason RECOVERABLE_ERROR Error Level RECOVERABLE",
                           "ReplicationTaskStartDate":1773802673,
                           "ReplicationTaskStats":{"StartDate":1773802673,"StopDate":1773877245,"FullLoadProgressPercent":100}},
                          {"ReplicationTaskIdentifier":"customers-copy","ReplicationTaskArn":"arn:aws:dms:us-east-1:111122223333:task:CUSTOMERSCOPYZ3N5P7R9T1V3X5Z7B9D",
                           "MigrationType":"full-load","Status":"ready","ReplicationTaskCreationDate":1773800000}]}""")));

        ReconcileStats s = reconcile(Scope.all(ACCOUNT, "us-east-1", JobSource.DMS_TASK)).stats().get(0);

        assertThat(s.seen()).isEqualTo(1);
        JobKey job = new JobKey(ACCOUNT, "us-east-1", JobSource.DMS_TASK, "ORDERSCDCTASK7Q2XJ5K3LM4N5P6R7S8T9U0V");
        Run failed = store.get(new RunKey(job, "ORDERSCDCTASK7Q2XJ5K3LM4N5P6R7S8T9U0V@2026-03-18T02:57:53Z")).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.error()).startsWith("Last Error  ODBC general error.");
        assertCalledOnlyItsActions(JobSource.DMS_TASK);
    }

    // ---- DataBrew --------------------------------------------------------------------------------------------------

    @Test
    void dataBrew_listsEveryJobsRuns_addsTheOneStillGoing_andGivesTheFinishedOneItsStart() throws IOException {
        RunEvent succeeded = sample("databrew/succeeded.json");
        store.apply(succeeded);
        aws.stubFor(WireMock.get(urlPathEqualTo("/jobs")).withQueryParam("maxResults", equalTo("2"))
                .willReturn(ok("application/json", """
                        {"Jobs":[{"AccountId":"111122223333","Name":"customers-clean","Type":"RECIPE","DatasetName":"customers-raw",
                          "CreateDate":1772000000,"RoleArn":"arn:aws:iam::111122223333:role/DataBrew",
                          "ResourceArn":"arn:aws:databrew:us-west-2:111122223333:job/customers-clean"}]}""")));
        aws.stubFor(WireMock.get(urlPathEqualTo("/jobs/customers-clean/jobRuns")).atPriority(5).inScenario("brew")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("throttled once")
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json")
                        .withHeader("x-amzn-ErrorType", "TooManyRequestsException").withBody("{\"message\":\"Rate exceeded\"}")));
        aws.stubFor(WireMock.get(urlPathEqualTo("/jobs/customers-clean/jobRuns")).atPriority(5).inScenario("brew")
                .whenScenarioStateIs("throttled once").withQueryParam("nextToken", absent())
                .willReturn(ok("application/json", """
                        {"JobRuns":[
                          {"Attempt":0,"JobName":"customers-clean","RunId":"db_0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d",
                           "State":"RUNNING","StartedBy":"arn:aws:sts::111122223333:assumed-role/Scheduler/run","StartedOn":1774040000,
                           "LogSubscription":"ENABLE","LogGroupName":"/aws-glue-databrew/jobs/customers-clean"},
                          {"Attempt":0,"JobName":"customers-clean","RunId":"%s","State":"SUCCEEDED","StartedOn":1774032600,
                           "CompletedOn":%s,"ExecutionTime":441}],
                         "NextToken":"brew-page-2"}""".formatted(succeeded.runId(), seconds(succeeded.eventTime())))));
        aws.stubFor(WireMock.get(urlPathEqualTo("/jobs/customers-clean/jobRuns")).atPriority(1)
                .withQueryParam("nextToken", equalTo("brew-page-2"))
                .willReturn(ok("application/json", """
                        {"JobRuns":[{"Attempt":0,"JobName":"customers-clean","RunId":"db_1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e",
                           "State":"FAILED","StartedOn":1771000000,"CompletedOn":1771000300,"ErrorMessage":"old"}]}""")));

        ReconcileStats s = reconcile(Scope.all(ACCOUNT, "us-west-2", JobSource.DATABREW)).stats().get(0);

        assertThat(s.error()).isNull();
        assertThat(s.seen()).isEqualTo(2); // the February run is outside the window, and ends the listing
        assertThat(s.missingFromEvents()).isEqualTo(1);
        JobKey job = succeeded.job();
        assertThat(store.get(new RunKey(job, "db_0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d"))
                .orElseThrow().state()).isEqualTo(RunState.RUNNING);
        aws.verify(3, getRequestedFor(urlPathEqualTo("/jobs/customers-clean/jobRuns")).withHeader("Authorization",
                matching("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/us-west-2/databrew/aws4_request, .*")));
        assertCalledOnlyItsActions(JobSource.DATABREW);
    }
}
