package io.jobwatch.core.sla;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.JobBrief;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One SLA evaluation over the store: two reads (every job summary, every open run: {@link RunStore#briefPerJob()} and
 * {@link RunStore#openRuns()}, no query per job), the catalog's policy per job, then {@link SlaEngine#evaluate}.
 * The jobs checked are those with a summary or an open run, plus the catalog's {@link ExpectedJobs}.
 */
public final class SlaCheck {
    private final Catalog catalog;
    private final RunStore store;
    private final SlaEngine engine;
    private final List<JobKey> expected;

    public SlaCheck(Catalog catalog, RunStore store, SlaEngine engine) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.store = Objects.requireNonNull(store, "store");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.expected = ExpectedJobs.of(catalog);
    }

    /** The jobs the catalog names exactly (checked even if they never ran). */
    public List<JobKey> expectedJobs() {
        return expected;
    }

    /** Reads the store once and builds every job's context, ordered by job id. */
    public List<JobContext> contexts() {
        Map<JobKey, JobSummary> summaries = new HashMap<>();
        for (JobBrief b : store.briefPerJob()) {
            summaries.put(b.summary().job(), b.summary());
        }
        Map<JobKey, List<Run>> open = new HashMap<>();
        for (Run r : store.openRuns()) {
            open.computeIfAbsent(r.job(), k -> new ArrayList<>()).add(r);
        }
        Set<JobKey> union = new HashSet<>(summaries.keySet());
        union.addAll(open.keySet());
        union.addAll(expected);
        // Sort by id once per job (id() builds a string; a comparator would build it per comparison).
        Map<String, JobKey> byId = new HashMap<>(union.size() * 2);
        for (JobKey j : union) {
            byId.put(j.id(), j);
        }
        List<String> ids = new ArrayList<>(byId.keySet());
        ids.sort(Comparator.naturalOrder());
        List<JobKey> jobs = new ArrayList<>(ids.size());
        for (String id : ids) {
            jobs.add(byId.get(id));
        }
        List<JobContext> out = new ArrayList<>(jobs.size());
        for (JobKey job : jobs) {
            out.add(new JobContext(catalog.resolve(job), Optional.ofNullable(summaries.get(job)),
                    open.getOrDefault(job, List.of())));
        }
        return out;
    }

    /** The breaches that hold at {@code now}. */
    public List<Breach> evaluate(Instant now) {
        return engine.evaluate(now, contexts());
    }
}
