package io.jobwatch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.incident.IncidentGateway;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentChannels;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.Incidents;
import io.jobwatch.core.ingest.EventInput;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.run.Text;
import io.jobwatch.core.store.ParkedEvent;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.store.InvalidRunEventException;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.RunStoreException;
import io.jobwatch.store.dynamodb.DynamoIncidents;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Ingest, in either of the stack's two modes ({@code ingestMode}): EventBridge rule → this function directly
 * (asynchronous invocation, one event per call: Lambda's retries, then the on-failure destination), or rule → SQS →
 * this function (event source mapping with {@code ReportBatchItemFailures}).
 *
 * <p>Input: an EventBridge event (direct), or an SQS batch {@code {"Records":[{"messageId":…,"body":"<EventBridge
 * event JSON>"},…]}} (the queue, and {@code jobwatch aws redrive}, which replays a dead-letter queue in the same
 * shape). Each event is normalized and applied to the run store (one UpdateItem per non-terminal event, two per
 * terminal one, no reads — Glue crawlers and DMS tasks excepted), and a run it finished is judged at once with core's
 * {@code IngestPipeline} (the incident record, the job's runs and summary read; the decision and its action written
 * only when the incident changes). The actions decided are then sent right away ({@link AlertsNow}): a failed job
 * reaches ServiceNow seconds after its event, and what cannot be sent now is retried by the periodic function.
 * <ul>
 * <li>an event that is not JSON, not a supported job event or not a valid run event is <b>parked</b> with the reason
 * (retrying cannot fix it, and failing it would retry it until the DLQ);</li>
 * <li>a store failure of a batch message puts its id in {@code batchItemFailures}, so SQS retries only it; a store
 * failure of a direct event <b>throws</b>, so Lambda retries the invocation (twice) and then sends the event to the
 * on-failure destination. The store's writes are keyed by event id, so an event whose write landed before the failure
 * applies once when retried.</li>
 * <li>a decision that fails (the table) fails the event like a store failure: its retry is a duplicate, which is
 * judged again (judging converges, so nothing is decided twice); sending never fails the event.</li>
 * </ul>
 * Response: {@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}} (empty for a direct event).
 *
 * <p>The third input is an HTTP request through the stack's HTTP API (API Gateway payload format 2.0): pings and
 * OpenLineage events ({@link HttpIngest}), answered with API Gateway's response object. Their finished runs are judged
 * by the same pipeline; their actions go out with the periodic function's next pass (not yet right away).
 *
 * <p>With SnapStart the Lambda constructor registers {@link IngestPriming} (a CRaC resource), which runs the first
 * event's path before the snapshot.
 */
public final class IngestHandler implements RequestStreamHandler {
    /** ServiceNow timeouts of the requests sent from ingest: a slow answer is left to the periodic function's retry. */
    static final Duration SERVICENOW_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration SERVICENOW_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** No request is started with less than this left of the invocation (a request's timeout and the writes after). */
    static final Duration SEND_MARGIN = Duration.ofSeconds(8);
    /** Without Lambda's context (local runs): sending stops this long after the event arrived. */
    static final Duration DEFAULT_SEND_BUDGET = Duration.ofSeconds(20);

    private final RunStore store;
    private final IngestPipeline pipeline;
    private final AlertsNow alerts;
    private final EventNormalizer normalizer;
    private final Clock clock;
    private final PrintStream log;
    /** Held here: a CRaC context keeps only weak references to its resources. Null outside Lambda's constructor. */
    private final IngestPriming priming;
    /** Builds the HTTP path when its first request comes (or, under SnapStart, before the snapshot). */
    private final Supplier<HttpIngest> httpFactory;
    private volatile HttpIngest http;

    /** Lambda's constructor: configuration and catalog from the environment, clients built once per container. */
    public IngestHandler() {
        this(Init.fromEnvironment(), Clock.systemUTC());
    }

    private IngestHandler(Init init, Clock clock) {
        this(init, clock, AwsClients.dynamo(init.env()), AwsClients.secrets(init.env()));
    }

    private IngestHandler(Init init, Clock clock, DynamoDbClient dynamo, SecretsManagerClient secrets) {
        this(init.env(), init.catalog(), dynamo, lazyServiceNow(init.env(), init.catalog(), secrets, clock),
                AlertsNow.teamChannels(init.variables(), init.catalog(), secrets, clock), clock, System.out,
                new IngestPriming(init.env(), init.catalog(), clock, System.out),
                (store, pipeline) -> new HttpIngest(store, pipeline,
                        new io.jobwatch.store.dynamodb.DynamoRunDetails(dynamo, init.env().table()),
                        new HttpKeys(init.variables(), () -> secretText(init), clock, System.out), init::catalog,
                        new io.jobwatch.core.lineage.LineageSchema(), clock, init.env().retention(), System.out));
        org.crac.Core.getGlobalContext().register(priming);
        http(); // compiled into the snapshot: the OpenLineage schema and the HTTP path's classes
    }

    private static String secretText(Init init) {
        String id = init.variables().get(HttpKeys.SECRET_ID);
        try (var secrets = AwsClients.secrets(init.env())) {
            return secrets.getSecretValue(b -> b.secretId(id.trim())).secretString();
        }
    }

    /**
     * ServiceNow as the function reaches it: the secret is read with {@code secrets} by the first request (after a
     * SnapStart restore, never before the snapshot), the instance from {@code SERVICENOW_INSTANCE} or the catalog.
     */
    private static IncidentGateway lazyServiceNow(Env env, Catalog catalog, SecretsManagerClient secrets, Clock clock) {
        return new LazyIncidentGateway(() -> OutboxHandler.gateway(env, catalog, secrets, clock,
                SERVICENOW_CONNECT_TIMEOUT, SERVICENOW_REQUEST_TIMEOUT));
    }

    /**
     * As Lambda wires the event path (no HTTP path): ServiceNow through {@code secrets}, the teams' {@code channels}.
     *
     * @param primed whether to build the SnapStart priming ({@link #primeNow()})
     */
    IngestHandler(Env env, Catalog catalog, DynamoDbClient dynamo, SecretsManagerClient secrets,
                  IncidentChannels channels, Clock clock, PrintStream log, boolean primed) {
        this(env, catalog, dynamo, lazyServiceNow(env, catalog, secrets, clock), channels, clock, log,
                primed ? new IngestPriming(env, catalog, clock, log) : null, null);
    }

    /**
     * The function as Lambda wires it — run store, incident decisions and their sending on one table — with the
     * incident system given (tests and the bench: ServiceNow on WireMock).
     */
    public IngestHandler(Env env, Catalog catalog, DynamoDbClient dynamo, IncidentGateway gateway, Clock clock,
                         PrintStream log) {
        this(env, catalog, dynamo, gateway, IncidentChannels.NONE, clock, log);
    }

    /** As {@link #IngestHandler(Env, Catalog, DynamoDbClient, IncidentGateway, Clock, PrintStream)}, with channels. */
    public IngestHandler(Env env, Catalog catalog, DynamoDbClient dynamo, IncidentGateway gateway,
                         IncidentChannels channels, Clock clock, PrintStream log) {
        this(env, catalog, dynamo, gateway, channels, clock, log, null, null);
    }

    private IngestHandler(Env env, Catalog catalog, DynamoDbClient dynamo, IncidentGateway gateway,
                          IncidentChannels channels, Clock clock, PrintStream log, IngestPriming priming,
                          java.util.function.BiFunction<RunStore, IngestPipeline, HttpIngest> http) {
        this(store(dynamo, env, clock), new DynamoIncidents(dynamo, env.table(), clock, env.retention()), catalog,
                gateway, channels, clock, log, priming, http);
    }

    private IngestHandler(RunStore store, Incidents incidents, Catalog catalog, IncidentGateway gateway,
                          IncidentChannels channels, Clock clock, PrintStream log, IngestPriming priming,
                          java.util.function.BiFunction<RunStore, IngestPipeline, HttpIngest> http) {
        this(store, new IngestPipeline(store, () -> catalog,
                        new IncidentTracker(new IncidentPolicy(clock), incidents, incidents, clock, channels,
                                io.jobwatch.core.incident.IncidentTimes.of(store.rollups()))),
                new AlertsNow(gateway, channels, incidents, clock, log), clock, log, priming, http, identities(catalog));
    }

    /**
     * For tests: store work only, the log, the clock and how to build the HTTP path over this handler's store and
     * pipeline.
     */
    IngestHandler(RunStore store, PrintStream log, Clock clock,
                  java.util.function.BiFunction<RunStore, IngestPipeline, HttpIngest> http) {
        this(store, new IngestPipeline(store, null, null), null, clock, log, null, http,
                io.jobwatch.core.source.IdentityOverride.NONE);
    }

    /**
     * Store work only, no incident decisions (tests of the apply path and local runs): the store to write to and
     * where to log; the system clock judges event times.
     */
    public IngestHandler(RunStore store, PrintStream log) {
        this(store, log, Clock.systemUTC());
    }

    /**
     * Store work only, no incident decisions.
     *
     * @param clock now, for the plausibility window on event times
     *              ({@link io.jobwatch.core.normalize.EventTimeWindow#DEFAULT})
     */
    public IngestHandler(RunStore store, PrintStream log, Clock clock) {
        this(store, new IngestPipeline(store, null, null), null, clock, log, null, null,
                io.jobwatch.core.source.IdentityOverride.NONE);
    }

    private IngestHandler(RunStore store, IngestPipeline pipeline, AlertsNow alerts, Clock clock, PrintStream log,
                          IngestPriming priming, java.util.function.BiFunction<RunStore, IngestPipeline, HttpIngest> http,
                          io.jobwatch.core.source.IdentityOverride identity) {
        this.store = Objects.requireNonNull(store, "store");
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.alerts = alerts;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        this.normalizer = new EventNormalizer(clock).withIdentity(identity);
        this.priming = priming;
        this.httpFactory = http == null ? null : () -> http.apply(this.store, this.pipeline);
    }

    private HttpIngest http() {
        HttpIngest h = http;
        if (h == null) {
            synchronized (this) {
                if (http == null) {
                    if (httpFactory == null) {
                        throw new IllegalStateException("this handler was built without its HTTP path");
                    }
                    http = httpFactory.get();
                }
                h = http;
            }
        }
        return h;
    }

    /**
     * The function's path over {@code dynamo} and {@code gateway} for SnapStart priming: everything the first event
     * runs, decisions included, with the incident system given (priming's refuses every call).
     */
    static IngestHandler primer(Env env, Catalog catalog, DynamoDbClient dynamo, IncidentGateway gateway, Clock clock,
                                PrintStream log) {
        return new IngestHandler(env, catalog, dynamo, gateway, IncidentChannels.NONE, clock, log, null, null);
    }

    /** The packaged catalog's identity rules (a job's stable name, where a rule overrides its source's). */
    private static io.jobwatch.core.source.IdentityOverride identities(Catalog catalog) {
        return catalog == null ? io.jobwatch.core.source.IdentityOverride.NONE : Catalog.identities(() -> catalog);
    }

    /** The run store the function writes to (also the priming store's, over its local HTTP client). */
    static RunStore store(DynamoDbClient client, Env env, Clock clock) {
        return new DynamoRunStore(client, env.table(), clock, env.retention());
    }

    /**
     * Runs the SnapStart priming now (what the runtime does before the snapshot), for local runs and the cold-start
     * benchmark; empty when this handler was not built by Lambda's constructor.
     */
    java.util.Optional<IngestPriming.Report> primeNow() throws IOException {
        return priming == null ? java.util.Optional.empty() : java.util.Optional.of(priming.prime());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Instant arrived = clock.instant();
        // Requests are started until the invocation has SEND_MARGIN left (a request's timeout and its writes).
        Instant deadline = context == null ? arrived.plus(DEFAULT_SEND_BUDGET)
                : arrived.plusMillis(context.getRemainingTimeInMillis()).minus(SEND_MARGIN);
        JsonNode root = JsonTree.parse(input);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected an SQS batch {\"Records\":[…]} or an EventBridge event, got "
                    + (root == null ? "nothing" : root.getNodeType()));
        }
        if (HttpIngest.isHttp(root)) {
            com.fasterxml.jackson.databind.node.ObjectNode answer = http().handle(root);
            HttpIngest.MAPPER.writeValue(output, answer);
            return;
        }
        Counts counts = new Counts();
        List<String> failures = new ArrayList<>();
        if (root.has("Records")) {
            for (JsonNode record : root.path("Records")) {
                String messageId = record.path("messageId").asText("");
                try {
                    ingest(record.path("body").asText(""), null, "sqs:" + messageId, counts, deadline);
                } catch (RunStoreException | SdkException e) {
                    counts.failed++;
                    failures.add(messageId);
                    log.println("ingest: message " + messageId + " not stored, reported for retry: " + e.getMessage());
                }
            }
        } else {
            String id = root.path("id").asText("");
            try {
                ingest(null, root, "eventbridge:" + id, counts, deadline);
            } catch (RunStoreException | SdkException e) {
                // Thrown on: Lambda retries the invocation, then hands the event to the on-failure destination.
                log.println("ingest: event " + id + " not stored, failing the invocation: " + e.getMessage());
                throw e;
            }
        }
        log.println("ingest: " + counts);
        try (JsonGenerator g = JsonTree.generator(output)) {
            g.writeStartObject();
            g.writeArrayFieldStart("batchItemFailures");
            for (String id : failures) {
                g.writeStartObject();
                g.writeStringField("itemIdentifier", id);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /**
     * Applies one EventBridge event, or parks it; store failures propagate.
     *
     * @param body   the event's text (an SQS message body), or null when {@code parsed} is given
     * @param parsed the event already parsed (a direct invocation), or null
     */
    private void ingest(String body, JsonNode parsed, String source, Counts counts, Instant deadline)
            throws IOException {
        Instant arrived = clock.instant();
        JsonNode event = parsed;
        if (event == null) {
            // SQS takes messages up to 1 MiB, EventBridge events are at most 256 KB: a bigger body is not a real event.
            int bytes = utf8Length(body);
            if (bytes > EventInput.MAX_EVENT_BYTES) {
                park(Text.truncateUtf8(body, ParkedEvent.MAX_RAW_BYTES),
                        EventInput.tooLarge(bytes, EventInput.MAX_EVENT_BYTES), source, counts);
                return;
            }
            try {
                event = JsonTree.parse(body);
            } catch (JsonProcessingException e) {
                park(body, "not JSON: " + e.getOriginalMessage(), source, counts);
                return;
            }
        }
        if (body == null) {
            body = JsonTree.text(event); // only a direct invocation; parking needs the text
        }
        if (event == null || !event.isObject()) {
            park(body, "not an EventBridge event (expected a JSON object)", source, counts);
            return;
        }
        Normalization n = normalizer.normalize(event);
        if (n instanceof Normalization.Normalized normalized) {
            IngestPipeline.Result r;
            try {
                r = pipeline.ingest(List.of(normalized.event()));
            } catch (InvalidRunEventException e) {
                park(body, e.getMessage(), source, counts);
                return;
            }
            counts.count(r.applied().get(0));
            counts.actions += (int) r.actions();
            if (alerts != null) {
                alerts.send(r, arrived, deadline);
            }
        } else if (n instanceof Normalization.Unsupported unsupported) {
            park(body, unsupported.message(), source, counts);
        } else {
            park(body, ((Normalization.Rejected) n).message(), source, counts);
        }
    }

    private static int utf8Length(String s) {
        if (s.length() <= EventInput.MAX_EVENT_BYTES / 3) {
            return s.length(); // a lower bound that cannot exceed the limit: skip the count
        }
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private void park(String raw, String reason, String source, Counts counts) {
        store.park(raw, reason, source);
        counts.parked++;
        log.println("ingest: parked " + source + ": " + reason);
    }

    private static final class Counts {
        int applied;
        int duplicates;
        int stale;
        int parked;
        int failed;
        int actions;

        void count(ApplyResult r) {
            switch (r.outcome()) {
                case DUPLICATE -> duplicates++;
                case STALE -> stale++;
                default -> applied++;
            }
        }

        @Override
        public String toString() {
            return applied + " applied, " + duplicates + " duplicate, " + stale + " stale, " + parked + " parked, "
                    + failed + " failed; " + actions + " incident action" + (actions == 1 ? "" : "s") + " decided";
        }
    }
}
