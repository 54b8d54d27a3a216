package io.jobwatch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.incident.AlertLatency;
import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.IncidentChannels;
import io.jobwatch.core.incident.IncidentGateway;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.time.Sleeper;
import io.jobwatch.servicenow.Credentials;
import io.jobwatch.servicenow.ServiceNowSettings;
import io.jobwatch.servicenow.TableApiIncidentGateway;
import io.jobwatch.store.dynamodb.DynamoIncidents;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The incident retries on AWS, every few minutes (the second half of {@link PeriodicHandler}; alone with
 * {@code {"task":"outbox"}}). Incidents are decided and sent by the ingest function as each event arrives
 * ({@link IngestHandler}, {@link AlertsNow}); what is left for this pass is what could not be sent then — ServiceNow
 * down, slow or answering 429, a sender that died mid-request (its 2-minute claim lapses), an action behind one that
 * waited — and the actions the SLA checks and the reconciler decided:
 * <ol>
 * <li>drains the outbox to ServiceNow with core's {@link OutboxProcessor} (each incident's actions in order, each one
 * claimed before it is sent, backoff and Retry-After honoured), for the Lambda's remaining time minus a margin;</li>
 * <li>prints {@code Jobwatch/OutboxOldestAgeSeconds} (age of the oldest pending action, 0 when none) as an Embedded
 * Metric Format line — on every run, so a silent outbox alarms — and {@code Jobwatch/AlertLatency} for each action
 * whose first request this pass makes (measured from its decision).</li>
 * </ol>
 * A store failure throws (the schedule retries). Reads: the pending index (one Query) and, per incident with a due
 * action, its entries (one consistent Query) — no run is read.
 */
public final class OutboxHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String METRIC = "OutboxOldestAgeSeconds";

    /** @param drainMargin stop draining this long before the Lambda's deadline */
    public record Settings(Duration drainMargin) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(25));
        }
    }

    private final Outbox outbox;
    private final OutboxProcessor processor;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Settings settings;
    private final PrintStream log;

    /** Lambda's constructor: environment, catalog and ServiceNow credentials read once per container. */
    public OutboxHandler() {
        this(Init.fromEnvironment());
    }

    private OutboxHandler(Init init) {
        this(init.env(), init.variables(), init.catalog(), AwsClients.dynamo(init.env()),
                AwsClients.secrets(init.env()), Clock.systemUTC(), Sleeper.threadSleep(), System.out);
    }

    /** Wires the DynamoDB adapters and the ServiceNow gateway (credentials from Secrets Manager) as in Lambda. */
    public OutboxHandler(Env env, Catalog catalog, DynamoDbClient dynamo, SecretsManagerClient secrets, Clock clock,
                         Sleeper sleeper, PrintStream log) {
        this(env, catalog, dynamo, secrets, IncidentChannels.NONE, clock, sleeper, log);
    }

    /**
     * As Lambda wires it, also sending to the teams' channels: their {@code "${NAME}"} settings from the channel
     * secrets ({@value ChannelSecrets#SECRET_ID}), then {@code variables} (the function's environment).
     */
    public OutboxHandler(Env env, Map<String, String> variables, Catalog catalog, DynamoDbClient dynamo,
                         SecretsManagerClient secrets, Clock clock, Sleeper sleeper, PrintStream log) {
        this(env, catalog, dynamo, secrets, AlertsNow.teamChannels(variables, catalog, secrets, clock), clock, sleeper,
                log);
    }

    /** As Lambda wires it, also sending to the teams' {@code channels}. */
    public OutboxHandler(Env env, Catalog catalog, DynamoDbClient dynamo, SecretsManagerClient secrets,
                         IncidentChannels channels, Clock clock, Sleeper sleeper, PrintStream log) {
        this(new DynamoIncidents(dynamo, env.table(), clock, env.retention()),
                gateway(env, catalog, secrets, clock, null, null), channels, clock, sleeper, Settings.defaults(), log);
    }

    /** The pass over {@code incidents} and {@code gateway} (tests and the bench: ServiceNow on WireMock). */
    public <T extends IncidentStore & Outbox> OutboxHandler(T incidents, IncidentGateway gateway, Clock clock,
                                                            Sleeper sleeper, Settings settings, PrintStream log) {
        this(incidents, gateway, IncidentChannels.NONE, clock, sleeper, settings, log);
    }

    /** The pass over {@code incidents}, {@code gateway} and {@code channels}. */
    public <T extends IncidentStore & Outbox> OutboxHandler(T incidents, IncidentGateway gateway,
                                                            IncidentChannels channels, Clock clock, Sleeper sleeper,
                                                            Settings settings, PrintStream log) {
        this.outbox = incidents;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        this.processor = new OutboxProcessor(gateway, channels, incidents, incidents, clock, RetryBackoff.defaults(),
                AlertsNow.firstRequests(new AlertLatency(), log));
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The ServiceNow gateway: instance from SERVICENOW_INSTANCE (else the catalog), credentials from the secret.
     *
     * @param connectTimeout the TCP connect timeout, or null for the default ({@link ServiceNowSettings#of})
     * @param requestTimeout the whole request's timeout, or null for the default
     */
    static IncidentGateway gateway(Env env, Catalog catalog, SecretsManagerClient secrets, Clock clock,
                                   Duration connectTimeout, Duration requestTimeout) {
        String instance = env.serviceNowInstance()
                .or(() -> catalog.incidents().instanceUrl().map(URI::toString))
                .orElseThrow(() -> new IllegalStateException(Env.SERVICENOW_INSTANCE + " is not set and the catalog"
                        + " has no incidents.instanceUrl: set it to the ServiceNow base URL, e.g."
                        + " https://example.service-now.com"));
        String secretId = env.serviceNowSecretId().orElseThrow(() -> new IllegalStateException(
                Env.SERVICENOW_SECRET_ID + " is not set: set it to the Secrets Manager name or ARN of the ServiceNow"
                        + " credentials ({\"user\":…,\"password\":…} or {\"token\":…})"));
        Credentials credentials = ServiceNowSecret.read(secrets, secretId, catalog.incidents().username());
        ServiceNowSettings settings = ServiceNowSettings.of(instance, credentials);
        if (connectTimeout != null && requestTimeout != null) {
            settings = settings.withTimeouts(connectTimeout, requestTimeout);
        }
        return new TableApiIncidentGateway(settings, clock);
    }

    /** What one run did. */
    public record Report(DrainReport drained, long oldestAgeSeconds) {
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes(); // {"task":"outbox"} from the schedule: nothing in it changes what to do
        Duration remaining = context == null ? Duration.ofMinutes(1)
                : Duration.ofMillis(context.getRemainingTimeInMillis());
        Report r = run(remaining);
        try (JsonGenerator g = JSON.getFactory().createGenerator(output)) {
            write(g, r);
        }
    }

    /** The response object of one pass (also a part of the periodic function's response). */
    static void write(JsonGenerator g, Report r) throws IOException {
        g.writeStartObject();
        g.writeNumberField("sent", r.drained().sent());
        g.writeNumberField("retried", r.drained().retried());
        g.writeNumberField("parked", r.drained().parked());
        g.writeNumberField("pending", r.drained().pending());
        g.writeNumberField("oldestPendingAgeSeconds", r.oldestAgeSeconds());
        g.writeEndObject();
    }

    /** One pass; {@code remaining} is the time the Lambda has left. */
    public Report run(Duration remaining) {
        Duration budget = remaining.minus(settings.drainMargin());
        DrainReport drained;
        try {
            drained = budget.isNegative() ? processor.drainDue() : processor.drain(budget, sleeper);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = processor.drainDue();
        }
        long oldest = oldestPendingAgeSeconds(clock.instant());
        log.println(EmbeddedMetric.line(METRIC, "Seconds", oldest, clock.instant()));
        log.println("outbox: sent " + drained.sent() + ", retried " + drained.retried() + ", parked "
                + drained.parked() + ", pending " + drained.pending());
        return new Report(drained, oldest);
    }

    private long oldestPendingAgeSeconds(Instant now) {
        Instant oldest = null;
        for (OutboxEntry e : outbox.pending()) {
            if (oldest == null || e.createdAt().isBefore(oldest)) {
                oldest = e.createdAt();
            }
        }
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toSeconds());
    }
}
