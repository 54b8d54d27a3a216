package io.jobwatch.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcilePlanTest {
    static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    static final String FIN = "234567890123";
    static final String REGION = "eu-west-1";
    static final JobKey LEDGER = new JobKey(FIN, REGION, JobSource.GLUE_JOB, "fin-ledger-load");
    static final JobKey OTHER_GLUE = new JobKey(FIN, REGION, JobSource.GLUE_JOB, "fin-misc-copy");
    static final JobKey BATCH = new JobKey(FIN, REGION, JobSource.BATCH, "fin-batch-report");

    static final Catalog CATALOG = catalog("""
            version: 1
            accounts:
              "234567890123": {system: FinData}
            teams:
              finance: {recipients: [f@example.com]}
            defaults: {team: finance, criticality: normal}
            jobs:
              - name: ledger
                match: {source: [glue-job], jobName: [fin-ledger-load]}
                criticality: critical
            """);

    static Catalog catalog(String yaml) {
        CatalogResult r = CatalogLoader.load("jobwatch.yml", yaml);
        assertThat(r).isInstanceOf(CatalogResult.Loaded.class);
        return ((CatalogResult.Loaded) r).catalog();
    }

    final ReconcilePlan plan = ReconcilePlan.defaults();
    final Scope criticalGlue = new Scope(FIN, REGION, JobSource.GLUE_JOB, List.of("fin-ledger-load"));
    final Scope allGlue = Scope.all(FIN, REGION, JobSource.GLUE_JOB);
    final Scope allBatch = Scope.all(FIN, REGION, JobSource.BATCH);

    @Test
    void due_everythingNeverReconciled_criticalFirst() {
        List<Scope> due = plan.due(NOW, Map.of(), CATALOG, List.of(BATCH, OTHER_GLUE, LEDGER));

        assertThat(due).containsExactly(criticalGlue, allBatch, allGlue);
    }

    @Test
    void due_criticalEveryTenMinutes_othersHourly_boundariesIncluded() {
        Map<Scope, Instant> last = new HashMap<>();
        last.put(criticalGlue, NOW.minus(Duration.ofMinutes(10)));
        last.put(allGlue, NOW.minus(Duration.ofMinutes(59)).minusSeconds(59));
        last.put(allBatch, NOW.minus(Duration.ofHours(1)));

        assertThat(plan.due(NOW, last, CATALOG, List.of(LEDGER, OTHER_GLUE, BATCH)))
                .containsExactly(criticalGlue, allBatch);

        last.put(criticalGlue, NOW.minus(Duration.ofMinutes(9)).minusSeconds(59));
        assertThat(plan.due(NOW, last, CATALOG, List.of(LEDGER, OTHER_GLUE, BATCH))).containsExactly(allBatch);
    }

    @Test
    void due_withoutCatalog_hasNoCriticalScopes() {
        assertThat(plan.due(NOW, Map.of(), null, List.of(LEDGER, BATCH))).containsExactly(allBatch, allGlue);
    }

    @Test
    void plan_refusesNonPositiveIntervals() {
        assertThatThrownBy(() -> new ReconcilePlan(Duration.ZERO, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
