package io.jobwatch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.time.Sleeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The 5-minute work of the AWS deployment in one scheduled function (EventBridge Scheduler,
 * {@code {"task":"periodic"}}): the SLA checks ({@link SlaHandler}: breaches raised and cleared, their incident actions
 * into the outbox), then the outbox retries ({@link OutboxHandler}: what the ingest function could not send right
 * away, and the SLA's and the reconciler's actions, drained to ServiceNow; its age metric printed). Incidents are
 * decided and first sent by the ingest function as events arrive. One function instead of two: half the scheduled
 * invocations, one warm container, one catalog and one DynamoDB client, and the SLA's actions leave in the same run.
 *
 * <p>The SLA checks go first so their actions are sent by the drain that follows. When the checks fail the incident
 * pass still runs (a broken SLA evaluation must not hold back ServiceNow), and the function then fails with the
 * checks' error so the schedule retries and the error alarm fires; both halves are idempotent.
 */
public final class PeriodicHandler implements RequestStreamHandler {
    private final SlaHandler sla;
    private final OutboxHandler outbox;
    private final PrintStream log;

    /** Lambda's constructor: environment, catalog, the DynamoDB client and the ServiceNow credentials once. */
    public PeriodicHandler() {
        this(Init.fromEnvironment(), Clock.systemUTC());
    }

    private PeriodicHandler(Init init, Clock clock) {
        this(init.env(), init.variables(), init.catalog(), AwsClients.dynamo(init.env()), clock);
    }

    private PeriodicHandler(Env env, java.util.Map<String, String> variables, Catalog catalog, DynamoDbClient dynamo,
                            Clock clock) {
        this(new SlaHandler(env, catalog, dynamo, clock, System.out),
                new OutboxHandler(env, variables, catalog, dynamo, AwsClients.secrets(env), clock,
                        Sleeper.threadSleep(), System.out),
                System.out);
    }

    /** The two halves, as built by their own constructors (tests wire them to dynalite and WireMock). */
    public PeriodicHandler(SlaHandler sla, OutboxHandler outbox, PrintStream log) {
        this.sla = Objects.requireNonNull(sla, "sla");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** What one run did: the SLA report (null when the checks failed) and the incident pass's. */
    public record Report(SlaHandler.Report sla, RuntimeException slaFailure, OutboxHandler.Report outbox) {
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes(); // {"task":"periodic"} from the schedule: what is due follows from the clock and table
        Duration remaining = context == null ? Duration.ofMinutes(1)
                : Duration.ofMillis(context.getRemainingTimeInMillis());
        Report r = run(remaining);
        try (JsonGenerator g = JsonTree.generator(output)) {
            g.writeStartObject();
            if (r.sla() != null) {
                g.writeFieldName("sla");
                SlaHandler.write(g, r.sla());
            } else {
                g.writeStringField("slaError", String.valueOf(r.slaFailure().getMessage()));
            }
            g.writeFieldName("outbox");
            OutboxHandler.write(g, r.outbox());
            g.writeEndObject();
        }
        if (r.slaFailure() != null) {
            throw r.slaFailure();
        }
    }

    /** One run; {@code remaining} is the time the Lambda has left. An incident-pass failure propagates. */
    public Report run(Duration remaining) {
        SlaHandler.Report checks = null;
        RuntimeException failure = null;
        try {
            checks = sla.run();
        } catch (RuntimeException e) {
            failure = e;
            log.println("periodic: SLA checks failed, running the incident pass anyway: " + e);
        }
        return new Report(checks, failure, outbox.run(remaining));
    }
}
