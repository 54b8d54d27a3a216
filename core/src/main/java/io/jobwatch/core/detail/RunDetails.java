package io.jobwatch.core.detail;

import io.jobwatch.core.run.RunKey;
import java.time.Instant;
import java.util.List;

/**
 * Where {@link RunDetail}s live: written when a ping or a lineage event brings one, read when someone opens a run (the
 * dashboard's job page, {@code /api/jobs/{id}/runs}). A port with an adapter per store (SQLite, DynamoDB) and one
 * contract suite ({@code RunDetailsContract} in core's test-jar). Implementations are thread-safe.
 */
public interface RunDetails extends AutoCloseable {
    /** A run shows at most this many details: its latest ones. */
    int MAX_PER_RUN = 20;

    /**
     * Keeps {@code detail} until {@code expiresAt} (the run's retention); the same run and id again is a no-op.
     *
     * @throws io.jobwatch.core.store.RunStoreException when the back end fails
     */
    void add(RunDetail detail, Instant expiresAt);

    /** The run's details that have not expired at {@code now}, oldest first, at most {@link #MAX_PER_RUN} (the latest). */
    List<RunDetail> of(RunKey run, Instant now);

    @Override
    default void close() {
    }

    /** Keeps nothing (callers that have no detail store, e.g. the CLI's ingest). */
    static RunDetails none() {
        return new RunDetails() {
            @Override
            public void add(RunDetail detail, Instant expiresAt) {
            }

            @Override
            public List<RunDetail> of(RunKey run, Instant now) {
                return List.of();
            }
        };
    }
}
