package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.cli.testing.ElasticMq;
import io.jobwatch.cli.testing.LocalLambda;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code jobwatch aws redrive} against ElasticMQ (the DLQ and the ingest queue) and a local Lambda Invoke endpoint,
 * with the documented DLQ message shapes: Lambda's on-failure invocation record (examples/delivery) and the bare event
 * EventBridge's target DLQ holds.
 */
class AwsRedriveCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static ElasticMq mq;
    static SqsClient sqs;
    static final AtomicReference<Set<String>> failIds = new AtomicReference<>(Set.of());
    LocalLambda lambda;
    String dlq;

    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void startQueues() {
        mq = ElasticMq.start();
        sqs = mq.client();
    }

    @AfterAll
    static void stopQueues() {
        sqs.close();
        mq.close();
    }

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        dlq = mq.createQueue(sqs, "ingest-dlq-" + System.nanoTime(), 30);
        // The ingest function as the redrive sees it: an SQS-shaped batch in, batchItemFailures out.
        lambda = new LocalLambda(payload -> {
            JsonNode batch = JSON.readTree(payload);
            List<String> failed = new ArrayList<>();
            for (JsonNode r : batch.path("Records")) {
                if (failIds.get().contains(idOf(r.path("body").asText()))) {
                    failed.add(r.path("messageId").asText());
                }
            }
            StringBuilder out = new StringBuilder("{\"batchItemFailures\":[");
            for (int i = 0; i < failed.size(); i++) {
                out.append(i == 0 ? "" : ",").append("{\"itemIdentifier\":\"").append(failed.get(i)).append("\"}");
            }
            return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        });
    }

    @AfterEach
    void tearDown() {
        lambda.close();
        failIds.set(Set.of());
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    static String example(String path) throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("examples/events"))) {
            dir = dir.getParent();
        }
        return Files.readString(dir.resolve("examples").resolve(path));
    }

    Result redrive(String... extra) {
        List<String> args = new ArrayList<>(List.of("aws", "redrive", "--queue", dlq, "--sqs-endpoint",
                mq.endpoint().toString(), "--lambda-endpoint", lambda.endpoint().toString()));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jobwatch.execute(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                args.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    void send(String body) {
        sqs.sendMessage(b -> b.queueUrl(dlq).messageBody(body));
    }

    @Test
    void redrive_toTheFunction_replaysEachEventOnce_unwrappingLambdasInvocationRecord_andKeepsWhatFailsAgain()
            throws IOException {
        String record = example("delivery/lambda-destination-on-failure.json");
        String stepFunctions = example("events/step-functions/succeeded.json");
        String notAnEvent = "{\"truncated\": ";
        send(record);
        send(stepFunctions);
        send(notAnEvent);
        String sfnId = JSON.readTree(stepFunctions).path("id").asText();
        failIds.set(Set.of(sfnId)); // the store is still down for this one

        Result r = redrive("--function", "arn:aws:lambda:us-east-1:111122223333:function:jobwatch-ingest:live",
                "--format", "json");

        assertThat(r.code()).as(r.err()).isEqualTo(1);
        List<JsonNode> lines = r.out().lines().map(AwsRedriveCommandTest::tree).toList();
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l.fieldNames()).toIterable()
                .containsExactly("messageId", "eventId", "origin", "result", "error"));
        assertThat(lines).extracting(l -> l.path("origin").asText() + " " + l.path("result").asText())
                .containsExactlyInAnyOrder("lambda-destination replayed", "event failed", "unknown replayed");
        // The function got the events themselves — the record's requestPayload, not the record — in one batch.
        List<String> bodies = new ArrayList<>();
        for (LocalLambda.Invocation i : lambda.invocations()) {
            assertThat(i.functionName()).isEqualTo("arn:aws:lambda:us-east-1:111122223333:function:jobwatch-ingest:live");
            assertThat(i.invocationType()).isEqualTo("RequestResponse");
            tree(i.payload()).path("Records").forEach(rec -> bodies.add(rec.path("body").asText()));
        }
        assertThat(bodies).hasSize(3).contains(stepFunctions, notAnEvent);
        assertThat(tree(bodies.stream().filter(b -> b.contains("Glue Job State Change")).findFirst().orElseThrow()))
                .isEqualTo(tree(record).get("requestPayload"));
        // Only the message that failed again is still in the DLQ.
        assertThat(ElasticMq.depth(sqs, dlq)).isEqualTo(1);

        // Later, with the store back: the kept message is replayed and the DLQ is empty.
        failIds.set(Set.of());
        Result again = redrive("--function", "jobwatch-ingest:live");
        assertThat(again.code()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("replayed ").contains("event " + sfnId + " (event)")
                .contains("redrive: 1 message(s) from " + dlq + ": 1 replayed, 0 failed again (left in the DLQ)");
        assertThat(ElasticMq.depth(sqs, dlq)).isZero();
    }

    @Test
    void redrive_toTheFunction_leavesEveryMessage_whenTheFunctionItselfFails() throws IOException {
        send(example("events/glue-job/failed.json"));
        send(example("events/batch/failed.json"));
        lambda.deploy(payload -> {
            throw new IllegalStateException("cannot apply event: table jobwatch unreachable");
        });

        Result r = redrive("--function", "jobwatch-ingest:live");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("the function failed (Unhandled): java.lang.IllegalStateException: cannot apply"
                + " event: table jobwatch unreachable")
                .contains("2 message(s)").contains("0 replayed, 2 failed again (left in the DLQ)");
        assertThat(ElasticMq.depth(sqs, dlq)).isEqualTo(2);
    }

    @Test
    void redrive_toTheQueue_sendsTheEventsBackToTheIngestQueue_andEmptiesTheDlq() throws IOException {
        String ingestQueue = mq.createQueue(sqs, "ingest-" + System.nanoTime(), 30);
        String glue = example("events/glue-job/failed.json");
        send(glue);
        send(example("delivery/lambda-destination-on-failure.json"));

        Result r = redrive("--to-queue", ingestQueue);

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("2 replayed, 0 failed again");
        assertThat(ElasticMq.depth(sqs, dlq)).isZero();
        List<Message> moved = sqs.receiveMessage(b -> b.queueUrl(ingestQueue).maxNumberOfMessages(10)).messages();
        assertThat(moved).hasSize(2).allSatisfy(m -> assertThat(tree(m.body())).isEqualTo(tree(glue)));
        assertThat(lambda.invocations()).isEmpty();
    }

    @Test
    void redrive_ofAnEmptyDlq_saysSo() {
        Result r = redrive("--function", "jobwatch-ingest:live");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("redrive: 0 message(s)").contains("the DLQ is empty");
    }

    @Test
    void redrive_needsExactlyOneTarget_andAKnownFormat() {
        assertThat(redrive().code()).isEqualTo(2);
        assertThat(redrive("--function", "f", "--to-queue", "q").code()).isEqualTo(2);
        Result badFormat = redrive("--function", "f", "--format", "xml");
        assertThat(badFormat.code()).isEqualTo(2);
        assertThat(badFormat.err()).contains("--format: expected text or json, found 'xml'");
    }

    /** The event id of a body, "" when it is not JSON (the real function parks such a body). */
    static String idOf(String body) {
        try {
            return JSON.readTree(body).path("id").asText();
        } catch (IOException notJson) {
            return "";
        }
    }

    static JsonNode tree(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
