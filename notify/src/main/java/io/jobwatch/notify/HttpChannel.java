package io.jobwatch.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.catalog.SettingRef;
import io.jobwatch.core.channel.Channel;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelSettings;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.channel.DigestNotice;
import io.jobwatch.core.channel.IncidentNotice;
import io.jobwatch.core.channel.Notice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the chat, paging and webhook channels share: one JSON POST per notice with the JDK HttpClient (no redirects,
 * short timeouts, no retries — the outbox and {@code RetryingChannel} retry), the answer classified, and every secret
 * masked. Each channel says how it renders a notice and what its service answers on success; the rest is here:
 * <ul>
 * <li>no answer (refused, reset, timeout), 408, 429 and 5xx are passing failures, a 429's {@code Retry-After}
 * (seconds or an HTTP date) honoured; any other status is refused for good and the entry parked with the body;</li>
 * <li>URLs must be {@code https}, except on the loopback interface (a local receiver, tests);</li>
 * <li>in a dry run ({@link ChannelContext#dryRun()}) nothing is sent: one JSON line per request is appended to the
 * file — channel, team, notice (open, update, resolve, reopen or digest), target, URL, headers, body — with each
 * secret replaced by its {@code ${NAME}};</li>
 * <li>logs, targets, error messages and kept response bodies never hold a secret: the webhook URL (its token is in
 * the path), the routing key, the signing secret are shown as their {@code ${NAME}}.</li>
 * </ul>
 */
public abstract class HttpChannel implements Channel {
    /** Connect timeout, and the whole request's. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(HttpChannel.class.getName());
    private static final HttpClient SHARED = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** A request to send: the body as sent (its bytes are what a signature covers) and extra headers. */
    protected record Request(String body, Map<String, String> headers) {
        public Request {
            Objects.requireNonNull(body, "body");
            headers = Map.copyOf(headers);
        }
    }

    /** What the service answered. */
    protected record Response(int status, String body, Optional<String> retryAfter) {
    }

    private final String type;
    private final String urlSetting;
    protected final ChannelSettings settings;
    protected final URI uri;
    private final HttpClient http;
    private final Path dryRun;
    protected final Clock clock;

    /**
     * @param urlSetting the setting holding the URL, or null when {@code defaultUrl} is always used
     * @param defaultUrl the URL when the setting is not given (PagerDuty's endpoint), or null
     */
    protected HttpChannel(String type, ChannelSettings settings, String urlSetting, String defaultUrl,
                          ChannelContext context, HttpClient http) {
        this.type = Objects.requireNonNull(type, "type");
        this.urlSetting = urlSetting;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = context.clock();
        this.dryRun = context.dryRun();
        this.http = http != null ? http : SHARED;
        String url = urlSetting == null ? null : settings.get(urlSetting);
        if (url == null && urlSetting != null && settings.refs().containsKey(urlSetting) && context.dryRunning()) {
            // A dry run without the variable: a stand-in that cannot resolve (.invalid), named after the variable
            // (a host name takes no underscores).
            url = "https://" + settings.refs().get(urlSetting).toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                    + ".unset.invalid/";
        }
        if (url == null) {
            url = defaultUrl;
        }
        if (url == null) {
            throw new IllegalArgumentException(settings.spec().where() + ": " + type + " needs '" + urlSetting + "'");
        }
        this.uri = checkedUri(url, urlSetting);
    }

    private URI checkedUri(String url, String setting) {
        String shown = setting == null ? url : settings.shown(setting);
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            // The value may be the secret: name the setting, never the value.
            throw new IllegalArgumentException(settings.spec().where() + ": " + type + " " + setting + " (" + shown
                    + ") is not a URL");
        }
        if (u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()) && loopback(u))) {
            throw new IllegalArgumentException(settings.spec().where() + ": " + type + " " + setting + " (" + shown
                    + ") must be an https:// URL (plain http only to the loopback interface)");
        }
        return u;
    }

    private static boolean loopback(URI u) {
        String host = u.getHost();
        if (host.equals("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+]")) {
            return false; // a name other than localhost is not looked up here
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public final String type() {
        return type;
    }

    /**
     * Where it delivers, never a secret: the host alone when the URL is a secret, else scheme, host and path; then the
     * references it uses — {@code hooks.slack.com (${SLACK_ERP_WEBHOOK})}.
     */
    @Override
    public String target() {
        boolean secretUrl = urlSetting != null && settings.secret(urlSetting);
        String shown = secretUrl ? uri.getHost() : uri.getScheme() + "://" + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath());
        java.util.List<String> refs = new java.util.TreeMap<>(settings.refs()).values().stream().map(SettingRef::of)
                .toList();
        return settings.mask(shown) + (refs.isEmpty() ? "" : " (" + String.join(", ", refs) + ")");
    }

    @Override
    public final void send(Notice notice) throws DeliveryException {
        Optional<Request> request = notice instanceof IncidentNotice incident ? incident(incident)
                : digest((DigestNotice) notice);
        if (request.isEmpty()) {
            return; // not a kind of notice this channel takes
        }
        if (dryRun != null) {
            writeDryRun(team(notice), notice instanceof IncidentNotice i ? i.action() : "digest", request.get());
            return;
        }
        Response response = post(request.get());
        accept(response);
        LOG.log(System.Logger.Level.INFO, "{0} {1}: HTTP {2}", type, target(), response.status());
    }

    /** The request for an incident action, or empty when this channel takes none. */
    protected abstract Optional<Request> incident(IncidentNotice notice);

    /** The request for a team's digest, or empty when this channel takes none. */
    protected Optional<Request> digest(DigestNotice notice) {
        return Optional.empty();
    }

    /**
     * Checks the answer; the default takes any 2xx. Throws for anything else, classified by {@link #failure}.
     */
    protected void accept(Response r) throws DeliveryException {
        if (r.status() < 200 || r.status() >= 300) {
            throw failure(r, "HTTP " + r.status() + reason(r.body()));
        }
    }

    /** A short reason from the body for messages ({@code ": no_service"}), masked; "" for none. */
    protected String reason(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String one = body.strip().replaceAll("\\s+", " ");
        return ": " + settings.mask(one.length() > 200 ? one.substring(0, 199) + "…" : one);
    }

    /**
     * The failure for an answer: retryable for 408, 429 and 5xx (a 429's Retry-After honoured, else
     * {@link #defaultRetryAfter}), refused for good otherwise. Message and body masked.
     */
    protected DeliveryException failure(Response r, String message) {
        boolean retryable = r.status() == 408 || r.status() == 429 || r.status() >= 500;
        Duration after = r.retryAfter().flatMap(this::parseRetryAfter)
                .orElse(r.status() == 429 ? defaultRetryAfter() : null);
        return failure(r, message, retryable, after);
    }

    protected DeliveryException failure(Response r, String message, boolean retryable, Duration retryAfter) {
        LOG.log(System.Logger.Level.WARNING, "{0} {1}: {2}", type, target(), settings.mask(message));
        return new DeliveryException(type, retryable, settings.mask(message) + " (" + target() + ")", r.status(),
                retryAfter, settings.mask(r.body()), null);
    }

    /** The wait after a 429 that names none: null (the outbox's backoff). */
    protected Duration defaultRetryAfter() {
        return null;
    }

    private Response post(Request request) throws DeliveryException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Jobwatch")
                .POST(HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));
        request.headers().forEach(b::header);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.body(), r.headers().firstValue("Retry-After"));
        } catch (IOException e) {
            // The exception's text may hold the URL: name only its kind.
            String what = "no response (" + e.getClass().getSimpleName() + ")";
            LOG.log(System.Logger.Level.WARNING, "{0} {1}: {2}", type, target(), what);
            throw new DeliveryException(type, true, what + " (" + target() + ")", 0, null, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException(type, true, "interrupted (" + target() + ")", 0, null, null, null);
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

    private static String team(Notice n) {
        return n instanceof IncidentNotice i ? i.team() : ((DigestNotice) n).digest().team().name();
    }

    private void writeDryRun(String team, String about, Request request) {
        ObjectNode line = JSON.createObjectNode();
        line.put("at", clock.instant().toString());
        line.put("channel", type);
        line.put("team", team);
        line.put("notice", about);
        line.put("target", target());
        line.put("method", "POST");
        line.put("url", settings.mask(uri.toString()));
        ObjectNode headers = line.putObject("headers");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", "application/json");
        all.putAll(request.headers());
        all.forEach((k, v) -> headers.put(k, settings.mask(v)));
        try {
            JsonNode body = JSON.readTree(settings.mask(request.body()));
            line.set("body", body);
            Path parent = dryRun.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(dryRun, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the channel dry-run file " + dryRun + ": " + e.getMessage(), e);
        }
    }

    /** Writes a JSON tree as the body text. */
    protected static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
