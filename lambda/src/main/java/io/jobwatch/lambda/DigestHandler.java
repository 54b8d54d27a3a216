package io.jobwatch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelRegistry;
import io.jobwatch.core.channel.DigestSender;
import io.jobwatch.core.digest.Digest;
import io.jobwatch.core.digest.DigestInputs;
import io.jobwatch.core.digest.DigestWindow;
import io.jobwatch.core.digest.TeamDigests;
import io.jobwatch.core.time.Sleeper;
import io.jobwatch.notify.AwsSetup;
import io.jobwatch.notify.StandardChannels;
import io.jobwatch.store.dynamodb.DynamoDeliveryLog;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Digests, per team of the catalog. One schedule invokes it ({@code {"task":"digest"}}); per run it works out which
 * teams are due from their own schedule (the team's {@code digestSchedule}, else {@code digest.schedule}) in their
 * own time zone: a team is due when the latest scheduled time at or before now is later than the window end of its
 * last digest (the delivery log's item in the table) and at most {@link #MAX_LATE} ago. So the infrastructure's
 * schedule only needs to fire at least as often as any team's digest (e.g. hourly); a missed run catches up at the
 * next one.
 *
 * <p>The digest is core's {@link TeamDigests} and goes out through the channel registry's one rule, as from the CLI
 * and {@code jobwatch serve}: the team's {@code channels:}, else SES ({@code JOBWATCH_SES_FROM}) for a team with
 * recipients, else the SNS topic ({@code JOBWATCH_SNS_TOPIC_ARN}); retried, and recorded in the
 * {@link DynamoDeliveryLog} so the team's next digest says when one was not delivered. Store reads: one Query for the
 * delivery log, the job summaries (one index Query), the runs of the windows (byTime, a job at a time), the open incidents (one
 * index Query) — no Scan.
 */
public final class DigestHandler implements RequestStreamHandler {
    /** A digest more than this late is skipped (the next one covers its window's runs as "previous"). */
    public static final Duration MAX_LATE = Duration.ofHours(6);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DynamoRunStore store;
    private final DynamoIncidents incidents;
    private final DynamoDeliveryLog deliveries;
    private final DigestSender sender;
    private final Catalog catalog;
    private final Clock clock;
    private final PrintStream log;

    /** Lambda's constructor: environment, catalog and clients once per container. */
    public DigestHandler() {
        this(Init.fromEnvironment());
    }

    private DigestHandler(Init init) {
        this(init.env(), init.variables(), init.catalog(), AwsClients.dynamo(init.env()), AwsClients.channels(init.env()),
                Clock.systemUTC(), Sleeper.threadSleep(), System.out);
    }

    /**
     * @param variables the environment the channels read (JOBWATCH_SES_FROM, JOBWATCH_SNS_TOPIC_ARN, AWS_REGION …)
     * @param aws       how the SES and SNS channels build their clients
     */
    public DigestHandler(Env env, Map<String, String> variables, Catalog catalog, DynamoDbClient dynamo, AwsSetup aws,
                         Clock clock, Sleeper sleeper, PrintStream log) {
        this.store = new DynamoRunStore(dynamo, env.table(), clock, env.retention());
        this.incidents = new DynamoIncidents(dynamo, env.table(), clock, env.retention());
        this.deliveries = new DynamoDeliveryLog(dynamo, env.table());
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        ChannelRegistry channels = StandardChannels.registry(aws);
        List<String> problems = channels.problems(catalog);
        if (!problems.isEmpty()) {
            // Like a bad catalog: stop at init, loudly, rather than drop digests.
            throw new IllegalArgumentException("the catalog's channels cannot be used here: " + String.join("; ", problems));
        }
        // Chat channels' "${NAME}" settings: the channel secrets first, then the environment.
        this.sender = new DigestSender(channels, new ChannelContext(variables, clock, null,
                new ChannelSecrets(variables, new SecretsOverHttp(
                        aws.credentials() != null ? aws.credentials() : AwsClients.credentials(), aws.region(),
                        aws.endpointOverride(), variables)), null), sleeper, deliveries);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** What happened to one due team's digest. */
    public record Sent(String team, DigestWindow window, String channel, String outcome) {
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes(); // {"task":"digest"}: which teams are due follows from the catalog and the clock
        List<Sent> sent = run();
        try (JsonGenerator g = JSON.getFactory().createGenerator(output)) {
            g.writeStartObject();
            g.writeArrayFieldStart("digests");
            for (Sent s : sent) {
                g.writeStartObject();
                g.writeStringField("team", s.team());
                g.writeStringField("from", s.window().from().toString());
                g.writeStringField("to", s.window().to().toString());
                g.writeStringField("channel", s.channel());
                g.writeStringField("outcome", s.outcome());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    public List<Sent> run() {
        Instant now = clock.instant();
        Map<String, Instant> last = deliveries.lastWindowEnds();
        List<Sent> out = new ArrayList<>();
        TeamDigests digests = null;
        for (Team team : catalog.teams().values()) {
            DigestWindow window = DigestInputs.windowAt(DigestInputs.scheduleOf(catalog, team), team.timezone(), now);
            Instant lastEnd = last.get(team.name());
            boolean due = (lastEnd == null || window.to().isAfter(lastEnd)) && !window.to().isBefore(now.minus(MAX_LATE));
            if (!due) {
                continue;
            }
            if (digests == null) {
                digests = new TeamDigests(store, catalog, incidents, clock);
            }
            boolean failedBefore = sender.previousFailed(team.name());
            Optional<Digest> digest = digests.of(team, now, null, failedBefore);
            if (digest.isEmpty()) {
                deliveries.record(team.name(), window.to(), failedBefore);
                out.add(new Sent(team.name(), window, "none", "no jobs"));
                continue;
            }
            DigestSender.Sent s = sender.send(team, digest.get(), catalog.digest().fromAddress());
            String channel = s.noChannel() ? "none"
                    : String.join(",", s.deliveries().stream().map(d -> d.spec().type()).toList());
            String outcome = s.noChannel() ? "no channel" : s.delivered() ? "sent" : "failed: " + s.describe();
            log.println("digest: team " + team.name() + " window " + window.from() + " → " + window.to() + " via "
                    + channel + ": " + outcome + " (" + digest.get().subject() + ")");
            out.add(new Sent(team.name(), window, channel, outcome));
        }
        return out;
    }
}
