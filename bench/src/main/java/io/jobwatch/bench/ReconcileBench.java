package io.jobwatch.bench;

import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What the reconcile function needs (issue 21: "reconcile sized to what it does"): its init and one hourly pass (every
 * scope due) over the seed's estate (a simulated day in dynalite, 3 member accounts, the Glue jobs' runs served by
 * {@link MockAws} with a 40 ms round trip per call), in fresh JVMs with Lambda-like flags and the heap a 256 MB and a
 * 512 MB function gets, asking one scope at a time and eight at once. Reports wall time, CPU time, peak RSS and the
 * calls made.
 */
final class ReconcileBench {
    private static final Pattern PROBE = Pattern.compile(
            "probe: init=(\\d+) pass=(\\d+) cpu=(-?\\d+) rss=(-?\\d+) heapAfterGc=(\\d+) heapMax=(\\d+)");
    static final Duration LATENCY = Duration.ofMillis(40);

    private ReconcileBench() {
    }

    static void run(Path repo, boolean quick) throws Exception {
        Workload day = Workload.of(1, 1);
        java.time.Instant now = day.events().stream().map(RunEvent::eventTime).max(Comparator.naturalOrder())
                .orElseThrow().plusSeconds(60);
        Path catalog = repo.resolve("examples/jobwatch.yml");
        String classpath = System.getProperty("java.class.path");
        try (Dynalite d = Dynalite.start(); DynamoDbClient client = d.client();
             MockAws aws = new MockAws(day.events(), LATENCY)) {
            DynamoRunStore.createTable(client, "reconcile-bench");
            RunStore store = new DynamoRunStore(client, "reconcile-bench", Clock.systemUTC(), Duration.ofDays(36_500));
            List<RunEvent> events = day.events();
            for (int i = 0; i < events.size(); i += 100) {
                store.applyAll(events.subList(i, Math.min(i + 100, events.size())));
            }
            for (int memoryMb : new int[] {256, 512}) {
                for (int concurrency : new int[] {1, 8}) {
                    // One-at-a-time passes take ~1 minute each: one run of those outside --quick too.
                    int runs = quick || concurrency == 1 ? 1 : 3;
                    double[] pass = new double[runs];
                    long[] last = null;
                    Map<String, Long> calls = Map.of();
                    for (int r = 0; r < runs; r++) {
                        // A fresh table state each run: every scope is due, as in the hourly pass.
                        client.scan(b -> b.tableName("reconcile-bench").filterExpression("pk = :p")
                                .expressionAttributeValues(Map.of(":p", software.amazon.awssdk.services.dynamodb.model
                                        .AttributeValue.builder().s("CHECKPOINT#reconcile").build()))).items()
                                .forEach(item -> client.deleteItem(b -> b.tableName("reconcile-bench")
                                        .key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))));
                        aws.reset();
                        last = probe(classpath, d, aws, catalog, now, memoryMb, concurrency);
                        pass[r] = last[1];
                        calls = aws.calls();
                    }
                    long total = calls.values().stream().mapToLong(Long::longValue).sum();
                    System.out.printf("| lambda-reconcile, %d MB function (-Xmx%dm), %d scope%s at a time: the hourly pass"
                                    + " (every scope due) over the 1× estate, %d ms per API call | %,.0f ms | %d run%s |"
                                    + " init %,d ms; CPU (JVM start to end) %,d ms; peak RSS %,.0f MB; heap after GC %.1f"
                                    + " MB; %,d API calls (%,d Glue GetJobRuns for %,d Glue jobs, %,d AssumeRole) |%n",
                            memoryMb, heapMb(memoryMb), concurrency, concurrency == 1 ? "" : "s", LATENCY.toMillis(),
                            Bench.median(pass), runs, runs == 1 ? "" : "s", last[0], last[2], last[3] / 1e6,
                            last[4] / 1e6, total, calls.getOrDefault("AWSGlue.GetJobRuns", 0L), aws.glueJobs(),
                            calls.getOrDefault("STS.AssumeRole", 0L));
                }
            }
        }
    }

    /** What a function of this size gives the JVM's heap (the Java runtime leaves room for the JVM's own memory). */
    static int heapMb(int memoryMb) {
        return (int) (memoryMb * 0.85);
    }

    /** One fresh JVM; returns {init, pass, cpu, rss bytes, heap after GC bytes}. */
    private static long[] probe(String classpath, Dynalite d, MockAws aws, Path catalog, java.time.Instant now,
                                int memoryMb, int concurrency) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(LambdaBench.LAMBDA_FLAGS);
        cmd.addAll(List.of("-Xmx" + heapMb(memoryMb) + "m", "-Djobwatch.reconcile.concurrency=" + concurrency,
                "-cp", classpath, ReconcileProbe.class.getName(), d.endpoint().toString(), aws.endpoint().toString(),
                "reconcile-bench", catalog.toString(), now.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        Matcher m = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                Matcher c = PROBE.matcher(line);
                if (c.find()) {
                    m = c;
                }
            }
        }
        if (p.waitFor() != 0 || m == null || !output.toString().contains("\"failed\":[]")) {
            throw new IOException("reconcile probe " + cmd + " failed:\n" + output);
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
            Long.parseLong(m.group(4)), Long.parseLong(m.group(5))};
    }
}
