package io.jobwatch.local;

import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.IncidentChannels;
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
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();

    public OutboxDrain(IncidentGateway gateway, String target, IncidentStore store, Outbox outbox, Clock clock) {
        this(gateway, IncidentChannels.NONE, target, store, outbox, clock);
    }

    /** @param channels the teams' channels (Slack, Teams, PagerDuty, webhooks) that hear about incidents too */
    public OutboxDrain(IncidentGateway gateway, IncidentChannels channels, String target, IncidentStore store,
                       Outbox outbox, Clock clock) {
        this(gateway, channels, target, store, outbox, clock, OutboxProcessor.FirstRequests.NONE);
    }

    /** @param firstRequests told of each action's first request (the server's alert latency histogram) */
    public OutboxDrain(IncidentGateway gateway, IncidentChannels channels, String target, IncidentStore store,
                       Outbox outbox, Clock clock, OutboxProcessor.FirstRequests firstRequests) {
        this.processor = new OutboxProcessor(gateway, channels, store, outbox, clock, RetryBackoff.defaults(),
                firstRequests);
        this.target = target;
        this.clock = clock;
    }

    /**
     * To ServiceNow when {@code SERVICENOW_URL} and credentials are set, else a dry-run file in {@code dataDir}.
     *
     * @throws IllegalArgumentException naming the environment variable to fix (never a secret)
     */
    public static OutboxDrain of(Map<String, String> env, Path dataDir, IncidentStore store, Outbox outbox, Clock clock) {
        return of(env, dataDir, IncidentChannels.NONE, store, outbox, clock);
    }

    /** The same, also sending to the teams' {@code channels}. */
    public static OutboxDrain of(Map<String, String> env, Path dataDir, IncidentChannels channels, IncidentStore store,
                                 Outbox outbox, Clock clock) {
        return of(env, dataDir, channels, store, outbox, clock, OutboxProcessor.FirstRequests.NONE);
    }

    /** The same, telling {@code firstRequests} of each first request. */
    public static OutboxDrain of(Map<String, String> env, Path dataDir, IncidentChannels channels, IncidentStore store,
                                 Outbox outbox, Clock clock, OutboxProcessor.FirstRequests firstRequests) {
        io.jobwatch.servicenow.IncidentGateways.Chosen chosen = io.jobwatch.servicenow.IncidentGateways.fromEnv(env, dataDir, clock);
        return new OutboxDrain(chosen.gateway(), channels, chosen.target(), store, outbox, clock, firstRequests);
    }

    /** Where actions go, for the start banner and the dashboard (no secrets). */
    public String target() {
        return target;
    }

    /** How long sending right after a request may take before the rest waits for the scheduler's tick. */
    static final java.time.Duration SEND_NOW_BUDGET = java.time.Duration.ofSeconds(20);

    /** Sends these incidents' due actions now (right after they were decided), within {@link #SEND_NOW_BUDGET}. */
    public DrainReport sendDue(java.util.Set<String> incidents) {
        lock.lock();
        try {
            return processor.sendDue(incidents, clock.instant().plus(SEND_NOW_BUDGET));
        } finally {
            lock.unlock();
        }
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
