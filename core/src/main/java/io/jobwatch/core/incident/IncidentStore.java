package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Port: Jobwatch's incident records, one per job and problem kind (the latest incident; a new one replaces a resolved
 * one), each with its version, its pending actions and its recent tickets ({@link IncidentState}). Adapters keep
 * them in the same store as runs (SQLite, DynamoDB) and pass {@code IncidentStoreContract} from core's test-jar.
 * Records are long-lived (no TTL). Deciding is {@link IncidentTracker}'s: read, judge, save on condition, retry.
 */
public interface IncidentStore {

    Optional<IncidentState> load(JobKey job, ProblemKind kind);

    /**
     * Saves {@code next} if the stored version is still {@code expectedVersion} (0: nothing stored yet); false when
     * another writer saved first (nothing written). {@code next.version()} is {@code expectedVersion + 1}.
     */
    boolean save(IncidentState next, long expectedVersion);

    /** Drops the pending actions with these keys (they are in the outbox now); the version does not change. */
    void relayed(JobKey job, ProblemKind kind, Collection<String> keys);

    /**
     * Remembers the ServiceNow identity of the incident {@code ref} names, once: among the record's tickets, and on
     * the record itself when it is still that incident and has none yet. False when it was known already.
     */
    boolean rememberTicket(IncidentRef ref, IncidentState.Ticket ticket, Instant at);

    /** Records in state OPEN, oldest opened first. */
    List<IncidentRecord> open();
}
