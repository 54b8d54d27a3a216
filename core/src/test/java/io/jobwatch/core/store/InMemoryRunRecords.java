package io.jobwatch.core.store;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@link RunRecords} in maps: the reference back end, so the whole store contract runs in milliseconds through the
 * same {@link RecordRunStore} the adapters use. One lock; reads scan the maps (it is a test back end).
 */
public final class InMemoryRunRecords implements RunRecords {
    private final TreeMap<String, TreeMap<String, Run>> runs = new TreeMap<>();
    private final Map<RunKey, Set<String>> eventIds = new HashMap<>();
    private final Map<JobKey, JobSummaryState> summaries = new HashMap<>();
    private final List<ParkedEvent> parked = new ArrayList<>();
    private final Map<String, Instant> parkedExpiry = new HashMap<>();
    private long parkedIds;
    private final InMemoryRollupRecords rollups = new InMemoryRollupRecords();

    /** A store over fresh, empty in-memory records. */
    public static RecordRunStore store(java.time.Clock clock, java.time.Duration retention) {
        return new RecordRunStore(new InMemoryRunRecords(), clock, retention);
    }

    @Override
    public synchronized Appended append(RunKey key, RunEvent event, Instant now, Instant expiresAt,
                                        UnaryOperator<Run> fold) {
        Run stored = row(key);
        Run live = stored == null || stored.expired(now) ? null : stored;
        if (live == null) {
            eventIds.remove(key);
        } else if (eventIds.getOrDefault(key, Set.of()).contains(event.eventId())) {
            return new Appended(live, live, true);
        }
        Run next = fold.apply(live);
        put(next);
        eventIds.computeIfAbsent(key, k -> new HashSet<>()).add(event.eventId());
        return new Appended(live, next, false);
    }

    @Override
    public synchronized Optional<Run> lastRunUpTo(JobKey job, String prefix, String upTo) {
        TreeMap<String, Run> m = runs.get(job.id());
        if (m == null) {
            return Optional.empty();
        }
        var e = m.floorEntry(upTo);
        return e == null || !e.getKey().startsWith(prefix) ? Optional.empty() : Optional.of(e.getValue());
    }

    @Override
    public synchronized Optional<Run> firstRunAfter(JobKey job, String prefix, String after) {
        TreeMap<String, Run> m = runs.get(job.id());
        if (m == null) {
            return Optional.empty();
        }
        var e = m.higherEntry(after);
        return e == null || !e.getKey().startsWith(prefix) ? Optional.empty() : Optional.of(e.getValue());
    }

    @Override
    public synchronized Absorbed absorb(RunKey from, RunKey into, Instant now, Instant expiresAt,
                                        BinaryOperator<Run> combine) {
        Run source = row(from);
        Run target = row(into);
        if (source == null || target == null) {
            return new Absorbed(target, target, false);
        }
        Run merged = combine.apply(target, source);
        put(merged);
        eventIds.computeIfAbsent(into, k -> new HashSet<>()).addAll(eventIds.getOrDefault(from, Set.of()));
        eventIds.remove(from);
        runs.get(from.job().id()).remove(from.runId());
        return new Absorbed(target, merged, true);
    }

    @Override
    public synchronized void summarize(JobKey job, SummaryUpdate update, Instant now) {
        summaries.put(job, update.applyTo(summaries.getOrDefault(job, JobSummaryState.empty()), now));
    }

    @Override
    public synchronized <T> T batch(Supplier<T> work) {
        return work.get();
    }

    @Override
    public synchronized Optional<Run> run(RunKey key) {
        return Optional.ofNullable(row(key));
    }

    @Override
    public synchronized List<Run> runsOfJob(JobKey job, int limit, Instant now) {
        return runs.getOrDefault(job.id(), new TreeMap<>()).values().stream().filter(r -> !r.expired(now))
                .sorted(Comparator.comparing(Run::sortTime).thenComparing(Run::runId).reversed()).limit(limit)
                .toList();
    }

    @Override
    public synchronized List<Run> openRuns(Instant now) {
        List<Run> out = new ArrayList<>();
        runs.values().forEach(m -> m.values().stream().filter(r -> !r.terminal() && !r.expired(now)).forEach(out::add));
        out.sort(Comparator.comparing((Run r) -> r.job().id()).thenComparing(Run::sortTime).thenComparing(Run::runId));
        return out;
    }

    @Override
    public synchronized Optional<JobSummary> summary(JobKey job) {
        JobSummaryState s = summaries.get(job);
        return s == null ? Optional.empty() : Optional.ofNullable(s.toSummary(job));
    }

    @Override
    public synchronized List<JobSummary> summaries() {
        List<JobSummary> out = new ArrayList<>();
        summaries.forEach((job, s) -> {
            JobSummary summary = s.toSummary(job);
            if (summary != null) {
                out.add(summary);
            }
        });
        out.sort(Comparator.comparing(s -> s.job().id()));
        return out;
    }

    @Override
    public synchronized List<JobBrief> briefs() {
        return summaries().stream().map(s -> new JobBrief(s, null)).toList();
    }

    @Override
    public synchronized void runsBetween(Instant from, Instant to, Instant now, Consumer<Run> sink) {
        List<Run> all = new ArrayList<>();
        runs.values().forEach(m -> m.values().stream().filter(r -> !r.expired(now) && !r.sortTime().isBefore(from)
                && r.sortTime().isBefore(to)).forEach(all::add));
        all.sort(Comparator.comparing((Run r) -> r.sortTime().atZone(ZoneOffset.UTC).toLocalDate())
                .thenComparing(Run::sortTime).thenComparing(r -> r.job().id()).thenComparing(Run::runId));
        all.forEach(sink);
    }

    @Override
    public RollupRecords rollups() {
        return rollups;
    }

    @Override
    public synchronized ParkedEvent park(String raw, String reason, String source, Instant now, Instant expiresAt) {
        ParkedEvent p = new ParkedEvent(Long.toString(++parkedIds), now, source, reason, raw);
        parked.add(p);
        parkedExpiry.put(p.id(), expiresAt);
        return p;
    }

    @Override
    public synchronized List<ParkedEvent> parked(int limit, Instant now) {
        List<ParkedEvent> out = new ArrayList<>();
        for (int i = parked.size() - 1; i >= 0 && out.size() < limit; i--) {
            ParkedEvent p = parked.get(i);
            if (now.isBefore(parkedExpiry.get(p.id()))) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public synchronized int purgeExpired(Instant now) {
        int n = 0;
        for (TreeMap<String, Run> m : runs.values()) {
            var it = m.values().iterator();
            while (it.hasNext()) {
                Run r = it.next();
                if (r.expired(now)) {
                    it.remove();
                    eventIds.remove(r.key());
                    n++;
                }
            }
        }
        int before = parked.size();
        parked.removeIf(p -> !now.isBefore(parkedExpiry.get(p.id())));
        return n + before - parked.size() + rollups.purgeExpired(now);
    }

    @Override
    public void close() {
    }

    private Run row(RunKey key) {
        TreeMap<String, Run> m = runs.get(key.job().id());
        return m == null ? null : m.get(key.runId());
    }

    private void put(Run run) {
        runs.computeIfAbsent(run.job().id(), k -> new TreeMap<>()).put(run.runId(), run);
    }
}
