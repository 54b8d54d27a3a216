package io.jobwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.sim.SimOptions;
import io.jobwatch.core.sim.Simulator;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.lambda.IngestHandler;
import io.jobwatch.lambda.LocalContext;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import io.jobwatch.store.dynamodb.testing.RequestCounter;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The Lambda figures: the shaded jar's size, its cold start (fresh JVM with Lambda-like flags → first SQS batch
 * handled, through the handler's no-arg constructor as Lambda calls it), and DynamoDB requests per ingested event
 * over a simulated day through the ingest handler.
 */
final class LambdaBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HANDLED = Pattern.compile("handled in (\\d+) ms \\(init (\\d+) ms, first request (\\d+) ms\\)");

    private LambdaBench() {
    }

    static void coldStart(Path repo, boolean quick) throws IOException, InterruptedException {
        Path jar = repo.resolve("lambda/target/jobwatch-lambda.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build it first with ./mvnw -B -pl lambda -am package -DskipTests");
        }
        Path batch = Files.createTempFile("sqs-batch-", ".json");
        Files.writeString(batch, sqsBatch(repo));
        int warmups = 1;
        int runs = quick ? 3 : 10;
        double[] total = new double[runs];
        double[] init = new double[runs];
        double[] first = new double[runs];
        try (Dynalite d = Dynalite.start(); DynamoDbClient client = d.client()) {
            for (int i = 0; i < warmups + runs; i++) {
                String table = "coldstart-" + i;
                DynamoRunStore.createTable(client, table);
                ProcessBuilder pb = new ProcessBuilder(javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-Xshare:auto", "-cp", jar.toString(), "io.jobwatch.lambda.LocalInvoke", "ingest",
                        batch.toString()).redirectErrorStream(true);
                Map<String, String> env = pb.environment();
                env.put("JOBWATCH_TABLE", table);
                env.put("AWS_REGION", "us-east-1");
                env.put("AWS_ACCESS_KEY_ID", "test");
                env.put("AWS_SECRET_ACCESS_KEY", "test");
                env.put("AWS_ENDPOINT_URL_DYNAMODB", d.endpoint().toString());
                long t0 = System.nanoTime();
                Process p = pb.start();
                Matcher m = null;
                StringBuilder output = new StringBuilder();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        output.append(line).append('\n');
                        Matcher candidate = HANDLED.matcher(line);
                        if (candidate.find()) {
                            long t1 = System.nanoTime();
                            m = candidate;
                            if (i >= warmups) {
                                total[i - warmups] = (t1 - t0) / 1e6;
                            }
                        }
                    }
                }
                if (p.waitFor() != 0 || m == null || !output.toString().contains("\"batchItemFailures\":[]")) {
                    throw new IOException("cold-start run failed:\n" + output);
                }
                if (i >= warmups) {
                    init[i - warmups] = Double.parseDouble(m.group(2));
                    first[i - warmups] = Double.parseDouble(m.group(3));
                }
            }
        }
        Files.deleteIfExists(batch);
        System.out.printf("| lambda-coldstart (fresh JVM → first SQS batch of 10 events handled; SerialGC, C1 only,"
                        + " CDS auto) | %,.0f ms | %d runs | of which handler init %,.0f ms, first batch %,.0f ms"
                        + " (medians, in the JVM); jar %.1f MB |%n", Bench.median(total), runs, Bench.median(init),
                Bench.median(first), Files.size(jar) / 1e6);
    }

    /** Ten real samples (examples/events) as one SQS batch. */
    private static String sqsBatch(Path repo) throws IOException {
        List<Path> samples;
        try (Stream<Path> files = Files.walk(repo.resolve("examples/events"))) {
            samples = files.filter(p -> p.toString().endsWith(".json")).sorted().limit(10).toList();
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode records = root.putArray("Records");
        int n = 0;
        for (Path s : samples) {
            ObjectNode r = records.addObject();
            r.put("messageId", "m" + ++n);
            r.put("body", Files.readString(s));
        }
        return root.toString();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** DynamoDB requests per event, by kind, for one simulated day through the ingest handler (one event per call). */
    static void requestsPerEvent(boolean quick) throws IOException {
        Simulator sim = new Simulator(SimOptions.defaults());
        List<Simulator.Delivery> day = sim.simulate(LocalDate.of(2026, 3, 2), 1);
        if (quick) {
            day = day.subList(0, Math.min(1000, day.size()));
        }
        EventNormalizer normalizer = new EventNormalizer();
        RequestCounter counter = new RequestCounter();
        Map<String, long[]> byKind = new TreeMap<>(); // kind → {events, requests, reads, max requests}
        try (Dynalite d = Dynalite.start(); DynamoDbClient client = d.client(counter)) {
            DynamoRunStore.createTable(client, "day");
            RunStore store = new DynamoRunStore(client, "day", Clock.systemUTC(), RunStore.DEFAULT_RETENTION);
            IngestHandler handler = new IngestHandler(store, new PrintStream(OutputStream.nullOutputStream()));
            for (Simulator.Delivery delivery : day) {
                Normalization n = normalizer.normalize(delivery.event());
                if (!(n instanceof Normalization.Normalized normalized)) {
                    continue;
                }
                RunEvent e = normalized.event();
                String kind = (e.job().source() == JobSource.GLUE_CRAWLER ? "glue crawler " : "")
                        + (e.terminal() ? "terminal" : "non-terminal");
                ObjectNode root = JSON.createObjectNode();
                root.putArray("Records").addObject().put("messageId", "m").put("body", delivery.event().toString());
                counter.reset();
                handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(root)),
                        new ByteArrayOutputStream(), new LocalContext("bench", 30_000));
                long[] k = byKind.computeIfAbsent(kind, x -> new long[4]);
                k[0]++;
                k[1] += counter.total();
                k[2] += counter.reads();
                k[3] = Math.max(k[3], counter.total());
            }
        }
        List<String> parts = new ArrayList<>();
        long events = 0;
        long requests = 0;
        for (Map.Entry<String, long[]> e : byKind.entrySet()) {
            long[] k = e.getValue();
            events += k[0];
            requests += k[1];
            parts.add(String.format("%s: %,d events, %.3f requests/event (max %d), %.3f reads/event", e.getKey(), k[0],
                    (double) k[1] / k[0], k[3], (double) k[2] / k[0]));
        }
        System.out.printf("| lambda-ingest-requests (simulated day through IngestHandler on dynalite) | %.3f requests/event"
                + " | 1 × %,d events | %s; duplicates cost 1 GetItem more on dynalite only |%n", (double) requests / events,
                events, String.join("; ", parts));
    }
}
