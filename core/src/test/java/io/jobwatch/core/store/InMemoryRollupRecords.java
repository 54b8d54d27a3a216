package io.jobwatch.core.store;

import io.jobwatch.core.run.JobKey;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/** {@link RollupRecords} in maps: the reference back end of the rollup contract. One lock. */
public final class InMemoryRollupRecords implements RollupRecords {
    private record Day(List<JobLines> materialized, Map<String, JobLine> lines) {
    }

    private final TreeMap<LocalDate, Day> days = new TreeMap<>();
    private final Map<LocalDate, Instant> materializedExpiry = new HashMap<>();
    private final Map<String, Instant> lineExpiry = new HashMap<>();
    private final TreeMap<String, OpenInterval> open = new TreeMap<>();
    private final TreeMap<LocalDate, Instant> changed = new TreeMap<>();
    private LocalDate lastPass;

    private Day day(LocalDate d) {
        return days.computeIfAbsent(d, k -> new Day(new ArrayList<>(), new HashMap<>()));
    }

    private static String lineKey(JobKey job, RollupLine line) {
        return job.id() + "\n" + (line instanceof RollupLine.RunLine ? "r" : "i") + "\n" + line.key();
    }

    @Override
    public synchronized void putDay(LocalDate day, List<JobLines> jobs, Instant expiresAt) {
        Day d = day(day);
        d.materialized().clear();
        d.materialized().addAll(jobs);
        materializedExpiry.put(day, expiresAt);
    }

    @Override
    public synchronized void putLine(JobKey job, LocalDate day, RollupLine line, Instant expiresAt) {
        String k = lineKey(job, line);
        JobLine stored = day(day).lines().get(k);
        if (stored == null || stored.line().version() < line.version()) {
            day(day).lines().put(k, new JobLine(job, line));
            lineExpiry.put(day + "\n" + k, expiresAt);
        }
    }

    @Override
    public synchronized void read(LocalDate from, LocalDate to, JobKey job, Instant now, Consumer<StoredDay> sink) {
        for (Map.Entry<LocalDate, Day> e : days.subMap(from, true, to, true).entrySet()) {
            LocalDate day = e.getKey();
            List<JobLines> mat = new ArrayList<>();
            Instant mx = materializedExpiry.get(day);
            if (mx != null && now.isBefore(mx)) {
                for (JobLines j : e.getValue().materialized()) {
                    if (job == null || j.job().equals(job)) {
                        mat.add(j);
                    }
                }
            }
            List<JobLine> lines = new ArrayList<>();
            e.getValue().lines().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(l -> {
                if ((job == null || l.getValue().job().equals(job))
                        && now.isBefore(lineExpiry.get(day + "\n" + l.getKey()))) {
                    lines.add(l.getValue());
                }
            });
            if (!mat.isEmpty() || !lines.isEmpty()) {
                sink.accept(new StoredDay(day, mat, lines));
            }
        }
    }

    private static String openKey(JobKey job, String kind) {
        return job.id() + "\n" + kind;
    }

    @Override
    public synchronized void putOpen(OpenInterval o) {
        open.put(openKey(o.job(), o.kind()), o);
    }

    @Override
    public synchronized void removeOpen(OpenInterval o) {
        open.remove(openKey(o.job(), o.kind()), o);
    }

    @Override
    public synchronized Optional<OpenInterval> open(JobKey job, String kind) {
        return Optional.ofNullable(open.get(openKey(job, kind)));
    }

    @Override
    public synchronized List<OpenInterval> openIntervals() {
        return List.copyOf(open.values());
    }

    @Override
    public synchronized void markChanged(LocalDate day, Instant at) {
        changed.merge(day, at, (a, b) -> b.isAfter(a) ? b : a);
    }

    @Override
    public synchronized List<ChangedDay> changedDays() {
        return changed.entrySet().stream().map(e -> new ChangedDay(e.getKey(), e.getValue())).toList();
    }

    @Override
    public synchronized void clearChanged(ChangedDay c) {
        changed.remove(c.day(), c.at());
    }

    @Override
    public synchronized Optional<LocalDate> lastPass() {
        return Optional.ofNullable(lastPass);
    }

    @Override
    public synchronized void passed(LocalDate day) {
        if (lastPass == null || day.isAfter(lastPass)) {
            lastPass = day;
        }
    }

    @Override
    public synchronized int purgeExpired(Instant now) {
        int n = 0;
        for (var it = days.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Instant mx = materializedExpiry.get(e.getKey());
            if (mx != null && !now.isBefore(mx) && !e.getValue().materialized().isEmpty()) {
                n += e.getValue().materialized().size();
                e.getValue().materialized().clear();
            }
            for (var li = e.getValue().lines().keySet().iterator(); li.hasNext(); ) {
                String k = li.next();
                if (!now.isBefore(lineExpiry.get(e.getKey() + "\n" + k))) {
                    li.remove();
                    lineExpiry.remove(e.getKey() + "\n" + k);
                    n++;
                }
            }
            if (e.getValue().materialized().isEmpty() && e.getValue().lines().isEmpty()) {
                it.remove();
                materializedExpiry.remove(e.getKey());
            }
        }
        return n;
    }
}
