package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleLinksTest {
    private static JobKey job(JobSource s, String name) {
        return new JobKey("123456789012", "eu-west-1", s, name);
    }

    private static final String BASE = "https://eu-west-1.console.aws.amazon.com/";

    @Test
    void run_linksEachSourceToItsConsolePage() {
        assertThat(ConsoleLinks.run(job(JobSource.GLUE_JOB, "erp orders"), "jr_abc"))
                .isEqualTo(BASE + "gluestudio/home?region=eu-west-1#/job/erp%20orders/run/jr_abc");
        assertThat(ConsoleLinks.run(job(JobSource.GLUE_CRAWLER, "raw-crawler"), "raw-crawler@2026-11-25T05:00:00Z"))
                .isEqualTo(BASE + "glue/home?region=eu-west-1#/v2/data-catalog/crawlers/view/raw-crawler");
        String exec = "arn:aws:states:eu-west-1:123456789012:execution:erp-flow:run-1";
        assertThat(ConsoleLinks.run(job(JobSource.STEP_FUNCTIONS, "erp-flow"), exec))
                .isEqualTo(BASE + "states/home?region=eu-west-1#/v2/executions/details/" + exec);
        assertThat(ConsoleLinks.run(job(JobSource.APPFLOW, "sf-accounts"), "0f1e2d"))
                .isEqualTo(BASE + "appflow/home?region=eu-west-1#/details/sf-accounts");
        assertThat(ConsoleLinks.run(job(JobSource.DATASYNC, "task-0aa"),
                "arn:aws:datasync:eu-west-1:123456789012:task/task-0aa/execution/exec-0bb"))
                .isEqualTo(BASE + "datasync/home?region=eu-west-1#/history/task-0aa/exec-0bb");
        assertThat(ConsoleLinks.run(job(JobSource.BATCH, "nightly"), "5a7e-11"))
                .isEqualTo(BASE + "batch/home?region=eu-west-1#jobs/detail/5a7e-11");
        assertThat(ConsoleLinks.run(job(JobSource.EMR_SERVERLESS, "00fabc123/sessions"), "00fjr1"))
                .isEqualTo(BASE + "emr/home?region=eu-west-1#/serverless/applications/00fabc123/job-runs/00fjr1");
    }

    @Test
    void run_usesThePartitionsConsoleHost() {
        assertThat(ConsoleLinks.run(new JobKey("1", "cn-north-1", JobSource.BATCH, "b"), "j"))
                .startsWith("https://cn-north-1.console.amazonaws.cn/batch/");
        assertThat(ConsoleLinks.run(new JobKey("1", "us-gov-west-1", JobSource.BATCH, "b"), "j"))
                .startsWith("https://console.amazonaws-us-gov.com/batch/home?region=us-gov-west-1");
    }

    @Test
    void run_givesNoLink_forOddRegionOrUnparsableDataSyncArn() {
        assertThat(ConsoleLinks.run(new JobKey("1", "evil.example/x", JobSource.BATCH, "b"), "j")).isNull();
        assertThat(ConsoleLinks.run(job(JobSource.DATASYNC, "task-0aa"), "not-an-arn")).isNull();
    }
}
