package io.jobwatch.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.store.dynamodb.DynamoBreaches;
import io.jobwatch.store.dynamodb.DynamoIncidents;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The SLA handler against dynalite with the example catalog: a job that never ran is caught once, paged once. */
class SlaHandlerTest {
    final TestClock clock = new TestClock(Instant.parse("2026-03-02T12:00:00Z"));
    final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    DynamoDbClient dynamo;
    String table;

    @BeforeEach
    void setUp() {
        dynamo = Dynalite.shared().client();
        table = Fixtures.newTable(dynamo);
    }

    @AfterEach
    void tearDown() {
        dynamo.close();
    }

    @Test
    void jobThatNeverRan_isRaisedOnce_andOpensOneIncidentThroughTheOutbox() throws Exception {
        Catalog catalog = CatalogFile.load(Fixtures.repo().resolve("examples/jobwatch.yml"));
        Env env = Fixtures.env(table, Map.of());
        SlaHandler handler = new SlaHandler(env, catalog, dynamo, clock, log);

        var first = Fixtures.tree(new String(invoke(handler), StandardCharsets.UTF_8));
        assertThat(first.get("raised").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(first.get("incidentActions").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(new DynamoBreaches(dynamo, table).active())
                .anyMatch(b -> b.job().jobName().equals("fin-close-reconciliation") && b.kind().name().equals("MISSING"));
        List<OutboxEntry> pending = new DynamoIncidents(dynamo, table, clock, RunStore.DEFAULT_RETENTION).pending();
        assertThat(pending).extracting(OutboxEntry::correlationId)
                .contains("glue-job:234567890123:eu-west-1:fin-close-reconciliation:MISSING");

        clock.advance(java.time.Duration.ofMinutes(5));
        var second = Fixtures.tree(new String(invoke(handler), StandardCharsets.UTF_8));
        assertThat(second.get("raised").asInt()).isZero();
        assertThat(second.get("incidentActions").asInt()).isZero();
        assertThat(new DynamoIncidents(dynamo, table, clock, RunStore.DEFAULT_RETENTION).pending()).hasSameSizeAs(pending);
    }

    private static byte[] invoke(SlaHandler handler) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new java.io.ByteArrayInputStream("{\"task\":\"sla\"}".getBytes(StandardCharsets.UTF_8)),
                out, new LocalContext("sla", 60_000));
        return out.toByteArray();
    }
}
