package io.jobwatch.core.reconcile;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.Outcome;
import io.jobwatch.core.store.ParkedEvent;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunFold;
import io.jobwatch.core.store.RunStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The store's fold rules ({@link RunFold}) over two maps, for the reconciler's unit tests (the adapters' own tests
 * run against SQLite). Covers what the reconciler and the ingest pipeline without incidents use; no crawler pairing.
 */
final class InMemoryRunStore implements RunStore {
    private final Clock clock;
    private final Map<RunKey, Run> runs = new HashMap<>();
    private final Map<String, RunKey> events = new HashMap<>();

    InMemoryRunStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized ApplyResult apply(RunEvent e) {
        RunFold.validate(e);
        RunKey key = e.runKey();
        Run previous = runs.get(key);
        String eventKey = e.job().id() + "|" + e.eventId();
        if (events.containsKey(eventKey) && previous != null) {
            return new ApplyResult(Outcome.DUPLICATE, previous, previous.state());
        }
        ApplyResult r = RunFold.apply(previous, key, e, clock.instant(), DEFAULT_RETENTION);
        runs.put(key, r.run());
        events.put(eventKey, key);
        return r;
    }

    @Override
    public List<ApplyResult> applyAll(List<RunEvent> batch) {
        batch.forEach(RunFold::validate);
        List<ApplyResult> out = new ArrayList<>();
        for (RunEvent e : batch) {
            out.add(apply(e));
        }
        return out;
    }

    @Override
    public synchronized Optional<Run> get(RunKey key) {
        return Optional.ofNullable(runs.get(key));
    }

    @Override
    public synchronized List<Run> runsOfJob(JobKey job, int limit) {
        return runs.values().stream().filter(r -> r.job().equals(job))
                .sorted(Comparator.comparing(Run::sortTime).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized List<Run> openRuns() {
        return runs.values().stream().filter(r -> !r.terminal()).sorted(Comparator.comparing(Run::sortTime)).toList();
    }

    int size() {
        return runs.size();
    }

    @Override
    public Optional<JobSummary> summary(JobKey job) {
        return Optional.empty();
    }

    @Override
    public List<JobSummary> latestPerJob() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void runsBetween(Instant from, Instant to, Consumer<Run> sink) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ParkedEvent park(String raw, String reason, String source) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ParkedEvent> parked(int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int purgeExpired() {
        return 0;
    }

    @Override
    public void close() {
    }
}
