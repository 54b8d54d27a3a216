package io.jobwatch.lambda;

import static io.jobwatch.lambda.Fixtures.failures;
import static io.jobwatch.lambda.Fixtures.glue;
import static io.jobwatch.lambda.Fixtures.invoke;
import static io.jobwatch.lambda.Fixtures.sqs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.ParkedEvent;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunFold;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import io.jobwatch.store.dynamodb.testing.RequestCounter;
import io.jobwatch.store.dynamodb.testing.TcpGate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The ingest handler jar-in-hand: SQS batches of real EventBridge envelopes against dynalite. */
class IngestHandlerTest {
    static final Instant NOW = Instant.parse("2026-03-02T03:00:00Z");
    static final String JOB = "nightly-orders-etl";
    static final JobKey ORDERS = new JobKey("111122223333", "us-west-2", JobSource.GLUE_JOB, JOB);

    final RequestCounter counter = new RequestCounter();
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    final TestClock clock = new TestClock(NOW);
    DynamoDbClient client;
    String table;
    RunStore store;
    IngestHandler handler;

    @BeforeEach
    void setUp() {
        client = Dynalite.shared().client(counter);
        table = Fixtures.newTable(client);
        store = new DynamoRunStore(client, table, clock, RunStore.DEFAULT_RETENTION);
        handler = new IngestHandler(store, log);
        counter.reset();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void ingest_storesEverySampleEvent_andReportsNoFailure() throws IOException {
        List<Path> samples = Fixtures.allSamples();
        List<String> bodies = samples.stream().map(Fixtures::read).toList();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i += 10) { // the event source mapping's batch size
            failed.addAll(failures(invoke(handler, sqs(bodies.subList(i, Math.min(i + 10, bodies.size()))))));
        }
        assertThat(failed).isEmpty();
        assertThat(store.parked(100)).isEmpty();
        // The failed Glue sample's run succeeded on its retry (the jr_…_attempt_1 sample): one run, its last attempt's
        // outcome, the first attempt's failure kept as a note.
        Run retried = store.get(new RunKey(ORDERS,
                "jr_8e2d4b6a0c1f3e5d7b9a2c4e6f8d0b1a3c5e7f9d2b4a6c8e0f1d3b5a7c9e2d4f")).orElseThrow();
        assertThat(retried.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(retried.attempt()).isEqualTo(2);
        assertThat(retried.notes()).anySatisfy(n -> assertThat(n).startsWith("attempt 1 ended FAILED")
                .contains("role/GlueEtlRole should be"));
        assertThat(store.latestPerJob()).extracting(s -> s.job().source()).contains(JobSource.GLUE_JOB,
                JobSource.STEP_FUNCTIONS, JobSource.BATCH, JobSource.APPFLOW, JobSource.DATASYNC,
                JobSource.EMR_SERVERLESS, JobSource.GLUE_CRAWLER);
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("0 parked, 0 failed")
                .doesNotContainPattern("[1-9][0-9]* (parked|failed)");
    }

    @Test
    void ingest_sendsOneUpdateItemPerNonTerminalEvent_twoPerTerminalEvent_andNoRead() throws IOException {
        for (Path sample : Fixtures.allSamples()) {
            if (RunFold.pairsByStart(normalized(sample).job().source())) {
                continue; // a crawler's or a DMS task's terminal event has no run id: pairing it needs one Query by design
            }
            // A fresh table per sample: every event is the first of its run.
            RunStore fresh = new DynamoRunStore(client, Fixtures.newTable(client), clock, RunStore.DEFAULT_RETENTION);
            counter.reset();
            JsonNode response = invoke(new IngestHandler(fresh, log), sqs(List.of(Fixtures.read(sample))));
            assertThat(failures(response)).isEmpty();
            boolean terminal = normalized(sample).terminal();
            if (terminal && normalized(sample).attempt() > 1) {
                // A run a later attempt finished (a redrive, a retry): its summary is read and written back
                // conditionally, since the earlier attempt's outcome may be counted there.
                assertThat(counter.reads()).as("reads for %s: %s", sample, counter.snapshot()).isEqualTo(1);
                assertThat(counter.count("UpdateItem")).as("requests for %s", sample).isEqualTo(2);
                continue;
            }
            assertThat(counter.reads()).as("reads for %s: %s", sample, counter.snapshot()).isZero();
            assertThat(counter.count("UpdateItem")).as("requests for %s", sample).isEqualTo(counter.total())
                    .isEqualTo(terminal ? 2 : 1);
        }
    }

    @Test
    void ingest_parksWhatItCannotUse_withTheReason_andDoesNotFailTheBatch() throws IOException {
        String ec2 = Fixtures.example("events/glue-job/failed.json").replace("aws.glue", "aws.ec2")
                .replace("Glue Job State Change", "EC2 Instance State-change Notification");
        JsonNode response = invoke(handler, sqs(List.of("{\"truncated\": ", Fixtures.example(
                "malformed/glue-job-without-run-id.json"), ec2, glue("e1", JOB, "jr_1", "RUNNING", NOW))));

        assertThat(failures(response)).isEmpty();
        List<ParkedEvent> parked = store.parked(10);
        assertThat(parked).extracting(ParkedEvent::reason).containsExactlyInAnyOrder(
                "detail.jobRunId: expected a non-empty string, found nothing (field missing)",
                "unsupported event: source=aws.ec2 detail-type=EC2 Instance State-change Notification",
                "not JSON: Unexpected end-of-input within/between Object entries");
        assertThat(parked).extracting(ParkedEvent::source).containsExactlyInAnyOrder("sqs:m1", "sqs:m2", "sqs:m3");
        assertThat(parked).filteredOn(p -> p.source().equals("sqs:m1")).singleElement()
                .satisfies(p -> assertThat(p.raw()).isEqualTo("{\"truncated\": "));
        assertThat(store.get(new RunKey(ORDERS, "jr_1"))).map(Run::state).contains(RunState.RUNNING);
    }

    @Test
    void ingest_parksAnEventOver256KB_andTimesOutsideThePlausibleWindow_withTheirReasons_storingTheRest() throws IOException {
        IngestHandler clocked = new IngestHandler(store, log, clock);
        com.fasterxml.jackson.databind.node.ObjectNode big = (com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(glue("big", JOB, "jr_9", "RUNNING", NOW));
        ((com.fasterxml.jackson.databind.node.ObjectNode) big.path("detail")).put("padding", "x".repeat(300 * 1024));
        String bigBody = big.toString();
        JsonNode response = invoke(clocked, sqs(List.of(bigBody, glue("f", JOB, "jr_8", "RUNNING",
                Instant.parse("9999-12-31T23:59:59Z")), glue("p", JOB, "jr_7", "RUNNING", Instant.EPOCH),
                glue("e1", JOB, "jr_1", "RUNNING", NOW))));

        assertThat(failures(response)).isEmpty();
        List<ParkedEvent> parked = store.parked(10);
        assertThat(parked).extracting(ParkedEvent::reason).containsExactlyInAnyOrder(
                "(event): expected at most 262144 bytes (256 KB, EventBridge's event size limit), found "
                        + bigBody.getBytes(StandardCharsets.UTF_8).length + " bytes",
                "time: expected a time between 2016-03-04T03:00:00Z and 2026-03-03T03:00:00Z (at most 3650 days "
                        + "before and 1 day after now), found \"9999-12-31T23:59:59Z\"",
                "time: expected a time between 2016-03-04T03:00:00Z and 2026-03-03T03:00:00Z (at most 3650 days "
                        + "before and 1 day after now), found \"1970-01-01T00:00:00Z\"");
        assertThat(parked).filteredOn(p -> p.source().equals("sqs:m1")).singleElement()
                .satisfies(p -> assertThat(p.raw().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ParkedEvent.MAX_RAW_BYTES));
        assertThat(store.get(new RunKey(ORDERS, "jr_1"))).map(Run::state).contains(RunState.RUNNING);
        assertThat(store.get(new RunKey(ORDERS, "jr_9"))).isEmpty();
    }

    @Test
    void ingest_appliesARedeliveredBatchOnce() throws IOException {
        String batch = sqs(List.of(glue("e1", JOB, "jr_1", "RUNNING", NOW), glue("e2", JOB, "jr_1", "FAILED",
                NOW.plusSeconds(60))));
        invoke(handler, batch);
        JsonNode again = invoke(handler, batch);

        assertThat(failures(again)).isEmpty();
        Run run = store.get(new RunKey(ORDERS, "jr_1")).orElseThrow();
        assertThat(run.eventCount()).isEqualTo(2);
        assertThat(store.summary(ORDERS)).map(JobSummary::runCount).contains(1L);
        assertThat(store.summary(ORDERS)).map(JobSummary::consecutiveFailures).contains(1);
    }

    @Test
    void ingest_acceptsAnEventBridgeEventInvokedDirectly() throws IOException {
        JsonNode response = invoke(handler, glue("e1", JOB, "jr_9", "SUCCEEDED", NOW));
        assertThat(failures(response)).isEmpty();
        assertThat(store.get(new RunKey(ORDERS, "jr_9"))).map(Run::state).contains(RunState.SUCCEEDED);
    }

    @Test
    void ingest_reportsOnlyTheMessagesItCouldNotStore_whenTheStoreGoesDown_andTheirRetryAppliesOnce()
            throws IOException {
        try (TcpGate gate = new TcpGate(Dynalite.shared().port())) {
            // The store goes down right after the second message's write: messages 3 and 4 find it gone.
            AtomicInteger writes = new AtomicInteger();
            ExecutionInterceptor outage = new ExecutionInterceptor() {
                @Override
                public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                    if ("UpdateItem".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                            && writes.incrementAndGet() == 2) {
                        try {
                            gate.cut();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            };
            DynamoDbClient throughGate = DynamoDbClient.builder().endpointOverride(gate.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.builder().build())
                    .overrideConfiguration(o -> o.addExecutionInterceptor(outage)).build();
            RunStore gated = new DynamoRunStore(throughGate, table, clock, RunStore.DEFAULT_RETENTION);
            IngestHandler lambda = new IngestHandler(gated, log);
            List<String> bodies = List.of(glue("e1", JOB, "jr_1", "RUNNING", NOW),
                    glue("e2", JOB, "jr_2", "RUNNING", NOW),
                    glue("e3", JOB, "jr_1", "FAILED", NOW.plusSeconds(60)),
                    glue("e4", JOB, "jr_3", "RUNNING", NOW));

            JsonNode first = invoke(lambda, sqs(bodies));

            assertThat(failures(first)).containsExactly("m3", "m4");
            assertThat(store.get(new RunKey(ORDERS, "jr_1"))).map(Run::state).contains(RunState.RUNNING);
            assertThat(store.get(new RunKey(ORDERS, "jr_2"))).isPresent();
            assertThat(store.get(new RunKey(ORDERS, "jr_3"))).isEmpty();
            assertThat(store.summary(ORDERS)).isEmpty();
            assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("message m3 not stored, reported for retry");

            // SQS redelivers the failed messages once the store is back; a duplicate delivery of m1 comes too.
            gate.open();
            JsonNode retried = invoke(lambda, sqs(List.of(bodies.get(2), bodies.get(3), bodies.get(0))));

            assertThat(failures(retried)).isEmpty();
            Run jr1 = store.get(new RunKey(ORDERS, "jr_1")).orElseThrow();
            assertThat(jr1.state()).isEqualTo(RunState.FAILED);
            assertThat(jr1.eventCount()).isEqualTo(2);
            assertThat(store.get(new RunKey(ORDERS, "jr_3"))).map(Run::eventCount).contains(1);
            assertThat(store.summary(ORDERS)).map(JobSummary::runCount).contains(1L);
            throughGate.close();
        }
    }

    @Test
    void ingest_acceptsTheDocumentedSqsEvent_withEventBridgeEventsAsBodies() throws IOException {
        JsonNode response = invoke(handler, Fixtures.example("delivery/sqs-event.json"));

        assertThat(failures(response)).isEmpty();
        assertThat(store.get(new RunKey(ORDERS,
                "jr_8e2d4b6a0c1f3e5d7b9a2c4e6f8d0b1a3c5e7f9d2b4a6c8e0f1d3b5a7c9e2d4f"))).map(Run::state)
                .contains(RunState.FAILED);
        assertThat(store.latestPerJob()).extracting(s -> s.job().source())
                .containsExactlyInAnyOrder(JobSource.GLUE_JOB, JobSource.STEP_FUNCTIONS);
        assertThat(store.parked(10)).isEmpty();
    }

    @Test
    void ingest_directEvent_failsTheInvocationWhileTheStoreIsDown_andLambdasRetryAppliesItOnce() throws IOException {
        try (TcpGate gate = new TcpGate(Dynalite.shared().port())) {
            DynamoDbClient throughGate = DynamoDbClient.builder().endpointOverride(gate.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.builder().build())
                    .overrideConfiguration(o -> o.retryStrategy(
                            software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry()))
                    .build();
            IngestHandler lambda = new IngestHandler(new DynamoRunStore(throughGate, table, clock,
                    RunStore.DEFAULT_RETENTION), log);
            String event = glue("e1", JOB, "jr_1", "FAILED", NOW);
            gate.cut();

            // Lambda's asynchronous invocation: an exception is what makes it retry, then use the destination.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> invoke(lambda, event))
                    .isInstanceOfAny(io.jobwatch.core.store.RunStoreException.class,
                            software.amazon.awssdk.core.exception.SdkException.class);
            assertThat(logBytes.toString(StandardCharsets.UTF_8))
                    .contains("ingest: event e1 not stored, failing the invocation");
            assertThat(store.get(new RunKey(ORDERS, "jr_1"))).isEmpty();

            gate.open();
            assertThat(failures(invoke(lambda, event))).isEmpty(); // the retry
            assertThat(failures(invoke(lambda, event))).isEmpty(); // and a duplicate delivery
            Run run = store.get(new RunKey(ORDERS, "jr_1")).orElseThrow();
            assertThat(run.state()).isEqualTo(RunState.FAILED);
            assertThat(run.eventCount()).isEqualTo(1);
            assertThat(store.summary(ORDERS)).map(JobSummary::runCount).contains(1L);
            throughGate.close();
        }
    }

    private static io.jobwatch.core.run.RunEvent normalized(Path sample) {
        var n = new io.jobwatch.core.normalize.EventNormalizer().normalize(Fixtures.tree(Fixtures.read(sample)));
        return ((io.jobwatch.core.normalize.Normalization.Normalized) n).event();
    }
}
