package io.jobwatch.lambda;

import io.jobwatch.core.incident.AlertLatency;
import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.incident.IncidentChannels;
import io.jobwatch.core.incident.IncidentGateway;
import io.jobwatch.core.incident.Incidents;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.ingest.IngestPipeline;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The ingest function's second half: the incident actions its decisions just wrote to the outbox are sent right away
 * with core's {@link OutboxProcessor#sendDue} — to ServiceNow and to the team's channels, each line (incident and
 * destination) in order, one attempt each. What cannot be sent
 * now (ServiceNow or a channel down, slow, 429; an earlier action of the incident still waiting; the invocation's time running out)
 * stays in the outbox, and the periodic function retries it with backoff. A failure here never fails the invocation:
 * the event is stored and judged, its actions are safe in the outbox.
 *
 * <p>Prints {@code Jobwatch/AlertLatency} (milliseconds from the event's arrival at the function to its action's
 * first request, {@link AlertLatency}) as an Embedded Metric Format line per first request; the stack alarms on its
 * p99.
 */
final class AlertsNow {
    /** The metric, in namespace {@link EmbeddedMetric#NAMESPACE} (infra's {@code JobwatchNames}). */
    static final String METRIC = "AlertLatency";

    private final OutboxProcessor sender;
    private final AlertLatency latency;
    private final PrintStream log;

    AlertsNow(IncidentGateway gateway, IncidentChannels channels, Incidents incidents, Clock clock, PrintStream log) {
        this.latency = new AlertLatency();
        this.log = Objects.requireNonNull(log, "log");
        this.sender = new OutboxProcessor(gateway, channels, incidents, incidents, clock, RetryBackoff.defaults(),
                firstRequests(latency, log));
    }

    /**
     * The teams' channels (Slack, Teams, PagerDuty, webhooks) as the functions send to them: the catalog's channels,
     * their {@code "${NAME}"} settings from the channel secrets ({@value ChannelSecrets#SECRET_ID}, read with
     * {@code secrets} on first use — after a SnapStart restore, never in the snapshot), then {@code variables}.
     */
    static IncidentChannels teamChannels(Map<String, String> variables, Catalog catalog, SecretsManagerClient secrets,
                                         Clock clock) {
        return ChannelSecrets.router(catalog, variables,
                id -> secrets.getSecretValue(b -> b.secretId(id)).secretString(), clock);
    }

    /** A sender's observer that prints each first request's alert latency as an EMF line. */
    static OutboxProcessor.FirstRequests firstRequests(AlertLatency latency, PrintStream log) {
        return (entry, at) -> log.println(EmbeddedMetric.line(METRIC, "Milliseconds",
                latency.firstRequest(entry, at).latency().toMillis(), at));
    }

    /**
     * Sends what {@code decided} decided, by {@code deadline}.
     *
     * @param arrived when the event reached the function (alert latency is measured from it)
     */
    void send(IngestPipeline.Result decided, Instant arrived, Instant deadline) {
        latency.arrived(decided.decisions(), arrived);
        Set<String> incidents = decided.incidentsWithActions();
        if (incidents.isEmpty()) {
            return;
        }
        try {
            DrainReport r = sender.sendDue(incidents, deadline);
            if (r.retried() + r.pending() > 0) {
                log.println("ingest: incident actions sent " + r.sent() + ", " + r.pending()
                        + " left in the outbox for the periodic function (" + r.retried() + " failed attempt"
                        + (r.retried() == 1 ? "" : "s") + ")");
            }
        } catch (RuntimeException e) {
            log.println("ingest: incident actions left in the outbox for the periodic function: " + e);
        }
    }
}
