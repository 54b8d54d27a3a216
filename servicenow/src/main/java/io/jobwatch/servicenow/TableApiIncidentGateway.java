package io.jobwatch.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.incident.GatewayException;
import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentGateway;
import io.jobwatch.core.incident.IncidentTicket;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link IncidentGateway} on the ServiceNow Table API with the JDK HttpClient: GET to find by correlation id,
 * POST to open, PATCH to add work notes, resolve and reopen. JSON in and out, small responses
 * ({@code sysparm_fields}, {@code sysparm_exclude_reference_link=true}). It does not retry: failures become
 * {@link GatewayException}s (retryable for no response, 408, 429 with Retry-After, 5xx) and the outbox retries.
 * Logs one line per call (method, path, status, number), never headers or bodies.
 */
public final class TableApiIncidentGateway implements IncidentGateway {
    private static final System.Logger LOG = System.getLogger(TableApiIncidentGateway.class.getName());

    private final ServiceNowSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final TableApiBodies bodies;

    public TableApiIncidentGateway(ServiceNowSettings settings, Clock clock) {
        this(settings, HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build(), clock);
    }

    public TableApiIncidentGateway(ServiceNowSettings settings, HttpClient http, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.bodies = new TableApiBodies(mapper, settings.fields());
    }

    @Override
    public Optional<IncidentTicket> findOpen(String correlationId) {
        return lookup(correlationId, TableApiBodies.lookupQueryString(correlationId), "open");
    }

    @Override
    public Optional<IncidentTicket> findLatest(String correlationId) {
        return lookup(correlationId, TableApiBodies.latestQueryString(correlationId), "latest");
    }

    private Optional<IncidentTicket> lookup(String correlationId, String query, String which) {
        String path = TableApiBodies.TABLE_PATH;
        HttpRequest request = request(path + "?" + query).GET().build();
        JsonNode result = call("GET", path, request).path("result");
        if (!result.isArray()) {
            throw unexpected("GET", path, "a result array");
        }
        if (result.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "ServiceNow lookup: no {0} incident for {1}", which, correlationId);
            return Optional.empty();
        }
        IncidentTicket t = ticket(result.get(0), "GET", path);
        LOG.log(System.Logger.Level.INFO, "ServiceNow lookup: {0} is the {1} incident for {2}", t.number(), which,
                correlationId);
        return Optional.of(t);
    }

    @Override
    public IncidentTicket create(IncidentAction.Open open) {
        return write("POST", TableApiBodies.TABLE_PATH, bodies.create(open));
    }

    @Override
    public IncidentTicket update(String sysId, String workNote) {
        return write("PATCH", recordPath(sysId), bodies.workNote(workNote));
    }

    @Override
    public IncidentTicket resolve(String sysId, IncidentAction.Resolve resolve) {
        return write("PATCH", recordPath(sysId), bodies.resolve(resolve));
    }

    @Override
    public IncidentTicket reopen(String sysId, IncidentAction.Reopen reopen) {
        return write("PATCH", recordPath(sysId), bodies.reopen(reopen));
    }

    private static String recordPath(String sysId) {
        return TableApiBodies.TABLE_PATH + "/" + TableApiBodies.enc(sysId);
    }

    private IncidentTicket write(String method, String path, ObjectNode body) {
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a Table API body", e);
        }
        HttpRequest request = request(path + "?" + TableApiBodies.writeQueryString())
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json))
                .build();
        IncidentTicket t = ticket(call(method, path, request).path("result"), method, path);
        LOG.log(System.Logger.Level.INFO, "ServiceNow {0} {1}: {2} state {3}", method, path, t.number(), t.state());
        return t;
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(settings.instance() + pathAndQuery))
                .timeout(settings.requestTimeout())
                .header("Accept", "application/json")
                .header("Authorization", settings.credentials().authorizationHeader());
    }

    private JsonNode call(String method, String path, HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "ServiceNow {0} {1}: no response ({2})", method, path, e.getClass().getSimpleName());
            throw GatewayException.unreachable("ServiceNow " + method + " " + path + ": no response ("
                    + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GatewayException.unreachable("ServiceNow " + method + " " + path + ": interrupted", e);
        }
        int status = response.statusCode();
        if (status < 200 || status >= 300) { // the documented codes are 200/201; any 2xx is a success
            Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(this::parseRetryAfter).orElse(null);
            String message = "ServiceNow " + method + " " + path + ": HTTP " + status + errorMessage(response.body());
            LOG.log(System.Logger.Level.WARNING, message);
            throw GatewayException.ofStatus(message, status, response.body(), retryAfter);
        }
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw unexpected(method, path, "JSON");
        }
    }

    private IncidentTicket ticket(JsonNode record, String method, String path) {
        String sysId = record.path("sys_id").asText(null);
        if (sysId == null || sysId.isEmpty()) {
            throw unexpected(method, path, "a record with sys_id");
        }
        return new IncidentTicket(sysId, record.path("number").asText(null), record.path("state").asText(null));
    }

    /** A 2xx whose body is not what the Table API returns (a proxy page, a waking instance): try again later. */
    private static GatewayException unexpected(String method, String path, String expected) {
        return GatewayException.unreachable("ServiceNow " + method + " " + path + ": response is not " + expected, null);
    }

    /** ": <error.message>" from the Table API's error envelope, or "". */
    private String errorMessage(String body) {
        try {
            JsonNode msg = mapper.readTree(body).path("error").path("message");
            return msg.isTextual() ? ": " + msg.asText() : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Retry-After is delta-seconds or an HTTP-date. */
    Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
