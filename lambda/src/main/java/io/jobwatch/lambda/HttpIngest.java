package io.jobwatch.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.detail.RunDetails;
import io.jobwatch.core.inbound.Inbound;
import io.jobwatch.core.inbound.InboundRequest;
import io.jobwatch.core.inbound.InboundResponse;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.lineage.LineageEvents;
import io.jobwatch.core.lineage.LineageSchema;
import io.jobwatch.core.ping.PingKeys;
import io.jobwatch.core.store.RunStore;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The ingest function behind the HTTP API (API Gateway HTTP API, payload format 2.0): pings and OpenLineage events,
 * handed to core's {@link Inbound} exactly as the local server does, the key checked there before anything is stored.
 * The catalog (whose teams hold ping keys) is read when the first ping arrives; a function packaged without one takes
 * no pings (404) and says so once in its log. Keys come from {@link HttpKeys}. Logs never hold a path: a ping's path
 * holds its key.
 */
final class HttpIngest {
    /** The largest body taken (API Gateway allows 10 MB; the local server's limit is the same 1 MiB). */
    static final int MAX_BODY = 1024 * 1024;

    /** The HTTP path's own mapper: the EventBridge hot path keeps doing without one (see {@link JsonTree}). */
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpKeys keys;
    private final Supplier<Catalog> catalog;
    private final Inbound inbound;
    private final PrintStream log;
    private PingKeys pingKeys;
    private long pingKeysVersion = -1;

    HttpIngest(RunStore store, IngestPipeline pipeline, RunDetails details, HttpKeys keys, Supplier<Catalog> catalog,
               LineageSchema schema, Clock clock, Duration retention, PrintStream log) {
        this.keys = keys;
        this.catalog = catalog;
        this.log = log;
        ObjectMapper mapper = MAPPER;
        this.inbound = Inbound.of(new Inbound.Ports(this::pingKeys, this::apiKey, pipeline::ingest, store, details,
                new LineageEvents(schema, mapper, clock, MAX_BODY), store::park, clock, () -> UUID.randomUUID().toString(),
                retention, MAX_BODY, mapper));
    }

    /** Whether the invocation is an API Gateway HTTP API request (payload format 2.0). */
    static boolean isHttp(JsonNode event) {
        return event.has("rawPath") && event.path("requestContext").has("http");
    }

    /** Answers the request: the response object API Gateway turns into the HTTP answer. */
    ObjectNode handle(JsonNode event) {
        String method = event.at("/requestContext/http/method").asText("GET");
        String path = event.path("rawPath").asText("/");
        Map<String, String> headers = new LinkedHashMap<>();
        event.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT),
                h.getValue().asText()));
        byte[] body;
        String text = event.path("body").isTextual() ? event.get("body").asText() : "";
        if (event.path("isBase64Encoded").asBoolean(false)) {
            try {
                body = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                return response(null, 400, "the body is not valid base64");
            }
        } else {
            body = text.getBytes(StandardCharsets.UTF_8);
        }
        if (body.length > MAX_BODY) {
            return response(null, 413, "body of " + body.length + " bytes is over the limit of " + MAX_BODY
                    + " bytes; send smaller batches");
        }
        try {
            Inbound.Outcome o = inbound.handle(new InboundRequest(method, path, query(event.path("rawQueryString").asText("")),
                    name -> headers.get(name.toLowerCase(Locale.ROOT)), body));
            log.println("http: " + o.endpoint() + " " + o.response().status() + ", stored " + o.stored() + ", rejected "
                    + o.rejected());
            return response(o.response(), 0, null);
        } catch (HttpKeys.Unavailable e) {
            log.println("http: " + e.getMessage());
            return response(null, 503, "the endpoint's keys cannot be read right now; send again in a minute");
        }
    }

    private PingKeys pingKeys() {
        long v = keys.version();
        if (pingKeys == null || v != pingKeysVersion) {
            Catalog c;
            try {
                c = catalog.get();
            } catch (RuntimeException e) {
                log.println("http: no catalog, so no team takes pings: " + e.getMessage());
                c = null;
            }
            PingKeys resolved = c == null ? PingKeys.none() : PingKeys.resolve(c, keys::variable);
            resolved.problems().forEach(p -> log.println("http: pings: " + p));
            synchronized (this) {
                pingKeys = resolved;
                pingKeysVersion = v;
            }
        }
        return pingKeys;
    }

    private boolean apiKey(String xApiKey, String authorization) {
        String presented = xApiKey;
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        Optional<String> key = keys.variable("JOBWATCH_API_KEY");
        return presented != null && key.isPresent() && MessageDigest.isEqual(key.get().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                m.putIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // A malformed %-escape: that parameter is left out.
            }
        }
        return m;
    }

    /** API Gateway's response object: statusCode, headers, body (text), isBase64Encoded false. */
    private static ObjectNode response(InboundResponse r, int status, String error) {
        ObjectNode out = MAPPER.createObjectNode();
        ObjectNode headers = out.putObject("headers");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Cache-Control", "no-store");
        if (r == null) {
            out.put("statusCode", status);
            headers.put("Content-Type", "application/json");
            ObjectNode e = MAPPER.createObjectNode();
            e.put("error", error);
            out.put("body", e.toString());
        } else {
            out.put("statusCode", r.status());
            headers.put("Content-Type", r.contentType());
            r.headers().forEach(headers::put);
            out.put("body", r.bodyText());
        }
        out.put("isBase64Encoded", false);
        return out;
    }
}
