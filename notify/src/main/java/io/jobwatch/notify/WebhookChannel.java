package io.jobwatch.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.channel.Channel;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelFactory;
import io.jobwatch.core.channel.ChannelSettings;
import io.jobwatch.core.channel.IncidentNotice;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook} channel: every incident action as a signed JSON POST to your own endpoint, in the documented,
 * versioned body {@value #SCHEMA} (docs/webhooks.md, docs/schemas/webhook-incident-v1.schema.json). Incidents only.
 *
 * <p>Headers: {@code X-Jobwatch-Signature: sha256=<hex HMAC-SHA256 of the raw body with the secret>},
 * {@code X-Jobwatch-Event} (e.g. {@code incident.opened}), {@code X-Jobwatch-Delivery} (the body's {@code id}: the same
 * for every retry of one action, so a receiver drops what it has seen — delivery is at least once).
 *
 * <p>Catalog: {@code {type: webhook, url: "https://ops.example.com/jobwatch", secret: "${ERP_HOOK_SECRET}"}} — the URL
 * may be written out or referenced, the secret only referenced. Any 2xx is success; 408, 429 (Retry-After honoured)
 * and 5xx are tried again; other answers are refused for good (parked with the body).
 */
public final class WebhookChannel extends HttpChannel {
    /** The body's {@code schema}: bumped only for a change a receiver could trip on (a field removed or retyped). */
    public static final String SCHEMA = "jobwatch.incident.v1";
    public static final String SIGNATURE_HEADER = "X-Jobwatch-Signature";
    public static final String EVENT_HEADER = "X-Jobwatch-Event";
    public static final String DELIVERY_HEADER = "X-Jobwatch-Delivery";

    /** The {@code webhook} type. */
    public static final ChannelFactory FACTORY = new ChannelFactory() {
        @Override
        public String type() {
            return "webhook";
        }

        @Override
        public Set<String> requiredSettings() {
            return Set.of("url", "secret");
        }

        @Override
        public Set<String> secretSettings() {
            return Set.of("secret");
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
            return new WebhookChannel(settings, context, null);
        }
    };

    private final byte[] secret;

    /** @param http the client to use, or null for the shared one */
    public WebhookChannel(ChannelSettings settings, ChannelContext context, HttpClient http) {
        super("webhook", settings, "url", null, context, http);
        String s = settings.get("secret");
        if (s == null && !context.dryRunning()) {
            throw new IllegalArgumentException(settings.spec().where() + ": webhook needs 'secret'");
        }
        this.secret = (s != null ? s : settings.shown("secret")).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code sha256=<hex>}: the HMAC-SHA256 of the raw body bytes with the secret, lower-case hex. */
    public static String signature(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }

    /** What a receiver does: recompute the signature of the raw body and compare in constant time. */
    public static boolean verify(byte[] secret, byte[] body, String header) {
        if (header == null) {
            return false;
        }
        return MessageDigest.isEqual(signature(secret, body).getBytes(StandardCharsets.US_ASCII),
                header.strip().getBytes(StandardCharsets.US_ASCII));
    }

    /** The event name of an action: incident.opened, .updated, .resolved, .reopened. */
    static String event(IncidentNotice n) {
        return switch (n.action()) {
            case "open" -> "incident.opened";
            case "update" -> "incident.updated";
            case "resolve" -> "incident.resolved";
            case "reopen" -> "incident.reopened";
            default -> "incident." + n.action();
        };
    }

    /**
     * The delivery id: the same for every send of one action to this channel (a hash of the incident, its opening, the
     * run or time, and the action), so retries and repeated decisions carry one id.
     */
    static String deliveryId(IncidentNotice n) {
        String key = n.correlationId() + "|" + n.openedAt() + "|" + (n.runId() != null ? n.runId() : n.at()) + "|"
                + n.action();
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Optional<Request> incident(IncidentNotice n) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", SCHEMA);
        body.put("id", deliveryId(n));
        body.put("event", event(n));
        body.put("sentAt", clock.instant().toString());
        body.put("summary", n.summary());
        ObjectNode incident = body.putObject("incident");
        incident.put("correlationId", n.correlationId());
        incident.put("number", n.incidentNumber());
        incident.put("kind", n.problem().name());
        incident.put("state", n.resolved() ? "resolved" : "open");
        incident.put("openedAt", n.openedAt().toString());
        ObjectNode job = body.putObject("job");
        job.put("id", n.job().id());
        job.put("account", n.job().account());
        job.put("region", n.job().region());
        job.put("source", n.job().source().id());
        job.put("name", n.job().jobName());
        job.put("system", n.system());
        job.put("team", n.team());
        job.put("criticality", n.criticality().id());
        ObjectNode run = body.putObject("run");
        run.put("id", n.runId());
        run.put("state", n.state());
        run.put("at", n.at().toString());
        run.put("error", n.error());
        run.put("consoleUrl", n.consoleLink());
        body.put("note", n.note());
        String text = json(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SIGNATURE_HEADER, signature(secret, text.getBytes(StandardCharsets.UTF_8)));
        headers.put(EVENT_HEADER, event(n));
        headers.put(DELIVERY_HEADER, body.get("id").asText());
        return Optional.of(new Request(text, headers));
    }
}
