package io.jobwatch.cli;

import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.IncidentGateway;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.incident.Sleeper;
import io.jobwatch.servicenow.DryRunIncidentGateway;
import io.jobwatch.servicenow.IncidentDefaults;
import io.jobwatch.servicenow.ServiceNowSettings;
import io.jobwatch.servicenow.TableApiIncidentGateway;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Sends what the outbox holds: to ServiceNow when {@code SERVICENOW_URL} and credentials are set, else to a dry-run
 * file (every request it would have sent, as JSON lines) so nothing is lost and the user sees what would happen.
 */
final class IncidentSender {
    static final String DRY_RUN_FILE = "incidents-dry-run.jsonl";

    private final OutboxProcessor processor;
    private final String target;

    private IncidentSender(OutboxProcessor processor, String target) {
        this.processor = processor;
        this.target = target;
    }

    /** @throws IllegalArgumentException naming the environment variable to fix (never a secret) */
    static IncidentSender of(StoreOptions.IncidentData data, Map<String, String> env, Path dataDir, Clock clock) {
        Optional<ServiceNowSettings> settings = ServiceNowSettings.fromEnv(env, null);
        IncidentGateway gateway;
        String target;
        if (settings.isPresent()) {
            gateway = new TableApiIncidentGateway(settings.get(), clock);
            target = "ServiceNow " + settings.get().instance();
        } else {
            Path file = dataDir.resolve(DRY_RUN_FILE);
            gateway = new DryRunIncidentGateway(file, IncidentDefaults.defaults(), clock);
            target = "dry run (no SERVICENOW_URL): " + file;
        }
        return new IncidentSender(new OutboxProcessor(gateway, data, data, clock, RetryBackoff.defaults()), target);
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
