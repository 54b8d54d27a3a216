package io.jobwatch.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.catalog.Criticality;
import io.jobwatch.core.channel.Channel;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelFactory;
import io.jobwatch.core.channel.ChannelSettings;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.channel.IncidentNotice;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code pagerduty} channel: PagerDuty Events API v2 ({@code POST https://events.pagerduty.com/v2/enqueue}).
 * Incidents only (no digests). Open, update and reopen send {@code trigger} — PagerDuty folds a trigger with the same
 * {@code dedup_key} into the alert already open — and resolve sends {@code resolve}:
 * <ul>
 * <li>{@code dedup_key} is the incident's correlation id, the same for every action of one job problem (after a resolve,
 * a trigger with it opens a new alert, as a new incident should);</li>
 * <li>{@code payload.severity} from the job's criticality: critical → critical, high → error, normal → warning,
 * low → info;</li>
 * <li>{@code payload.summary} (at most 1024 characters), {@code source} the job's key, {@code component} the job,
 * {@code group} the system (else the team), {@code class} the problem kind, {@code timestamp} the run's time, and
 * {@code custom_details} with the run (job, system, team, criticality, state, run, error, incident number, correlation
 * id, note); a link to the AWS console.</li>
 * </ul>
 * Catalog: {@code {type: pagerduty, routingKey: "${PD_ERP_KEY}"}} (the integration key, only ever a reference) and an
 * optional {@code url} for another endpoint (e.g. the EU service region's {@code events.eu.pagerduty.com}). Answers:
 * 202 accepted; 400 (invalid event, e.g. a wrong routing key's length) refused for good, with PagerDuty's errors kept;
 * 429 tried again after its Retry-After or 30 s (PagerDuty's advice: back off, retry a few times 30 s apart); 5xx tried
 * again.
 */
public final class PagerDutyChannel extends HttpChannel {
    public static final String DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue";
    static final int MAX_SUMMARY = 1024;
    static final Duration THROTTLED_WAIT = Duration.ofSeconds(30);

    /** The {@code pagerduty} type. */
    public static final ChannelFactory FACTORY = new ChannelFactory() {
        @Override
        public String type() {
            return "pagerduty";
        }

        @Override
        public Set<String> requiredSettings() {
            return Set.of("routingKey");
        }

        @Override
        public Set<String> optionalSettings() {
            return Set.of("url");
        }

        @Override
        public Set<String> secretSettings() {
            return Set.of("routingKey");
        }

        @Override
        public boolean takesDigests() {
            return false;
        }

        @Override
        public boolean takesIncidents() {
            return true;
        }

        @Override
        public Channel open(ChannelSpec spec, ChannelContext context) {
            return open(context.settings(spec), context);
        }

        @Override
        public Channel open(ChannelSettings settings, ChannelContext context) {
            return new PagerDutyChannel(settings, context, null);
        }
    };

    /** @param http the client to use, or null for the shared one */
    public PagerDutyChannel(ChannelSettings settings, ChannelContext context, HttpClient http) {
        super("pagerduty", settings, "url", DEFAULT_URL, context, http);
        if (settings.get("routingKey") == null && !context.dryRunning()) {
            throw new IllegalArgumentException(settings.spec().where() + ": pagerduty needs 'routingKey'");
        }
    }

    /** PagerDuty's severity for a job of this criticality. */
    static String severity(Criticality c) {
        return switch (c) {
            case CRITICAL -> "critical";
            case HIGH -> "error";
            case NORMAL -> "warning";
            case LOW -> "info";
        };
    }

    @Override
    protected Optional<Request> incident(IncidentNotice n) {
        ObjectNode event = JSON.createObjectNode();
        String key = settings.get("routingKey");
        event.put("routing_key", key != null ? key : settings.shown("routingKey"));
        event.put("dedup_key", n.correlationId());
        if (n.resolved()) {
            event.put("event_action", "resolve");
            return Optional.of(new Request(json(event), Map.of()));
        }
        event.put("event_action", "trigger");
        ObjectNode payload = event.putObject("payload");
        payload.put("summary", SlackChannel.cut(n.summary(), MAX_SUMMARY));
        payload.put("source", n.job().id());
        payload.put("severity", severity(n.criticality()));
        payload.put("timestamp", n.at().toString());
        payload.put("component", n.job().jobName());
        payload.put("group", n.system() != null ? n.system() : n.team());
        payload.put("class", n.problem().name());
        ObjectNode details = payload.putObject("custom_details");
        details.put("action", n.action());
        for (IncidentNotice.Field f : n.fields()) {
            details.put(f.label().toLowerCase(java.util.Locale.ROOT), f.value());
        }
        details.put("team", n.team());
        details.put("correlation_id", n.correlationId());
        details.put("opened_at", n.openedAt().toString());
        details.put("note", n.note());
        event.put("client", "Jobwatch");
        if (n.consoleLink() != null) {
            event.putArray("links").addObject().put("href", n.consoleLink()).put("text", "The run in the AWS console");
        }
        return Optional.of(new Request(json(event), Map.of()));
    }

    /** 202 with {"status":"success"}; a 400 names what is wrong in {@code errors}. */
    @Override
    protected void accept(Response r) throws DeliveryException {
        if (r.status() == 202 || r.status() == 200) {
            return;
        }
        throw failure(r, "HTTP " + r.status() + errors(r.body()));
    }

    @Override
    protected Duration defaultRetryAfter() {
        return THROTTLED_WAIT;
    }

    /** ": <message>: <errors…>" from PagerDuty's answer, masked; else the body's first words. */
    private String errors(String body) {
        try {
            JsonNode n = JSON.readTree(body == null ? "" : body);
            if (n != null && n.isObject()) {
                List<String> parts = new ArrayList<>();
                if (n.path("message").isTextual()) {
                    parts.add(n.path("message").asText());
                }
                n.path("errors").forEach(e -> parts.add(e.asText()));
                if (!parts.isEmpty()) {
                    return ": " + settings.mask(String.join(": ", parts));
                }
            }
        } catch (IOException | RuntimeException notJson) {
            // fall through
        }
        return reason(body);
    }
}
