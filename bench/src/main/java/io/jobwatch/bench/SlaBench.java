package io.jobwatch.bench;

import static io.jobwatch.bench.Measure.max;
import static io.jobwatch.bench.Measure.min;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.sla.Breach;
import io.jobwatch.core.sla.JobContext;
import io.jobwatch.core.sla.SlaCheck;
import io.jobwatch.core.sla.SlaEngine;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One SLA evaluation over a SQLite store, as the sla Lambda / local scheduler runs it every few minutes: 5,000 jobs,
 * each named by an exact catalog rule with a schedule (60% daily cron in Europe/Lisbon, 15% weekday cron with a
 * deadline, 15% hourly cron, 10% rate(1 hour)/rate(4 hours); maxDuration on half), and 7 days of runs (~200,000 runs,
 * 0.1% of them never finished, a few jobs stopped two days ago). Measured: {@link SlaCheck#evaluate} = the two store
 * reads (every summary, every open run) + the engine, per evaluation. "first" is the first evaluation of a freshly
 * loaded catalog (its policy cache empty), as in a cold Lambda.
 */
final class SlaBench {
    static final int JOBS = 5_000;
    static final int DAYS = 7;
    private static final String[] ACCOUNTS = {"123456789012", "234567890123", "345678901234"};

    private SlaBench() {
    }

    static void run(boolean quick) throws IOException {
        Instant start = Instant.parse("2026-03-02T00:00:00Z");
        Instant now = start.plus(Duration.ofDays(DAYS));
        // -Djobwatch.bench.slaDb=FILE keeps the filled store (and reuses it when it exists): filling takes ~40 s.
        String keep = System.getProperty("jobwatch.bench.slaDb");
        Path dir = keep == null ? Files.createTempDirectory("jobwatch-sla-bench") : null;
        Path db = keep == null ? dir.resolve("sla.db") : Path.of(keep);
        boolean reuse = keep != null && Files.exists(db);
        String yaml = catalogYaml();
        long t0 = System.nanoTime();
        int runs;
        try (RunStore store = new SqliteRunStore(db, Clock.fixed(now, ZoneOffset.UTC), RunStore.DEFAULT_RETENTION)) {
            runs = reuse ? countRuns(store, start, now) : fill(store, start, now);
        }
        double fillSeconds = (System.nanoTime() - t0) / 1e9;

        int measured = quick ? 5 : 9;
        int warmups = quick ? 5 : 30;
        double[] warm = new double[measured];
        double[] reads = new double[measured];
        double[] summaries = new double[measured];
        double[] cpu = new double[measured];
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        double first;
        String breaches = "";
        int open = 0;
        int jobs;
        try (RunStore store = new SqliteRunStore(db, Clock.fixed(now, ZoneOffset.UTC), RunStore.DEFAULT_RETENTION)) {
            SlaEngine engine = new SlaEngine();
            SlaCheck check = new SlaCheck(load(yaml), store, engine);
            long f0 = System.nanoTime();
            jobs = check.evaluate(now).size() >= 0 ? check.expectedJobs().size() : 0;
            first = (System.nanoTime() - f0) / 1e6;
            for (int r = -warmups; r < measured; r++) {
                // Every 5 minutes up to the end of the data (the engine ignores runs after the evaluation time).
                Instant at = now.minus(Duration.ofMinutes(5L * (measured - 1 - r)));
                long cpu0 = threads.getCurrentThreadCpuTime();
                long a = System.nanoTime();
                List<JobContext> contexts = check.contexts();
                long b = System.nanoTime();
                List<Breach> found = engine.evaluate(at, contexts);
                long c = System.nanoTime();
                long cpu1 = threads.getCurrentThreadCpuTime();
                store.latestPerJob();
                long d = System.nanoTime();
                if (r >= 0) {
                    summaries[r] = (d - c) / 1e6;
                    cpu[r] = (cpu1 - cpu0) / 1e6;
                    warm[r] = (c - a) / 1e6;
                    reads[r] = (b - a) / 1e6;
                    java.util.Map<String, Long> kinds = new java.util.TreeMap<>();
                    found.forEach(x -> kinds.merge(x.kind() + "/" + x.confidence(), 1L, Long::sum));
                    breaches = found.size() + " breaches " + kinds;
                    open = (int) contexts.stream().mapToLong(x -> x.openRuns().size()).sum();
                }
            }
        } finally {
            if (keep == null) {
                for (String suffix : List.of("", "-wal", "-shm")) {
                    Files.deleteIfExists(Path.of(db + suffix));
                }
                Files.deleteIfExists(dir);
            }
        }
        System.out.printf("| sla-evaluate (SQLite, %,d jobs with schedules, %d days: %,d runs, %,d open) | %.1f ms"
                + " (CPU %.1f ms) | %d evaluations | goal < 50 ms; store reads %.1f ms of it (latestPerJob alone %.1f ms); %s; first evaluation (empty"
                + " policy cache) %.1f ms; min %.1f, max %.1f; store %s in %.0f s |%n", jobs, DAYS, runs, open,
                Bench.median(warm), Bench.median(cpu), measured, Bench.median(reads), Bench.median(summaries), breaches, first, min(warm), max(warm), reuse ? "reused" : "filled", fillSeconds);
    }

    /** Seven days of runs for every job, applied in batches; returns the number of runs. */
    private static int fill(RunStore store, Instant start, Instant now) {
        SplittableRandom rnd = new SplittableRandom(11);
        List<RunEvent> batch = new ArrayList<>();
        int runs = 0;
        for (int j = 0; j < JOBS; j++) {
            JobKey job = job(j);
            boolean stopped = j % 250 == 7; // stopped running two days ago: MISSING
            Instant until = stopped ? now.minus(Duration.ofDays(2)) : now;
            for (Instant due : dueTimes(j, start, until)) {
                Instant s = due.plusSeconds(rnd.nextInt(5, 120));
                if (s.isAfter(now)) {
                    continue;
                }
                Duration took = Duration.ofSeconds(60 + rnd.nextInt(1_800));
                String id = "jr_" + j + "_" + s.getEpochSecond();
                batch.add(new RunEvent(id + "-r", job, id, RunState.RUNNING, "RUNNING", s, s, null, null));
                Instant end = s.plus(took);
                if (rnd.nextInt(1_000) != 0 && !end.isAfter(now)) {
                    RunState st = rnd.nextInt(50) == 0 ? RunState.FAILED : RunState.SUCCEEDED;
                    batch.add(new RunEvent(id + "-e", job, id, st, st.name(), end, s, end,
                            st == RunState.FAILED ? "boom" : null));
                }
                runs++;
                if (batch.size() >= 5_000) {
                    store.applyAll(batch);
                    batch.clear();
                }
            }
        }
        store.applyAll(batch);
        return runs;
    }

    private static int countRuns(RunStore store, Instant start, Instant now) {
        int[] n = {0};
        store.runsBetween(start.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)), r -> n[0]++);
        return n[0];
    }

    private static List<Instant> dueTimes(int j, Instant from, Instant until) {
        List<Instant> out = new ArrayList<>();
        int kind = j % 20;
        Duration every = kind < 15 ? Duration.ofDays(1) : kind < 18 ? Duration.ofHours(1) : kind == 18
                ? Duration.ofHours(1) : Duration.ofHours(4);
        Instant first = from.plus(Duration.ofMinutes((j * 7L) % (kind < 15 ? 1440 : 60)));
        for (Instant t = first; t.isBefore(until); t = t.plus(every)) {
            int dow = t.atZone(ZoneOffset.UTC).getDayOfWeek().getValue();
            if (kind >= 12 && kind < 15 && dow > 5) {
                continue;
            }
            out.add(t);
        }
        return out;
    }

    static JobKey job(int j) {
        return new JobKey(ACCOUNTS[j % 3], "eu-west-1", JobSource.values()[j % JobSource.values().length],
                "job-" + j);
    }

    /** One exact rule per job (source, account, region, jobName): every job is an expected job with a schedule. */
    static String catalogYaml() {
        StringBuilder y = new StringBuilder("version: 1\naccounts:\n");
        for (String a : ACCOUNTS) {
            y.append("  \"").append(a).append("\": {system: S").append(a.charAt(0)).append("}\n");
        }
        y.append("jobs:\n");
        for (int j = 0; j < JOBS; j++) {
            JobKey k = job(j);
            int kind = j % 20;
            int minute = (int) ((j * 7L) % (kind < 15 ? 1440 : 60));
            String expectations = kind < 12
                    ? "{schedule: \"cron(" + minute % 60 + " " + minute / 60 + " * * ? *)\", timezone: UTC"
                    + (j % 2 == 0 ? ", maxDuration: 1h" : "") + "}"
                    : kind < 15 ? "{schedule: \"cron(" + minute % 60 + " " + minute / 60 + " ? * MON-FRI *)\","
                    + " timezone: UTC, deadline: \"" + String.format("%02d:%02d", (minute / 60 + 2) % 24, minute % 60)
                    + "\"}"
                    : kind < 18 ? "{schedule: \"cron(" + minute + " * * * ? *)\", maxDuration: 45m}"
                    : kind == 18 ? "{schedule: \"rate(1 hour)\"}" : "{schedule: \"rate(4 hours)\", maxDuration: 1h}";
            y.append("  - name: job-").append(j).append('\n')
                    .append("    match: {source: [").append(k.source().id()).append("], account: [\"").append(k.account())
                    .append("\"], region: [").append(k.region()).append("], jobName: [").append(k.jobName()).append("]}\n")
                    .append("    expectations: ").append(expectations).append('\n');
        }
        return y.toString();
    }

    private static Catalog load(String yaml) {
        CatalogResult r = CatalogLoader.load("sla-bench.yml", yaml);
        if (r instanceof CatalogResult.Invalid invalid) {
            throw new IllegalStateException("generated catalog is invalid: " + invalid.errors().get(0));
        }
        return ((CatalogResult.Loaded) r).catalog();
    }

}
