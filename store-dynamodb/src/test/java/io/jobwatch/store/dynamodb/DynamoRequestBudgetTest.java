package io.jobwatch.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.store.Outcome;
import io.jobwatch.core.store.RunFold;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.StoreFixtures;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import io.jobwatch.store.dynamodb.testing.RequestCounter;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The hot path's request budget, counted by an SDK ExecutionInterceptor against dynalite. */
class DynamoRequestBudgetTest {
    private final RequestCounter counter = new RequestCounter();
    private DynamoDbClient client;
    private RunStore store;
    private String table;

    @BeforeEach
    void open() {
        client = Dynalite.shared().client(counter);
        table = "budget-" + System.identityHashCode(this);
        DynamoRunStore.createTable(client, table);
        store = new DynamoRunStore(client, table, new TestClock(Instant.parse("2026-03-03T12:00:00Z")),
                RunStore.DEFAULT_RETENTION);
        counter.reset();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void apply_sendsOneWriteForANonTerminalEvent_andAtMostTwoForATerminalOne_andNoRead_butForARetriedRunsEnd() {
        for (RunEvent e : StoreFixtures.sharedEvents()) {
            if (RunFold.pairsByStart(e.job().source())) {
                continue; // pairing a crawl's or a DMS task's end with its open run reads first (see its own test)
            }
            // A start event arriving after its run finished may fill the finished run's start: run and summary.
            boolean afterEnd = store.get(e.runKey()).map(r -> r.terminal()).orElse(false);
            counter.reset();
            io.jobwatch.core.store.ApplyResult result = store.apply(e);
            Outcome outcome = result.outcome();
            Map<String, Long> sent = counter.snapshot();
            if (e.terminal() && result.run().terminal() && result.run().attempt() > 1) {
                // A run a later attempt finished (a redrive, a retry; rare): its summary is read, changed by core's
                // rule and written back conditionally — one read, the run's write and the summary's; plus one write
                // when the run's sort time moved (a run known only by its ends sorts by the later attempt's end).
                assertThat(counter.reads()).as("reads for retried %s (%s)", e.eventId(), sent).isEqualTo(1);
                assertThat(counter.total()).as("requests for retried %s (%s)", e.eventId(), sent).isBetween(2L, 4L);
                assertThat(counter.count("UpdateItem")).as("writes for retried %s (%s)", e.eventId(), sent)
                        .isBetween(1L, 3L);
                continue;
            }
            assertThat(counter.reads()).as("reads for %s (%s)", e.eventId(), sent).isZero();
            if (e.terminal()) {
                assertThat(counter.total()).as("requests for terminal %s (%s)", e.eventId(), sent).isBetween(1L, 2L);
                assertThat(counter.count("UpdateItem")).isEqualTo(counter.total());
            } else if (afterEnd) {
                assertThat(counter.total()).as("requests for late %s %s (%s)", e.state(), e.eventId(), sent).isBetween(1L, 2L);
            } else {
                assertThat(counter.total()).as("requests for %s %s (%s)", e.state(), e.eventId(), sent).isEqualTo(1);
            }
            assertThat(outcome).isNotEqualTo(Outcome.DUPLICATE);
        }
    }

    @Test
    void apply_sendsTwoRequestsForAFinishingRun_oneForTheRunAndOneForTheJobSummary() {
        RunEvent done = StoreFixtures.finished("f1", StoreFixtures.GLUE, "jr_1", io.jobwatch.core.run.RunState.FAILED,
                StoreFixtures.T0, StoreFixtures.T0.plusSeconds(60));
        store.apply(done);
        assertThat(counter.snapshot()).containsExactly(Map.entry("UpdateItem", 2L));
    }

    @Test
    void crawlerEvents_addOneConsistentQuery_toPairTheCrawl() {
        Instant s = StoreFixtures.T0;
        store.apply(StoreFixtures.crawlStarted("s1", StoreFixtures.CRAWLER, s));
        assertThat(counter.snapshot()).containsExactly(Map.entry("Query", 1L), Map.entry("UpdateItem", 1L));
        counter.reset();
        store.apply(StoreFixtures.crawlEnded("e1", StoreFixtures.CRAWLER, io.jobwatch.core.run.RunState.SUCCEEDED,
                s.plusSeconds(90)));
        assertThat(counter.snapshot()).containsExactly(Map.entry("Query", 1L), Map.entry("UpdateItem", 2L));
    }

    @Test
    void runsBetween_readsOnlyTheRunsOfTheWindow_withOneQueryPerJobAndDay() {
        Instant day = Instant.parse("2026-03-02T00:00:00Z");
        for (int d = 0; d < 3; d++) {
            for (int i = 0; i < 4; i++) {
                Instant start = day.plus(java.time.Duration.ofDays(d)).plus(java.time.Duration.ofHours(5 * i + 1));
                // The end event arrives first (no start), the start later: the run must still sit in its start's day.
                store.apply(StoreFixtures.event("end-" + d + i, StoreFixtures.GLUE, "jr_" + d + i,
                        io.jobwatch.core.run.RunState.SUCCEEDED, start.plusSeconds(3600), null, null, null));
                store.apply(StoreFixtures.running("run-" + d + i, StoreFixtures.GLUE, "jr_" + d + i, start));
            }
        }
        // A second job: one finished run in the window, one running, and one queued (no start: untimed) whose first
        // event came the day before the window and whose latest event is in it (its sort time).
        Instant inDay1 = day.plus(java.time.Duration.ofDays(1));
        store.apply(StoreFixtures.event("sfn-end", StoreFixtures.SFN, "x1", io.jobwatch.core.run.RunState.FAILED,
                inDay1.plusSeconds(7200), inDay1.plusSeconds(3600), inDay1.plusSeconds(7200), "boom"));
        store.apply(StoreFixtures.running("sfn-run", StoreFixtures.SFN, "x2", inDay1.plusSeconds(9000)));
        store.apply(StoreFixtures.event("sfn-q1", StoreFixtures.SFN, "x3", io.jobwatch.core.run.RunState.PENDING,
                inDay1.minusSeconds(60), null, null, null));
        store.apply(StoreFixtures.event("sfn-q2", StoreFixtures.SFN, "x3", io.jobwatch.core.run.RunState.PENDING,
                inDay1.plusSeconds(60), null, null, null));
        // Entries of the open-runs index: the two open runs, and finished runs whose start arrived after their end
        // (a late non-terminal event sets the flag blindly; openRuns() folds and skips them).
        int openEntries = client.query(b -> b.tableName(table).indexName("openRuns").keyConditionExpression("o = :o")
                .expressionAttributeValues(Map.of(":o", software.amazon.awssdk.services.dynamodb.model.AttributeValue
                        .fromS("OPEN")))).count();
        assertThat(openEntries).isGreaterThanOrEqualTo(2);
        counter.reset();
        java.util.List<String> got = new java.util.ArrayList<>();
        store.runsBetween(inDay1, day.plus(java.time.Duration.ofDays(2)), r -> got.add(r.runId()));
        assertThat(got).containsExactly("x3", "jr_10", "x1", "x2", "jr_11", "jr_12", "jr_13");
        // The jobs (briefs index), the open runs, then one Query of byTime per job for the day: the LSI fetches the
        // window's runs in the same request. No BatchGetItem, no Scan.
        assertThat(counter.snapshot()).containsOnly(Map.entry("Query", 4L));
        // x3's index key is its first event's time, the day before: the job's Query does not read it; the open runs do.
        assertThat(counter.itemsRead()).as("entries read: 2 jobs, the open runs, the 4 + 2 timed runs of the window")
                .isEqualTo(2 + openEntries + 4 + 2);
        counter.reset();
        got.clear();
        store.runsBetween(day.plus(java.time.Duration.ofHours(6)), day.plus(java.time.Duration.ofHours(11)).plusSeconds(1),
                r -> got.add(r.runId()));
        assertThat(got).containsExactly("jr_01", "jr_02");
        assertThat(counter.itemsRead()).isEqualTo(2 + openEntries + 2);
    }
}
