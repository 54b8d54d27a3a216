package io.jobwatch.core.sla;

import io.jobwatch.core.run.JobKey;
import java.util.List;

/**
 * Port: the breaches currently raised, at most one per job and kind, so that consecutive SLA evaluations raise a
 * breach once and clear it once ({@link SlaTracker}). Small and long-lived (no TTL). Adapters (SQLite, DynamoDB)
 * pass {@code BreachStoreContract} from core's test-jar.
 */
public interface BreachStore {

    /** Every raised breach, ordered by job id, then kind. */
    List<Breach> active();

    /** Records {@code breach} as raised, replacing a raised breach of the same job and kind. */
    void raise(Breach breach);

    /** Forgets the raised breach of this job and kind; nothing happens when there is none. */
    void clear(JobKey job, BreachKind kind);
}
