package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.cli.Jobwatch;
import io.jobwatch.cli.testing.ElasticMq;
import io.jobwatch.cli.testing.LocalLambda;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.lambda.IngestHandler;
import io.jobwatch.lambda.LocalContext;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import io.jobwatch.store.dynamodb.testing.TcpGate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The two ingest paths of the AWS deployment when things fail — DynamoDB goes away for a stretch of the day, and a
 * bad deployment makes the function throw for some events — and {@code jobwatch aws redrive} afterwards: nothing is
 * lost, every event is stored once, the runs equal a store that never saw a fault.
 * <ul>
 * <li><b>direct</b> (the default): EventBridge invokes the function asynchronously; Lambda's documented behaviour is
 * played here — the invocation and two retries, then the invocation record (documented shape,
 * examples/delivery) to the on-failure destination, an ElasticMQ queue. EventBridge's at-least-once delivery adds
 * duplicates.</li>
 * <li><b>queue</b>: EventBridge → ElasticMQ queue (redrive policy: 5 receives, then the DLQ) → an event source
 * mapping played here (batches of up to 10 in the documented SQS event shape, {@code batchItemFailures} honoured;
 * a failed message is received again right away — the visibility timeout compressed — so it reaches the DLQ after
 * its fifth receive, as on AWS).</li>
 * </ul>
 * The redrive is the real CLI command, against ElasticMQ and a local Lambda Invoke endpoint running the (fixed)
 * ingest handler over the same table.
 */
class IngestDeliveryFaultsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-03T00:00:00Z"), ZoneOffset.UTC);
    static final Duration FOREVER = Duration.ofDays(36_500);
    static final ObjectMapper JSON = new ObjectMapper();
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);

    static ElasticMq mq;
    static SqsClient sqs;
    static DynamoDbClient direct;

    @BeforeAll
    static void start() {
        mq = ElasticMq.start();
        sqs = mq.client();
        direct = Dynalite.shared().client();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        mq.close();
        direct.close();
    }

    /** The fault plan for one day: an outage over a stretch of events, a bad deployment throwing for some jobs. */
    record Faults(int outageFrom, int outageTo, Predicate<JobKey> badDeploymentThrowsFor, int badDeploymentUntil) {
    }

    static Faults faults(int events) {
        return new Faults(events / 4, events / 4 + events / 10, job -> Math.floorMod(job.id().hashCode(), 5) == 0,
                events / 2);
    }

    static List<SimulatedDay.Delivered> day() {
        return SimulatedDay.delivered(job -> Math.floorMod(job.id().hashCode(), 4) == 1);
    }

    @Test
    void direct_storeOutageAndAThrowingFunction_loseNothing_andTheRedriveStoresEveryEventOnce() throws Exception {
        List<SimulatedDay.Delivered> day = day();
        Faults faults = faults(day.size());
        String table = "delivery-direct";
        DynamoRunStore.createTable(direct, table);
        String dlq = mq.createQueue(sqs, "ingest-dlq-direct", 30);
        try (TcpGate gate = new TcpGate(Dynalite.shared().port()); DynamoDbClient gated = gatedClient(gate)) {
            IngestHandler function = new IngestHandler(new DynamoRunStore(gated, table, CLOCK, FOREVER), QUIET, CLOCK);
            AtomicBoolean badDeployment = new AtomicBoolean(true);
            Map<String, JobKey> jobById = jobsById(day);
            RequestStreamHandler deployed = (in, out, ctx) -> {
                byte[] payload = in.readAllBytes();
                if (badDeployment.get() && faults.badDeploymentThrowsFor().test(
                        jobById.get(JSON.readTree(payload).path("id").asText()))) {
                    throw new IllegalStateException("NullPointerException in a bad release");
                }
                function.handleRequest(new ByteArrayInputStream(payload), out, ctx);
            };
            int attempts = 0;
            int failedInvocations = 0;
            int toDlq = 0;
            for (int i = 0; i < day.size(); i++) {
                if (i == faults.outageFrom()) {
                    gate.cut();
                }
                if (i == faults.outageTo()) {
                    gate.open();
                }
                if (i == faults.badDeploymentUntil()) {
                    badDeployment.set(false); // the fix is deployed
                }
                JsonNode event = day.get(i).json();
                int copies = i % 50 == 7 ? 2 : 1; // EventBridge delivers at least once
                for (int c = 0; c < copies; c++) {
                    AsyncOutcome o = invokeAsync(deployed, event, dlq);
                    attempts += o.attempts();
                    failedInvocations += o.failures();
                    toDlq += o.toDestination() ? 1 : 0;
                }
            }
            assertThat(toDlq).as("events handed to the on-failure destination").isPositive();
            assertThat(ElasticMq.depth(sqs, dlq)).isEqualTo(toDlq);

            // The alarm fired; the operator redrives into the (fixed, store back) function.
            long started = System.nanoTime();
            Redrive r = redrive(dlq, function, "--function", "jobwatch-ingest:live");
            long recoveryMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(r.out()).contains(toDlq + " replayed, 0 failed again");
            assertThat(ElasticMq.depth(sqs, dlq)).isZero();

            Verdict v = verify(table, day);
            ReliabilityLedger.record(new ReliabilityLedger.Row("ingest delivery",
                    "direct mode: DynamoDB unreachable for " + (faults.outageTo() - faults.outageFrom())
                            + " events, and a bad release throwing for a fifth of the jobs",
                    "EventBridge → Lambda async played by the test (1 + 2 retries, then the documented invocation"
                            + " record to an ElasticMQ DLQ; " + attempts + " invocations, " + failedInvocations
                            + " failed); every 50th event delivered twice; then jobwatch aws redrive --function",
                    day.size(), v.stored(), day.size() - v.stored(), recoveryMs,
                    toDlq + " events went to the DLQ and were redriven (DLQ empty after); runs identical to a store"
                            + " without faults, every event stored once; job summaries missing a finished run: "
                            + v.summaryGaps()));
        }
    }

    @Test
    void queue_storeOutageAndAThrowingFunction_loseNothing_andTheRedriveStoresEveryEventOnce() throws Exception {
        List<SimulatedDay.Delivered> day = day();
        Faults faults = faults(day.size());
        String table = "delivery-queue";
        DynamoRunStore.createTable(direct, table);
        String dlq = mq.createQueue(sqs, "ingest-dlq-queue", 30);
        String queue = mq.createQueue(sqs, "ingest-queue", 30, dlq, 5);
        try (TcpGate gate = new TcpGate(Dynalite.shared().port()); DynamoDbClient gated = gatedClient(gate)) {
            IngestHandler function = new IngestHandler(new DynamoRunStore(gated, table, CLOCK, FOREVER), QUIET, CLOCK);
            AtomicBoolean badDeployment = new AtomicBoolean(true);
            Map<String, JobKey> jobById = jobsById(day);
            RequestStreamHandler deployed = (in, out, ctx) -> {
                byte[] payload = in.readAllBytes();
                if (badDeployment.get()) {
                    for (JsonNode r : JSON.readTree(payload).path("Records")) {
                        if (faults.badDeploymentThrowsFor().test(
                                jobById.get(JSON.readTree(r.path("body").asText()).path("id").asText()))) {
                            throw new IllegalStateException("NullPointerException in a bad release");
                        }
                    }
                }
                function.handleRequest(new ByteArrayInputStream(payload), out, ctx);
            };
            int batches = 0;
            for (int i = 0; i < day.size(); i++) {
                if (i == faults.outageFrom()) {
                    gate.cut();
                }
                if (i == faults.outageTo()) {
                    gate.open();
                }
                if (i == faults.badDeploymentUntil()) {
                    badDeployment.set(false);
                }
                String body = day.get(i).json().toString();
                sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
                if (i % 50 == 7) {
                    sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body)); // at-least-once
                }
                if (i % 10 == 9 || i == day.size() - 1) {
                    batches += poll(deployed, queue);
                }
            }
            int inDlq = ElasticMq.depth(sqs, dlq);
            assertThat(inDlq).as("messages moved to the DLQ after 5 receives").isPositive();
            assertThat(ElasticMq.depth(sqs, queue)).isZero();

            long started = System.nanoTime();
            Redrive r = redrive(dlq, function, "--to-queue", queue);
            assertThat(r.code()).as(r.out()).isZero();
            assertThat(ElasticMq.depth(sqs, dlq)).isZero();
            batches += poll(deployed, queue); // the event source mapping picks them up again
            long recoveryMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(ElasticMq.depth(sqs, queue)).isZero();

            Verdict v = verify(table, day);
            ReliabilityLedger.record(new ReliabilityLedger.Row("ingest delivery",
                    "queue mode: DynamoDB unreachable for " + (faults.outageTo() - faults.outageFrom())
                            + " events, and a bad release throwing for a fifth of the jobs",
                    "EventBridge → ElasticMQ queue (5 receives, then its DLQ) → an event source mapping played by the"
                            + " test (" + batches + " batches, batchItemFailures honoured); every 50th event sent"
                            + " twice; then jobwatch aws redrive --to-queue",
                    day.size(), v.stored(), day.size() - v.stored(), recoveryMs,
                    inDlq + " messages went to the DLQ and were redriven (DLQ and queue empty after); runs identical"
                            + " to a store without faults, every event stored once; job summaries missing a finished"
                            + " run: " + v.summaryGaps()));
        }
    }

    // --- The platform, played by the test -----------------------------------------------------------------------

    record AsyncOutcome(int attempts, int failures, boolean toDestination) {
    }

    /**
     * Lambda's asynchronous invocation: the first attempt and two retries (the alias's MaximumRetryAttempts), then
     * the invocation record to the on-failure destination (the documented record: version, timestamp,
     * requestContext, requestPayload, responseContext, responsePayload).
     */
    static AsyncOutcome invokeAsync(RequestStreamHandler function, JsonNode event, String destination) {
        String error = null;
        int attempts = 0;
        for (; attempts < 3; attempts++) {
            try {
                function.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)),
                        new ByteArrayOutputStream(), new LocalContext("ingest", 30_000));
                return new AsyncOutcome(attempts + 1, attempts, false);
            } catch (Exception | AssertionError e) {
                error = e.getClass().getName() + ": " + e.getMessage();
            }
        }
        ObjectNode record = JSON.createObjectNode();
        record.put("version", "1.0");
        record.put("timestamp", CLOCK.instant().toString());
        record.putObject("requestContext").put("requestId", java.util.UUID.randomUUID().toString())
                .put("functionArn", "arn:aws:lambda:us-east-1:111122223333:function:jobwatch-ingest:live")
                .put("condition", "RetriesExhausted").put("approximateInvokeCount", 3);
        record.set("requestPayload", event);
        record.putObject("responseContext").put("statusCode", 200).put("executedVersion", "1")
                .put("functionError", "Unhandled");
        record.putObject("responsePayload").put("errorMessage", error);
        sqs.sendMessage(b -> b.queueUrl(destination).messageBody(record.toString()));
        return new AsyncOutcome(attempts, attempts, true);
    }

    /**
     * An SQS event source mapping: receives batches of up to 10, invokes with the documented SQS event, deletes what
     * the function did not report in {@code batchItemFailures} (nothing when it throws), and lets the rest be received
     * again at once. Until the queue is empty; returns the batches.
     */
    static int poll(RequestStreamHandler function, String queue) throws IOException {
        int batches = 0;
        while (true) {
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (received.isEmpty()) {
                return batches;
            }
            batches++;
            ObjectNode batch = JSON.createObjectNode();
            ArrayNode records = batch.putArray("Records");
            for (Message m : received) {
                ObjectNode r = records.addObject();
                r.put("messageId", m.messageId());
                r.put("receiptHandle", m.receiptHandle());
                r.put("body", m.body());
                r.putObject("attributes").put("ApproximateReceiveCount",
                        m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
                r.putObject("messageAttributes");
                r.put("eventSource", "aws:sqs");
                r.put("eventSourceARN", "arn:aws:sqs:us-east-1:111122223333:ingest-queue");
                r.put("awsRegion", "us-east-1");
            }
            Set<String> failed = new java.util.HashSet<>();
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                function.handleRequest(new ByteArrayInputStream(batch.toString().getBytes(StandardCharsets.UTF_8)),
                        out, new LocalContext("ingest", 30_000));
                JSON.readTree(out.toByteArray()).path("batchItemFailures")
                        .forEach(f -> failed.add(f.path("itemIdentifier").asText()));
            } catch (Exception e) {
                received.forEach(m -> failed.add(m.messageId())); // a function error fails the whole batch
            }
            for (Message m : received) {
                if (failed.contains(m.messageId())) {
                    // The visibility timeout, compressed: the message is received again (or moved to the DLQ).
                    sqs.changeMessageVisibility(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle())
                            .visibilityTimeout(0));
                } else {
                    sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(m.receiptHandle()));
                }
            }
        }
    }

    // --- Redrive and verdict --------------------------------------------------------------------------------------

    record Redrive(int code, String out) {
    }

    /** The real CLI command, the ingest function behind a local Invoke endpoint. */
    static Redrive redrive(String dlq, IngestHandler function, String... target) throws IOException {
        try (LocalLambda lambda = new LocalLambda(payload -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            function.handleRequest(new ByteArrayInputStream(payload), out, new LocalContext("ingest", 30_000));
            return out.toByteArray();
        })) {
            System.setProperty("aws.accessKeyId", "local");
            System.setProperty("aws.secretAccessKey", "local");
            List<String> args = new ArrayList<>(List.of("aws", "redrive", "--queue", dlq, "--sqs-endpoint",
                    mq.endpoint().toString(), "--lambda-endpoint", lambda.endpoint().toString()));
            args.addAll(List.of(target));
            StringWriter out = new StringWriter();
            int code = Jobwatch.execute(new ByteArrayInputStream(new byte[0]), new PrintWriter(out),
                    new PrintWriter(new StringWriter()), args.toArray(String[]::new));
            return new Redrive(code, out.toString());
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    record Verdict(long stored, int summaryGaps) {
    }

    /** Runs identical to a clean store fed each event once; every event stored exactly once. */
    static Verdict verify(String table, List<SimulatedDay.Delivered> day) {
        List<RunEvent> events = day.stream().map(SimulatedDay.Delivered::event).toList();
        String clean = table + "-clean";
        DynamoRunStore.createTable(direct, clean);
        RunStore reference = new DynamoRunStore(direct, clean, CLOCK, FOREVER);
        SimulatedDay.applyInBatches(reference, events, 25);
        SimulatedDay.Snapshot expected = SimulatedDay.snapshot(reference, events);
        SimulatedDay.Snapshot actual = SimulatedDay.snapshot(new DynamoRunStore(direct, table, CLOCK, FOREVER), events);
        SimulatedDay.assertSameRuns(actual, expected);
        assertThat(actual.eventCount()).isEqualTo(events.size());
        return new Verdict(actual.eventCount(), SimulatedDay.summaryGaps(actual, expected).size());
    }

    static DynamoDbClient gatedClient(TcpGate gate) {
        return DynamoDbClient.builder().endpointOverride(gate.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.builder().build())
                // No SDK retries: the platform's retries (Lambda's, the queue's) are what is under test.
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
    }

    static Map<String, JobKey> jobsById(List<SimulatedDay.Delivered> day) {
        Map<String, JobKey> out = new HashMap<>();
        day.forEach(d -> out.put(d.json().path("id").asText(), d.event().job()));
        return out;
    }
}
