package io.jobwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The side-by-side benchmark in quick mode against dynalite, in-process: every figure is produced and the request
 * counts obey the hot path's invariants. Times are never asserted (the machine is shared); counts are deterministic.
 */
class BenchQuickTest {
    private static Results results;

    @BeforeAll
    static void runQuick() throws Exception {
        results = SeedComparison.run(new SeedComparison.Options(1, true, false),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void quickRun_producesEveryFigure_withItsBaselineWhereTheSeedHasOne() {
        for (String key : List.of("ingest.sqlite", "digest.sqlite", "sla.sqlite", "export.sqlite", "ingest.dynalite",
                "ingest.requests", "ingest.reads", "ingest.wru", "ingest.rru", "digest.rru", "digest.dynalite",
                "sla.dynalite", "export.dynalite", "export.rss", "export.rru", "storage.run")) {
            Results.Figure f = results.figure(key);
            assertThat(f.jobwatch()).as(key).isFinite().isGreaterThanOrEqualTo(0);
        }
        for (String key : List.of("ingest.dynalite", "ingest.requests", "ingest.reads", "ingest.wru", "digest.rru",
                "digest.dynalite", "export.dynalite", "export.rru", "storage.run")) {
            assertThat(results.figure(key).baseline()).as(key).isNotNull().isPositive();
        }
        assertThat(results.figure("ingest.sqlite").jobwatch()).isPositive();
        assertThat(results.figure("digest.rru").jobwatch()).isPositive();
    }

    @Test
    void ingest_obeysTheRequestBudget_onePerNonTerminalEvent_atMostTwoPerTerminal_noReadsOutsideCrawlers() {
        assertThat(results.invariants).hasSize(3);
        for (Results.Invariant inv : results.invariants) {
            assertThat(inv.checked()).as(inv.name()).isPositive();
            assertThat(inv.violations()).as(inv.name() + " e.g. " + inv.example()).isZero();
        }
    }

    @Test
    void indexWriteUnits_areSplitByIndex_andTheIngestNoteNamesEach() {
        String prefix = "ingest.indexWruPerEvent.";
        Map<String, Double> byIndex = new java.util.TreeMap<>();
        results.counts.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                byIndex.put(k.substring(prefix.length()), v);
            }
        });
        assertThat(byIndex).isNotEmpty();
        assertThat(byIndex.values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(results.count("ingest.indexWruPerEvent"), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(results.count("ingest.indexWruPerEvent")).isPositive().isLessThan(results.count("ingest.wruPerEvent"));
        String note = results.notes.stream().filter(n -> n.startsWith("ingest sample")).findFirst().orElseThrow();
        for (String index : byIndex.keySet()) {
            assertThat(note).contains(" on indexes (").containsPattern(java.util.regex.Pattern.quote(index) + " [0-9,]+");
        }
    }

    @Test
    void seedBaseline_sendsAReadAndAWritePerEvent_andJobwatchFewerRequests() {
        assertThat(results.count("seed.ingest.readsPerEvent")).isEqualTo(1.0);
        assertThat(results.count("seed.ingest.requestsPerEvent")).isBetween(1.9, 2.0);
        assertThat(results.count("ingest.dynamoRequestsPerEvent")).isLessThan(results.count("seed.ingest.requestsPerEvent"));
        // The only reads: crawl/DMS pairing and the summary of a run a later attempt finished (once each).
        assertThat(results.count("ingest.dynamoReadsPerEvent")).isCloseTo(results.count("ingest.crawlerReadsPerEvent")
                + results.count("ingest.retriedReadsPerEvent"), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void costModel_pricesEveryServiceFromTheCounts_andGrowsWithScale() throws Exception {
        CostModel model = new CostModel(CostModel.Prices.load(), CostModel.Assumptions.defaults());
        CostModel.Bill one = model.month(results, 1);
        CostModel.Bill hundred = model.month(results, 100);
        assertThat(one.lines()).extracting(CostModel.Line::service).contains("DynamoDB", "Lambda", "EventBridge",
                "SQS", "SES", "S3", "Athena", "CloudWatch Logs", "EventBridge Scheduler");
        assertThat(one.layout().ingest()).isEqualTo(CostModel.Ingest.DIRECT); // the stack's default
        assertThat(one.dollarsOf("SQS", "")).isZero();
        assertThat(one.lines()).allSatisfy(l -> assertThat(l.dollars()).as(l.item()).isFinite().isNotNegative());
        assertThat(one.total()).isPositive();
        assertThat(hundred.total()).isGreaterThan(one.total());
        assertThat(hundred.jobwatchDynamo()).isCloseTo(one.jobwatchDynamo() * 100, org.assertj.core.data.Percentage.withPercentage(5));
        String table = model.render(results, List.of(1, 10, 100));
        assertThat(table).contains("$0.25–0.39", "**total**", "Prices: ", "Break-even of the ingest modes",
                "write units per event the goal allows");
    }

    @Test
    void costModel_pricesBothIngestModes_theirBreakEven_theLayoutBefore_andTheItemDiet() throws Exception {
        CostModel model = new CostModel(CostModel.Prices.load(), CostModel.Assumptions.defaults());
        CostModel.Layout direct = CostModel.Layout.direct(0.25);
        CostModel.Layout queue = CostModel.Layout.queue(0.25);
        CostModel.Writes counted = CostModel.Writes.counted();
        // At the seed's scale the queue's pollers cost more than one invocation per event; far above, batching wins.
        assertThat(model.month(results, 1, direct, counted).total())
                .isLessThan(model.month(results, 1, queue, counted).total());
        assertThat(model.month(results, 1000, direct, counted).total())
                .isGreaterThan(model.month(results, 1000, queue, counted).total());
        double breakEven = model.breakEvenScale(results);
        assertThat(breakEven).isBetween(1.0, 1000.0);
        assertThat(model.month(results, breakEven, direct, counted).total()).isCloseTo(
                model.month(results, breakEven, queue, counted).total(), org.assertj.core.data.Offset.offset(0.01));
        // The previous layout (queue, SLA and outbox apart, reconcile at 1 GB one scope at a time) costs more.
        for (int scale : new int[] {1, 100}) {
            assertThat(model.month(results, scale, CostModel.Layout.before(), counted).total()).as("%d×", scale)
                    .isGreaterThan(model.cheapest(results, scale, counted).total());
            assertThat(model.cheapest(results, scale, CostModel.Writes.dietTarget()).total())
                    .isLessThan(model.cheapest(results, scale, counted).total());
        }
        // The write units the goal allows meet it exactly.
        double allowed = model.wruPerEventFor(results, 1, CostModel.GOAL_1X);
        assertThat(model.cheapest(results, 1, new CostModel.Writes(allowed, 1)).total())
                .isCloseTo(CostModel.GOAL_1X, org.assertj.core.data.Offset.offset(0.001));
        // Cross-account events are counted (the seed's estimate leaves them out).
        assertThat(model.month(results, 1, direct, counted).dollarsOf("EventBridge", "cross-account")).isPositive();
    }

    @Test
    void costModel_pricesWhereFinishedRunsAreJudged_theStreamAddsInvocations() throws Exception {
        assertThat(results.count("decision.judgedPerEvent")).isBetween(0.01, 1.0);
        assertThat(results.count("decision.readsPerEvent")).isPositive();
        assertThat(results.count("decision.actionsPerEvent")).isPositive();
        assertThat(results.count("send.serviceNowCallsPerAction")).isGreaterThanOrEqualTo(1.0);
        CostModel model = new CostModel(CostModel.Prices.load(), CostModel.Assumptions.defaults());
        CostModel.Layout now = CostModel.Layout.direct(0.25);
        CostModel.Writes counted = CostModel.Writes.counted();
        for (int scale : new int[] {1, 100}) {
            CostModel.Bill inline = model.month(results, scale, now, counted);
            CostModel.Bill stream = model.month(results, scale, now.alerts(CostModel.Alerts.STREAM, "stream"), counted);
            CostModel.Bill scheduled = model.month(results, scale, now.alerts(CostModel.Alerts.SCHEDULED, "before"),
                    counted);
            assertThat(inline.dollarsOf("DynamoDB", "incident decisions")).as("%d×", scale).isPositive()
                    .isEqualTo(stream.dollarsOf("DynamoDB", "incident decisions"));
            assertThat(stream.total()).as("%d×", scale).isGreaterThan(inline.total());
            assertThat(stream.dollarsOf("Lambda", "duration: decision function")).isPositive();
            assertThat(inline.dollarsOf("Lambda", "duration: decision function")).isZero();
            // Judging moves between functions; the work and its price stay (within the per-invocation base).
            assertThat(scheduled.total()).isCloseTo(inline.total(), org.assertj.core.data.Percentage.withPercentage(1));
        }
        assertThat(model.render(results, List.of(1, 10, 100))).contains("Where a finished run is judged",
                "DynamoDB Stream (terminal-run filter) → decision function", "inline in the ingest function");
    }

    @Test
    void alertLatencyBefore_waitsForTheFiveMinuteSchedule() {
        AlertLatencyBench.Sample before = AlertLatencyBench.before(1000, 50);
        // Arrivals spread evenly: 30 s to settle, then up to 5 minutes to the next run.
        assertThat(before.p(0.5)).isBetween(170_000.0, 190_000.0);
        assertThat(before.p(0.99)).isBetween(320_000.0, 331_000.0);
        assertThat(before.p(1.0)).isLessThanOrEqualTo(330_050.0);
    }

    @Test
    void alertLatency_everyFailureReachesServiceNow_throughTheIngestHandler() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AlertLatencyBench.run(5, 4, new PrintStream(out, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("| before: decided by the 5-minute function |",
                "10 failures of 5 jobs over a simulated hour, one invocation each, 10 actions",
                "| after, DynamoDB Stream → decision function (stream) |", "p99 < 2 s");
    }
}
