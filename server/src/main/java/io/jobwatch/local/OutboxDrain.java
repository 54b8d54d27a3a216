package io.jobwatch.local;

import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.IncidentGateway;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.RetryBackoff;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends the outbox for the server: every minute, right after an ingest that decided incident actions, and on
 * "retry outbox". One drain at a time, so the scheduler and a retry never send the same entry twice.
 */
public final class OutboxDrain {
    /** Dry-run file name next to the database (the same one {@code jobwatch ingest} writes). */
    public static final String DRY_RUN_FILE = io.jobwatch.servicenow.IncidentGateways.DRY_RUN_FILE;

    private final OutboxProcessor processor;
    private final String target;
    private final ReentrantLock lock = new ReentrantLock();

    public OutboxDrain(IncidentGateway gateway, String target, IncidentStore store, Outbox outbox, Clock clock) {
        this.processor = new OutboxProcessor(gateway, store, outbox, clock, RetryBackoff.defaults());
        this.target = target;
    }

    /**
     * To ServiceNow when {@code SERVICENOW_URL} and credentials are set, else a dry-run file in {@code dataDir}.
     *
     * @throws IllegalArgumentException naming the environment variable to fix (never a secret)
     */
    public static OutboxDrain of(Map<String, String> env, Path dataDir, IncidentStore store, Outbox outbox, Clock clock) {
        io.jobwatch.servicenow.IncidentGateways.Chosen chosen = io.jobwatch.servicenow.IncidentGateways.fromEnv(env, dataDir, clock);
        return new OutboxDrain(chosen.gateway(), chosen.target(), store, outbox, clock);
    }

    /** Where actions go, for the start banner and the dashboard (no secrets). */
    public String target() {
        return target;
    }

    /** Sends what is due now. */
    public DrainReport drainDue() {
        lock.lock();
        try {
            return processor.drainDue();
        } finally {
            lock.unlock();
        }
    }

    /**
     * "Retry outbox": makes every pending entry due now (its attempts and last error are kept, so backoff resumes
     * from there if it fails again) and sends. Parked entries stay parked: they need a fix first.
     */
    public DrainReport retryNow() {
        lock.lock();
        try {
            return processor.retryNow();
        } finally {
            lock.unlock();
        }
    }
}
