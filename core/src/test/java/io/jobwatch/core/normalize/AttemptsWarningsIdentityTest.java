package io.jobwatch.core.normalize;

import static io.jobwatch.core.testing.Fixtures.runEvent;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What the services send in production, read from real samples: redrives, retries and their attempts, a failure whose
 * reason is only in Batch's attempts, per-run job names, a success that lost records, Glue's own "late" signal, array
 * children and multi-node nodes, and a crawl's start told by its end.
 */
class AttemptsWarningsIdentityTest {
    private final EventNormalizer normalizer = new EventNormalizer();

    @Test
    void stepFunctionsRedrive_isTheNextAttemptOfTheSameExecution() {
        RunEvent first = runEvent("step-functions/running-with-redrive-fields.json");
        RunEvent failed = runEvent("step-functions/failed-redrivable.json");
        RunEvent redriven = runEvent("step-functions/redriven-running.json");
        RunEvent succeeded = runEvent("step-functions/succeeded-after-redrive.json");
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(failed.error()).isEqualTo("States.TaskFailed: Glue job orders-curated failed: Command failed with exit code 1");
        assertThat(redriven.attempt()).as("redriveCount 1").isEqualTo(2);
        assertThat(redriven.state()).as("a redriven execution reports RUNNING").isEqualTo(RunState.RUNNING);
        assertThat(succeeded.attempt()).isEqualTo(2);
        assertThat(redriven.runKey()).isEqualTo(failed.runKey()).isEqualTo(succeeded.runKey());
        assertThat(redriven.startedAt()).as("the original start").isEqualTo(failed.startedAt());
    }

    @Test
    void glueRetry_isAttemptNPlusOneOfTheRunItRetries() {
        RunEvent failed = runEvent("glue-job/failed.json");
        RunEvent retry = runEvent("glue-job/retry-succeeded.json");
        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(retry.runKey()).isEqualTo(failed.runKey());
        assertThat(retry.state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void glueRunStatus_carriesTheJobsNotifyDelay_stateChangesDoNot() {
        RunEvent late = runEvent("glue-job/run-status-running.json");
        assertThat(late.notifyDelay()).isEqualTo(Duration.ofMinutes(30));
        assertThat(late.state()).isEqualTo(RunState.RUNNING);
        assertThat(runEvent("glue-job/failed.json").notifyDelay()).isNull();
    }

    @Test
    void batchFailure_takesReasonExitCodeAndTimes_fromTheLastAttempt_whenTheTopLevelHasNone() {
        RunEvent e = runEvent("batch/failed-reason-in-attempts.json");
        assertThat(e.error()).isEqualTo(
                "Essential container in task exited; exit code 24: OutOfMemoryError: Container killed due to memory usage");
        assertThat(e.startedAt()).isEqualTo(Instant.ofEpochMilli(1636132332930L));
        assertThat(e.endedAt()).isEqualTo(Instant.ofEpochMilli(1636132974807L));
        assertThat(e.attempt()).as("one attempt listed").isEqualTo(1);
        assertThat(runEvent("batch/running.json").attempt()).as("the first attempt under way").isEqualTo(1);
    }

    @Test
    void batchArrayChildAndMultiNodeNode_areNotRunsOfTheirOwn() {
        Normalization child = normalizer.normalize(Fixtures.notRun("batch-array-child-succeeded.json"));
        assertThat(child).isInstanceOf(Normalization.Unsupported.class);
        assertThat(((Normalization.Unsupported) child).message()).startsWith("not a job run: source=aws.batch")
                .contains("child 12 of array job b8e3f0d2-7c41-4f5a-9e6b-2d1c0a9f8e7d");
        Normalization node = normalizer.normalize(Fixtures.notRun("batch-node-running.json"));
        assertThat(node).isInstanceOf(Normalization.Unsupported.class);
        assertThat(((Normalization.Unsupported) node).message()).contains("node 1 of multi-node parallel job");
    }

    @Test
    void perRunJobNames_mapToTheStableName_andKeepTheServicesName() {
        RunEvent batch = runEvent("batch/succeeded-run-named.json");
        assertThat(batch.job().jobName()).isEqualTo("cpu-stress-test");
        assertThat(batch.rawJobName()).isEqualTo("cpu-stress-test-1760707292");
        RunEvent emr = runEvent("emr-serverless/success-run-name-epoch-uuid.json");
        assertThat(emr.job().jobName()).as("a run name of per-run tokens only: the application").isEqualTo("00faddrcc3p0sf09");
        assertThat(emr.rawJobName()).isEqualTo("00faddrcc3p0sf09/1774251943122-ac3e0971-8c7c-444e-bc60-3388bee9afef");
        RunEvent dated = runEvent("emr-serverless/running.json");
        assertThat(dated.job().jobName()).isEqualTo("00fh3k2l9q8r7s01/sessions-daily");
        assertThat(dated.rawJobName()).isEqualTo("00fh3k2l9q8r7s01/sessions-daily-2026-03-12");
        RunEvent plain = runEvent("batch/succeeded.json");
        assertThat(plain.rawJobName()).isNull();
        assertThat(plain.serviceJobName()).isEqualTo("risk-scoring-daily");
    }

    @Test
    void appFlowSuccess_withRecordFailures_isASuccessWithAWarning() {
        RunEvent warned = runEvent("appflow/success-with-record-failures.json");
        assertThat(warned.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(warned.warning()).isEqualTo("12 of 63000 records failed");
        assertThat(warned.error()).isNull();
        assertThat(runEvent("appflow/success.json").warning()).as("none failed").isNull();
        assertThat(runEvent("appflow/failed.json").warning()).as("a failure is no warning").isNull();
    }

    @Test
    void emrServerlessRetry_startsTheNextAttempt_stateChangesNameNone() {
        RunEvent before = runEvent("emr-serverless/running-before-retry.json");
        RunEvent retry = runEvent("emr-serverless/job-run-retry.json");
        RunEvent after = runEvent("emr-serverless/success-after-retry.json");
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(retry.state()).isEqualTo(RunState.PENDING);
        assertThat(retry.sourceState()).isEqualTo("Job Run Retry");
        assertThat(retry.runKey()).isEqualTo(before.runKey()).isEqualTo(after.runKey());
        assertThat(before.attemptNamed()).as("state changes do not say which attempt").isFalse();
        assertThat(after.attemptNamed()).isFalse();
        assertThat(after.attemptOrFirst()).isEqualTo(1);
    }

    @Test
    void crawlerEnd_withoutItsStarted_knowsItsStart_fromCompletionMinusRunningTime() {
        RunEvent end = runEvent("glue-crawler/succeeded.json");
        RunEvent started = runEvent("glue-crawler/started.json");
        assertThat(end.startedAt()).isEqualTo(Instant.parse("2026-03-02T01:03:51Z").minusSeconds(227))
                .isEqualTo(started.startedAt());
        assertThat(runEvent("glue-crawler/failed.json").startedAt()).as("a failure tells no running time").isNull();
    }

    @Test
    void malformedAttemptAndCounterFields_areRejectedWithTheirPath() {
        var sfn = Fixtures.event("step-functions/redriven-running.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) sfn.get("detail")).put("redriveCount", "one");
        assertThat(normalizer.normalize(sfn)).isEqualTo(new Normalization.Rejected("detail.redriveCount",
                "a count of redrives (an integer, 0 or more)", "a string (\"one\")"));
        var appflow = Fixtures.event("appflow/success-with-record-failures.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) appflow.get("detail")).put("num-of-record-failures", "12.5");
        assertThat(normalizer.normalize(appflow)).isEqualTo(new Normalization.Rejected(
                "detail[\"num-of-record-failures\"]", "a count (a string of digits)", "\"12.5\""));
        var retry = Fixtures.event("emr-serverless/job-run-retry.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) retry.get("detail")).remove("newAttempt");
        assertThat(normalizer.normalize(retry)).isInstanceOf(Normalization.Rejected.class)
                .extracting(r -> ((Normalization.Rejected) r).field()).isEqualTo("detail.newAttempt");
        var glue = Fixtures.event("glue-job/run-status-running.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) glue.get("detail").get("notificationCondition"))
                .put("NotifyDelayAfter", "soon");
        assertThat(normalizer.normalize(glue)).isInstanceOf(Normalization.Rejected.class)
                .extracting(r -> ((Normalization.Rejected) r).field())
                .isEqualTo("detail.notificationCondition.NotifyDelayAfter");
    }
}
