package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.incident.GatewayException;
import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentGateway;
import io.jobwatch.core.incident.IncidentTicket;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.StoreFixtures;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.lambda.Env;
import io.jobwatch.lambda.IngestHandler;
import io.jobwatch.lambda.OutboxHandler;
import io.jobwatch.servicenow.Credentials;
import io.jobwatch.servicenow.ServiceNowSettings;
import io.jobwatch.servicenow.TableApiIncidentGateway;
import io.jobwatch.store.dynamodb.DynamoIncidents;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The alert path of the AWS deployment when ServiceNow misbehaves and the function dies: the ingest function judges
 * each finished run and sends its incident's requests in the same invocation (dynalite as the table, a stateful
 * ServiceNow Table API server), while ServiceNow resets the connection, answers 503, 429 with Retry-After, or answers
 * too late (after it did the work), and the function dies right before a request (the decision saved, nothing sent)
 * or right after one (ServiceNow did it, the outbox does not know) — Lambda then delivers the event again to a fresh
 * container, as it does for a failed asynchronous invocation. The periodic function's retry passes follow. At the end
 * ServiceNow shows what a run without faults shows: the same tickets per job, the same active ones; a work note or
 * resolve is repeated only when it was the request in flight at a late answer or a death; nothing pending or parked.
 */
class IngestAlertFaultsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    static final Instant T0 = Instant.parse("2026-03-03T00:00:00Z");
    static final int JOBS = 12;
    static final int RUNS_PER_JOB = 8;
    static final String CATALOG = """
            version: 1
            accounts:
              "111122223333": {system: Orders, environment: prod}
            teams:
              orders-ops: {assignmentGroup: Orders Operations, timezone: UTC}
            defaults:
              team: orders-ops
              criticality: high
              incident:
                enabled: true
                openAfterConsecutiveFailures: 1
                resolveAfterConsecutiveSuccesses: 1
                flapDampingWindow: 0m
            """;

    /** What the function does at one ServiceNow request (decided by the test's seeded plan). */
    enum Fault { NONE, RESET, UNAVAILABLE, THROTTLED, LATE, DIE_BEFORE, DIE_AFTER }

    /** The function's process dying: not an exception the function handles, so the invocation fails. */
    static final class Died extends Error {
        Died(String when) {
            super("the function died " + when);
        }
    }

    /** ServiceNow as the function sees it: the real Table API client, with the planned fault at each request. */
    static final class FaultyServiceNow implements IncidentGateway {
        final IncidentGateway real;
        final Supplier<Fault> plan;
        final Map<Fault, Integer> injected = new java.util.EnumMap<>(Fault.class);

        FaultyServiceNow(IncidentGateway real, Supplier<Fault> plan) {
            this.real = real;
            this.plan = plan;
        }

        <T> T call(Supplier<T> request) {
            Fault f = plan.get();
            injected.merge(f, 1, Integer::sum);
            switch (f) {
                case RESET -> throw GatewayException.unreachable("no response (connection reset)", null);
                case UNAVAILABLE -> throw GatewayException.ofStatus("ServiceNow answered 503", 503, "", null);
                case THROTTLED -> throw GatewayException.ofStatus("ServiceNow answered 429", 429, "",
                        Duration.ofSeconds(1));
                case DIE_BEFORE -> throw new Died("before the request");
                default -> {
                }
            }
            T result = request.get();
            if (f == Fault.LATE) {
                throw GatewayException.unreachable("no response (HttpTimeoutException)", null); // it did the work
            }
            if (f == Fault.DIE_AFTER) {
                throw new Died("after the request");
            }
            return result;
        }

        @Override
        public Optional<IncidentTicket> findOpen(String correlationId) {
            return call(() -> real.findOpen(correlationId));
        }

        @Override
        public Optional<IncidentTicket> findLatest(String correlationId) {
            return call(() -> real.findLatest(correlationId));
        }

        @Override
        public IncidentTicket create(IncidentAction.Open open) {
            return call(() -> real.create(open));
        }

        @Override
        public IncidentTicket update(String sysId, String workNote) {
            return call(() -> real.update(sysId, workNote));
        }

        @Override
        public IncidentTicket resolve(String sysId, IncidentAction.Resolve resolve) {
            return call(() -> real.resolve(sysId, resolve));
        }

        @Override
        public IncidentTicket reopen(String sysId, IncidentAction.Reopen reopen) {
            return call(() -> real.reopen(sysId, reopen));
        }
    }

    /** Each job's runs, one terminal event each, in time order: failures and recoveries (seeded). */
    static List<String> events() throws IOException {
        String failed = Files.readString(StoreFixtures.repo().resolve("examples/events/glue-job/failed.json"));
        String succeeded = Files.readString(StoreFixtures.repo().resolve("examples/events/glue-job/succeeded.json"));
        Random rnd = new Random(25);
        List<String> out = new ArrayList<>();
        for (int run = 0; run < RUNS_PER_JOB; run++) {
            for (int job = 0; job < JOBS; job++) {
                boolean fails = rnd.nextInt(5) < 2;
                ObjectNode e = (ObjectNode) JSON.readTree(fails ? failed : succeeded);
                e.put("id", "alert-" + job + "-" + run);
                e.put("account", "111122223333");
                e.put("time", T0.plus(Duration.ofMinutes(10L * run + job)).toString());
                ObjectNode d = (ObjectNode) e.get("detail");
                d.put("jobName", String.format("orders-etl-%02d", job));
                d.put("jobRunId", String.format("jr_%02d_%02d", job, run));
                out.add(JSON.writeValueAsString(e));
            }
        }
        return out;
    }

    record Outcome(TableApiServer.Counts counts, List<OutboxEntry> pending, List<OutboxEntry> parked, long actions,
                   int invocations, int died, Map<Fault, Integer> injected) {
    }

    /** One delivery of the events through the ingest function and the periodic retries, with the planned faults. */
    static Outcome deliver(List<String> events, double faultRate, long seed) throws Exception {
        Catalog catalog = ((CatalogResult.Loaded) CatalogLoader.load("jobwatch.yml", CATALOG)).catalog();
        Random rnd = new Random(seed);
        Fault[] kinds = {Fault.RESET, Fault.UNAVAILABLE, Fault.THROTTLED, Fault.LATE, Fault.DIE_BEFORE, Fault.DIE_AFTER};
        boolean[] faulty = {true};
        TestClock clock = new TestClock(T0.plus(Duration.ofDays(1)));
        try (TableApiServer serviceNow = new TableApiServer(); DynamoDbClient dynamo = Dynalite.shared().client()) {
            String table = "alerts-" + System.nanoTime();
            DynamoRunStore.createTable(dynamo, table);
            Env env = Env.from(Map.of(Env.TABLE, table, Env.REGION, "us-east-1"));
            FaultyServiceNow gateway = new FaultyServiceNow(new TableApiIncidentGateway(ServiceNowSettings.of(
                    serviceNow.url(), new Credentials.Basic("svc-jobwatch", "reliability")), Clock.systemUTC()),
                    () -> faulty[0] && rnd.nextDouble() < faultRate ? kinds[rnd.nextInt(kinds.length)] : Fault.NONE);
            Supplier<IngestHandler> container = () -> new IngestHandler(env, catalog, dynamo, gateway, clock, QUIET);
            IngestHandler ingest = container.get();
            int invocations = 0;
            int died = 0;
            for (String event : events) {
                // Lambda's asynchronous invocation: a failed one is retried (twice on AWS; here until it succeeds,
                // as the redrive of the DLQ would), each time in a fresh container after a death.
                for (int attempt = 0; ; attempt++) {
                    invocations++;
                    try {
                        ingest.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                                OutputStream.nullOutputStream(), null);
                        break;
                    } catch (Died d) {
                        died++;
                        ingest = container.get();
                        clock.advance(Duration.ofSeconds(30));
                    }
                    assertThat(attempt).as("retries of one event").isLessThan(20);
                }
                clock.advance(Duration.ofSeconds(20));
            }
            // ServiceNow recovers; the periodic function retries until nothing is left (a died sender's claim
            // lapses after 2 minutes, backoff is at most 5).
            faulty[0] = false;
            DynamoIncidents incidents = new DynamoIncidents(dynamo, table, clock, RunStore.DEFAULT_RETENTION);
            OutboxHandler periodic = new OutboxHandler(incidents, gateway, clock, clock::advance,
                    new OutboxHandler.Settings(Duration.ofSeconds(25)), QUIET);
            for (int pass = 0; pass < 10 && !incidents.pending().isEmpty(); pass++) {
                clock.advance(Duration.ofMinutes(6));
                periodic.handleRequest(new ByteArrayInputStream("{\"task\":\"outbox\"}".getBytes(StandardCharsets.UTF_8)),
                        OutputStream.nullOutputStream(), null);
            }
            long actions = countActions(dynamo, table);
            return new Outcome(serviceNow.counts(), incidents.pending(), incidents.parked(), actions, invocations, died,
                    Map.copyOf(gateway.injected));
        }
    }

    /** Incident actions decided: the outbox entries to ServiceNow, whatever their state. */
    static long countActions(DynamoDbClient dynamo, String table) {
        return dynamo.scanPaginator(b -> b.tableName(table)).items().stream()
                .filter(i -> i.containsKey("pk") && i.get("pk").s().startsWith("OUTBOX#") && !i.containsKey("dest"))
                .count();
    }

    @Test
    void faultsAndDeathsAtEveryRequest_sendEveryActionOnce_asARunWithoutFaults() throws Exception {
        List<String> events = events();
        long t = System.nanoTime();
        Outcome clean = deliver(events, 0, 1);
        Outcome faults = deliver(events, 0.3, 20261206);
        long ms = (System.nanoTime() - t) / 1_000_000;

        assertThat(clean.counts().created()).isPositive();
        assertThat(clean.pending()).isEmpty();
        assertThat(faults.died()).as("the function died at least once").isPositive();
        assertThat(faults.injected().keySet()).contains(Fault.RESET, Fault.UNAVAILABLE, Fault.THROTTLED, Fault.LATE,
                Fault.DIE_BEFORE, Fault.DIE_AFTER);
        assertThat(faults.pending()).as("nothing left").isEmpty();
        assertThat(faults.parked()).as("nothing parked").isEmpty();
        assertThat(faults.actions()).isEqualTo(clean.actions());
        TableApiServer.Counts c = faults.counts();
        assertThat(c.created()).as("tickets created").isEqualTo(clean.counts().created());
        assertThat(c.activeByCorrelation()).isEqualTo(clean.counts().activeByCorrelation());
        assertThat(c.jobsWithTwoActive()).isZero();
        // Only a request in flight is repeated: a work note or resolve that ServiceNow did while the function died
        // or gave up waiting is sent again — at most once per such fault, never otherwise.
        int inFlight = faults.injected().getOrDefault(Fault.LATE, 0) + faults.injected().getOrDefault(Fault.DIE_AFTER, 0);
        assertThat(c.notesPostedTwice() + c.resolvesWhileResolved()).isLessThanOrEqualTo(inFlight);
        assertThat(clean.counts().notesPostedTwice() + clean.counts().resolvesWhileResolved()).isZero();

        long lost = faults.actions() - clean.actions() + (faults.pending().size() + faults.parked().size());
        ReliabilityLedger.record(new ReliabilityLedger.Row("ServiceNow",
                "AWS ingest path: reset, 503, 429, late answer, function dies before / after a request",
                String.format("%d finished runs of %d jobs through the ingest function (dynalite, a stateful Table API"
                        + " server), each ServiceNow request faulty with probability 0.3 (seeded): %s; a death fails"
                        + " the invocation and Lambda delivers the event again to a fresh container; then the periodic"
                        + " retry passes", events.size(), JOBS, faults.injected()),
                faults.actions(), faults.actions() - lost, lost, -1,
                String.format("same ServiceNow state as the run without faults: %d tickets created, %d active, 0 jobs"
                                + " with two active; %d work notes or resolves repeated, each a request in flight when"
                                + " ServiceNow answered late or the function died (%d such faults); nothing pending or"
                                + " parked; %d invocations (%d deaths) for %d events; %d ms for both runs",
                        c.created(), c.active(), c.notesPostedTwice() + c.resolvesWhileResolved(), inFlight,
                        faults.invocations(), faults.died(), events.size(), ms)));
    }
}
