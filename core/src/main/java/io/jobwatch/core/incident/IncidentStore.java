package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;

import java.util.List;
import java.util.Optional;

/**
 * Port: Jobwatch's local incident records, one per job and problem kind (the latest incident; a new one replaces a
 * resolved one). Adapters: in the same store as runs (SQLite, DynamoDB); they pass {@code IncidentStoreContract}
 * from core's test-jar. Records are long-lived (no TTL while OPEN).
 */
public interface IncidentStore {

    Optional<IncidentRecord> find(JobKey job, ProblemKind kind);

    /** Inserts or replaces the record of {@code record.job()} and {@code record.kind()}. */
    void save(IncidentRecord record);

    /** Records in state OPEN, oldest opened first. */
    List<IncidentRecord> open();
}
