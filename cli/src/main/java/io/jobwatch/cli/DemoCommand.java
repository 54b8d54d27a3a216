package io.jobwatch.cli;

import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.sim.SimOptions;
import io.jobwatch.sim.Simulator;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.Outcome;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jobwatch demo}: a simulated week of the seed's estate through all of Jobwatch, summarized, then the next step. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Simulate a week of the seed's estate (~507 jobs, three accounts, twelve sources), plus three pinged"
            + " scripts and an Airflow DAG reporting through OpenLineage, run it through Jobwatch (store, incidents,"
            + " export, SLA check, digests) and summarize it;",
            "ends with the serve command that opens the demo's store in the dashboard."})
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    Jobwatch root;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the simulation (same seed, same events). Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--date", description = "Last UTC day to simulate (YYYY-MM-DD). Default: yesterday.")
    LocalDate date;

    @Option(names = "--days", defaultValue = "7", description = "Days to simulate, ending with --date. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--config", paramLabel = "FILE", description = "Catalog for teams and criticality (default: ./jobwatch.yml, else the built-in example).")
    String config;
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "jobwatch-demo",
            description = "Folder for the demo's fresh SQLite store (DIR/jobwatch.db, replaced each time). Default: ${DEFAULT-VALUE}.")
    Path outDir;

    @Option(names = "--serve", description = "After the report, serve the dashboard on the demo's database (as `jobwatch serve`; Ctrl-C stops it).")
    boolean serve;

    @Option(names = "--port", defaultValue = "8080",
            description = "Port for --serve and the printed serve command (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = root.spec.commandLine().getOut();
        LocalDate day = date != null ? date : LocalDate.now(ZoneOffset.UTC).minusDays(1);
        if (days < 1 || days > 31) {
            throw new picocli.CommandLine.ParameterException(root.spec.commandLine().getSubcommands().get("demo"),
                    "--days must be between 1 and 31, was " + days);
        }
        LocalDate firstDay = day.minusDays(days - 1L);
        Simulator sim = new Simulator(SimOptions.defaults().withSeed(seed));
        EventNormalizer normalizer = new EventNormalizer();
        CatalogFiles.Found catalog = CatalogFiles.loadOrReport(config, root.spec.commandLine().getErr());
        if (catalog == null) {
            return 2;
        }
        DemoOwnership ownership = new DemoOwnership(catalog.catalog(), catalog.source().describe());
        sim.jobs().forEach(j -> ownership.job(j.key()));

        Map<String, Map<JobSource, EnumMap<RunState, Integer>>> table = new TreeMap<>();
        int[] total = new int[1];
        int[] rejected = new int[1];
        List<RunEvent> events = new ArrayList<>();
        sim.simulate(firstDay, days, d -> {
            total[0]++;
            if (normalizer.normalize(d.event()) instanceof Normalization.Normalized n) {
                RunEvent e = n.event();
                ownership.event(e);
                events.add(e);
                String system = Simulator.ACCOUNTS.getOrDefault(e.job().account(), e.job().account());
                table.computeIfAbsent(system, k -> new EnumMap<>(JobSource.class))
                        .computeIfAbsent(e.job().source(), k -> new EnumMap<>(RunState.class))
                        .merge(e.state(), 1, Integer::sum);
            } else {
                rejected[0]++;
            }
        });

        out.printf("Jobwatch demo: simulated %s (seed %d): %d jobs, %d events, %d not understood%n%n",
                days == 1 ? day.toString() : firstDay + " .. " + day, seed, sim.jobs().size(), total[0], rejected[0]);
        out.printf("%-10s %-" + SourcesCommand.ID_WIDTH + "s %7s %8s %8s %10s %7s %10s %8s%n", "system", "source", "events",
                "PENDING", "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED");
        EnumMap<RunState, Integer> sums = new EnumMap<>(RunState.class);
        table.forEach((system, bySource) -> bySource.forEach((source, states) -> {
            row(out, system, source.id(), states);
            states.forEach((s, n) -> sums.merge(s, n, Integer::sum));
        }));
        row(out, "all", "", sums);
        ownership.print(out);
        String wrote = ingest(out, events, catalog.catalog(), firstDay, day);
        java.time.Instant endOfDay = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        DemoSla.print(out, catalog.catalog(), outDir.resolve("jobwatch.db"), endOfDay);
        Path digests = outDir.resolve("digests");
        DemoDigests.write(out, catalog.catalog(), outDir.resolve("jobwatch.db"), digests, endOfDay);
        out.print(wrote);
        out.printf("  digests    %s (one HTML e-mail per team)%n", digests);
        Path catalogFile = catalogFileForServe(catalog.source());
        if (catalog.source().builtIn()) {
            out.printf("  catalog    %s (the built-in example the demo used, for serve)%n", catalogFile);
        }
        if (serve) {
            out.println();
            out.flush();
            PrintWriter err = root.spec.commandLine().getErr();
            return ServeCommand.serve(out, err, io.jobwatch.local.LocalApp.defaults(outDir.resolve("jobwatch.db"))
                    .catalog(catalog.catalog()).bind("127.0.0.1", port).env(root.env)
                    .log(line -> ServeCommand.log(err, line)), catalog.source().describe());
        }
        out.printf("%nNext: the dashboard on this store (Ctrl-C stops it):%n  %s%n  then open %s%n",
                serveCommand(root.env.getOrDefault(LAUNCHER_ENV, "./jobwatch"), outDir.resolve("jobwatch.db"), catalogFile, port),
                port == 0 ? "the URL it prints" : "http://127.0.0.1:" + port + "/");
        return 0;
    }

    /** Set by the ./jobwatch launcher to how it was invoked, so the printed next step is the user's own command. */
    static final String LAUNCHER_ENV = "JOBWATCH_LAUNCHER";

    /**
     * The catalog file {@code serve} should read to see the demo's systems and teams: the file the demo read, or — for
     * the built-in example, which serve does not fall back to — a copy written next to the demo's store.
     */
    private Path catalogFileForServe(CatalogFiles.Source source) throws IOException {
        if (!source.builtIn()) {
            return Path.of(source.label());
        }
        Path copy = outDir.resolve(CatalogFiles.DEFAULT_FILE);
        Files.writeString(copy, source.text(), java.nio.charset.StandardCharsets.UTF_8);
        return copy;
    }

    /** The {@code serve} command line that opens the demo's store with its catalog, quoted for a POSIX shell. */
    static String serveCommand(String launcher, Path db, Path catalogFile, int port) {
        StringBuilder cmd = new StringBuilder(shellQuote(launcher)).append(" serve --db ").append(shellQuote(db.toString()))
                .append(" --config ").append(shellQuote(catalogFile.toString()));
        if (port != 8080) {
            cmd.append(" --port ").append(port);
        }
        return cmd.toString();
    }

    static String shellQuote(String word) {
        return word.matches("[A-Za-z0-9_./:=@%+,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /** The simulated events through a fresh SQLite run store, then the latest state per job as the digest sees it. */
    /** Ingests, sends the incidents and exports; returns the closing list of what it wrote. */
    private String ingest(PrintWriter out, List<RunEvent> events, io.jobwatch.core.catalog.Catalog catalog,
                          LocalDate firstDay, LocalDate lastDay) throws Exception {
        Files.createDirectories(outDir);
        Path db = outDir.resolve("jobwatch.db");
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(db + suffix));
        }
        Path dryRun = outDir.resolve(IncidentSender.DRY_RUN_FILE);
        Files.deleteIfExists(dryRun);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        Clock clock = Clock.systemUTC();
        try (RunStore store = new SqliteRunStore(db, clock, RunStore.DEFAULT_RETENTION);
             io.jobwatch.store.sqlite.SqliteIncidents incidents = new io.jobwatch.store.sqlite.SqliteIncidents(db);
             io.jobwatch.store.sqlite.SqliteRunDetails details = new io.jobwatch.store.sqlite.SqliteRunDetails(db)) {
            var pipeline = new io.jobwatch.core.ingest.IngestPipeline(store, () -> catalog,
                    new io.jobwatch.core.incident.IncidentTracker(new io.jobwatch.core.incident.IncidentPolicy(clock), incidents, incidents, clock));
            for (ApplyResult r : pipeline.ingest(events).applied()) {
                outcomes.merge(r.outcome(), 1, Integer::sum);
            }
            DemoOutsideAws.run(out, catalog, store, pipeline, details, firstDay,
                    (int) java.time.temporal.ChronoUnit.DAYS.between(firstDay, lastDay) + 1, seed);
            DemoIncidents.send(out, incidents, dryRun, clock);
            List<JobSummary> latest = store.latestPerJob();
            out.printf("%nIngested into %s: %s%n%n", db, outcomes);
            out.println("Latest finished run per job:");
            out.printf("%-10s %6s %10s %7s %10s %8s%n", "system", "jobs", "SUCCEEDED", "FAILED", "TIMED_OUT", "STOPPED");
            Map<String, EnumMap<RunState, Integer>> bySystem = new TreeMap<>();
            for (JobSummary s : latest) {
                bySystem.computeIfAbsent(system(s), k -> new EnumMap<>(RunState.class)).merge(s.latestState(), 1, Integer::sum);
            }
            bySystem.forEach((system, states) -> out.printf("%-10s %6d %10d %7d %10d %8d%n", system,
                    states.values().stream().mapToInt(Integer::intValue).sum(), states.getOrDefault(RunState.SUCCEEDED, 0),
                    states.getOrDefault(RunState.FAILED, 0), states.getOrDefault(RunState.TIMED_OUT, 0),
                    states.getOrDefault(RunState.STOPPED, 0)));
            List<JobSummary> failing = latest.stream().filter(s -> s.latestState().failed())
                    .sorted(Comparator.comparingInt(JobSummary::consecutiveFailures).reversed()
                            .thenComparing(s -> s.job().id()))
                    .limit(5).toList();
            out.printf("%nFailing now (%d jobs; worst first):%n", latest.stream().filter(s -> s.latestState().failed()).count());
            for (JobSummary s : failing) {
                String error = s.latestError() == null ? "" : s.latestError().replaceAll("\\s+", " ");
                out.printf("  %-9s %-" + SourcesCommand.ID_WIDTH + "s %-36s %2d in a row, last %s at %s: %s%n", system(s), s.job().source().id(),
                        s.job().jobName(), s.consecutiveFailures(), s.latestState(), s.latestEndedAt(),
                        error.length() > 70 ? error.substring(0, 69) + "…" : error);
            }
            Path exportDir = outDir.resolve("export");
            var plan = io.jobwatch.core.export.ExportPlan.days(firstDay, lastDay);
            var manifest = new io.jobwatch.core.export.WeeklyExporter(
                    new io.jobwatch.core.export.StoreExportSource(store, catalog, incidents),
                    new io.jobwatch.local.export.DirectoryExportDestination(exportDir), clock, 2).export(plan);
            out.printf("%nExported %,d runs for Athena/Power BI: %d day partitions under %s%n", manifest.rows(),
                    manifest.objects().size(), exportDir.resolve("runs"));
            return String.format("%nWrote:%n  store      %s%n  incidents  %s (the ServiceNow requests it would send)%n"
                    + "  export     %s (gzip CSV per day) and %s%n", db, dryRun, exportDir.resolve("runs"),
                    exportDir.resolve(plan.manifestKey()));
        }
    }

    private static String system(JobSummary s) {
        if (io.jobwatch.core.source.Sources.of(s.job().source()) instanceof io.jobwatch.core.source.HttpSource) {
            return s.job().source().id(); // pings and lineage jobs live outside the AWS accounts
        }
        return Simulator.ACCOUNTS.getOrDefault(s.job().account(), s.job().account());
    }

    private static void row(PrintWriter out, String system, String source, Map<RunState, Integer> states) {
        int events = states.values().stream().mapToInt(Integer::intValue).sum();
        out.printf("%-10s %-" + SourcesCommand.ID_WIDTH + "s %7d %8d %8d %10d %7d %10d %8d%n", system, source, events,
                states.getOrDefault(RunState.PENDING, 0), states.getOrDefault(RunState.RUNNING, 0),
                states.getOrDefault(RunState.SUCCEEDED, 0), states.getOrDefault(RunState.FAILED, 0),
                states.getOrDefault(RunState.TIMED_OUT, 0), states.getOrDefault(RunState.STOPPED, 0));
    }
}
