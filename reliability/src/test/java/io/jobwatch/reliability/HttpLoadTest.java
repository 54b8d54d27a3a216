package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.sim.SimOptions;
import io.jobwatch.sim.Simulator;
import io.jobwatch.local.ApiKey;
import io.jobwatch.local.LocalApp;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load on the local server over loopback HTTP: 4 clients post a simulated estate's events in batches of 100 while the
 * scheduled work (outbox, SLA checks, digests, export) ticks through the simulated days in another thread. Bounded:
 * every client stops when the events run out or after 3 minutes. 20,000 events in CI; the 100,000 with
 * {@code -Djobwatch.load.events=100000}.
 */
class HttpLoadTest {
    static final int EVENTS = Integer.getInteger("jobwatch.load.events", 20_000);
    static final int CLIENTS = 4;
    static final int BATCH = 100;
    static final Duration BOUND = Duration.ofMinutes(3);
    static final String KEY = "load-key-7d0e";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void events_storesEveryEvent_from4ConcurrentClients_whileDigestsAndSlaChecksRun() throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        List<Object> batch = new ArrayList<>();
        int days = 1 + EVENTS / 1_500;
        int[] count = {0};
        new Simulator(SimOptions.defaults()).simulate(SimulatedDay.DAY, days, d -> {
            if (count[0] < EVENTS) {
                batch.add(d.event());
                count[0]++;
                if (batch.size() == BATCH) {
                    bodies.add(bytes(batch));
                    batch.clear();
                }
            }
        });
        if (!batch.isEmpty()) {
            bodies.add(bytes(batch));
        }
        assertThat(count[0]).isEqualTo(EVENTS);

        try (LocalApp app = LocalApp.start(LocalApp.defaults(dir.resolve("load.db")).bind("127.0.0.1", 0)
                .env(Map.of(ApiKey.ENV, KEY)).scheduler(false))) {
            ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>(bodies);
            AtomicLong accepted = new AtomicLong();
            AtomicLong refused = new AtomicLong();
            AtomicInteger ticks = new AtomicInteger();
            long[] latencies = new long[bodies.size()];
            AtomicInteger requests = new AtomicInteger();
            long deadline = System.nanoTime() + BOUND.toNanos();

            // The scheduler's work, driven through the simulated days: 6 simulated hours per tick, every 200 ms.
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            Instant start = SimulatedDay.DAY.atStartOfDay().toInstant(ZoneOffset.UTC);
            scheduler.scheduleWithFixedDelay(() -> app.work().tick(start.plus(Duration.ofHours(6L * ticks
                    .incrementAndGet()))), 0, 200, TimeUnit.MILLISECONDS);

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            long started = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                done.add(clients.submit(() -> {
                    byte[] body;
                    while ((body = queue.poll()) != null && System.nanoTime() < deadline) {
                        long t = System.nanoTime();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(app.uri().resolve("/events"))
                                .header("x-api-key", KEY).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        latencies[requests.getAndIncrement()] = System.nanoTime() - t;
                        JsonNode n = MAPPER.readTree(r.body());
                        accepted.addAndGet(n.path("accepted").asLong());
                        refused.addAndGet(n.path("rejected").asLong());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(BOUND.toSeconds() + 30, TimeUnit.SECONDS);
            }
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            clients.shutdown();
            scheduler.shutdown();
            assertThat(scheduler.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            assertThat(requests.get()).as("all batches sent within the bound").isEqualTo(bodies.size());
            AtomicLong stored = new AtomicLong();
            app.store().runsBetween(start.minus(Duration.ofDays(1)), start.plus(Duration.ofDays(days + 2)),
                    run -> stored.addAndGet(run.eventCount()));
            long lost = EVENTS - stored.get();
            assertThat(refused.get()).isZero();
            assertThat(accepted.get()).isEqualTo(EVENTS);
            assertThat(lost).isZero();
            assertThat(ticks.get()).as("scheduled work ran during the load").isGreaterThan(1);

            long[] sorted = Arrays.copyOf(latencies, requests.get());
            Arrays.sort(sorted);
            long p50 = sorted[sorted.length / 2] / 1_000_000;
            long p99 = sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1_000_000;
            ReliabilityLedger.record(new ReliabilityLedger.Row("load", "HTTP /events, " + CLIENTS + " clients"
                            + (EVENTS < 100_000 ? " (CI size)" : ""),
                    EVENTS + " simulated events (" + days + " days) in " + bodies.size() + " requests of " + BATCH
                            + " over loopback, while outbox/SLA/digest/export ticks ran " + ticks.get() + " times",
                    EVENTS, stored.get(), lost, -1,
                    "request latency p50 " + p50 + " ms, p99 " + p99 + " ms; " + (EVENTS * 1000L / Math.max(1, elapsedMs))
                            + " events/s; " + elapsedMs + " ms in all (2-core machine shared with other builds)"));
        }
    }

    private static byte[] bytes(List<Object> batch) {
        try {
            return MAPPER.writeValueAsBytes(batch);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
