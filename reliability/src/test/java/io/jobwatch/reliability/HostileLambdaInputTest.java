package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.store.ParkedEvent;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.lambda.IngestHandler;
import io.jobwatch.lambda.LocalContext;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The same hostile inputs as SQS message bodies for the Lambda ingest handler (against dynalite): each bad message is
 * parked with its reason and NOT reported as a batch item failure (SQS would redeliver it forever); every good one is
 * stored. Invalid UTF-8 cannot reach Lambda through SQS (message bodies are Unicode), so it arrives as U+FFFD here.
 */
class HostileLambdaInputTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void ingest_parksEveryHostileMessageWithItsReason_storesEveryGoodOne_andAsksForNoRetry() throws Exception {
        List<ObjectNode> good = HostileHttpInputTest.goodEvents(60);
        Map<String, byte[]> hostile = HostileHttpInputTest.hostile(good.get(0));
        List<String> bodies = new ArrayList<>();
        for (ObjectNode e : good) {
            bodies.add(MAPPER.writeValueAsString(e));
        }
        for (byte[] h : hostile.values()) {
            bodies.add(new String(h, StandardCharsets.UTF_8));
        }
        DynamoDbClient client = Dynalite.shared().client();
        DynamoRunStore.createTable(client, "lambda-hostile");
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        try (RunStore store = new DynamoRunStore(client, "lambda-hostile", Clock.systemUTC(), Duration.ofDays(7))) {
            IngestHandler handler = new IngestHandler(store, new PrintStream(logBytes, true, StandardCharsets.UTF_8));
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i += 10) { // the event source mapping's batch size
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                handler.handleRequest(new ByteArrayInputStream(sqs(bodies.subList(i, Math.min(i + 10, bodies.size())), i)
                        .getBytes(StandardCharsets.UTF_8)), out, new LocalContext("ingest", 60_000));
                failures.addAll(MAPPER.readTree(out.toByteArray()).path("batchItemFailures").findValuesAsText("itemIdentifier"));
            }
            assertThat(failures).as("no hostile message is sent back to SQS").isEmpty();

            List<ParkedEvent> parked = store.parked(100);
            // malformed, truncated, invalid UTF-8 (U+FFFD breaks the JSON there), nesting, the 100,000-element array
            // (one message: not an object), wrong types, unknown source.
            assertThat(parked).hasSize(7);
            assertThat(parked).extracting(ParkedEvent::reason).anyMatch(r -> r.startsWith("not JSON"))
                    .anyMatch(r -> r.contains("expected a JSON object"))
                    .anyMatch(r -> r.contains("time: expected a non-empty string"))
                    .anyMatch(r -> r.contains("unsupported event: source=aws.ec2"))
                    .anyMatch(r -> r.contains("nesting depth"));
            EventNormalizer normalizer = new EventNormalizer();
            long stored = good.stream().map(e -> ((Normalization.Normalized) normalizer.normalize(e)).event().job())
                    .distinct().flatMap(job -> store.runsOfJob(job, 10_000).stream()).mapToLong(Run::eventCount).sum();
            long accepted = bodies.size() - parked.size();
            long lost = accepted - stored;
            assertThat(lost).isZero();
            assertThat(stored).isGreaterThanOrEqualTo(good.size());
            ReliabilityLedger.record(new ReliabilityLedger.Row("hostile input", "Lambda ingest handler (SQS batches)",
                    good.size() + " good events and the 10 hostile bodies as SQS messages, batches of 10, DynamoDB "
                            + "(dynalite)", bodies.size(), stored, lost, -1,
                    parked.size() + " messages parked with their reason, none returned as a batch item failure; "
                            + "accepted as events: " + (accepted - good.size()) + " (300 KB, times in 9999/1970)"));
        } finally {
            client.close();
        }
    }

    static String sqs(List<String> bodies, int offset) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode records = root.putArray("Records");
        for (int i = 0; i < bodies.size(); i++) {
            ObjectNode r = records.addObject();
            r.put("messageId", "m" + (offset + i + 1));
            r.put("receiptHandle", "AQEB" + i);
            r.put("body", bodies.get(i));
            r.putObject("attributes").put("ApproximateReceiveCount", "1");
            r.put("eventSource", "aws:sqs");
            r.put("awsRegion", "us-east-1");
        }
        return root.toString();
    }
}
