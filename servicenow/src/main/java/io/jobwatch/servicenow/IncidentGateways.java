package io.jobwatch.servicenow;

import io.jobwatch.core.incident.IncidentGateway;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Where incident actions go, chosen from the environment: ServiceNow's Table API when {@code SERVICENOW_URL} and
 * credentials are set, else the dry-run gateway writing every request it would send to a file — the one rule the CLI
 * and the local server share.
 */
public final class IncidentGateways {
    /** The dry-run file's name, next to the store. */
    public static final String DRY_RUN_FILE = "incidents-dry-run.jsonl";

    private IncidentGateways() {
    }

    /** The chosen gateway and a description of where it sends (for banners and reports; never a secret). */
    public record Chosen(IncidentGateway gateway, String target) {
    }

    /** @throws IllegalArgumentException naming the environment variable to fix (never a secret) */
    public static Chosen fromEnv(Map<String, String> env, Path dataDir, Clock clock) {
        Optional<ServiceNowSettings> settings = ServiceNowSettings.fromEnv(env, null);
        if (settings.isPresent()) {
            return new Chosen(new TableApiIncidentGateway(settings.get(), clock), "ServiceNow " + settings.get().instance());
        }
        Path file = dataDir.resolve(DRY_RUN_FILE);
        return new Chosen(new DryRunIncidentGateway(file, IncidentDefaults.defaults(), clock),
                "dry run (no SERVICENOW_URL): " + file);
    }
}
