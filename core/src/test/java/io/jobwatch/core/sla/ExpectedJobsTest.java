package io.jobwatch.core.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.store.StoreFixtures;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class ExpectedJobsTest {

    private static Catalog load(String yaml) {
        CatalogResult r = CatalogLoader.load("test.yml", yaml);
        assertThat(r).isInstanceOf(CatalogResult.Loaded.class);
        return ((CatalogResult.Loaded) r).catalog();
    }

    @Test
    void exampleCatalog_expectsTheCloseReconciliation_whichNeverRunsInTheDemo() throws Exception {
        Catalog c = load(Files.readString(StoreFixtures.repo().resolve("examples/jobwatch.yml")));
        assertThat(ExpectedJobs.of(c)).containsExactly(
                new JobKey("234567890123", "eu-west-1", JobSource.GLUE_JOB, "fin-close-reconciliation"));
    }

    @Test
    void onlyRulesThatPinEveryKeyField_withExactValues_andApply_withASchedule_nameJobs() {
        Catalog c = load("""
                version: 1
                accounts:
                  "111111111111": {system: ERP}
                  "222222222222": {system: ERP}
                jobs:
                  - name: by-system
                    match: {source: [batch], system: [ERP], region: [eu-west-1], jobName: [nightly]}
                    expectations: {schedule: "cron(0 2 * * ? *)"}
                  - name: shadowed
                    match: {source: [batch], account: ["111111111111"], region: [eu-west-1], jobName: [nightly]}
                    expectations: {schedule: "cron(0 3 * * ? *)"}
                  - name: no-region
                    match: {source: [glue-job], account: ["111111111111"], jobName: [a]}
                    expectations: {schedule: "cron(0 3 * * ? *)"}
                  - name: prefix
                    match: {source: [glue-job], account: ["111111111111"], region: [eu-west-1], jobName: [{prefix: b}]}
                    expectations: {schedule: "cron(0 3 * * ? *)"}
                  - name: no-schedule
                    match: {source: [glue-job], account: ["111111111111"], region: [eu-west-1], jobName: [c]}
                    expectations: {maxDuration: 1h}
                  - name: deadline-only, two names
                    match: {source: [appflow], account: ["222222222222"], region: [us-east-1], jobName: [d, e]}
                    expectations: {deadline: "07:00"}
                """);
        assertThat(ExpectedJobs.of(c)).extracting(JobKey::id).containsExactly(
                "batch:111111111111:eu-west-1:nightly", "batch:222222222222:eu-west-1:nightly",
                "appflow:222222222222:us-east-1:d", "appflow:222222222222:us-east-1:e");
    }
}
