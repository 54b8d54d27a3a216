package io.jobwatch.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.testing.Fixtures;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared AWS sample normalizes to the values the AWS documentation implies for it (the field table of the
 * foundation issue): these are written down from the docs, not copied from the normalizer's output.
 */
class FixtureNormalizationTest {
    private final EventNormalizer normalizer = new EventNormalizer();

    static Stream<Arguments> expectations() {
        return Stream.of(
            // file, source, region, jobName, runId, state, sourceState, startedAt, endedAt, error (prefix)
            Arguments.of("glue-job/succeeded.json", "glue-job", "us-west-2", "nightly-orders-etl",
                "jr_3f1c0a9d27b84e6f9a0d5c2b1e7f4a68c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e", RunState.SUCCEEDED, "SUCCEEDED", null, null, null),
            Arguments.of("glue-job/failed.json", "glue-job", "us-west-2", "nightly-orders-etl",
                "jr_8e2d4b6a0c1f3e5d7b9a2c4e6f8d0b1a3c5e7f9d2b4a6c8e0f1d3b5a7c9e2d4f", RunState.FAILED, "FAILED", null, null,
                "JobName:nightly-orders-etl and JobRunId:jr_8e2d4b6a"),
            Arguments.of("glue-job/timeout.json", "glue-job", "us-east-1", "customer-dim-refresh",
                "jr_b7c9e1d3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9", RunState.TIMED_OUT, "TIMEOUT", null, null, "Job run timed out"),
            Arguments.of("glue-job/stopped.json", "glue-job", "us-east-1", "customer-dim-refresh",
                "jr_0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9", RunState.STOPPED, "STOPPED", null, null, "Job run stopped"),
            // A retry: jr_<id>_attempt_1 is the second attempt of run jr_<id>.
            Arguments.of("glue-job/retry-succeeded.json", "glue-job", "us-west-2", "nightly-orders-etl",
                "jr_8e2d4b6a0c1f3e5d7b9a2c4e6f8d0b1a3c5e7f9d2b4a6c8e0f1d3b5a7c9e2d4f", RunState.SUCCEEDED, "SUCCEEDED", null, null, null),
            Arguments.of("glue-job/run-status-running.json", "glue-job", "us-west-2", "nightly-orders-etl",
                "jr_5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c", RunState.RUNNING, "RUNNING",
                "2026-03-04T01:17:02.318Z", null, null),
            Arguments.of("glue-crawler/started.json", "glue-crawler", "us-west-2", "raw-orders-s3-crawler",
                "raw-orders-s3-crawler@2026-03-02T01:00:04Z", RunState.RUNNING, "Started", "2026-03-02T01:00:04Z", null, null),
            // The crawl's start, from its end: completionDate 01:03:51 − runningTime 227 s.
            Arguments.of("glue-crawler/succeeded.json", "glue-crawler", "us-west-2", "raw-orders-s3-crawler",
                null, RunState.SUCCEEDED, "Succeeded", "2026-03-02T01:00:04Z", "2026-03-02T01:03:51Z", null),
            Arguments.of("glue-crawler/failed.json", "glue-crawler", "us-west-2", "partner-feed-crawler",
                null, RunState.FAILED, "Failed", null, null, "Internal Service Exception"),
            Arguments.of("step-functions/running.json", "step-functions", "us-east-1", "daily-warehouse-load",
                "arn:aws:states:us-east-1:111122223333:execution:daily-warehouse-load:2026-03-05-scheduled", RunState.RUNNING, "RUNNING",
                "2026-03-05T05:00:02.911Z", null, null),
            Arguments.of("step-functions/succeeded.json", "step-functions", "us-east-1", "daily-warehouse-load",
                "arn:aws:states:us-east-1:111122223333:execution:daily-warehouse-load:2026-03-05-scheduled", RunState.SUCCEEDED, "SUCCEEDED",
                "2026-03-05T05:00:02.911Z", "2026-03-05T05:42:17.456Z", null),
            Arguments.of("step-functions/failed.json", "step-functions", "us-east-1", "daily-warehouse-load",
                "arn:aws:states:us-east-1:111122223333:execution:daily-warehouse-load:2026-03-06-scheduled", RunState.FAILED, "FAILED",
                "2026-03-06T05:00:02.637Z", "2026-03-06T05:09:55.102Z", null),
            // A redrive: the same execution ARN and start, redriveCount 1.
            Arguments.of("step-functions/running-with-redrive-fields.json", "step-functions", "us-east-2", "daily-warehouse-load",
                "arn:aws:states:us-east-2:111122223333:execution:daily-warehouse-load:2026-03-21-scheduled", RunState.RUNNING, "RUNNING",
                "2026-03-21T02:00:00.123Z", null, null),
            Arguments.of("step-functions/failed-redrivable.json", "step-functions", "us-east-2", "daily-warehouse-load",
                "arn:aws:states:us-east-2:111122223333:execution:daily-warehouse-load:2026-03-21-scheduled", RunState.FAILED, "FAILED",
                "2026-03-21T02:00:00.123Z", "2026-03-21T02:09:55.881Z",
                "States.TaskFailed: Glue job orders-curated failed: Command failed with exit code 1"),
            Arguments.of("step-functions/redriven-running.json", "step-functions", "us-east-2", "daily-warehouse-load",
                "arn:aws:states:us-east-2:111122223333:execution:daily-warehouse-load:2026-03-21-scheduled", RunState.RUNNING, "RUNNING",
                "2026-03-21T02:00:00.123Z", null, null),
            Arguments.of("step-functions/succeeded-after-redrive.json", "step-functions", "us-east-2", "daily-warehouse-load",
                "arn:aws:states:us-east-2:111122223333:execution:daily-warehouse-load:2026-03-21-scheduled", RunState.SUCCEEDED, "SUCCEEDED",
                "2026-03-21T02:00:00.123Z", "2026-03-21T03:20:10.456Z", null),
            Arguments.of("appflow/success-with-record-failures.json", "appflow", "us-east-1", "s3-orders-to-lake",
                "9e5a3c1b-7d2f-4b81-a3c4-5d6e7f8091a2", RunState.SUCCEEDED, "Execution Successful",
                "2026-03-08T06:12:33.406Z", "2026-03-08T06:12:50.771Z", null),
            Arguments.of("appflow/success.json", "appflow", "us-east-1", "s3-orders-to-lake",
                "7d3f1b2a-9c8e-4f60-a1b2-3c4d5e6f7a8b", RunState.SUCCEEDED, "Execution Successful",
                "2026-03-07T06:12:31.118Z", "2026-03-07T06:12:43.902Z", null),
            Arguments.of("appflow/failed.json", "appflow", "us-east-1", "s3-orders-to-lake",
                "8e4a2c3b-0d9f-4a71-b2c3-4d5e6f7a8b9c", RunState.FAILED, "Execution Failed",
                "2026-03-07T07:01:58.441Z", "2026-03-07T07:02:08.730Z", null),
            Arguments.of("datasync/launching.json", "datasync", "us-east-1", "task-04f2a6c8e0b2d4f61",
                "arn:aws:datasync:us-east-1:111122223333:task/task-04f2a6c8e0b2d4f61/execution/exec-0a1b2c3d4e5f60718", RunState.RUNNING, "LAUNCHING", null, null, null),
            Arguments.of("datasync/transferring.json", "datasync", "us-east-1", "task-04f2a6c8e0b2d4f61",
                "arn:aws:datasync:us-east-1:111122223333:task/task-04f2a6c8e0b2d4f61/execution/exec-0a1b2c3d4e5f60718", RunState.RUNNING, "TRANSFERRING", null, null, null),
            Arguments.of("datasync/success.json", "datasync", "us-east-1", "task-04f2a6c8e0b2d4f61",
                "arn:aws:datasync:us-east-1:111122223333:task/task-04f2a6c8e0b2d4f61/execution/exec-0a1b2c3d4e5f60718", RunState.SUCCEEDED, "SUCCESS", null, null, null),
            Arguments.of("datasync/error.json", "datasync", "us-east-1", "task-04f2a6c8e0b2d4f61",
                "arn:aws:datasync:us-east-1:111122223333:task/task-04f2a6c8e0b2d4f61/execution/exec-0f9e8d7c6b5a49382", RunState.FAILED, "ERROR", null, null, null),
            Arguments.of("batch/running.json", "batch", "us-east-1", "risk-scoring-daily",
                "2f6c1d9a-4b3e-4c7a-9e1f-8d2b5a7c3e61", RunState.RUNNING, "RUNNING", null, null, null),
            Arguments.of("batch/succeeded.json", "batch", "us-east-1", "risk-scoring-daily",
                "2f6c1d9a-4b3e-4c7a-9e1f-8d2b5a7c3e61", RunState.SUCCEEDED, "SUCCEEDED",
                "2026-03-10T03:00:38.901Z", "2026-03-10T03:48:01.577Z", null),
            Arguments.of("batch/failed.json", "batch", "us-east-1", "risk-scoring-daily",
                "7a3e5c1b-9d2f-4e8a-b6c4-2f1d3e5a7b9c", RunState.FAILED, "FAILED",
                "2026-03-11T03:00:31.554Z", "2026-03-11T03:09:26.810Z", "Essential container in task exited; exit code 1"),
            // A failure whose container ran out of memory: the last attempt's exit code and reason follow the reason;
            // when the top level has no reason or times (null), the last attempt's are taken.
            Arguments.of("batch/failed-oom.json", "batch", "us-east-1", "j8hqdfgaq",
                "ef9e8d6c-f480-418a-87e0-3cf72f3d3eb7", RunState.FAILED, "FAILED", "2021-11-05T17:12:12.930Z",
                "2021-11-05T17:22:54.807Z",
                "Essential container in task exited; exit code 24: OutOfMemoryError: Container killed due to memory usage"),
            Arguments.of("batch/failed-reason-in-attempts.json", "batch", "us-east-1", "j8hqdfgaq",
                "0b7d5e3f-1a2c-4d6e-9f8a-b1c2d3e4f5a6", RunState.FAILED, "FAILED", "2021-11-05T17:12:12.930Z",
                "2021-11-05T17:22:54.807Z",
                "Essential container in task exited; exit code 24: OutOfMemoryError: Container killed due to memory usage"),
            // A job name with a per-run suffix: the job is the name without it.
            Arguments.of("batch/succeeded-run-named.json", "batch", "us-east-1", "cpu-stress-test",
                "4c1e7a9b-5d3f-4e2a-8b6c-0d9e1f2a3b4c", RunState.SUCCEEDED, "SUCCEEDED",
                "2026-03-10T03:00:38.901Z", "2026-03-10T03:48:01.577Z", null),
            Arguments.of("emr-serverless/running.json", "emr-serverless", "us-east-1", "00fh3k2l9q8r7s01/sessions-daily",
                "00fh3m5n6p7q8r02", RunState.RUNNING, "RUNNING", "2026-03-12T04:01:58.771203Z", null, null),
            Arguments.of("emr-serverless/success.json", "emr-serverless", "us-east-1", "00fh3k2l9q8r7s01/sessions-daily",
                "00fh3m5n6p7q8r02", RunState.SUCCEEDED, "SUCCESS", "2026-03-12T04:01:58.771203Z", "2026-03-12T04:19:07.880142Z", null),
            Arguments.of("emr-serverless/failed.json", "emr-serverless", "us-east-1", "00fh3k2l9q8r7s01/sessions-daily",
                "00fh3r9s0t1u2v03", RunState.FAILED, "FAILED", "2026-03-13T04:01:59.410055Z", "2026-03-13T04:08:45.019377Z", null),
            // A retry of job run 00f1cbn5g4bb0c01 (an unnamed run: the application is the job), and its state changes.
            Arguments.of("emr-serverless/running-before-retry.json", "emr-serverless", "us-east-1", "00f1982r1uukb925",
                "00f1cbn5g4bb0c01", RunState.RUNNING, "RUNNING", "2026-03-23T21:07:25.325900Z", null, null),
            Arguments.of("emr-serverless/job-run-retry.json", "emr-serverless", "us-east-1", "00f1982r1uukb925",
                "00f1cbn5g4bb0c01", RunState.PENDING, "Job Run Retry", "2026-03-23T21:07:25.325900Z", null, null),
            Arguments.of("emr-serverless/success-after-retry.json", "emr-serverless", "us-east-1", "00f1982r1uukb925",
                "00f1cbn5g4bb0c01", RunState.SUCCEEDED, "SUCCESS", "2026-03-23T21:07:25.325900Z",
                "2026-03-23T21:12:09.558120Z", null),
            // A run name that is only per-run tokens (<epoch-ms>-<uuid>): the application is the job.
            Arguments.of("emr-serverless/success-run-name-epoch-uuid.json", "emr-serverless", "us-east-1", "00faddrcc3p0sf09",
                "00fag0b74fhau80a", RunState.SUCCEEDED, "SUCCESS", "2026-03-23T07:45:43.780900Z",
                "2026-03-23T07:49:25.283071Z", null),
            Arguments.of("emr-serverless/cancelled.json", "emr-serverless", "us-east-1", "00fh3k2l9q8r7s01/backfill-2026-02",
                "00fh3w4x5y6z7a04", RunState.STOPPED, "CANCELLED", "2026-03-13T09:12:40.128774Z", "2026-03-13T09:30:12.663901Z", null),
            // ECS: the group's family is the job; STOPPED means success or failure by the containers' exit codes.
            Arguments.of("ecs-task/running.json", "ecs-task", "us-east-1", "nightly-export",
                "arn:aws:ecs:us-east-1:111122223333:task/etl-cluster/0f6b1c2d3e4f4a5b8c9d0e1f2a3b4c5d", RunState.RUNNING, "RUNNING",
                "2026-03-14T02:00:34.325Z", null, null),
            Arguments.of("ecs-task/deprovisioning.json", "ecs-task", "us-east-2", "voter-file-load",
                "arn:aws:ecs:us-east-2:111122223333:task/e9511a82-9247-4239-89e9-ffd548ed9ee4", RunState.RUNNING, "DEPROVISIONING",
                "2026-03-15T20:38:27.975Z", null, null),
            Arguments.of("ecs-task/stopped-succeeded.json", "ecs-task", "us-east-2", "orders-rollup",
                "arn:aws:ecs:us-east-2:111122223333:task/d71e0a4c-2f3b-4c8d-9e6a-5b4c3d2e1f07", RunState.SUCCEEDED, "STOPPED",
                "2026-03-14T14:00:58.426Z", "2026-03-14T14:01:38.344Z", null),
            Arguments.of("ecs-task/stopped-failed.json", "ecs-task", "us-east-2", "orders-rollup",
                "arn:aws:ecs:us-east-2:111122223333:task/b43cbf35-5e5b-4656-8ab1-69d846fd6018", RunState.FAILED, "STOPPED",
                "2026-03-14T14:00:58.426Z", "2026-03-14T14:01:38.344Z",
                "Essential container in task exited; container orders-rollup exited 1; container log-router exited 137: OutOfMemoryError"),
            // EMR steps: cluster name (from the message) / step name; the run is clusterId/stepId.
            Arguments.of("emr-step/pending.json", "emr-step", "us-east-1", "analytics-emr/daily-sessionize",
                "j-PES1EPZ6LHJU/s-2PZOH669N5LUO", RunState.PENDING, "PENDING", null, null, null),
            Arguments.of("emr-step/running.json", "emr-step", "us-east-1", "analytics-emr/daily-sessionize",
                "j-PES1EPZ6LHJU/s-2PZOH669N5LUO", RunState.RUNNING, "RUNNING", "2026-03-17T03:16:11Z", null, null),
            Arguments.of("emr-step/completed.json", "emr-step", "us-east-1", "analytics-emr/daily-sessionize",
                "j-PES1EPZ6LHJU/s-2PZOH669N5LUO", RunState.SUCCEEDED, "COMPLETED", null, null, null),
            Arguments.of("emr-step/failed.json", "emr-step", "us-east-1", "analytics-emr/daily-sessionize",
                "j-PES1EPZ6LHJU/s-1KXNFA3B7Q2WE", RunState.FAILED, "FAILED", null, null, "Step s-1KXNFA3B7Q2WE (daily-sessionize)"),
            Arguments.of("emr-step/cancelled.json", "emr-step", "us-east-1", "analytics-emr/daily-sessionize",
                "j-PES1EPZ6LHJU/s-3MYQJB8C4R5TX", RunState.STOPPED, "CANCELLED", null, null, "Cancellation request has succeeded"),
            // SageMaker pipelines: an end counts only on a finished execution (a retried one says Executing again).
            Arguments.of("sagemaker-pipeline/executing-after-retry.json", "sagemaker-pipeline", "us-east-1", "churn-training",
                "arn:aws:sagemaker:us-east-1:111122223333:pipeline/churn-training/execution/k2hm7vqz3c1d", RunState.RUNNING, "Executing",
                "2026-03-17T04:03:13Z", null, null),
            Arguments.of("sagemaker-pipeline/succeeded.json", "sagemaker-pipeline", "us-east-1", "churn-training",
                "arn:aws:sagemaker:us-east-1:111122223333:pipeline/churn-training/execution/p4jn9xou8a8s", RunState.SUCCEEDED, "Succeeded",
                "2026-03-17T04:03:13Z", "2026-03-17T04:10:10Z", null),
            Arguments.of("sagemaker-pipeline/failed.json", "sagemaker-pipeline", "us-east-1", "churn-training",
                "arn:aws:sagemaker:us-east-1:111122223333:pipeline/churn-training/execution/k2hm7vqz3c1d", RunState.FAILED, "Failed",
                "2026-03-17T04:03:13Z", "2026-03-17T04:05:42Z", null),
            Arguments.of("sagemaker-pipeline/stopped.json", "sagemaker-pipeline", "us-east-1", "churn-training",
                "arn:aws:sagemaker:us-east-1:111122223333:pipeline/churn-training/execution/w8rt5yn2b6fg", RunState.STOPPED, "Stopped",
                "2026-03-17T04:03:13Z", "2026-03-17T04:07:55Z", null),
            // DMS: the task's resource id; a start names the run, a stop or failure pairs with it; the stop reason decides.
            Arguments.of("dms-task/started.json", "dms-task", "us-east-1", "ORDERSCDCTASK7Q2XJ5K3LM4N5P6R7S8T9U0V",
                "ORDERSCDCTASK7Q2XJ5K3LM4N5P6R7S8T9U0V@2026-03-18T02:57:53Z", RunState.RUNNING, "REPLICATION_TASK_STARTED",
                "2026-03-18T02:57:53Z", null, null),
            Arguments.of("dms-task/started-documented.json", "dms-task", "us-east-1", "ORDERSCDCTASK7Q2XJ5K3LM4N5P6R7S8T9U0V",
                "ORDERSCDCTASK7Q2XJ5K3LM4N5P6R7S8T9U0V@2026-03-18T02:57:53Z", RunState.RUNNING, "REPLICATION_TASK_STARTED",
                "2026-03-18T02:57:53Z", null, null),
            Arguments.of("dms-task/stopped-full-load-finished.json", "dms-task", "us-east-1", "CUSTOMERSFULLLOAD4H6J8K0M2P4R6T8V",
                null, RunState.SUCCEEDED, "REPLICATION_TASK_STOPPED", null, null, null),
            Arguments.of("dms-task/stopped.json", "dms-task", "us-east-1", "ORDERSCDCTASK7Q2XJ5K3LM4N5P6R7S8T9U0V",
                null, RunState.STOPPED, "REPLICATION_TASK_STOPPED", null, null, "Replication task stopped"),
            Arguments.of("dms-task/failed.json", "dms-task", "us-east-1", "PAYMENTSCDCTASK3E5G7J9L1N3Q5S7U9W",
                null, RunState.FAILED, "REPLICATION_TASK_FAILED", null, null, "Last Error  ODBC general error. Stop Reason RECOVERABLE_ERROR"),
            // DataBrew: end events only, no times.
            Arguments.of("databrew/succeeded.json", "databrew", "us-west-2", "customers-clean",
                "db_3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f3f", RunState.SUCCEEDED, "SUCCEEDED", null, null, null),
            Arguments.of("databrew/failed.json", "databrew", "us-west-2", "customers-clean",
                "db_a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7", RunState.FAILED, "FAILED", null, null,
                "AnalysisException: 'Path does not exist"),
            Arguments.of("databrew/timeout.json", "databrew", "us-west-2", "customers-clean",
                "db_5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c", RunState.TIMED_OUT, "TIMEOUT", null, null, "Job run timed out"),
            Arguments.of("databrew/stopped.json", "databrew", "us-west-2", "customers-clean",
                "db_9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e9e", RunState.STOPPED, "STOPPED", null, null, "Job run stopped"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void normalize_matchesTheDocumentedMeaning(String file, String source, String region, String jobName, String runId,
                                               RunState state, String sourceState, String startedAt, String endedAt,
                                               String errorPrefix) {
        Normalization n = normalizer.normalize(Fixtures.event(file));
        assertThat(n).isInstanceOf(Normalization.Normalized.class);
        RunEvent e = ((Normalization.Normalized) n).event();
        String eventId = Fixtures.event(file).get("id").asText();
        String eventTime = Fixtures.event(file).get("time").asText();

        assertThat(e.job().source().id()).isEqualTo(source);
        assertThat(e.job().account()).isEqualTo("111122223333");
        assertThat(e.job().region()).isEqualTo(region);
        assertThat(e.job().jobName()).isEqualTo(jobName);
        assertThat(e.runId()).isEqualTo(runId);
        assertThat(e.state()).isEqualTo(state);
        assertThat(e.sourceState()).isEqualTo(sourceState);
        assertThat(e.terminal()).isEqualTo(state.terminal());
        assertThat(e.failed()).isEqualTo(state == RunState.FAILED || state == RunState.TIMED_OUT);
        assertThat(e.eventId()).isEqualTo(eventId);
        assertThat(e.eventTime()).isEqualTo(Instant.parse(eventTime));
        assertThat(e.startedAt()).isEqualTo(startedAt == null ? null : Instant.parse(startedAt));
        assertThat(e.endedAt()).isEqualTo(endedAt == null ? null : Instant.parse(endedAt));
        if (errorPrefix == null) {
            assertThat(e.error()).isNull();
        } else {
            assertThat(e.error()).startsWith(errorPrefix);
        }
    }

    @org.junit.jupiter.api.Test
    void everySharedFixture_isCoveredByAnExpectation() {
        List<String> covered = expectations().map(a -> (String) a.get()[0]).toList();
        List<String> files = Fixtures.eventFiles().stream()
                .map(p -> Fixtures.eventsDir().relativize(p).toString().replace('\\', '/')).toList();
        assertThat(covered).containsExactlyInAnyOrderElementsOf(files);
    }

    @org.junit.jupiter.api.Test
    void accountAndRegion_comeFromTheEnvelope_notFromDetail() {
        var event = Fixtures.event("glue-crawler/failed.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("detail")).put("accountId", "999999999999");
        event.put("account", "444455556666");
        event.put("region", "eu-central-1");
        RunEvent e = ((Normalization.Normalized) normalizer.normalize(event)).event();
        assertThat(e.job().account()).isEqualTo("444455556666");
        assertThat(e.job().region()).isEqualTo("eu-central-1");
    }

    @org.junit.jupiter.api.Test
    void stepFunctionsError_joinsErrorAndCause_whenTheEventCarriesThem() {
        var event = Fixtures.event("step-functions/failed.json");
        var detail = (com.fasterxml.jackson.databind.node.ObjectNode) event.get("detail");
        detail.put("error", "States.TaskFailed");
        detail.put("cause", "Lambda returned 500");
        RunEvent e = ((Normalization.Normalized) normalizer.normalize(event)).event();
        assertThat(e.error()).isEqualTo("States.TaskFailed: Lambda returned 500");
    }

    @org.junit.jupiter.api.Test
    void dataSync_readsTaskIdFromArnsOfOtherPartitions() {
        var event = Fixtures.event("datasync/success.json");
        event.putArray("resources").add("arn:aws-cn:datasync:cn-north-1:111122223333:task/task-0123456789abcdef0/execution/exec-0fedcba9876543210");
        RunEvent e = ((Normalization.Normalized) normalizer.normalize(event)).event();
        assertThat(e.job().jobName()).isEqualTo("task-0123456789abcdef0");
        assertThat(e.runId()).endsWith("exec-0fedcba9876543210");
    }

    @org.junit.jupiter.api.Test
    void emrServerless_withoutJobRunName_isTheApplication() {
        var event = Fixtures.event("emr-serverless/running.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("detail")).remove("jobRunName");
        RunEvent e = ((Normalization.Normalized) normalizer.normalize(event)).event();
        assertThat(e.job().jobName()).isEqualTo("00fh3k2l9q8r7s01");
    }

    @org.junit.jupiter.api.Test
    void ecsServiceTask_isNotAJobRun_andSaysWhy() {
        var event = Fixtures.read(Fixtures.repoRoot().resolve("examples/not-runs/ecs-service-task-stopped.json"));
        Normalization n = normalizer.normalize(event);
        assertThat(n).isInstanceOf(Normalization.Unsupported.class);
        assertThat(((Normalization.Unsupported) n).message()).isEqualTo("not a job run: source=aws.ecs detail-type=ECS"
                + " Task State Change: the task belongs to the service api-service (group service:api-service), not to a job");
    }

    @org.junit.jupiter.api.Test
    void ecsTaskWithoutGroup_isItsTaskDefinitionsFamily_andACustomGroupIsKept() {
        var event = Fixtures.event("ecs-task/running.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("detail")).remove("group");
        assertThat(((Normalization.Normalized) normalizer.normalize(event)).event().job().jobName()).isEqualTo("nightly-export");
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("detail")).put("group", "nightly-exports");
        assertThat(((Normalization.Normalized) normalizer.normalize(event)).event().job().jobName()).isEqualTo("nightly-exports");
    }

    @org.junit.jupiter.api.Test
    void ecsTaskStoppedByAUser_isStopped_andOneThatFailedToStart_failed() {
        var event = Fixtures.event("ecs-task/stopped-succeeded.json");
        var detail = (com.fasterxml.jackson.databind.node.ObjectNode) event.get("detail");
        detail.put("stopCode", "UserInitiated");
        assertThat(((Normalization.Normalized) normalizer.normalize(event)).event().state()).isEqualTo(RunState.STOPPED);
        detail.put("stopCode", "TaskFailedToStart");
        assertThat(((Normalization.Normalized) normalizer.normalize(event)).event().state()).isEqualTo(RunState.FAILED);
        detail.put("stopCode", "EssentialContainerExited");
        ((com.fasterxml.jackson.databind.node.ObjectNode) detail.get("containers").get(0)).put("exitCode", 143);
        assertThat(((Normalization.Normalized) normalizer.normalize(event)).event().state())
                .as("143 is SIGTERM: how ECS stops the other containers").isEqualTo(RunState.SUCCEEDED);
    }

    @org.junit.jupiter.api.Test
    void emrStepWithoutAClusterNameInItsMessage_isNamedByClusterId() {
        var event = Fixtures.event("emr-step/failed.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("detail")).remove("message");
        assertThat(((Normalization.Normalized) normalizer.normalize(event)).event().job().jobName())
                .isEqualTo("j-PES1EPZ6LHJU/daily-sessionize");
    }

    @org.junit.jupiter.api.Test
    void dmsTaskEventsThatAreNoStartOrEnd_areNotRuns() {
        var event = Fixtures.event("dms-task/started.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) event.get("detail")).put("eventType", "REPLICATION_TASK_CREATED");
        assertThat(normalizer.normalize(event)).isInstanceOf(Normalization.Unsupported.class);
    }

    @org.junit.jupiter.api.Test
    void unsupportedDetailType_isReportedNotRejected() {
        var event = Fixtures.event("glue-job/succeeded.json");
        event.put("detail-type", "Glue Data Catalog Database State Change");
        assertThat(normalizer.normalize(event)).isEqualTo(
                new Normalization.Unsupported("aws.glue", "Glue Data Catalog Database State Change"));
    }

}
