package io.jobwatch.bench;

import static io.jobwatch.bench.Measure.max;
import static io.jobwatch.bench.Measure.min;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Normalize throughput on one thread: raw event bytes → parsed JSON → RunEvent, over the mix of every shared fixture
 * (all twelve sources, every state sample), the work the ingest path does per event.
 */
final class NormalizeBench {
    private NormalizeBench() {
    }

    static void run(Path repo, boolean quick) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<byte[]> mix = new ArrayList<>();
        try (Stream<Path> files = Files.walk(repo.resolve("examples/events"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                mix.add(Files.readAllBytes(f));
            }
        }
        EventNormalizer normalizer = new EventNormalizer();
        int perRun = quick ? 50_000 : 1_000_000;
        int runs = 5;
        long sink = 0;
        // Warm-up: let the JIT compile the parse and normalize paths.
        for (int w = 0; w < (quick ? 1 : 3); w++) {
            sink += pass(mapper, normalizer, mix, perRun);
        }
        double[] rates = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            sink += pass(mapper, normalizer, mix, perRun);
            long t1 = System.nanoTime();
            rates[r] = perRun / ((t1 - t0) / 1e9);
        }
        double median = Bench.median(rates);
        System.out.printf("| normalize (bytes → RunEvent, 1 thread, %d fixtures) | %,.0f events/s | %d × %,d events | goal ≥ 200,000/s; min %,.0f, max %,.0f (checksum %d) |%n",
                mix.size(), median, runs, perRun, min(rates), max(rates), sink % 10);
    }

    private static long pass(ObjectMapper mapper, EventNormalizer normalizer, List<byte[]> mix, int count) throws IOException {
        long ok = 0;
        int n = mix.size();
        for (int i = 0; i < count; i++) {
            JsonNode node = mapper.readTree(mix.get(i % n));
            if (normalizer.normalize(node) instanceof Normalization.Normalized) {
                ok++;
            }
        }
        if (ok != count) {
            throw new IllegalStateException("a fixture did not normalize: " + (count - ok) + " failures");
        }
        return ok;
    }

}
