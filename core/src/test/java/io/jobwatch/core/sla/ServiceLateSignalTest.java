package io.jobwatch.core.sla;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.InMemoryRunRecords;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.StoreFixtures;
import io.jobwatch.core.testing.Fixtures;
import io.jobwatch.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Glue's Job Run Status (the run passed the job's own NotifyDelayAfter) is the service saying the run is late: a
 * LONG_RUNNING breach for that run at once, without any expectation in the catalog, until the run finishes.
 */
class ServiceLateSignalTest {
    private static final String NO_EXPECTATIONS = """
            version: 1
            teams:
              data: {recipients: [data@example.com]}
            defaults:
              team: data
            """;

    private static Catalog catalog(String yaml) {
        return ((CatalogResult.Loaded) CatalogLoader.load("jobwatch.yml", yaml)).catalog();
    }

    private final TestClock clock = new TestClock(Instant.parse("2026-03-04T01:48:00Z"));
    private final RunStore store = InMemoryRunRecords.store(clock, RunStore.DEFAULT_RETENTION);

    @Test
    void runStatus_raisesLongRunning_atOnce_withTheJobsNotifyDelayAsThreshold_andClearsWhenTheRunEnds() {
        RunEvent late = Fixtures.runEvent("glue-job/run-status-running.json");
        store.apply(late);
        SlaCheck check = new SlaCheck(catalog(NO_EXPECTATIONS), store, new SlaEngine());

        List<Breach> breaches = check.evaluate(clock.instant());

        assertThat(breaches).singleElement().satisfies(b -> {
            assertThat(b.job()).isEqualTo(late.job());
            assertThat(b.kind()).isEqualTo(BreachKind.LONG_RUNNING);
            assertThat(b.runId()).isEqualTo(late.runId());
            // startedOn 01:17:02.318 + NotifyDelayAfter 30 minutes
            assertThat(b.expectedAt()).isEqualTo(Instant.parse("2026-03-04T01:47:02.318Z"));
            assertThat(b.confidence()).isEqualTo(Confidence.HIGH);
            assertThat(b.pages()).isTrue();
            assertThat(b.detail()).contains("run " + late.runId()).contains("notify delay of 30m");
        });

        clock.advance(Duration.ofMinutes(20));
        store.apply(StoreFixtures.finished("glue-done", late.job(), late.runId(), RunState.SUCCEEDED, null,
                clock.instant()));
        assertThat(check.evaluate(clock.instant())).as("the run finished: the service's signal no longer holds")
                .isEmpty();
    }

    @Test
    void aRunningRun_theServiceSaidNothingAbout_isNotLong_withoutAnExpectation() {
        RunEvent late = Fixtures.runEvent("glue-job/run-status-running.json");
        store.apply(StoreFixtures.running("plain", late.job(), "jr_other", late.startedAt()));

        assertThat(new SlaCheck(catalog(NO_EXPECTATIONS), store, new SlaEngine()).evaluate(clock.instant())).isEmpty();
    }

    @Test
    void theTighterOfTheServicesThresholdAndTheCatalogsMaxDuration_isReported() {
        RunEvent late = Fixtures.runEvent("glue-job/run-status-running.json");
        store.apply(late);
        String loose = NO_EXPECTATIONS + """
                jobs:
                  - name: nightly
                    match: {source: [glue-job], jobName: [nightly-orders-etl]}
                    expectations: {maxDuration: 2h}
                """;
        String tight = loose.replace("maxDuration: 2h", "maxDuration: 10m");
        clock.set(Instant.parse("2026-03-04T03:30:00Z"));

        Breach fromService = new SlaCheck(catalog(loose), store, new SlaEngine()).evaluate(clock.instant()).get(0);
        Breach fromCatalog = new SlaCheck(catalog(tight), store, new SlaEngine()).evaluate(clock.instant()).get(0);

        assertThat(fromService.expectedAt()).isEqualTo(Instant.parse("2026-03-04T01:47:02.318Z"));
        assertThat(fromService.detail()).contains("notify delay");
        assertThat(fromCatalog.expectedAt()).isEqualTo(Instant.parse("2026-03-04T01:27:02.318Z"));
        assertThat(fromCatalog.detail()).contains("max 10m");
    }
}
