package io.jobwatch.cli;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.Criticality;
import io.jobwatch.core.catalog.Durations;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The demo's view through the catalog: runs and failures per system and team, and the important jobs in trouble. */
final class DemoOwnership {
    private final Catalog catalog;
    private final String catalogName;
    private final Map<JobKey, int[]> perJob = new LinkedHashMap<>(); // [terminal runs, failed runs, events]

    DemoOwnership(Catalog catalog, String catalogName) {
        this.catalog = catalog;
        this.catalogName = catalogName;
    }

    /** A job of the estate (listed even when it never runs). */
    void job(JobKey job) {
        perJob.computeIfAbsent(job, k -> new int[3]);
    }

    void event(RunEvent e) {
        int[] counts = perJob.computeIfAbsent(e.job(), k -> new int[3]);
        counts[2]++;
        if (e.state().terminal()) {
            counts[0]++;
            if (e.state().failed()) {
                counts[1]++;
            }
        }
    }

    void print(PrintWriter out) {
        record Row(String system, String team) {
        }
        Map<Row, int[]> rows = new TreeMap<>(Comparator.comparing(Row::system).thenComparing(Row::team));
        List<JobPolicy> trouble = new ArrayList<>();
        int matched = 0;
        for (Map.Entry<JobKey, int[]> e : perJob.entrySet()) {
            JobPolicy p = catalog.resolve(e.getKey());
            matched += p.matchedRule() ? 1 : 0;
            int[] r = rows.computeIfAbsent(new Row(p.system(), p.team().name()), k -> new int[5]);
            r[0]++;
            r[1] += e.getValue()[0];
            r[2] += e.getValue()[1];
            r[3] += p.criticality() == Criticality.CRITICAL ? 1 : 0;
            r[4] += p.criticality() == Criticality.HIGH ? 1 : 0;
            boolean important = p.criticality().compareTo(Criticality.HIGH) <= 0;
            boolean silent = e.getValue()[0] == 0 && (e.getValue()[2] > 0 || p.expectations().schedule().isPresent());
            if (important && (e.getValue()[1] > 0 || silent)) {
                trouble.add(p);
            }
        }
        out.printf("%nOwnership (catalog: %s): %d of %d jobs matched a rule%n", catalogName, matched, perJob.size());
        out.printf("%-10s %-15s %5s %6s %7s %9s %5s%n", "system", "team", "jobs", "runs", "failed", "critical", "high");
        rows.forEach((row, r) -> out.printf("%-10s %-15s %5d %6d %7d %9d %5d%n", row.system(), row.team(), r[0], r[1],
                r[2], r[3], r[4]));

        trouble.sort(Comparator.comparing(JobPolicy::criticality)
                .thenComparing(p -> -perJob.get(p.job())[1]).thenComparing(p -> p.job().jobName()));
        out.printf("%nCritical and high jobs in trouble: %d%n", trouble.size());
        int shown = 0;
        for (JobPolicy p : trouble) {
            if (shown++ == 15) {
                out.printf("  … and %d more%n", trouble.size() - 15);
                break;
            }
            int[] c = perJob.get(p.job());
            String what = c[0] > 0 ? c[1] + " of " + c[0] + " runs failed"
                    : c[2] > 0 ? "started, never finished" + p.expectations().maxDuration()
                            .map(d -> " (max duration " + Durations.format(d) + ")").orElse("")
                    : "no run seen (expected " + p.expectations().schedule().get().expression() + " "
                            + p.expectations().timezone().getId() + ")";
            out.printf("  %-8s %-34s %-" + SourcesCommand.ID_WIDTH + "s %-9s %-14s %s%n", p.criticality().id(), p.job().jobName(), p.job().source().id(),
                    p.system(), p.team().name(), what);
        }
    }
}
