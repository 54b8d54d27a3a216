package io.jobwatch.cli;

import io.jobwatch.local.export.DirectoryExportDestination;
import io.jobwatch.core.export.AthenaDdl;
import io.jobwatch.core.export.ExportDestination;
import io.jobwatch.core.export.ExportPlan;
import io.jobwatch.core.export.ExportSource;
import io.jobwatch.core.export.Manifest;
import io.jobwatch.core.export.WeeklyExporter;
import io.jobwatch.core.run.RunState;
import io.jobwatch.export.s3.Encryption;
import io.jobwatch.export.s3.S3ExportDestination;
import io.jobwatch.export.s3.S3Uri;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code jobwatch export}: a week (or days) of runs as gzip CSV per UTC day, to a directory or S3, with a manifest. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export runs for Athena/Power BI: one gzip CSV per UTC day under runs/dt=YYYY-MM-DD/runs.csv.gz"
                + " and a manifest under manifests/. Re-exporting the same days overwrites the same objects.",
            "Default: the day the schedule exports now, the day before yesterday (UTC): each day is exported a day after it"
                + " ends, while its runs are within the retention (--retention; runs older than retention minus 2 days are refused)."})
final class ExportCommand implements Callable<Integer> {

    /** The CSV export is the one format; Parquet is not built (it would pull a Hadoop stack into the jar). */
    enum Format { csv }

    @ParentCommand
    Jobwatch root;

    @ArgGroup(exclusive = true)
    Window window;

    static final class Window {
        @Option(names = "--week", paramLabel = "YYYY-Www", description = "ISO week, e.g. 2026-W47 (Monday..Sunday, UTC).")
        String week;

        @ArgGroup(exclusive = false)
        Range range;
    }

    static final class Range {
        @Option(names = "--from", required = true, paramLabel = "DATE", description = "First UTC day (YYYY-MM-DD).")
        LocalDate from;

        @Option(names = "--to", required = true, paramLabel = "DATE", description = "Last UTC day, inclusive.")
        LocalDate to;
    }

    @ArgGroup(exclusive = true)
    Target target;

    static final class Target {
        @Option(names = "--out", paramLabel = "DIR", description = "Write into this local directory.")
        Path out;

        @Option(names = "--s3", paramLabel = "s3://bucket/prefix", description = "Write to this S3 location.")
        String s3;
    }

    @Option(names = "--format", defaultValue = "csv", paramLabel = "csv",
            description = "Output format: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--ddl", description = "Print the Athena DDL (table with partition projection, typed view) for the"
            + " --s3 location instead of exporting.")
    boolean ddl;

    @Option(names = "--athena-database", defaultValue = "jobwatch", description = "Athena database for --ddl. Default: ${DEFAULT-VALUE}.")
    String database;

    @Option(names = "--athena-table", defaultValue = "runs", description = "Athena table for --ddl. Default: ${DEFAULT-VALUE}.")
    String table;

    @Option(names = "--sse", defaultValue = "none", paramLabel = "none|AES256|aws:kms",
            description = "Server-side encryption of S3 objects. Default: ${DEFAULT-VALUE} (the bucket's default).")
    String sse;

    @Option(names = "--kms-key-id", paramLabel = "KEY", description = "KMS key (id, ARN or alias) with --sse aws:kms.")
    String kmsKeyId;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "An S3-compatible endpoint (e.g. s3rver) instead of AWS.")
    URI s3Endpoint;

    @Option(names = "--parallel", defaultValue = "4", description = "Days read and written at once. Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--config", paramLabel = "FILE", description = "Catalog for system, team and criticality (default: ./jobwatch.yml if present).")
    String config;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = root.spec.commandLine().getOut();
        if (ddl) {
            if (target == null || target.s3 == null) {
                throw new CommandLine.ParameterException(root.spec.commandLine(),
                        "--ddl needs --s3 s3://bucket/prefix: the table's LOCATION is the export's S3 location");
            }
            S3Uri uri = S3Uri.parse(target.s3);
            out.print(AthenaDdl.createTable(database, table, uri.bucket(), uri.prefix()));
            out.println();
            out.print(AthenaDdl.createTypedView(database, table));
            out.println();
            out.print(AthenaDdl.createRollupTable(database, table, uri.bucket(), uri.prefix()));
            for (String view : AthenaDdl.createRollupViews(database, table)) {
                out.println();
                out.print(view);
            }
            return 0;
        }
        if (target == null) {
            throw new CommandLine.ParameterException(root.spec.commandLine(),
                    "say where to export: --out DIR or --s3 s3://bucket/prefix");
        }
        ExportPlan plan = plan();
        if (target.out != null) {
            return export(plan, new DirectoryExportDestination(target.out), out);
        }
        S3Uri uri = S3Uri.parse(target.s3);
        Encryption encryption = Encryption.parse(sse, kmsKeyId);
        Region region = s3Endpoint != null && root.env.get("AWS_REGION") == null ? Region.US_EAST_1 : null;
        try (S3Client s3 = S3ExportDestination.client(s3Endpoint, region)) {
            return export(plan, new S3ExportDestination(s3, uri, encryption), out);
        }
    }

    private ExportPlan plan() {
        if (window == null) {
            return ExportPlan.scheduledDay(clock);
        }
        return window.week != null ? ExportPlan.week(window.week) : ExportPlan.days(window.range.from, window.range.to);
    }

    private int export(ExportPlan plan, ExportDestination destination, PrintWriter out) throws Exception {
        java.util.Optional<java.util.Optional<io.jobwatch.core.catalog.Catalog>> catalog =
                CatalogFiles.loadUserCatalog(config, root.spec.commandLine().getErr());
        if (catalog.isEmpty()) {
            return 2;
        }
        // Days older than the run retention (less a margin) have lost runs already: refuse rather than write a short file.
        java.time.LocalDate oldestSafe = java.time.LocalDate.ofInstant(clock.instant().minus(storeOptions.retention)
                .plus(ExportPlan.DEFAULT_MARGIN), java.time.ZoneOffset.UTC);
        if (plan.days().get(0).isBefore(oldestSafe)) {
            PrintWriter err = root.spec.commandLine().getErr();
            err.println("jobwatch export: cannot export " + plan.days().get(0) + ": runs are kept "
                    + io.jobwatch.core.catalog.Durations.format(storeOptions.retention) + " (--retention), so days before "
                    + oldestSafe + " may have lost runs already; export days while they are within the retention"
                    + " (the scheduled export writes each day the day after it ends)");
            err.flush();
            return 2;
        }
        Manifest m;
        io.jobwatch.core.export.RollupExporter.Result rollups;
        try (io.jobwatch.core.store.RunStore store = storeOptions.open(clock);
             io.jobwatch.core.incident.Incidents incidents = storeOptions.openIncidents(clock)) {
            ExportSource source = new io.jobwatch.core.export.StoreExportSource(store, catalog.get().orElse(null), incidents);
            m = new WeeklyExporter(source, destination, clock, parallel).export(plan);
            rollups = new io.jobwatch.core.export.RollupExporter(store.rollups(), catalog.get().orElse(null), destination)
                    .export(plan.days());
        }
        long bytes = m.objects().stream().mapToLong(Manifest.ObjectEntry::bytes).sum();
        out.printf("exported %s (%s .. %s): %,d runs in %d objects, %,d bytes%n", m.name(), m.from(), m.to(), m.rows(),
                m.objects().size(), bytes);
        StringBuilder states = new StringBuilder();
        for (RunState s : RunState.values()) {
            states.append(states.length() == 0 ? "" : ", ").append(s.name()).append(' ').append(m.states().get(s));
        }
        out.println("  states: " + states);
        out.println("  data: " + destination.describe("runs/"));
        out.println("  manifest: " + destination.describe(plan.manifestKey()));
        out.printf("  rollups: %,d job-days in %d day objects: %s%n", rollups.rows(), rollups.days().size(),
                destination.describe("rollups/"));
        return 0;
    }
}
