package io.jobwatch.core.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import org.junit.jupiter.api.Test;

class ConsoleLinksTest {
    private static final String BASE = "https://eu-west-1.console.aws.amazon.com/";

    private static JobKey job(JobSource source, String name) {
        return new JobKey("123456789012", "eu-west-1", source, name);
    }

    @Test
    void glueJobRun_linksToTheRunInGlueStudio_withTheNameEncoded() {
        assertThat(ConsoleLinks.forRun(job(JobSource.GLUE_JOB, "fin ledger/load"), "jr_abc"))
                .isEqualTo(BASE + "gluestudio/home?region=eu-west-1#/job/fin%20ledger%2Fload/run/jr_abc");
    }

    @Test
    void crawler_linksToTheCrawlerPage_whateverTheCrawl() {
        assertThat(ConsoleLinks.forRun(job(JobSource.GLUE_CRAWLER, "raw-crawler"), "raw-crawler@2026-03-02T01:00:00Z"))
                .isEqualTo(BASE + "glue/home?region=eu-west-1#/v2/data-catalog/crawlers/view/raw-crawler");
    }

    @Test
    void stepFunctionsExecution_linksToTheExecutionDetails_withTheArnReadable() {
        String arn = "arn:aws:states:eu-west-1:123456789012:execution:orders:run-1";
        assertThat(ConsoleLinks.forRun(job(JobSource.STEP_FUNCTIONS, "orders"), arn))
                .isEqualTo(BASE + "states/home?region=eu-west-1#/v2/executions/details/" + arn);
    }

    @Test
    void appFlow_linksToTheFlowDetails() {
        assertThat(ConsoleLinks.forRun(job(JobSource.APPFLOW, "sf-accounts"), "e-1"))
                .isEqualTo(BASE + "appflow/home?region=eu-west-1#/details/sf-accounts");
    }

    @Test
    void dataSyncExecution_linksToTheExecutionInTheTaskHistory_elseToTheTask() {
        String arn = "arn:aws:datasync:eu-west-1:123456789012:task/task-0a1b2c3d4e5f60718/execution/exec-0f1e2d3c4b5a69788";
        assertThat(ConsoleLinks.forRun(job(JobSource.DATASYNC, "task-0a1b2c3d4e5f60718"), arn))
                .isEqualTo(BASE + "datasync/home?region=eu-west-1#/history/task-0a1b2c3d4e5f60718/exec-0f1e2d3c4b5a69788");
        assertThat(ConsoleLinks.forRun(job(JobSource.DATASYNC, "task-0a1b2c3d4e5f60718"), "not-an-arn"))
                .isEqualTo(BASE + "datasync/home?region=eu-west-1#/tasks/task-0a1b2c3d4e5f60718");
    }

    @Test
    void batchJob_linksToTheJobDetail() {
        assertThat(ConsoleLinks.forRun(job(JobSource.BATCH, "nightly"), "4c7f2f1e-1111-2222-3333-444455556666"))
                .isEqualTo(BASE + "batch/home?region=eu-west-1#jobs/detail/4c7f2f1e-1111-2222-3333-444455556666");
    }

    @Test
    void emrServerlessRun_linksToTheJobRunOfItsApplication() {
        assertThat(ConsoleLinks.forRun(job(JobSource.EMR_SERVERLESS, "00fabc123/sessions-rebuild"), "00fjobrun1"))
                .isEqualTo(BASE + "emr/home?region=eu-west-1#/serverless/applications/00fabc123/job-runs/00fjobrun1");
    }

    @Test
    void chinaRegions_useTheirRegionalHost_govCloudItsOneHost() {
        assertThat(ConsoleLinks.forRun(new JobKey("1", "cn-north-1", JobSource.BATCH, "b"), "id"))
                .startsWith("https://cn-north-1.console.amazonaws.cn/batch/home?region=cn-north-1");
        assertThat(ConsoleLinks.forRun(new JobKey("1", "us-gov-west-1", JobSource.BATCH, "b"), "id"))
                .startsWith("https://console.amazonaws-us-gov.com/batch/home?region=us-gov-west-1#");
    }

    @Test
    void withoutRunId_linksToTheJob() {
        assertThat(ConsoleLinks.forRun(job(JobSource.GLUE_JOB, "fin-ledger-load"), null))
                .isEqualTo(BASE + "gluestudio/home?region=eu-west-1#/job/fin-ledger-load");
        assertThat(ConsoleLinks.forRun(job(JobSource.STEP_FUNCTIONS, "orders"), null))
                .isEqualTo(BASE + "states/home?region=eu-west-1#/statemachines");
        assertThat(ConsoleLinks.forRun(job(JobSource.BATCH, "nightly"), null))
                .isEqualTo(BASE + "batch/home?region=eu-west-1#jobs");
    }

    @Test
    void aRegionThatIsNoRegionName_givesNoLink() {
        assertThat(ConsoleLinks.forRun(new JobKey("1", "evil.example/x", JobSource.BATCH, "b"), "j")).isNull();
        assertThat(ConsoleLinks.forRun(new JobKey("1", "eu-west-1.evil.example#", JobSource.GLUE_JOB, "b"), "j")).isNull();
    }
}
