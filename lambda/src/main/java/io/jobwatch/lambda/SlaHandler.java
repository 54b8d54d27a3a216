package io.jobwatch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.incident.IncidentDecision;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.JobHistory;
import io.jobwatch.core.incident.Transition;
import io.jobwatch.core.ingest.FinishedRuns;
import io.jobwatch.core.sla.Breach;
import io.jobwatch.core.sla.SlaCheck;
import io.jobwatch.core.sla.SlaEngine;
import io.jobwatch.core.sla.SlaTracker;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.store.dynamodb.DynamoBreaches;
import io.jobwatch.store.dynamodb.DynamoIncidents;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * SLA checks on AWS, every few minutes (the first half of {@link PeriodicHandler}; alone with {@code {"task":"sla"}}): evaluates every job's
 * expectations with the same engine as the local server (two reads: job summaries and open runs, by index), diffs the
 * breaches against the raised ones in the table (raised once, cleared once), and turns MISSING / LATE / LONG_RUNNING
 * into incident transitions — the actions go to the outbox, which the outbox handler sends.
 */
public final class SlaHandler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SlaCheck check;
    private final SlaTracker tracker;
    private final IncidentTracker incidents;
    private final Catalog catalog;
    private final Clock clock;
    private final PrintStream log;

    /** Lambda's constructor: environment and catalog read once per container. */
    public SlaHandler() {
        this(Init.fromEnvironment());
    }

    private SlaHandler(Init init) {
        this(init.env(), init.catalog(), AwsClients.dynamo(init.env()), Clock.systemUTC(), System.out);
    }

    public SlaHandler(Env env, Catalog catalog, DynamoDbClient dynamo, Clock clock, PrintStream log) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        RunStore store = new DynamoRunStore(dynamo, env.table(), clock, env.retention());
        DynamoIncidents records = new DynamoIncidents(dynamo, env.table(), clock, env.retention());
        this.check = new SlaCheck(catalog, store, new SlaEngine());
        this.tracker = new SlaTracker(new DynamoBreaches(dynamo, env.table()));
        // Breach actions also go to the teams' channels: the tracker only names their destinations (no secret is read
        // here); the outbox pass sends them.
        this.incidents = new IncidentTracker(new IncidentPolicy(clock), records, records, clock,
                ChannelSecrets.router(catalog, Map.of(), id -> {
                    throw new IllegalStateException("the SLA check sends nothing");
                }, clock), io.jobwatch.core.incident.IncidentTimes.of(store.rollups()));
    }

    /** What one check did. */
    public record Report(int breaches, int raised, int cleared, int actions) {
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes(); // {"task":"sla"} from the schedule
        Report r = run();
        try (JsonGenerator g = JSON.getFactory().createGenerator(output)) {
            write(g, r);
        }
    }

    /** The response object of one check (also a part of the periodic function's response). */
    static void write(JsonGenerator g, Report r) throws IOException {
        g.writeStartObject();
        g.writeNumberField("breaches", r.breaches());
        g.writeNumberField("raised", r.raised());
        g.writeNumberField("cleared", r.cleared());
        g.writeNumberField("incidentActions", r.actions());
        g.writeEndObject();
    }

    public Report run() {
        java.time.Instant now = clock.instant();
        List<Breach> current = check.evaluate(now);
        int raised = 0;
        int cleared = 0;
        int actions = 0;
        for (SlaTracker.Change change : tracker.update(current, now)) {
            if (change instanceof SlaTracker.Raised) {
                raised++;
            } else {
                cleared++;
            }
            Optional<Transition> t = change.transition();
            if (t.isPresent()) {
                JobPolicy policy = catalog.resolve(t.get().job());
                IncidentDecision d = incidents.onTransition(t.get(), FinishedRuns.rulesOf(policy), JobHistory.unknown(),
                        policy.inMaintenance(t.get().at()));
                if (d.action() != null) {
                    actions++;
                    log.println("sla: " + t.get().job().id() + " " + t.get().kind() + " → " + d.action().type()
                            + " (" + d.reason() + ")");
                }
            }
        }
        return new Report(current.size(), raised, cleared, actions);
    }
}
