package io.jobwatch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.IncidentDecision;
import io.jobwatch.core.incident.IncidentGateway;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.time.Sleeper;
import io.jobwatch.core.ingest.FinishedRuns;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.servicenow.Credentials;
import io.jobwatch.servicenow.ServiceNowSettings;
import io.jobwatch.servicenow.TableApiIncidentGateway;
import io.jobwatch.store.dynamodb.DynamoCheckpoints;
import io.jobwatch.store.dynamodb.DynamoIncidents;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Incidents on AWS, every few minutes (the second half of {@link PeriodicHandler}; alone with {@code {"task":"outbox"}}):
 * <ol>
 * <li>finds the runs that finished since its checkpoint: {@link RunStore#runsBetween} over the {@code byDay} index
 * (never a Scan) from checkpoint − {@link Settings#longestRun()}, keeping terminal runs whose {@code lastUpdated} is
 * after the checkpoint and at least {@link Settings#settle()} old (index reads are eventually consistent), in end
 * order;</li>
 * <li>judges each with {@link FinishedRuns} — the same decision {@code IngestPipeline} makes locally — which appends
 * actions to the outbox; judging a run twice is harmless (the incident record keeps the last run decided);</li>
 * <li>saves the checkpoint;</li>
 * <li>drains the outbox to ServiceNow with {@link OutboxProcessor}, for the Lambda's remaining time minus a margin;</li>
 * <li>prints {@code Jobwatch/OutboxOldestAgeSeconds} (age of the oldest pending action, 0 when none) as an Embedded
 * Metric Format line — on every run, so a silent outbox alarms.</li>
 * </ol>
 * A store failure throws (the schedule retries); the checkpoint only moves after every run was judged.
 */
public final class OutboxHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String METRIC = "OutboxOldestAgeSeconds";

    /**
     * @param longestRun   runs are listed by start: a run that finished now may have started this long ago
     * @param settle       runs updated more recently than this are left for the next run (index lag)
     * @param firstLookback without a checkpoint, judge the runs updated this long before now
     * @param drainMargin  stop draining this long before the Lambda's deadline
     */
    public record Settings(Duration longestRun, Duration settle, Duration firstLookback, Duration drainMargin) {
        public static Settings defaults() {
            return new Settings(Duration.ofDays(1), Duration.ofSeconds(30), Duration.ofMinutes(15),
                    Duration.ofSeconds(25));
        }
    }

    private final RunStore store;
    private final IncidentStore incidents;
    private final Outbox outbox;
    private final DynamoCheckpoints state;
    private final FinishedRuns judge;
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
        this(init.env(), init.catalog(), AwsClients.dynamo(init.env()), AwsClients.secrets(init.env()),
                Clock.systemUTC(), Sleeper.threadSleep(), System.out);
    }

    /** Wires the DynamoDB adapters and the ServiceNow gateway (credentials from Secrets Manager) as in Lambda. */
    public OutboxHandler(Env env, Catalog catalog, DynamoDbClient dynamo, SecretsManagerClient secrets, Clock clock,
                         Sleeper sleeper, PrintStream log) {
        this(new DynamoRunStore(dynamo, env.table(), clock, env.retention()),
                new DynamoIncidents(dynamo, env.table(), clock, env.retention()),
                new DynamoCheckpoints(dynamo, env.table()), gateway(env, catalog, secrets, clock), () -> catalog, clock,
                sleeper, Settings.defaults(), log);
    }

    <T extends IncidentStore & Outbox> OutboxHandler(RunStore store, T incidents, DynamoCheckpoints state,
                                                      IncidentGateway gateway, java.util.function.Supplier<Catalog> catalog,
                                                      Clock clock, Sleeper sleeper, Settings settings, PrintStream log) {
        this.store = Objects.requireNonNull(store, "store");
        this.incidents = incidents;
        this.outbox = incidents;
        this.state = Objects.requireNonNull(state, "state");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.judge = new FinishedRuns(catalog, new IncidentTracker(new IncidentPolicy(clock), incidents, incidents, clock,
                io.jobwatch.core.incident.IncidentTimes.of(store.rollups())));
        this.processor = new OutboxProcessor(gateway, incidents, incidents, clock, RetryBackoff.defaults());
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The ServiceNow gateway: instance from SERVICENOW_INSTANCE (else the catalog), credentials from the secret. */
    static IncidentGateway gateway(Env env, Catalog catalog, SecretsManagerClient secrets, Clock clock) {
        String instance = env.serviceNowInstance()
                .or(() -> catalog.incidents().instanceUrl().map(URI::toString))
                .orElseThrow(() -> new IllegalStateException(Env.SERVICENOW_INSTANCE + " is not set and the catalog"
                        + " has no incidents.instanceUrl: set it to the ServiceNow base URL, e.g."
                        + " https://example.service-now.com"));
        String secretId = env.serviceNowSecretId().orElseThrow(() -> new IllegalStateException(
                Env.SERVICENOW_SECRET_ID + " is not set: set it to the Secrets Manager name or ARN of the ServiceNow"
                        + " credentials ({\"user\":…,\"password\":…} or {\"token\":…})"));
        Credentials credentials = ServiceNowSecret.read(secrets, secretId, catalog.incidents().username());
        return new TableApiIncidentGateway(ServiceNowSettings.of(instance, credentials), clock);
    }

    /** What one run did. */
    public record Report(int judged, int actions, Instant checkpoint, DrainReport drained, long oldestAgeSeconds) {
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
        g.writeNumberField("judged", r.judged());
        g.writeNumberField("actions", r.actions());
        g.writeStringField("checkpoint", r.checkpoint().toString());
        g.writeNumberField("sent", r.drained().sent());
        g.writeNumberField("retried", r.drained().retried());
        g.writeNumberField("parked", r.drained().parked());
        g.writeNumberField("pending", r.drained().pending());
        g.writeNumberField("oldestPendingAgeSeconds", r.oldestAgeSeconds());
        g.writeEndObject();
    }

    /** One pass; {@code remaining} is the time the Lambda has left. */
    public Report run(Duration remaining) {
        Instant started = clock.instant();
        Instant upTo = started.minus(settings.settle());
        Instant since = state.get(DynamoCheckpoints.INCIDENTS, DynamoCheckpoints.CHECKPOINT)
                .orElse(started.minus(settings.firstLookback()));
        int judged = 0;
        int actions = 0;
        if (since.isBefore(upTo)) {
            List<Run> finished = new ArrayList<>();
            store.runsBetween(since.minus(settings.longestRun()), started, run -> {
                if (run.terminal() && run.lastUpdated().isAfter(since) && !run.lastUpdated().isAfter(upTo)) {
                    finished.add(run);
                }
            });
            finished.sort(Comparator.comparing(OutboxHandler::endOf).thenComparing(r -> r.job().id())
                    .thenComparing(Run::runId));
            for (Run run : finished) {
                IncidentDecision d = judge.judge(run, null, store);
                judged++;
                if (d.action() != null) {
                    actions++;
                    log.println("outbox: " + run.job().id() + " run " + run.runId() + " " + run.state() + ": "
                            + d.action().type() + " (" + d.reason() + ")");
                }
            }
            state.put(DynamoCheckpoints.INCIDENTS, DynamoCheckpoints.CHECKPOINT, upTo);
        }
        Instant checkpoint = since.isBefore(upTo) ? upTo : since;
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
        log.println("outbox: judged " + judged + " finished runs, " + actions + " actions; sent " + drained.sent()
                + ", retried " + drained.retried() + ", parked " + drained.parked() + ", pending " + drained.pending());
        return new Report(judged, actions, checkpoint, drained, oldest);
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

    private static Instant endOf(Run r) {
        return r.endedAt() != null ? r.endedAt() : r.lastEventTime();
    }
}
