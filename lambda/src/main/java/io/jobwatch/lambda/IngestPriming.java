package io.jobwatch.lambda;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.source.Sources;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.crac.Context;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * SnapStart priming of the ingest function (a CRaC {@link Resource}: Lambda's Java runtime calls
 * {@link #beforeCheckpoint} once, after init and before it snapshots the initialised JVM). It runs what the first
 * event needs — the SQS batch and the direct EventBridge shapes, JSON parsing, every source's normalizer, the apply
 * path, the incident decision of a finished run and the look for its actions to send, the DynamoDB requests' building,
 * marshalling, signing and unmarshalling — a few rounds (so the hot methods are also compiled), through a second
 * {@link IngestHandler} whose table talks to {@link PrimingHttpClient}: no network, no credentials, nothing written.
 * Its incident system refuses every call and priming fails if one was made: priming never calls ServiceNow (the
 * stand-in table holds no outbox entry to send), and the function's own gateway reads the ServiceNow secret only at its
 * first request after a restore ({@link LazyIncidentGateway}). The function's own client has not opened a connection
 * or fetched credentials when the snapshot is taken, so {@link #afterRestore} has nothing to refresh; what is left to
 * the first real event is the TLS connection to DynamoDB (and to ServiceNow with its first action).
 *
 * <p>The primer events are real samples (examples/events, packaged under {@value #RESOURCES}) with their time moved to
 * the present: each source's samples (its descriptor names them), a run's start and end. A priming failure is logged
 * and never fails init: priming is an optimisation.
 */
final class IngestPriming implements Resource {
    static final String RESOURCES = "/io/jobwatch/lambda/priming/";
    /**
     * Every source's samples ({@link Sources#samples()}): each detail-type the rule forwards, a run's start where the
     * service sends one (a crawl's, whose end pairs with it) and a run's end.
     */
    static final List<String> PRIMERS = Sources.samples();
    /** Enough passes for C1 to compile the hot methods of the path (it compiles after ~200 calls of a method). */
    static final int ROUNDS = 5;

    /** What one priming did. */
    record Report(int events, int invocations, int requests, java.util.Map<String, Integer> operations, Duration took) {
        @Override
        public String toString() {
            return events + " sample events × " + ROUNDS + " rounds (" + invocations + " invocations, " + requests
                    + " DynamoDB requests answered locally) in " + took.toMillis() + " ms";
        }
    }

    private final Env env;
    private final io.jobwatch.core.catalog.Catalog catalog;
    private final Clock clock;
    private final PrintStream log;
    private final List<String> primers;
    private volatile Report last;

    IngestPriming(Env env, io.jobwatch.core.catalog.Catalog catalog, Clock clock, PrintStream log) {
        this(env, catalog, clock, log, PRIMERS);
    }

    /**
     * @param catalog the function's catalog (the decision's incident rules)
     * @param primers sample names under {@value #RESOURCES}
     */
    IngestPriming(Env env, io.jobwatch.core.catalog.Catalog catalog, Clock clock, PrintStream log,
                  List<String> primers) {
        this.env = Objects.requireNonNull(env, "env");
        this.catalog = catalog;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        this.primers = List.copyOf(primers);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            Report r = prime();
            log.println("ingest: primed for the snapshot: " + r);
        } catch (Exception | LinkageError e) {
            log.println("ingest: priming failed, the snapshot is taken without it: " + e);
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing captured needs refreshing: see the class comment.
    }

    /** The last priming's report, or null before the first. */
    Report last() {
        return last;
    }

    /** Runs the primers {@link #ROUNDS} times; throws if a primer is missing or the path fails. */
    Report prime() throws IOException {
        long started = System.nanoTime();
        List<String> events = primerEvents();
        PrimingHttpClient http = new PrimingHttpClient();
        int invocations = 0;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        PrintStream handlerLog = new PrintStream(logged, true, StandardCharsets.UTF_8);
        RefusingGateway serviceNow = new RefusingGateway();
        try (DynamoDbClient client = AwsClients.priming(env, http)) {
            IngestHandler handler = IngestHandler.primer(env, catalog, client, serviceNow, clock, handlerLog);
            LocalContext context = new LocalContext("ingest-priming", 30_000);
            for (int round = 0; round < ROUNDS; round++) {
                invoke(handler, sqsBatch(events, round), context); // queue mode and redrive
                invocations++;
                for (String event : events) {
                    invoke(handler, event, context); // direct mode: rule → function
                    invocations++;
                }
            }
        }
        // A parked primer would prime the parking path instead of the apply path: a packaging or clock problem.
        String parked = logged.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("ingest: parked"))
                .findFirst().orElse(null);
        if (parked != null) {
            throw new IllegalStateException("a priming sample was parked, not applied: " + parked);
        }
        if (serviceNow.calls() > 0) {
            throw new IllegalStateException("priming called the incident system " + serviceNow.calls() + " time(s)");
        }
        Report r = new Report(events.size(), invocations, http.requests(), http.operations(),
                Duration.ofNanos(System.nanoTime() - started));
        last = r;
        return r;
    }

    private static void invoke(IngestHandler handler, String payload, LocalContext context) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8)), out, context);
        JsonNode response = JsonTree.parse(out.toString(StandardCharsets.UTF_8));
        if (response == null || !response.path("batchItemFailures").isArray()
                || !response.path("batchItemFailures").isEmpty()) {
            throw new IllegalStateException("priming invocation failed: " + out.toString(StandardCharsets.UTF_8));
        }
    }

    /** The primer samples, their {@code time} set to a minute ago so the normalizer accepts them as current. */
    private List<String> primerEvents() throws IOException {
        String time = clock.instant().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        List<String> out = new ArrayList<>();
        for (String name : primers) {
            try (InputStream in = IngestPriming.class.getResourceAsStream(RESOURCES + name)) {
                if (in == null) {
                    throw new IOException("priming sample " + RESOURCES + name + " is missing from the jar");
                }
                JsonNode event = JsonTree.parse(in);
                if (!(event instanceof ObjectNode object)) {
                    throw new IOException("priming sample " + name + " is not a JSON object");
                }
                object.put("time", time);
                out.add(JsonTree.text(object));
            }
        }
        return out;
    }

    /** An SQS batch of the events as the event source mapping delivers it (message ids differ per round). */
    private static String sqsBatch(List<String> events, int round) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = JsonTree.generator(bytes)) {
            g.writeStartObject();
            g.writeArrayFieldStart("Records");
            for (int i = 0; i < events.size(); i++) {
                g.writeStartObject();
                g.writeStringField("messageId", "priming-" + round + "-" + i);
                g.writeStringField("body", events.get(i));
                g.writeStringField("eventSource", "aws:sqs");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The priming handler's incident system: counts and refuses every call (priming must never reach ServiceNow). */
    static final class RefusingGateway implements io.jobwatch.core.incident.IncidentGateway {
        private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        int calls() {
            return calls.get();
        }

        private <T> T refuse() {
            calls.incrementAndGet();
            throw new IllegalStateException("priming must not call the incident system");
        }

        @Override
        public java.util.Optional<io.jobwatch.core.incident.IncidentTicket> findOpen(String correlationId) {
            return refuse();
        }

        @Override
        public java.util.Optional<io.jobwatch.core.incident.IncidentTicket> findLatest(String correlationId) {
            return refuse();
        }

        @Override
        public io.jobwatch.core.incident.IncidentTicket create(io.jobwatch.core.incident.IncidentAction.Open open) {
            return refuse();
        }

        @Override
        public io.jobwatch.core.incident.IncidentTicket update(String sysId, String workNote) {
            return refuse();
        }

        @Override
        public io.jobwatch.core.incident.IncidentTicket resolve(String sysId,
                                                                io.jobwatch.core.incident.IncidentAction.Resolve r) {
            return refuse();
        }

        @Override
        public io.jobwatch.core.incident.IncidentTicket reopen(String sysId,
                                                               io.jobwatch.core.incident.IncidentAction.Reopen r) {
            return refuse();
        }
    }
}
