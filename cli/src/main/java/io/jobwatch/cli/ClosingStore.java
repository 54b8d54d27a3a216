package io.jobwatch.cli;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.store.JobBrief;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.ParkedEvent;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A store that also closes the resource it was built on (the CLI's DynamoDB client). */
record ClosingStore(RunStore store, AutoCloseable resource) implements RunStore {
    @Override
    public ApplyResult apply(RunEvent event) {
        return store.apply(event);
    }

    @Override
    public List<ApplyResult> applyAll(List<RunEvent> events) {
        return store.applyAll(events);
    }

    @Override
    public Optional<Run> get(RunKey key) {
        return store.get(key);
    }

    @Override
    public List<Run> runsOfJob(JobKey job, int limit) {
        return store.runsOfJob(job, limit);
    }

    @Override
    public List<Run> openRuns() {
        return store.openRuns();
    }

    @Override
    public Optional<JobSummary> summary(JobKey job) {
        return store.summary(job);
    }

    @Override
    public List<JobSummary> latestPerJob() {
        return store.latestPerJob();
    }

    @Override
    public List<JobBrief> briefPerJob() {
        return store.briefPerJob(); // the adapter's lean read, not the interface's default over latestPerJob
    }

    @Override
    public void runsBetween(Instant from, Instant to, Consumer<Run> sink) {
        store.runsBetween(from, to, sink);
    }

    @Override
    public ParkedEvent park(String raw, String reason, String source) {
        return store.park(raw, reason, source);
    }

    @Override
    public List<ParkedEvent> parked(int limit) {
        return store.parked(limit);
    }

    @Override
    public int purgeExpired() {
        return store.purgeExpired();
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close " + resource + ": " + e.getMessage(), e);
            }
        }
    }
}
