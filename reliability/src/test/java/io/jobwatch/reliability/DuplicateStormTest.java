package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A duplicate storm with out-of-order delivery: every event of a simulated day delivered five times, shuffled with a
 * fixed seed. The stores must end exactly where in-order delivery ends: same runs, same summaries, nothing lost.
 */
class DuplicateStormTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-03T00:00:00Z"), ZoneOffset.UTC);
    static final Duration FOREVER = Duration.ofDays(36_500);
    static final int COPIES = 5;
    static final long SEED = 12L;

    @TempDir
    Path dir;

    @Test
    void sqlite_endsWhereInOrderDeliveryEnds_whenEveryEventComesFiveTimesShuffled() {
        List<RunEvent> events = SimulatedDay.inOrder(job -> true);
        try (RunStore clean = new SqliteRunStore(dir.resolve("clean.db"), CLOCK, FOREVER);
             RunStore stormed = new SqliteRunStore(dir.resolve("storm.db"), CLOCK, FOREVER)) {
            check("SQLite", events, clean, stormed);
        }
    }

    @Test
    void dynamo_endsWhereInOrderDeliveryEnds_whenEveryEventComesFiveTimesShuffled() {
        // A slice of the estate (one job in six): dynalite answers ~1 ms per write and the suite must stay short.
        Predicate<JobKey> slice = job -> Math.floorMod(job.id().hashCode(), 6) == 0;
        List<RunEvent> events = SimulatedDay.inOrder(slice);
        DynamoDbClient client = Dynalite.shared().client();
        DynamoRunStore.createTable(client, "storm-clean");
        DynamoRunStore.createTable(client, "storm-stormed");
        try (RunStore clean = new DynamoRunStore(client, "storm-clean", CLOCK, FOREVER);
             RunStore stormed = new DynamoRunStore(client, "storm-stormed", CLOCK, FOREVER)) {
            check("DynamoDB (dynalite)", events, clean, stormed);
        } finally {
            client.close();
        }
    }

    private static void check(String store, List<RunEvent> events, RunStore clean, RunStore stormed) {
        SimulatedDay.applyInBatches(clean, events, 100);
        SimulatedDay.Snapshot expected = SimulatedDay.snapshot(clean, events);

        List<RunEvent> storm = SimulatedDay.storm(events, COPIES, SEED);
        long started = System.nanoTime();
        SimulatedDay.applyInBatches(stormed, storm, 100);
        long ms = (System.nanoTime() - started) / 1_000_000;
        SimulatedDay.Snapshot actual = SimulatedDay.snapshot(stormed, events);

        assertThat(expected.eventCount()).as("in-order delivery stores every event").isEqualTo(events.size());
        long staleLatest = SimulatedDay.assertSame(actual, expected);
        long lost = events.size() - actual.eventCount();
        assertThat(lost).isZero();
        ReliabilityLedger.record(new ReliabilityLedger.Row("duplicate storm", "every event ×5, shuffled — " + store,
                "a simulated day (" + events.size() + " events, " + expected.runs().size() + " jobs), each delivered "
                        + COPIES + " times in a shuffled order (seed " + SEED + "), batches of 100",
                storm.size(), actual.eventCount(), lost, -1,
                "runs identical to in-order delivery (" + actual.runCount() + " runs), summary run counts identical; "
                        + staleLatest + " of " + expected.summaries().size()
                        + " job summaries name an older latest run (see Findings); "
                        + (storm.size() - actual.eventCount()) + " duplicates dropped; " + ms + " ms"));
    }
}
