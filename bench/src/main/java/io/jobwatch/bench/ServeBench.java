package io.jobwatch.bench;

import static io.jobwatch.bench.Measure.max;
import static io.jobwatch.bench.Measure.min;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.sim.SimOptions;
import io.jobwatch.sim.Simulator;
import io.jobwatch.core.store.RunFold;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.local.ApiKey;
import io.jobwatch.local.Dashboard;
import io.jobwatch.local.JobRow;
import io.jobwatch.local.LocalApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The local server: {@code serve-ingest} posts 50,000 simulated events to {@code POST /events} on loopback from 4
 * client threads (in batches of 100, and one event per request), a fresh database per measured run, and reports
 * events/s and request latency; {@code dashboard-render} renders the overview for 5,000 jobs (store read + HTML), and
 * fetches it over HTTP.
 */
final class ServeBench {
    static final String KEY = "bench-key";
    static final int EVENTS = 50_000;
    static final int CLIENTS = 4;

    private ServeBench() {
    }

    /** 50,000 simulated event bodies (raw EventBridge JSON, as an API destination posts them). */
    static List<byte[]> bodies(int n) {
        List<byte[]> out = new ArrayList<>(n);
        Simulator sim = new Simulator(SimOptions.defaults());
        LocalDate day = LocalDate.parse("2026-01-05");
        while (out.size() < n) {
            sim.simulate(day, 1, d -> {
                if (out.size() < n) {
                    out.add(d.event().toString().getBytes(StandardCharsets.UTF_8));
                }
            });
            day = day.plusDays(1);
        }
        return out;
    }

    static void ingest(boolean quick) throws Exception {
        int events = quick ? 10_000 : EVENTS;
        List<byte[]> all = bodies(events);
        Path dir = Files.createTempDirectory("jobwatch-serve-bench-");
        try {
            measure(dir, all, 100, quick);
            measure(dir, all, 1, quick);
        } finally {
            deleteTree(dir);
        }
    }

    private static void measure(Path dir, List<byte[]> all, int batch, boolean quick) throws Exception {
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < all.size(); i += batch) {
            List<byte[]> part = all.subList(i, Math.min(all.size(), i + batch));
            if (batch == 1) {
                requests.add(part.get(0));
            } else {
                StringBuilder sb = new StringBuilder("[");
                for (int k = 0; k < part.size(); k++) {
                    sb.append(k == 0 ? "" : ",").append(new String(part.get(k), StandardCharsets.UTF_8));
                }
                requests.add(sb.append(']').toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        int warmups = 1;
        int runs = quick ? 3 : 5;
        double[] rates = new double[runs];
        double[] p50 = new double[runs];
        double[] p99 = new double[runs];
        int[] failures = new int[1];
        for (int r = 0; r < warmups + runs; r++) {
            Path db = dir.resolve("serve-" + batch + "-" + r + ".db");
            try (LocalApp app = LocalApp.start(LocalApp.defaults(db).bind("127.0.0.1", 0).env(Map.of(ApiKey.ENV, KEY))
                    .scheduler(false))) {
                URI events = app.uri().resolve("/events");
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                long[] latencies = new long[requests.size()];
                AtomicInteger next = new AtomicInteger();
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                long t0 = System.nanoTime();
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    done.add(clients.submit(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < requests.size()) {
                            long s = System.nanoTime();
                            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(events).header("x-api-key", KEY)
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(requests.get(i))).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            latencies[i] = System.nanoTime() - s;
                            if (resp.statusCode() != 200) {
                                synchronized (failures) {
                                    failures[0]++;
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                long t1 = System.nanoTime();
                clients.shutdown();
                if (r >= warmups) {
                    Arrays.sort(latencies);
                    rates[r - warmups] = all.size() / ((t1 - t0) / 1e9);
                    p50[r - warmups] = latencies[latencies.length / 2] / 1e6;
                    p99[r - warmups] = latencies[(int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)] / 1e6;
                }
            }
        }
        System.out.printf("| serve-ingest (POST /events, %s, %d client threads, loopback, fresh SQLite file) | %,.0f events/s |"
                        + " %d × %,d events | p50 %.2f ms, p99 %.2f ms per request; min %,.0f, max %,.0f events/s; non-200: %d;"
                        + " load %.1f, %d cores |%n",
                batch == 1 ? "one event per request" : "batches of " + batch, CLIENTS, Bench.median(rates), runs, all.size(),
                Bench.median(p50), Bench.median(p99), min(rates), max(rates), failures[0],
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
    }

    /** 5,000 jobs with 12 finished runs each in the store; the overview rendered from the store, then over HTTP. */
    static void dashboard(boolean quick) throws Exception {
        int jobs = 5_000;
        Path dir = Files.createTempDirectory("jobwatch-dashboard-bench-");
        try (LocalApp app = LocalApp.start(LocalApp.defaults(dir.resolve("j.db")).bind("127.0.0.1", 0)
                .env(Map.of(ApiKey.ENV, KEY)).scheduler(false))) {
            RunStore store = app.store();
            Instant t = Instant.parse("2026-03-02T00:00:00Z");
            List<RunEvent> batch = new ArrayList<>();
            String[] accounts = {"123456789012", "234567890123", "345678901234"};
            // Crawler and DMS runs pair by start time; the other sources carry run ids, which is all this needs.
            List<JobSource> sources = Arrays.stream(JobSource.values()).filter(s -> !RunFold.pairsByStart(s)).toList();
            for (int j = 0; j < jobs; j++) {
                JobKey job = new JobKey(accounts[j % 3], "eu-west-1", sources.get(j % sources.size()), "job-" + j);
                for (int k = 0; k < 12; k++) {
                    Instant start = t.plus(Duration.ofHours(k)).plusSeconds(j);
                    RunState end = (j % 17 == 0 && k == 11) || (k + j) % 23 == 0 ? RunState.FAILED : RunState.SUCCEEDED;
                    batch.add(new RunEvent("e-" + j + "-" + k, job, "run-" + j + "-" + k, end, end.name(), start.plusSeconds(300),
                            start, start.plusSeconds(300), end == RunState.FAILED ? "boom" : null));
                }
                if (batch.size() >= 10_000) {
                    store.applyAll(batch);
                    batch.clear();
                }
            }
            store.applyAll(batch);
            int count = store.latestPerJob().size();
            int warmups = quick ? 2 : 5;
            int runs = quick ? 5 : 9;
            double[] render = new double[runs];
            double[] http = new double[runs];
            int bytes = 0;
            HttpClient client = HttpClient.newHttpClient();
            for (int r = 0; r < warmups + runs; r++) {
                long t0 = System.nanoTime();
                String html = Dashboard.overview(JobRow.of(store.latestPerJob(), store.openRuns(), List.of(), null, List.of(),
                        List.of()), JobRow.Filter.of(Map.of()), t);
                long t1 = System.nanoTime();
                HttpResponse<byte[]> resp = client.send(HttpRequest.newBuilder(app.uri()).build(), HttpResponse.BodyHandlers.ofByteArray());
                long t2 = System.nanoTime();
                bytes = resp.body().length;
                if (r >= warmups) {
                    render[r - warmups] = (t1 - t0) / 1e6;
                    http[r - warmups] = (t2 - t1) / 1e6;
                }
                if (html.isEmpty() || resp.statusCode() != 200) {
                    throw new IllegalStateException("overview failed: " + resp.statusCode());
                }
            }
            System.out.printf("| dashboard-render (overview, %,d jobs × 12 runs, store read + HTML) | %.1f ms | %d runs |"
                            + " GET / over loopback %.1f ms for %,d bytes; min %.1f, max %.1f ms |%n",
                    count, Bench.median(render), runs, Bench.median(http), bytes, min(render), max(render));
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
