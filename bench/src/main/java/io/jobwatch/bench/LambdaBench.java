package io.jobwatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.sim.SimOptions;
import io.jobwatch.sim.Simulator;
import io.jobwatch.core.store.RunFold;
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

    /** Lambda-like JVM flags (what the stack's JAVA_TOOL_OPTIONS and a small function amount to). */
    static final List<String> LAMBDA_FLAGS = List.of("-XX:+UseSerialGC", "-XX:+TieredCompilation",
            "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    /**
     * Cold start of the ingest handler's jar, side by side in one run: the Lambda-like flags alone; the same flags
     * with an AppCDS archive made by one training invocation ({@code -XX:ArchiveClassesAtExit}); and the same flags
     * with the SnapStart priming run after init ({@code LocalInvoke --prime}) — its "first batch" is what the first
     * event of a restored SnapStart snapshot costs in the JVM (the restore itself is Lambda's and not measurable
     * here). Runs alternate so all variants see the same machine load. With {@code -Djobwatch.bench.compareJar=PATH}
     * one more variant runs that jar (e.g. a build of the previous commit) with the same flags and no archive.
     */
    static void coldStart(Path repo, boolean quick) throws IOException, InterruptedException {
        Path jar = repo.resolve("lambda/target/jobwatch-lambda-ingest.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build it first with ./mvnw -B -pl lambda -am package -DskipTests");
        }
        Path batch = Files.createTempFile("sqs-batch-", ".json");
        Files.writeString(batch, sqsBatch(repo));
        // The stack's default (ingestMode=direct): each invocation is one EventBridge event. The first one here is a
        // failed Glue run, which stores the run, judges it, opens an incident and tries to send it.
        Path direct = Files.createTempFile("eventbridge-", ".json");
        Files.copy(repo.resolve(DIRECT_EVENT), direct, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path archive = Files.createTempFile("jobwatch-lambda-ingest-", ".jsa");
        Files.delete(archive);
        int runs = quick ? 3 : 10;
        String compare = System.getProperty("jobwatch.bench.compareJar");
        Path compareJar = compare == null || compare.isBlank() ? null : Path.of(compare);
        // 0: flags; 1: + AppCDS; 2: + priming; 3: direct event, flags; 4: direct event, + priming; 5: compared jar
        int variants = compareJar == null ? 5 : 6;
        double[][] total = new double[variants][runs];
        double[][] init = new double[variants][runs];
        double[][] first = new double[variants][runs];
        double[][] primed = new double[variants][runs];
        int[] tables = {0};
        try (Dynalite d = Dynalite.start(); DynamoDbClient client = d.client()) {
            // Warm-up (page cache, dynalite) and the training run that writes the archive.
            invoke(d, client, jar, batch, List.of(), List.of(), tables);
            invoke(d, client, jar, batch, List.of("-XX:ArchiveClassesAtExit=" + archive), List.of(), tables);
            if (!Files.isRegularFile(archive)) {
                throw new IOException("the training run wrote no AppCDS archive at " + archive);
            }
            for (int i = 0; i < runs; i++) {
                for (int v = 0; v < variants; v++) {
                    double[] r = invoke(d, client, v == 5 ? compareJar : jar, v == 3 || v == 4 ? direct : batch,
                            v == 1 ? List.of("-XX:SharedArchiveFile=" + archive) : List.of(),
                            v == 2 || v == 4 ? List.of("--prime") : List.of(), tables);
                    total[v][i] = r[0];
                    init[v][i] = r[1];
                    first[v][i] = r[2];
                    primed[v][i] = r[3];
                }
            }
        }
        long archiveBytes = Files.size(archive);
        Files.deleteIfExists(batch);
        Files.deleteIfExists(direct);
        Files.deleteIfExists(archive);
        String[] names = {"Lambda-like flags (" + String.join(" ", LAMBDA_FLAGS) + ")",
            "same + AppCDS archive (-XX:SharedArchiveFile, " + String.format("%.1f MB", archiveBytes / 1e6) + ")",
            "same + SnapStart priming after init (LocalInvoke --prime)",
            "ingestMode=direct (the default), Lambda-like flags",
            "ingestMode=direct, SnapStart priming",
            "compared jar " + (compareJar == null ? "" : compareJar.getFileName()) + ", Lambda-like flags"};
        for (int v = 0; v < variants; v++) {
            String what = v == 3 || v == 4 ? "first EventBridge event (a failed Glue run: stored, judged, its incident"
                    + " opened)" : "first SQS batch of 10 events";
            if (v == 2 || v == 4) {
                System.out.printf("| lambda-coldstart, %s after SnapStart priming (what a restored snapshot's first"
                                + " invocation costs in the JVM; %s; jar %.1f MB) | %,.0f ms | %d runs | after init %,.0f ms"
                                + " and priming %,.0f ms (both before the snapshot on Lambda, not on the event's path);"
                                + " fresh JVM to end %,.0f ms; min %,.0f, max %,.0f |%n", what, names[v],
                        Files.size(jar) / 1e6, Bench.median(first[v]), runs, Bench.median(init[v]),
                        Bench.median(primed[v]), Bench.median(total[v]),
                        java.util.Arrays.stream(first[v]).min().orElse(0),
                        java.util.Arrays.stream(first[v]).max().orElse(0));
                continue;
            }
            System.out.printf("| lambda-coldstart, %s (fresh JVM → %s handled, jar"
                            + " %.1f MB) | %,.0f ms | %d runs | of which handler init %,.0f ms, first invocation %,.0f ms"
                            + " (medians, in the JVM); min %,.0f, max %,.0f |%n", names[v], what,
                    Files.size(v == 5 ? compareJar : jar) / 1e6,
                    Bench.median(total[v]), runs, Bench.median(init[v]), Bench.median(first[v]),
                    java.util.Arrays.stream(total[v]).min().orElse(0), java.util.Arrays.stream(total[v]).max().orElse(0));
        }
    }

    /** The direct-mode cold start's event: a real Glue Job State Change sample (examples/events/SOURCES.md). */
    static final String DIRECT_EVENT = "examples/events/glue-job/failed.json";

    private static final Pattern PRIMED = Pattern.compile("primed in (\\d+) ms");

    /** One fresh JVM: LocalInvoke ingest on a new table; returns {total, init, first request, priming} in ms. */
    private static double[] invoke(Dynalite d, DynamoDbClient client, Path jar, Path batch, List<String> extraFlags,
                                   List<String> extraArgs, int[] tables) throws IOException, InterruptedException {
        String table = "coldstart-" + tables[0]++;
        DynamoRunStore.createTable(client, table);
        List<String> cmd = new ArrayList<>(List.of(javaBin()));
        cmd.addAll(LAMBDA_FLAGS);
        cmd.addAll(extraFlags);
        cmd.addAll(List.of("-cp", jar.toString(), "io.jobwatch.lambda.LocalInvoke"));
        cmd.addAll(extraArgs);
        cmd.addAll(List.of("ingest", batch.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("JOBWATCH_TABLE", table);
        // The function judges finished runs as it stores them: it loads the catalog packaged with it.
        env.put("JOBWATCH_CATALOG", jar.getParent().getParent().getParent().resolve("examples/jobwatch.yml").toString());
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", d.endpoint().toString());
        env.remove("JAVA_TOOL_OPTIONS");
        long t0 = System.nanoTime();
        Process p = pb.start();
        Matcher m = null;
        double total = 0;
        double primedMs = 0;
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                Matcher candidate = HANDLED.matcher(line);
                if (candidate.find()) {
                    total = (System.nanoTime() - t0) / 1e6;
                    m = candidate;
                }
                Matcher prime = PRIMED.matcher(line);
                if (prime.find()) {
                    primedMs = Double.parseDouble(prime.group(1));
                }
            }
        }
        if (p.waitFor() != 0 || m == null || !output.toString().contains("\"batchItemFailures\":[]")) {
            throw new IOException("cold-start run " + cmd + " failed:\n" + output);
        }
        return new double[] {total, Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)), primedMs};
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
                String kind = (RunFold.pairsByStart(e.job().source()) ? "paired by start " : "")
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
