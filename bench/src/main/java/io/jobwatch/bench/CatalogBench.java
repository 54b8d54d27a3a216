package io.jobwatch.bench;

import static io.jobwatch.bench.Measure.max;
import static io.jobwatch.bench.Measure.min;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Catalog resolution on one thread: a generated 2,000-rule catalog (exact names, prefixes, source × system rules, the
 * shapes real catalogs have) and 100,000 runs of 5,000 distinct jobs in random order. Cold: a freshly loaded catalog,
 * so each job's first run matches the rules and the rest hit the cache. Warm: the same runs again. Miss: 5,000
 * distinct jobs on a fresh catalog, every lookup a rule match.
 */
final class CatalogBench {
    static final int RULES = 2_000;
    static final int JOBS = 5_000;
    static final int RUNS = 100_000;
    private static final String[] ACCOUNTS = {"123456789012", "234567890123", "345678901234"};
    private static final String[] SYSTEMS = {"ERP", "FinData", "Analytics"};
    private static final String[] PREFIXES = {"erp", "fin", "analytics"};

    private CatalogBench() {
    }

    static void run(boolean quick) {
        String yaml = catalogYaml();
        List<JobKey> jobs = jobs();
        SplittableRandom rnd = new SplittableRandom(7);
        JobKey[] runs = new JobKey[RUNS];
        for (int i = 0; i < RUNS; i++) {
            runs[i] = jobs.get(rnd.nextInt(JOBS));
        }
        int measured = quick ? 5 : 7;
        int warmups = quick ? 2 : 5;

        double[] loads = new double[measured];
        double[] cold = new double[measured];
        double[] warm = new double[measured];
        double[] miss = new double[measured];
        double coldHitRate = 0;
        double warmHitRate = 0;
        long sink = 0;
        for (int r = -warmups; r < measured; r++) {
            long t0 = System.nanoTime();
            Catalog c = load(yaml);
            long t1 = System.nanoTime();
            sink += pass(c, runs);
            long t2 = System.nanoTime();
            Catalog.CacheStats afterCold = c.cacheStats();
            sink += pass(c, runs);
            long t3 = System.nanoTime();
            Catalog.CacheStats afterWarm = c.cacheStats();
            Catalog fresh = load(yaml);
            long t4 = System.nanoTime();
            for (JobKey j : jobs) {
                sink += fresh.resolve(j).ruleIndex();
            }
            long t5 = System.nanoTime();
            if (r >= 0) {
                loads[r] = (t1 - t0) / 1e6;
                cold[r] = RUNS / ((t2 - t1) / 1e9);
                warm[r] = RUNS / ((t3 - t2) / 1e9);
                miss[r] = JOBS / ((t5 - t4) / 1e9);
                coldHitRate = afterCold.hitRate();
                long warmHits = afterWarm.hits() - afterCold.hits();
                long warmMisses = afterWarm.misses() - afterCold.misses();
                warmHitRate = (double) warmHits / (warmHits + warmMisses);
            }
        }
        String shape = String.format("%,d rules, %,d runs of %,d jobs", RULES, RUNS, JOBS);
        System.out.printf("| catalog-resolve warm (%s, 1 thread) | %,.0f runs/s | %d × %,d runs | goal ≥ 1,000,000/s;"
                + " cache hit rate %.1f%%; min %,.0f, max %,.0f |%n", shape, Bench.median(warm), measured, RUNS,
                warmHitRate * 100, min(warm), max(warm));
        System.out.printf("| catalog-resolve cold (fresh catalog, %s) | %,.0f runs/s | %d × %,d runs | cache hit rate"
                + " %.1f%% (first run of each job matches the rules); min %,.0f, max %,.0f |%n", shape, Bench.median(cold),
                measured, RUNS, coldHitRate * 100, min(cold), max(cold));
        System.out.printf("| catalog-resolve miss (rule matching only, %,d rules) | %,.0f jobs/s | %d × %,d jobs |"
                + " every lookup a cache miss; min %,.0f, max %,.0f |%n", RULES, Bench.median(miss), measured, JOBS,
                min(miss), max(miss));
        System.out.printf("| catalog-load (parse + validate + compile %,d rules) | %,.0f ms | %d loads | %,d bytes of YAML"
                + " (checksum %d) |%n", RULES, Bench.median(loads), measured, yaml.length(), sink % 10);
    }

    private static long pass(Catalog c, JobKey[] runs) {
        long s = 0;
        for (JobKey k : runs) {
            s += c.resolve(k).ruleIndex();
        }
        return s;
    }

    private static Catalog load(String yaml) {
        CatalogResult r = CatalogLoader.load("bench.yml", yaml);
        if (r instanceof CatalogResult.Invalid invalid) {
            throw new IllegalStateException("generated catalog is invalid: " + invalid.errors().get(0));
        }
        return ((CatalogResult.Loaded) r).catalog();
    }

    /** 1,500 exact-name rules, 400 prefix rules, 100 source × system rules; teams and expectations on some. */
    static String catalogYaml() {
        StringBuilder y = new StringBuilder("accounts:\n");
        for (int a = 0; a < 3; a++) {
            y.append("  \"").append(ACCOUNTS[a]).append("\": {system: ").append(SYSTEMS[a]).append(", environment: prod}\n");
        }
        y.append("teams:\n");
        for (int t = 0; t < 20; t++) {
            y.append("  team-").append(t).append(": {recipients: [team-").append(t).append("@example.com], timezone: UTC}\n");
        }
        y.append("jobs:\n");
        JobSource[] sources = JobSource.values();
        for (int i = 0; i < RULES; i++) {
            y.append("  - name: rule-").append(i).append('\n');
            if (i < 1_500) {
                y.append("    match: {jobName: [").append(jobName(i * 3)).append("]}\n");
                y.append("    criticality: ").append(i % 10 == 0 ? "critical" : "high").append('\n');
                y.append("    expectations: {schedule: \"cron(").append(i % 60).append(' ').append(i % 24)
                        .append(" * * ? *)\", maxDuration: 1h}\n");
            } else if (i < 1_900) {
                int p = i - 1_500;
                y.append("    match: {jobName: [{prefix: \"").append(PREFIXES[p % 3]).append('-').append(p)
                        .append("-\"}]}\n");
            } else {
                int p = i - 1_900;
                y.append("    match: {source: [").append(sources[p % sources.length].id()).append("], system: [")
                        .append(SYSTEMS[p % 3]).append("], region: [r").append(p).append("]}\n");
            }
            y.append("    team: team-").append(i % 20).append('\n');
        }
        return y.toString();
    }

    /** 5,000 jobs: a third named by exact rules, the rest falling to prefix rules or the defaults. */
    static List<JobKey> jobs() {
        List<JobKey> out = new ArrayList<>(JOBS);
        JobSource[] sources = JobSource.values();
        for (int i = 0; i < JOBS; i++) {
            int a = i % 3;
            out.add(new JobKey(ACCOUNTS[a], "eu-west-1", sources[i % sources.length], jobName(i)));
        }
        return out;
    }

    private static String jobName(int i) {
        return PREFIXES[i % 3] + "-" + (i % 700) + "-job-" + i;
    }

}
