package io.jobwatch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.Schedule;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.digest.AllGreen;
import io.jobwatch.core.digest.DeliveryException;
import io.jobwatch.core.digest.Digest;
import io.jobwatch.core.digest.DigestBuilder;
import io.jobwatch.core.digest.DigestInputs;
import io.jobwatch.core.digest.DigestTeam;
import io.jobwatch.core.digest.DigestWindow;
import io.jobwatch.core.digest.JobView;
import io.jobwatch.core.digest.Message;
import io.jobwatch.core.digest.Notifier;
import io.jobwatch.core.digest.RetryingNotifier;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.notify.SesNotifier;
import io.jobwatch.notify.SnsNotifier;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Digests, per team of the catalog. One schedule invokes it ({@code {"task":"digest"}}); per run it works out which
 * teams are due from their own schedule (the team's {@code digestSchedule}, else {@code digest.schedule}) in their
 * own time zone: a team is due when the latest scheduled time at or before now is later than the window end of its
 * last digest (kept in the table) and at most {@link #MAX_LATE} ago. So the infrastructure's schedule only needs to
 * fire at least as often as any team's digest (e.g. hourly); a missed run catches up at the next one.
 *
 * <p>Channel: a team with recipients gets an e-mail through SES ({@code JOBWATCH_SES_FROM}, else the catalog's
 * {@code digest.from}); a team without recipients, or when SES is not configured, gets the text on the SNS topic
 * ({@code JOBWATCH_SNS_TOPIC_ARN}). A delivery that fails after retries is recorded, and the team's next digest says
 * so. Store reads: one Query for the per-team state, the job summaries (one index Query), the runs of the windows
 * (byDay index), the open incidents (one index Query) — no Scan.
 */
public final class DigestHandler implements RequestStreamHandler {
    /** A digest more than this late is skipped (the next one covers its window's runs as "previous"). */
    public static final Duration MAX_LATE = Duration.ofHours(6);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunStore store;
    private final IncidentStore incidents;
    private final TableState state;
    private final Catalog catalog;
    private final Notifier email;
    private final Notifier topic;
    private final String from;
    private final Clock clock;
    private final PrintStream log;

    /** Lambda's constructor: environment, catalog and clients once per container. */
    public DigestHandler() {
        this(Init.fromEnvironment());
    }

    private DigestHandler(Init init) {
        this(init.env(), init.catalog(), AwsClients.dynamo(init.env()),
                init.env().sesFrom().isPresent()
                        ? io.jobwatch.notify.AwsClients.ses(AwsClients.region(init.env()), null, AwsClients.credentials())
                        : null,
                init.env().snsTopicArn().isPresent()
                        ? io.jobwatch.notify.AwsClients.sns(AwsClients.region(init.env()), null, AwsClients.credentials())
                        : null,
                Clock.systemUTC(), RetryingNotifier.Sleeper.THREAD, System.out);
    }

    /**
     * @param ses null when digests are not e-mailed
     * @param sns null when digests are not published to the topic
     */
    public DigestHandler(Env env, Catalog catalog, DynamoDbClient dynamo, SesV2Client ses, SnsClient sns, Clock clock,
                         RetryingNotifier.Sleeper sleeper, PrintStream log) {
        this.store = new DynamoRunStore(dynamo, env.table(), clock, env.retention());
        this.incidents = new DynamoIncidents(dynamo, env.table(), clock, env.retention());
        this.state = new TableState(dynamo, env.table());
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.from = env.sesFrom().or(() -> catalog.digest().fromAddress()).orElse(null);
        this.email = ses == null || from == null ? null
                : new RetryingNotifier(new SesNotifier(ses), 3, Duration.ofSeconds(2), sleeper);
        this.topic = sns == null || env.snsTopicArn().isEmpty() ? null
                : new RetryingNotifier(new SnsNotifier(sns, env.snsTopicArn().get()), 3, Duration.ofSeconds(2), sleeper);
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
        Map<String, Map<String, String>> last = state.all(TableState.DIGEST);
        List<Sent> out = new ArrayList<>();
        DigestInputs inputs = null;
        for (Team team : catalog.teams().values()) {
            Schedule schedule = DigestInputs.scheduleOf(catalog, team);
            DigestWindow window = DigestInputs.windowAt(schedule, team.timezone(), now);
            Map<String, String> previousState = last.getOrDefault(key(team), Map.of());
            Instant lastEnd = Optional.ofNullable(previousState.get("windowEnd")).map(Instant::parse).orElse(null);
            boolean due = (lastEnd == null || window.to().isAfter(lastEnd))
                    && !window.to().isBefore(now.minus(MAX_LATE));
            if (!due) {
                continue;
            }
            if (inputs == null) {
                inputs = new DigestInputs(store, catalog, openIncidents());
            }
            DigestWindow previous = DigestInputs.windowBefore(schedule, team.timezone(), window);
            List<JobView> views = inputs.forTeam(team.name(), window, previous);
            boolean failedBefore = Boolean.parseBoolean(previousState.getOrDefault("deliveryFailed", "false"));
            if (views.isEmpty()) {
                remember(team, window, failedBefore);
                out.add(new Sent(team.name(), window, "none", "no jobs"));
                continue;
            }
            Digest digest = new DigestBuilder(clock).build(new DigestTeam(team.name(), team.timezone()), window,
                    previous, views, Optional.empty(), failedBefore);
            if (!digest.shouldSend(AllGreen.SEND)) {
                remember(team, window, false);
                out.add(new Sent(team.name(), window, "none", "all green, not sent"));
                continue;
            }
            boolean byEmail = email != null && !team.recipients().isEmpty();
            Notifier channel = byEmail ? email : topic;
            String channelName = byEmail ? "ses" : topic != null ? "sns" : "none";
            if (channel == null) {
                log.println("digest: team " + team.name() + " has no channel (no recipients with SES, no SNS topic)");
                remember(team, window, failedBefore);
                out.add(new Sent(team.name(), window, channelName, "no channel"));
                continue;
            }
            String outcome;
            try {
                channel.send(Message.ofDigest(digest, byEmail ? team.recipients() : List.of(),
                        from != null ? from : "jobwatch"));
                remember(team, window, false);
                outcome = "sent";
            } catch (DeliveryException e) {
                remember(team, window, true);
                outcome = "failed: " + e.getMessage();
            }
            log.println("digest: team " + team.name() + " window " + window.from() + " → " + window.to() + " via "
                    + channelName + ": " + outcome + " (" + digest.subject() + ")");
            out.add(new Sent(team.name(), window, channelName, outcome));
        }
        return out;
    }

    private Map<JobKey, String> openIncidents() {
        Map<JobKey, String> out = new HashMap<>();
        for (IncidentRecord r : incidents.open()) {
            if (r.number() != null) {
                out.putIfAbsent(r.job(), r.number());
            }
        }
        return out;
    }

    private void remember(Team team, DigestWindow window, boolean deliveryFailed) {
        state.put(TableState.DIGEST, key(team), Map.of("windowEnd", window.to().toString(),
                "deliveryFailed", Boolean.toString(deliveryFailed)));
    }

    private static String key(Team team) {
        return "TEAM#" + team.name();
    }
}
