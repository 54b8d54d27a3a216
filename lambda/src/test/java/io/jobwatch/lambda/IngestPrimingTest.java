package io.jobwatch.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.core.source.Sources;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * SnapStart priming of the ingest function: every source's sample through the whole first-event path (both input
 * shapes, normalization, apply, the DynamoDB requests up to the HTTP layer), answered locally — nothing written to any
 * table, nothing sent; a failure never fails init.
 */
class IngestPrimingTest {
    static final TestClock CLOCK = new TestClock(Instant.parse("2026-03-02T03:00:00Z"));
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    @Test
    void prime_appliesEverySourcesSampleInBothShapes_throughTheStoresRequests_answeredLocally() throws Exception {
        try (DynamoDbClient dynamo = Dynalite.shared().client()) {
            // A real table of the same name: priming must leave it untouched (its requests never leave the JVM).
            String table = Fixtures.newTable(dynamo);
            IngestPriming priming = new IngestPriming(Fixtures.env(table, Map.of()), new TestClock(
                    Instant.parse("2026-03-02T03:00:00Z")), log);

            IngestPriming.Report r = priming.prime();

            assertThat(r.events()).isEqualTo(IngestPriming.PRIMERS.size()).isEqualTo(Sources.samples().size());
            assertThat(IngestPriming.PRIMERS).as("every EventBridge source primed")
                    .extracting(p -> p.substring(0, p.indexOf('/')))
                    .containsAll(Sources.eventBridge().stream().map(d -> d.source().id()).toList());
            // Per round: one SQS batch of all samples, then each sample invoked directly.
            assertThat(r.invocations()).isEqualTo(IngestPriming.ROUNDS * (1 + IngestPriming.PRIMERS.size()));
            // Both shapes apply the same events: at least one write per event, the same requests per shape and round.
            assertThat(r.requests()).isGreaterThanOrEqualTo(2 * IngestPriming.ROUNDS * IngestPriming.PRIMERS.size());
            assertThat(r.requests() % (2 * IngestPriming.ROUNDS)).isZero();
            assertThat(priming.last()).isEqualTo(r);
            assertThat(new DynamoRunStore(dynamo, table, java.time.Clock.systemUTC(),
                    java.time.Duration.ofDays(7)).latestPerJob()).isEmpty();
            assertThat(dynamo.scan(b -> b.tableName(table)).count()).isZero();
        }
    }

    @Test
    void prime_refusesToPrimeTheParkingPathInsteadOfTheApplyPath_whenASampleWouldBeParked() {
        // A real malformed sample (examples/malformed) in the primers' place: it would be parked, not applied.
        IngestPriming priming = new IngestPriming(Fixtures.env("t", Map.of()), CLOCK, log,
                List.of("glue-job/failed.json", "malformed/glue-job-without-run-id.json"));

        assertThatThrownBy(priming::prime).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("a priming sample was parked, not applied: ingest: parked")
                .hasMessageContaining("detail.jobRunId");
    }

    @Test
    void beforeCheckpoint_logsAFailure_andNeverFailsInit() {
        IngestPriming broken = new IngestPriming(Fixtures.env("t", Map.of()), CLOCK, log,
                List.of("glue-job/no-such-sample.json"));

        broken.beforeCheckpoint(null);

        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("ingest: priming failed, the snapshot is"
                + " taken without it: java.io.IOException: priming sample"
                + " /io/jobwatch/lambda/priming/glue-job/no-such-sample.json is missing from the jar");
        assertThat(broken.last()).isNull();
    }

    @Test
    void beforeCheckpoint_primesAndLogsWhatItDid() {
        IngestPriming priming = new IngestPriming(Fixtures.env("t", Map.of()), CLOCK, log);

        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        assertThat(priming.last()).isNotNull();
        int n = IngestPriming.PRIMERS.size();
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("ingest: primed for the snapshot: " + n
                + " sample events × 5 rounds (" + 5 * (1 + n) + " invocations, ");
    }

    @Test
    void handlersBuiltForTests_haveNoPriming() throws Exception {
        IngestHandler handler = new IngestHandler(new DynamoRunStore(Dynalite.shared().client(), "t",
                java.time.Clock.systemUTC(), java.time.Duration.ofDays(7)), log);
        assertThat(handler.primeNow()).isEmpty();
    }
}
