package io.jobwatch.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jobwatch's benchmarks, run as a plain main (never as timed unit tests). Each figure is the median of at least five
 * measured runs after warm-up, printed as a Markdown row so BENCHMARKS.md can quote it as is.
 *
 * <pre>
 * java -jar bench/target/jobwatch-bench.jar [--quick] [--scale 1|10|100] [NAME...]
 * java -jar bench/target/jobwatch-bench.jar --report [--scale N] [--quick]   (writes BENCHMARKS.md)
 * java -jar bench/target/jobwatch-bench.jar cost [--scale N] [--quick]
 * </pre>
 */
public final class Bench {
    static final String NAMES = "normalize, catalog-resolve, ingest-sqlite, ingest-dynalite, export, export-1m, export-sqlite,"
            + " export-sqlite-1m, export-dynalite, seed,"
            + " lambda-coldstart, lambda-ingest-requests, lambda-reconcile, sla-evaluate, serve-ingest, dashboard-render,"
            + " alert-latency";
    static final String USAGE = "usage: jobwatch bench [--quick] [--scale 1|10|100] [--report] [" + NAMES.replace(", ", "] [")
            + "]\n       jobwatch cost [--scale N] [--quick]";

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit code (in-process for tests). */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        List<String> names = new ArrayList<>();
        boolean quick = false;
        boolean report = false;
        boolean cost = false;
        int scale = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--report" -> report = true;
                case "cost" -> cost = true;
                case "--scale" -> {
                    if (i + 1 >= args.length) {
                        err.println("--scale needs a number (1, 10 or 100)");
                        return 2;
                    }
                    String v = args[++i];
                    try {
                        scale = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        scale = -1;
                    }
                    if (scale < 1 || scale > 1000) {
                        err.println("--scale must be a whole number from 1 to 1000 (e.g. 1, 10 or 100), was '" + v + "'");
                        return 2;
                    }
                }
                case "--help", "-h" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> names.add(a);
            }
        }
        for (String n : names) {
            if (!Arrays.asList(NAMES.split(", ")).contains(n)) {
                err.println("unknown benchmark: " + n + " (known: " + NAMES + ")\n" + USAGE);
                return 2;
            }
        }
        if (cost) {
            cost(scale, quick, out);
            return 0;
        }
        if (report) {
            Path file = repoRoot().resolve("BENCHMARKS.md");
            new Report(scale, quick, out).write(file);
            out.println("wrote " + file);
            return 0;
        }
        if (names.isEmpty()) {
            names.add("normalize");
        }
        Path repo = repoRoot();
        out.printf("Jobwatch benchmarks — %s, Java %s, %d cores, load %.1f%n%n", java.time.LocalDate.now(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), Measure.loadAverage());
        for (String name : names) {
            if (name.equals("seed")) {
                Results r = SeedComparison.run(new SeedComparison.Options(scale, quick, false), out);
                out.println();
                out.print(r.table());
                r.invariants.forEach(inv -> out.printf("- invariant %s: %s (%,d events checked%s)%n", inv.name(),
                        inv.holds() ? "holds" : "BROKEN", inv.checked(),
                        inv.holds() ? "" : ", " + inv.violations() + " violations, e.g. " + inv.example()));
                r.notes.forEach(n -> out.println("- " + n));
                out.println();
                continue;
            }
            if (name.equals("alert-latency")) {
                AlertLatencyBench.run(quick, out);
                out.println();
                continue;
            }
            out.println("| benchmark | median | runs | note |");
            out.println("|---|---|---|---|");
            switch (name) {
                case "normalize" -> NormalizeBench.run(repo, quick);
                case "catalog-resolve" -> CatalogBench.run(quick);
                case "ingest-sqlite" -> IngestBench.sqlite(quick);
                case "ingest-dynalite" -> IngestBench.dynalite(quick);
                case "export" -> ExportBench.run(10_600, quick);
                case "export-1m" -> ExportBench.run(1_000_000, quick);
                // Seed volume: the simulated week at 2× holds ~11,700 runs (the seed's table: ~10,600).
                case "export-sqlite" -> ExportStoreBench.sqlite(Math.max(2, scale), quick, out);
                case "export-sqlite-1m" -> ExportStoreBench.sqlite1m(quick ? 100_000 : 1_000_000, quick, out);
                case "export-dynalite" -> ExportStoreBench.dynalite(scale, quick, out);
                case "lambda-coldstart" -> LambdaBench.coldStart(repo, quick);
                case "lambda-ingest-requests" -> LambdaBench.requestsPerEvent(quick);
                case "lambda-reconcile" -> ReconcileBench.run(repo, quick);
                case "sla-evaluate" -> SlaBench.run(quick);
                case "serve-ingest" -> ServeBench.ingest(quick);
                case "dashboard-render" -> ServeBench.dashboard(quick);
                default -> throw new IllegalStateException(name);
            }
            out.println();
        }
        return 0;
    }

    /** {@code jobwatch cost}: counts requests and units on dynalite (a simulated week at 1×), then prices a month. */
    static void cost(int scale, boolean quick, PrintStream out) throws IOException {
        out.printf("Counting DynamoDB requests and units on dynalite (%s at 1×; takes a few minutes)…%n",
                quick ? "a short sample" : "a simulated week");
        Results r = SeedComparison.run(new SeedComparison.Options(1, quick, true), out);
        List<Integer> scales = new ArrayList<>(List.of(1, 10, 100));
        if (!scales.contains(scale)) {
            scales.add(scale);
        }
        out.println();
        out.print(new CostModel(CostModel.Prices.load(), CostModel.Assumptions.defaults()).render(r, scales));
        out.printf("%nCounted at 1×: %.3f DynamoDB requests/event, %.3f WRU/event, %.3f RRU/event; digest %.1f RRU,"
                        + " SLA check %.1f RRU, export %.1f RRU per day; %.0f bytes stored per run%n",
                r.count("ingest.dynamoRequestsPerEvent"), r.count("ingest.wruPerEvent"), r.count("ingest.dynamoRruPerEvent"),
                r.count("digest.rru"), r.count("sla.rru"), r.count("export.rruPerDay"), r.count("storage.bytesPerRun"));
    }

    /** The repository root (the folder holding examples/), found from the working directory upwards. */
    static Path repoRoot() throws IOException {
        String prop = System.getProperty("jobwatch.repo");
        if (prop != null && Files.isDirectory(Path.of(prop, "examples/events"))) {
            return Path.of(prop);
        }
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
