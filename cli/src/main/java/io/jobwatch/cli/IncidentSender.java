package io.jobwatch.cli;

import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.time.Sleeper;
import io.jobwatch.servicenow.IncidentGateways;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Sends what the outbox holds: to ServiceNow when {@code SERVICENOW_URL} and credentials are set, else to a dry-run
 * file (every request it would have sent, as JSON lines) so nothing is lost and the user sees what would happen.
 */
final class IncidentSender {
    static final String DRY_RUN_FILE = IncidentGateways.DRY_RUN_FILE;

    private final OutboxProcessor processor;
    private final String target;

    private IncidentSender(OutboxProcessor processor, String target) {
        this.processor = processor;
        this.target = target;
    }

    /** @throws IllegalArgumentException naming the environment variable to fix (never a secret) */
    static IncidentSender of(io.jobwatch.core.incident.Incidents data, Map<String, String> env, Path dataDir, Clock clock) {
        IncidentGateways.Chosen chosen = IncidentGateways.fromEnv(env, dataDir, clock);
        return new IncidentSender(new OutboxProcessor(chosen.gateway(), data, data, clock, RetryBackoff.defaults()),
                chosen.target());
    }

    String target() {
        return target;
    }

    DrainReport drain(Duration timeout) throws InterruptedException {
        return processor.drain(timeout, Sleeper.threadSleep());
    }

    static String describe(DrainReport r) {
        String left = r.pending() == 0 ? "0 left in the outbox"
                : r.pending() + " left in the outbox (next try " + r.nextAttemptAt() + "; `jobwatch incidents retry` sends them)";
        return "sent " + r.sent() + ", retried " + r.retried() + ", parked " + r.parked() + ", " + left;
    }
}
