package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** IncidentStore in a map: the reference for the contract and a fake for tests. */
public final class InMemoryIncidentStore implements IncidentStore {
    private final Map<String, IncidentRecord> records = new LinkedHashMap<>();

    private static String key(JobKey job, ProblemKind kind) {
        return job.id() + "|" + kind;
    }

    @Override
    public synchronized Optional<IncidentRecord> find(JobKey job, ProblemKind kind) {
        return Optional.ofNullable(records.get(key(job, kind)));
    }

    @Override
    public synchronized void save(IncidentRecord record) {
        records.put(key(record.job(), record.kind()), record);
    }

    @Override
    public synchronized List<IncidentRecord> open() {
        return records.values().stream().filter(IncidentRecord::open)
                .sorted(Comparator.comparing(IncidentRecord::openedAt)).toList();
    }
}
