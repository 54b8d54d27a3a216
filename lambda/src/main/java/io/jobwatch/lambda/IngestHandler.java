package io.jobwatch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
import io.jobwatch.store.dynamodb.DynamoRunStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Ingest, in either of the stack's two modes ({@code ingestMode}): EventBridge rule → this function directly
 * (asynchronous invocation, one event per call: Lambda's retries, then the on-failure destination), or rule → SQS →
 * this function (event source mapping with {@code ReportBatchItemFailures}).
 *
 * <p>Input: an EventBridge event (direct), or an SQS batch {@code {"Records":[{"messageId":…,"body":"<EventBridge
 * event JSON>"},…]}} (the queue, and {@code jobwatch aws redrive}, which replays a dead-letter queue in the same
 * shape). Each event is normalized and applied to the run store — store work only: one UpdateItem per non-terminal
 * event, two per terminal one, no reads (Glue crawlers excepted); incident decisions are the scheduled function's.
 * <ul>
 * <li>an event that is not JSON, not a supported job event or not a valid run event is <b>parked</b> with the reason
 * (retrying cannot fix it, and failing it would retry it until the DLQ);</li>
 * <li>a store failure of a batch message puts its id in {@code batchItemFailures}, so SQS retries only it; a store
 * failure of a direct event <b>throws</b>, so Lambda retries the invocation (twice) and then sends the event to the
 * on-failure destination. The store's writes are keyed by event id, so an event whose write landed before the failure
 * applies once when retried.</li>
 * </ul>
 * Response: {@code {"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}} (empty for a direct event).
 *
 * <p>The third input is an HTTP request through the stack's HTTP API (API Gateway payload format 2.0): pings and
 * OpenLineage events ({@link HttpIngest}), answered with API Gateway's response object.
 *
 * <p>With SnapStart the Lambda constructor registers {@link IngestPriming} (a CRaC resource), which runs the first
 * event's path before the snapshot.
 */
public final class IngestHandler implements RequestStreamHandler {
    private final RunStore store;
    private final IngestPipeline pipeline;
    private final EventNormalizer normalizer;
    private final PrintStream log;
    /** Held here: a CRaC context keeps only weak references to its resources. Null outside Lambda's constructor. */
    private final IngestPriming priming;
    /** Builds the HTTP path when its first request comes (or, under SnapStart, before the snapshot). */
    private final Supplier<HttpIngest> httpFactory;
    private volatile HttpIngest http;

    /** Lambda's constructor: configuration from the environment, clients built once per container. */
    public IngestHandler() {
        this(Init.fromEnvironment(), Clock.systemUTC());
    }

    private IngestHandler(Init init, Clock clock) {
        this(init, clock, AwsClients.dynamo(init.env()));
    }

    private IngestHandler(Init init, Clock clock, DynamoDbClient dynamo) {
        this(store(dynamo, init.env(), clock), System.out, clock, new IngestPriming(init.env(), clock, System.out),
                (store, pipeline) -> new HttpIngest(store, pipeline,
                        new io.jobwatch.store.dynamodb.DynamoRunDetails(dynamo, init.env().table()),
                        new HttpKeys(init.variables(), () -> secretText(init), clock, System.out), init::catalog,
                        new io.jobwatch.core.lineage.LineageSchema(), clock, init.env().retention(), System.out),
                identities(init.catalog()));
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
     * For tests: the store, the log, the clock and how to build the HTTP path over this handler's store and pipeline.
     */
    IngestHandler(RunStore store, PrintStream log, Clock clock,
                  java.util.function.BiFunction<RunStore, IngestPipeline, HttpIngest> http) {
        this(store, log, clock, null, http, io.jobwatch.core.source.IdentityOverride.NONE);
    }

    /** For tests and local runs: the store to write to and where to log; the system clock judges event times. */
    public IngestHandler(RunStore store, PrintStream log) {
        this(store, log, Clock.systemUTC());
    }

    /**
     * @param clock now, for the plausibility window on event times
     *              ({@link io.jobwatch.core.normalize.EventTimeWindow#DEFAULT})
     */
    public IngestHandler(RunStore store, PrintStream log, Clock clock) {
        this(store, log, clock, null, null, io.jobwatch.core.source.IdentityOverride.NONE);
    }

    private IngestHandler(RunStore store, PrintStream log, Clock clock, IngestPriming priming,
                          java.util.function.BiFunction<RunStore, IngestPipeline, HttpIngest> http,
                          io.jobwatch.core.source.IdentityOverride identity) {
        this.store = Objects.requireNonNull(store, "store");
        this.pipeline = new IngestPipeline(store, null, null);
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

    /** The packaged catalog's identity rules (a job's stable name, where a rule overrides its source's). */
    private static io.jobwatch.core.source.IdentityOverride identities(io.jobwatch.core.catalog.Catalog catalog) {
        return io.jobwatch.core.catalog.Catalog.identities(() -> catalog);
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
                    ingest(record.path("body").asText(""), null, "sqs:" + messageId, counts);
                } catch (RunStoreException | SdkException e) {
                    counts.failed++;
                    failures.add(messageId);
                    log.println("ingest: message " + messageId + " not stored, reported for retry: " + e.getMessage());
                }
            }
        } else {
            String id = root.path("id").asText("");
            try {
                ingest(null, root, "eventbridge:" + id, counts);
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
    private void ingest(String body, JsonNode parsed, String source, Counts counts) throws IOException {
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
            try {
                ApplyResult r = pipeline.ingest(List.of(normalized.event())).applied().get(0);
                counts.count(r);
            } catch (InvalidRunEventException e) {
                park(body, e.getMessage(), source, counts);
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
                    + failed + " failed";
        }
    }
}
