package io.jobwatch.bench;

import io.jobwatch.core.export.CsvRunWriter;
import io.jobwatch.core.export.ExportPlan;
import io.jobwatch.core.export.ExportRow;
import io.jobwatch.core.export.Manifest;
import io.jobwatch.core.export.StoreExportSource;
import io.jobwatch.core.export.WeeklyExporter;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The weekly export read from a real store, side by side with the seed's way (read everything into a list, then one
 * gzip file) in the same run and on the same data:
 * <ul>
 *   <li>{@code export-sqlite}: a SQLite store holding the simulated week at {@code --scale} (2× ≈ the seed's 10,600
 *   runs; default), the streaming export vs {@code SELECT} everything into a list + one gzip;
 *   <li>{@code export-sqlite-1m}: 1,000,000 runs in SQLite (filled once, one event per run), meant for
 *   {@code java -Xmx256m}: the streaming export's peak RSS vs the list-first baseline;
 *   <li>{@code export-dynalite}: the simulated week at {@code --scale} in the Jobwatch table and in the seed's table,
 *   the export (per-day Queries) vs the Scan into a list, with a breakdown of where the export's time goes.
 * </ul>
 */
final class ExportStoreBench {
    private static final int PARALLELISM = 4;

    private ExportStoreBench() {
    }

    // ---- SQLite at seed volume -----------------------------------------------------------------------------------

    static void sqlite(int scale, boolean quick, PrintStream out) throws IOException {
        Workload w = Workload.of(scale, 7);
        Path dir = Files.createTempDirectory("jobwatch-export-bench-");
        Path db = dir.resolve("runs.db");
        try {
            try (RunStore store = new SqliteRunStore(db, Clock.systemUTC(), RunStore.DEFAULT_RETENTION)) {
                store.applyAll(w.events());
            }
            compareSqlite(db, ExportPlan.days(w.first(), w.lastDay()), String.format("%d×, a simulated week", scale),
                    quick ? 3 : 15, quick ? 2 : 10, out);
        } finally {
            deleteTree(dir);
        }
    }

    // ---- SQLite, 1M runs (run with -Xmx256m) ---------------------------------------------------------------------

    /** One finished run per event, spread evenly over the week; written in batches so filling fits a small heap. */
    static void sqlite1m(int runs, boolean quick, PrintStream out) throws IOException {
        String kept = System.getProperty("jobwatch.bench.exportDb");
        Path db = kept != null ? Path.of(kept) : Files.createTempDirectory("jobwatch-export-1m-").resolve("runs.db");
        ExportPlan plan = ExportPlan.days(Workload.FIRST_DAY, Workload.FIRST_DAY.plusDays(6));
        try {
            if (!Files.exists(db)) {
                long t0 = System.nanoTime();
                fill(db, runs);
                out.printf("<!-- filled %s with %,d runs in %.0f s -->%n", db, runs, (System.nanoTime() - t0) / 1e9);
            }
            compareSqlite(db, plan, String.format("%,d runs", runs), quick ? 2 : 5, 1, out);
        } finally {
            if (kept == null) {
                deleteTree(db.getParent());
            }
        }
    }

    private static void fill(Path db, int runs) {
        JobSource[] sources = {JobSource.GLUE_JOB, JobSource.STEP_FUNCTIONS, JobSource.BATCH, JobSource.EMR_SERVERLESS};
        Instant week = Workload.FIRST_DAY.atStartOfDay(ZoneOffset.UTC).toInstant();
        long span = Duration.ofDays(7).toMillis();
        try (RunStore store = new SqliteRunStore(db, Clock.systemUTC(), RunStore.DEFAULT_RETENTION)) {
            List<RunEvent> batch = new ArrayList<>(10_000);
            for (int i = 0; i < runs; i++) {
                int job = i % 5_000;
                JobKey key = new JobKey(job % 3 == 0 ? "123456789012" : job % 3 == 1 ? "234567890123" : "345678901234",
                        "eu-west-1", sources[job % sources.length], "job-" + job);
                Instant start = week.plusMillis(span * i / runs);
                Instant end = start.plusSeconds(30 + (i * 7919L) % 3600);
                boolean failed = i % 20 == 0;
                batch.add(new RunEvent("ev-" + i, key, "run-" + i, failed ? RunState.FAILED : RunState.SUCCEEDED,
                        failed ? "FAILED" : "SUCCEEDED", end, start, end, failed ? "AccessDenied (Service: Amazon S3;"
                        + " Status Code: 403), \"s3://raw/x\" in run " + i : null));
                if (batch.size() == 10_000) {
                    store.applyAll(batch);
                    batch.clear();
                }
            }
            store.applyAll(batch);
        }
    }

    private static void compareSqlite(Path db, ExportPlan plan, String what, int runs, int warmups, PrintStream out) {
        Clock clock = Clock.fixed(plan.to().plusDays(1).atTime(3, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        long[] rows = new long[2];
        long[] rss = new long[2];
        out.println("| benchmark | median | runs | note |");
        out.println("|---|---|---|---|");
        try (RunStore store = new SqliteRunStore(db, clock, RunStore.DEFAULT_RETENTION)) {
            for (int level : new int[] {CsvRunWriter.GZIP_DEFAULT_LEVEL, Deflater.BEST_SPEED}) {
                long[] r = new long[1];
                long[] peak = new long[1];
                Cpu cpu = new Cpu(null);
                double[] ms = timed(warmups, runs, peak, cpu.of(() -> {
                    Manifest m = new WeeklyExporter(new StoreExportSource(store, null, null),
                            new ExportBench.CountingDestination(), clock, PARALLELISM, level).export(plan);
                    r[0] = m.rows();
                }));
                if (level == CsvRunWriter.GZIP_DEFAULT_LEVEL) {
                    rows[0] = r[0];
                    rss[0] = peak[0];
                }
                row(out, String.format("export from SQLite (%s): streaming, per day, %d threads, gzip %d", what,
                        PARALLELISM, level), ms, r[0], peak[0], cpu.perRun());
            }
        }
        try {
            long[] r = new long[1];
            long[] peak = new long[1];
            Cpu cpu = new Cpu(null);
            double[] ms = timed(warmups, runs, peak,
                    cpu.of(() -> r[0] = sqliteBaseline(db, plan, OutputStream.nullOutputStream())));
            rows[1] = r[0];
            rss[1] = peak[0];
            row(out, String.format("export from SQLite (%s): baseline, SELECT everything into a list, one gzip 6", what),
                    ms, r[0], peak[0], cpu.perRun());
        } catch (OutOfMemoryError e) {
            out.printf("| export from SQLite (%s): baseline, SELECT everything into a list, one gzip 6 | OutOfMemoryError"
                    + " | – | max heap %,d MB: %s |%n", what, Runtime.getRuntime().maxMemory() >> 20, e.getMessage());
        }
    }

    /** The seed's way on SQLite: every run of the table into a list, keep the window's, then one gzip file. */
    static long sqliteBaseline(Path db, ExportPlan plan, OutputStream out) throws SQLException, IOException {
        long from = plan.from().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long to = plan.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        List<ExportRow> all = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT job_id, run_id, state, source_state, started_at, ended_at, error,"
                     + " first_seen, last_updated, event_count, sort_time FROM runs")) {
            while (rs.next()) {
                long t = rs.getLong(11);
                if (t < from || t >= to) {
                    continue;
                }
                JobKey job = JobKey.parse(rs.getString(1));
                Instant start = time(rs.getString(5));
                Instant end = time(rs.getString(6));
                all.add(new ExportRow(rs.getString(2), job.source(), job.account(), null, job.region(), job.jobName(),
                        null, null, RunState.valueOf(rs.getString(3)), rs.getString(4), start, end,
                        ExportRow.durationSeconds(start, end), rs.getString(7), null, rs.getInt(10),
                        time(rs.getString(8)), time(rs.getString(9))));
            }
        }
        CsvRunWriter w = new CsvRunWriter(out, CsvRunWriter.GZIP_DEFAULT_LEVEL);
        for (ExportRow r : all) {
            w.write(r);
        }
        return w.finish().rows();
    }

    private static Instant time(String s) {
        return s == null ? null : Instant.parse(s);
    }

    // ---- dynalite ------------------------------------------------------------------------------------------------

    static void dynalite(int scale, boolean quick, PrintStream out) throws IOException {
        Workload w = Workload.of(scale, quick ? 2 : 7);
        ExportPlan plan = ExportPlan.days(w.first(), w.lastDay());
        Instant from = w.first().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = w.lastDay().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        int runs = quick ? 3 : 5;
        // Read units only: the parallel fill's writes are timed, not billed (billing index writes would read each
        // item before and after every write).
        CapacityMeter meter = new CapacityMeter();
        try (Dynalite d = Dynalite.start(); DynamoDbClient client = d.client(meter)) {
            DynamoRunStore.createTable(client, "jobwatch");
            SeedTable.create(client, "seed");
            long t0 = System.nanoTime();
            RunStore store = new DynamoRunStore(client, "jobwatch", Clock.systemUTC(), RunStore.DEFAULT_RETENTION);
            fillInParallel(w.events(), store::apply);
            SeedIngestBaseline seed = new SeedIngestBaseline(client, "seed", Clock.systemUTC());
            fillInParallel(w.events(), seed::apply);
            out.printf("<!-- dynalite: %,d events into both tables in %.0f s -->%n", w.events().size(),
                    (System.nanoTime() - t0) / 1e9);
            Clock exportClock = Clock.fixed(to.plus(Duration.ofHours(3)), ZoneOffset.UTC);
            RunStore reader = new DynamoRunStore(client, "jobwatch", exportClock, RunStore.DEFAULT_RETENTION);
            out.println("| benchmark | median | runs | note |");
            out.println("|---|---|---|---|");
            String what = String.format("%d×, %d days", scale, plan.days().size());
            long[] rows = new long[1];
            long[] peak = new long[1];
            for (int threads : new int[] {PARALLELISM, 1}) {
                for (int level : new int[] {CsvRunWriter.GZIP_DEFAULT_LEVEL, Deflater.BEST_SPEED}) {
                    if (threads == 1 && level == Deflater.BEST_SPEED) {
                        continue;
                    }
                    meter.reset();
                    Cpu cpu = new Cpu(d);
                    double[] ms = timed(1, runs, peak, cpu.of(() -> rows[0] = new WeeklyExporter(
                            new StoreExportSource(reader, null, null), new ExportBench.CountingDestination(),
                            exportClock, threads, level).export(plan).rows()));
                    CapacityMeter.Usage u = meter.usage();
                    row(out, String.format("export from dynalite (%s): per-job Queries, %d thread(s), gzip %d", what,
                            threads, level), ms, rows[0], peak[0],
                            String.format("; %.0f RRU, %s per export%s", u.readUnits() / (runs + 1),
                                    perRun(u.requests(), runs + 1), cpu.perRun()));
                }
            }
            // Where the time goes: dynalite serving the pages, the SDK + fold into Runs, then CSV + gzip.
            long[] items = new long[1];
            List<String> jobs = new java.util.ArrayList<>();
            client.queryPaginator(QueryRequest.builder().tableName("jobwatch").indexName("briefs")
                            .keyConditionExpression("b = :b").projectionExpression("pk")
                            .expressionAttributeValues(Map.of(":b", AttributeValue.fromS("SUMMARY"))).build())
                    .items().forEach(i -> jobs.add(i.get("pk").s()));
            Cpu pagesCpu = new Cpu(d);
            double[] pages = timed(1, runs, peak, pagesCpu.of(() -> {
                items[0] = 0;
                for (LocalDate day = w.first(); !day.isAfter(w.lastDay()); day = day.plusDays(1)) {
                    long lo = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                    for (String job : jobs) {
                        client.queryPaginator(QueryRequest.builder().tableName("jobwatch").indexName("byTime")
                                .keyConditionExpression("pk = :pk AND t BETWEEN :lo AND :hi")
                                .select(software.amazon.awssdk.services.dynamodb.model.Select.ALL_ATTRIBUTES)
                                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(job),
                                        ":lo", AttributeValue.fromN(Long.toString(lo)),
                                        ":hi", AttributeValue.fromN(Long.toString(lo + 86_399_999L)))).build())
                                .forEach(p -> items[0] += p.count());
                    }
                }
            }));
            row(out, String.format("  breakdown (%s): the same per-job Queries, pages only (1 thread, SDK unmarshalling incl.)",
                    what), pages, items[0], peak[0], pagesCpu.perRun());
            AtomicLong folded = new AtomicLong();
            Cpu foldCpu = new Cpu(d);
            double[] fold = timed(1, runs, peak, foldCpu.of(() -> reader.runsBetween(from, to, r -> folded.incrementAndGet())));
            row(out, String.format("  breakdown (%s): runsBetween of the week, 1 thread (Queries + fold into Runs)",
                    what), fold, folded.get() / (runs + 1), peak[0], foldCpu.perRun());
            Cpu scanCpu = new Cpu(d);
            double[] scanOnly = timed(1, runs, peak, scanCpu.of(() -> {
                items[0] = 0;
                SeedTable.scan(client, "seed", i -> items[0]++);
            }));
            row(out, String.format("  seed (%s): the Scan only", what), scanOnly, items[0], peak[0],
                    scanCpu.perRun());
            meter.reset();
            Cpu seedCpu = new Cpu(d);
            double[] seedMs = timed(1, runs, peak, seedCpu.of(() -> rows[0] = SeedExportBaseline.export(client, "seed",
                    from, to, OutputStream.nullOutputStream())));
            CapacityMeter.Usage su = meter.usage();
            row(out, String.format("export from dynalite (%s): seed baseline, Scan into a list, one gzip 6", what),
                    seedMs, rows[0], peak[0], String.format("; %.0f RRU, %s per export%s", su.readUnits() / (runs + 1),
                            perRun(su.requests(), runs + 1), seedCpu.perRun()));
        }
    }

    /**
     * CPU used by dynalite (its Node process) and by this JVM since construction: unlike wall time, it does not depend
     * on what else the shared machine runs, and it says which side the time is spent on.
     */
    private static final class Cpu {
        private final Dynalite dynalite;
        private long dynaliteNanos;
        private long jvmNanos;
        private int calls;

        Cpu(Dynalite dynalite) {
            this.dynalite = dynalite;
        }

        /** The task, with the CPU both sides spend inside it added up (not the GC between runs). */
        Measure.Task of(Measure.Task task) {
            return () -> {
                long d0 = dynalite == null ? 0 : dynalite.cpuTime().toNanos();
                long j0 = jvmCpu();
                task.run();
                jvmNanos += jvmCpu() - j0;
                dynaliteNanos += dynalite == null ? 0 : dynalite.cpuTime().toNanos() - d0;
                calls++;
            };
        }

        String perRun() {
            double jvm = jvmNanos / 1e6 / Math.max(1, calls);
            return dynalite == null ? String.format("; JVM CPU per run %,.0f ms", jvm)
                    : String.format("; CPU per run: dynalite %,.0f ms, JVM %,.0f ms",
                    dynaliteNanos / 1e6 / Math.max(1, calls), jvm);
        }

        private static long jvmCpu() {
            return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
        }
    }

    private static String perRun(Map<String, Long> requests, int runs) {
        Map<String, Long> m = new HashMap<>();
        requests.forEach((k, v) -> m.put(k, v / runs));
        return m.toString();
    }

    /** Applies the events on 4 threads, each job's events on one thread in delivery order (dynalite fills faster). */
    private static void fillInParallel(List<RunEvent> events, java.util.function.Consumer<RunEvent> apply) {
        int n = 4;
        List<List<RunEvent>> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parts.add(new ArrayList<>());
        }
        for (RunEvent e : events) {
            parts.get(Math.floorMod(e.job().id().hashCode(), n)).add(e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (List<RunEvent> part : parts) {
                fs.add(pool.submit(() -> part.forEach(apply)));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("filling the tables failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static double[] timed(int warmups, int runs, long[] peakRss, Measure.Task task) {
        peakRss[0] = 0;
        return Measure.millis(warmups, runs, () -> {
            System.gc();
            Measure.resetPeakRss();
        }, () -> {
            task.run();
            peakRss[0] = Math.max(peakRss[0], Measure.peakRss());
        });
    }

    private static void row(PrintStream out, String name, double[] ms, long rows, long rss) {
        row(out, name, ms, rows, rss, "");
    }

    private static void row(PrintStream out, String name, double[] ms, long rows, long rss, String more) {
        out.printf("| %s | %,.0f ms | %d × %,d rows | min %,.0f, max %,.0f; peak RSS %s; max heap %,d MB; load %.1f%s |%n",
                name, Measure.median(ms), ms.length, rows, Measure.min(ms), Measure.max(ms),
                rss < 0 ? "n/a" : String.format("%,d MB", rss >> 20), Runtime.getRuntime().maxMemory() >> 20,
                Measure.loadAverage(), more);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
