package io.jobwatch.bench;

import static io.jobwatch.bench.Measure.max;
import static io.jobwatch.bench.Measure.min;

import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.sim.SimOptions;
import io.jobwatch.sim.Simulator;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.store.Outcome;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import io.jobwatch.store.dynamodb.testing.RequestCounter;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Run store ingest throughput: the simulator's events (seed estate, 5% duplicates, 5% reordered), normalized up front,
 * applied as one batch to a fresh store per measured run. SQLite: a week in one applyAll (one transaction).
 * dynalite: a day, one request stream on one thread, with requests per event counted by an ExecutionInterceptor.
 */
final class IngestBench {
    private IngestBench() {
    }

    static List<RunEvent> events(int days) {
        Simulator sim = new Simulator(SimOptions.defaults().withDelivery(0.05, 0.05));
        EventNormalizer normalizer = new EventNormalizer();
        List<RunEvent> out = new ArrayList<>();
        sim.simulate(LocalDate.parse("2026-03-02"), days, d -> {
            if (normalizer.normalize(d.event()) instanceof Normalization.Normalized n) {
                out.add(n.event());
            }
        });
        return out;
    }

    static void sqlite(boolean quick) throws IOException {
        List<RunEvent> week = events(7);
        Path dir = Files.createTempDirectory("jobwatch-bench-");
        int warmups = quick ? 1 : 3;
        int runs = 5;
        double[] rates = new double[runs];
        double[] cpuRates = new double[runs];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long checksum = 0;
        try {
            for (int i = 0; i < warmups + runs; i++) {
                Path db = dir.resolve("run-" + i + ".db");
                try (RunStore store = new SqliteRunStore(db, Clock.systemUTC(), RunStore.DEFAULT_RETENTION)) {
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    List<ApplyResult> results = store.applyAll(week);
                    long t1 = System.nanoTime();
                    long c1 = threads.getCurrentThreadCpuTime();
                    checksum += results.stream().filter(r -> r.outcome() == Outcome.CREATED).count();
                    if (i >= warmups) {
                        rates[i - warmups] = week.size() / ((t1 - t0) / 1e9);
                        // CPU time of the ingesting thread: what one uncontended core would take (the box may be shared).
                        cpuRates[i - warmups] = week.size() / ((c1 - c0) / 1e9);
                    }
                }
            }
        } finally {
            deleteTree(dir);
        }
        System.out.printf("| ingest-sqlite (simulated week, one applyAll, fresh file, WAL) | %,.0f events/s | %d × %,d events |"
                        + " goal ≥ 20,000/s; min %,.0f, max %,.0f; by CPU time of the ingest thread %,.0f events/s; load %.1f, %d cores (runs created %d) |%n",
                Bench.median(rates), runs, week.size(), min(rates), max(rates), Bench.median(cpuRates),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors(), checksum / (warmups + runs));
    }

    static void dynalite(boolean quick) {
        List<RunEvent> day = events(1);
        if (quick) {
            day = day.subList(0, Math.min(500, day.size()));
        }
        int warmups = 1;
        int runs = 5;
        double[] rates = new double[runs];
        double[] perEvent = new double[runs];
        double[] readsPerEvent = new double[runs];
        RequestCounter counter = new RequestCounter();
        try (Dynalite d = Dynalite.start(); DynamoDbClient client = d.client(counter)) {
            for (int i = 0; i < warmups + runs; i++) {
                String table = "bench-" + i;
                DynamoRunStore.createTable(client, table);
                RunStore store = new DynamoRunStore(client, table, Clock.systemUTC(), RunStore.DEFAULT_RETENTION);
                counter.reset();
                long t0 = System.nanoTime();
                store.applyAll(day);
                long t1 = System.nanoTime();
                if (i >= warmups) {
                    rates[i - warmups] = day.size() / ((t1 - t0) / 1e9);
                    perEvent[i - warmups] = (double) counter.total() / day.size();
                    readsPerEvent[i - warmups] = (double) counter.reads() / day.size();
                }
            }
            System.out.printf("| ingest-dynalite (simulated day, apply one by one, 1 thread) | %,.0f events/s | %d × %,d events |"
                            + " %.3f requests/event (%.3f reads/event, crawler pairing and dynalite's duplicate read); %s |%n",
                    Bench.median(rates), runs, day.size(), Bench.median(perEvent), Bench.median(readsPerEvent),
                    counter.snapshot());
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
