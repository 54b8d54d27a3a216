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
            // malformed, truncated, invalid UTF-8 (U+FFFD breaks the JSON there), 300 KB, nesting, the 100,000-element
            // array (one message: not an object), wrong types, unknown source, times in 9999 and 1970.
            assertThat(parked).hasSize(10);
            assertThat(parked).extracting(ParkedEvent::reason).anyMatch(r -> r.startsWith("not JSON"))
                    .anyMatch(r -> r.contains("expected a JSON object"))
                    .anyMatch(r -> r.contains("time: expected a non-empty string"))
                    .anyMatch(r -> r.contains("unsupported event: source=aws.ec2"))
                    .anyMatch(r -> r.contains("nesting depth"))
                    .anyMatch(r -> r.startsWith("(event): expected at most 262144 bytes (256 KB, EventBridge's event size limit)"))
                    .anyMatch(r -> r.startsWith("time: expected a time between") && r.endsWith("found \"9999-12-31T23:59:59Z\""))
                    .anyMatch(r -> r.startsWith("time: expected a time between") && r.endsWith("found \"1970-01-01T00:00:00Z\""));
            EventNormalizer normalizer = new EventNormalizer();
            long stored = good.stream().map(e -> ((Normalization.Normalized) normalizer.normalize(e)).event().job())
                    .distinct().flatMap(job -> store.runsOfJob(job, 10_000).stream()).mapToLong(Run::eventCount).sum();
            long accepted = bodies.size() - parked.size();
            long lost = accepted - stored;
            assertThat(lost).isZero();
            assertThat(stored).isEqualTo(good.size());
            ReliabilityLedger.record(new ReliabilityLedger.Row("hostile input", "Lambda ingest handler (SQS batches)",
                    good.size() + " good events and the 10 hostile bodies as SQS messages, batches of 10, DynamoDB "
                            + "(dynalite)", bodies.size(), stored, lost, -1,
                    parked.size() + " messages parked with their reason (300 KB: EventBridge's 256 KB limit; 9999/1970: "
                            + "the accepted time window), none returned as a batch item failure; hostile bodies "
                            + "accepted as events: " + (accepted - good.size())));
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
