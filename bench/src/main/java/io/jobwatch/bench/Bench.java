package io.jobwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jobwatch's benchmarks, run as a plain main (never as timed unit tests). Each figure is the median of at least five
 * measured runs after warm-up, printed as a Markdown row so BENCHMARKS.md can quote it as is.
 *
 * <pre>java -jar bench/target/jobwatch-bench.jar [--quick] [NAME...]</pre>
 */
public final class Bench {
    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> names = new ArrayList<>();
        boolean quick = false;
        for (String a : args) {
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.equals("--help") || a.equals("-h")) {
                System.out.println("usage: jobwatch bench [--quick] [normalize] [catalog-resolve] [ingest-sqlite] [ingest-dynalite] [serve-ingest] [dashboard-render]");
                return;
            } else {
                names.add(a);
            }
        }
        if (names.isEmpty()) {
            names.add("normalize");
        }
        Path repo = repoRoot();
        System.out.printf("Jobwatch benchmarks — %s, Java %s, %d cores%n%n", java.time.LocalDate.now(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.println("| benchmark | median | runs | note |");
        System.out.println("|---|---|---|---|");
        for (String name : names) {
            switch (name) {
                case "normalize" -> NormalizeBench.run(repo, quick);
                case "catalog-resolve" -> CatalogBench.run(quick);
                case "ingest-sqlite" -> IngestBench.sqlite(quick);
                case "ingest-dynalite" -> IngestBench.dynalite(quick);
                case "serve-ingest" -> ServeBench.ingest(quick);
                case "dashboard-render" -> ServeBench.dashboard(quick);
                default -> {
                    System.err.println("unknown benchmark: " + name + " (known: normalize, catalog-resolve, ingest-sqlite, ingest-dynalite, serve-ingest, dashboard-render)");
                    System.exit(2);
                }
            }
        }
    }

    /** The repository root (the folder holding examples/), found from the working directory upwards. */
    static Path repoRoot() throws IOException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("examples/events"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IOException("run the benchmarks inside the Jobwatch repository (examples/events not found)");
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
