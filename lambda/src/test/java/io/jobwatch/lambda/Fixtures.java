package io.jobwatch.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Real EventBridge envelopes from examples/events, SQS batches around them, a fresh table per test. */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger TABLES = new AtomicInteger();

    private Fixtures() {
    }

    static Path repo() {
        String prop = System.getProperty("jobwatch.repo");
        if (prop != null && Files.isDirectory(Path.of(prop, "examples/events"))) {
            return Path.of(prop);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples/events"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("examples/events not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** The text of an example, e.g. {@code events/glue-job/failed.json}. */
    static String example(String path) {
        try {
            return Files.readString(repo().resolve("examples").resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every sample in examples/events. */
    static List<Path> allSamples() {
        try (var files = Files.walk(repo().resolve("examples/events"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The real Glue Job State Change envelope (examples/events/glue-job) for another run: new event id, run id, state
     * and time.
     */
    static String glue(String eventId, String job, String runId, String state, Instant time) {
        ObjectNode e = (ObjectNode) tree(example("events/glue-job/" + (state.equals("SUCCEEDED") ? "succeeded"
                : "failed") + ".json"));
        e.put("id", eventId);
        e.put("time", time.toString());
        ObjectNode d = (ObjectNode) e.get("detail");
        d.put("jobName", job);
        d.put("jobRunId", runId);
        d.put("state", state);
        if (state.equals("RUNNING")) {
            d.put("severity", "INFO");
            d.put("message", "Job run is running");
        }
        return e.toString();
    }

    /** An SQS batch as the event source mapping delivers it; message ids m1, m2, … */
    static String sqs(List<String> bodies) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode records = root.putArray("Records");
        for (int i = 0; i < bodies.size(); i++) {
            ObjectNode r = records.addObject();
            r.put("messageId", "m" + (i + 1));
            r.put("receiptHandle", "AQEB" + i);
            r.put("body", bodies.get(i));
            r.putObject("attributes").put("ApproximateReceiveCount", "1");
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", "arn:aws:sqs:us-east-1:111122223333:jobwatch-ingest");
            r.put("awsRegion", "us-east-1");
        }
        return root.toString();
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Invokes a handler as Lambda does and parses its response. */
    static JsonNode invoke(RequestStreamHandler handler, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                new LocalContext("test", 60_000));
        return JSON.readTree(out.toByteArray());
    }

    static List<String> failures(JsonNode response) {
        return response.path("batchItemFailures").findValuesAsText("itemIdentifier");
    }

    /** A fresh table with the run store's indexes. */
    static String newTable(DynamoDbClient client) {
        String table = "lambda-" + ProcessHandle.current().pid() + "-" + TABLES.incrementAndGet();
        DynamoRunStore.createTable(client, table);
        return table;
    }

    static Path catalogFile() {
        try {
            return Path.of(Fixtures.class.getResource("/jobwatch-test.yml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Catalog catalog() {
        return CatalogFile.load(catalogFile());
    }

    static Env env(String table, Map<String, String> extra) {
        Map<String, String> m = new java.util.HashMap<>(extra);
        m.put(Env.TABLE, table);
        m.put(Env.CATALOG, catalogFile().toString());
        m.put(Env.REGION, "us-east-1");
        return Env.from(m);
    }

    static Optional<String> none() {
        return Optional.empty();
    }
}
