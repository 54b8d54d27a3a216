package io.jobwatch.core.trend;

import static io.jobwatch.core.store.StoreFixtures.GLUE;
import static io.jobwatch.core.store.StoreFixtures.SFN;
import static io.jobwatch.core.store.StoreFixtures.finished;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.InMemoryRunRecords;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trend rows from a run store's rollups: the contract of {@code jobwatch trends}. */
class TrendsTest {
    static final LocalDate D1 = LocalDate.of(2026, 3, 2);
    static final Instant T = Instant.parse("2026-03-02T01:00:00Z");

    @Test
    void rows_everyDayOfEveryGroup_successRateOverFinishedRuns_nullWhenOnlyStopped() {
        TestClock clock = new TestClock(Instant.parse("2026-03-06T12:00:00Z"));
        RunStore store = InMemoryRunRecords.store(clock, Duration.ofDays(7));
        store.apply(finished("e1", GLUE, "jr_1", RunState.SUCCEEDED, T, T.plusSeconds(100)));
        store.apply(finished("e2", GLUE, "jr_2", RunState.FAILED, T.plusSeconds(3600), T.plusSeconds(3700)));
        store.apply(finished("e3", GLUE, "jr_3", RunState.STOPPED, T.plusSeconds(7200), T.plusSeconds(7300)));
        store.apply(finished("e4", GLUE, "jr_4", RunState.SUCCEEDED, T.plusSeconds(9000), T.plusSeconds(9300)));
        // SFN: only a stopped run on the next day.
        store.apply(finished("e5", SFN, "ex_1", RunState.STOPPED, T.plusSeconds(86_400), T.plusSeconds(86_500)));

        List<TrendRow> rows = new Trends(store.rollups(), null).rows(D1, D1.plusDays(2), TrendGrouping.JOB,
                Trends.Filter.ALL);
        // 3 days × 2 jobs, by day then group; days without runs are zeros with no rate.
        assertThat(rows).hasSize(6);
        assertThat(rows).extracting(TrendRow::group).containsExactly("erp-orders-load", "fin-close",
                "erp-orders-load", "fin-close", "erp-orders-load", "fin-close");
        TrendRow glue = rows.get(0);
        assertThat(glue.runs()).isEqualTo(4);
        assertThat(glue.succeeded()).isEqualTo(2);
        assertThat(glue.failed()).isEqualTo(1);
        assertThat(glue.stopped()).isEqualTo(1);
        assertThat(glue.successRate()).isEqualTo(2.0 / 3); // succeeded / (runs − stopped)
        assertThat(glue.p50Seconds()).isEqualTo(100L);
        assertThat(glue.p95Seconds()).isEqualTo(300L);
        TrendRow sfnStoppedOnly = rows.get(3);
        assertThat(sfnStoppedOnly.day()).isEqualTo(D1.plusDays(1));
        assertThat(sfnStoppedOnly.runs()).isEqualTo(1);
        assertThat(sfnStoppedOnly.successRate()).isNull();
        assertThat(rows.get(4).runs()).isZero();
        assertThat(rows.get(4).successRate()).isNull();

        // --job narrows; --by system without a catalog groups by account.
        assertThat(new Trends(store.rollups(), null).rows(D1, D1.plusDays(1), TrendGrouping.SYSTEM,
                new Trends.Filter(null, "fin-close"))).extracting(TrendRow::group).containsExactly(SFN.account(), SFN.account());
    }

    @Test
    void sparkline_scalesFromLowestToHighest_blankWithoutAValue() {
        assertThat(Trends.sparkline(java.util.Arrays.asList(0.5, 1.0, null, 0.75))).isEqualTo("\u2581\u2588 \u2585");
        assertThat(Trends.sparkline(List.of(0.9, 0.9))).isEqualTo("\u2588\u2588");
    }
}
