package io.jobwatch.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The keys of the HTTP endpoint on AWS, where the catalog's {@code "${NAME}"} references are looked up: first in the
 * Secrets Manager secret named by {@value #SECRET_ID} (a JSON object of names to keys, e.g.
 * {@code {"JOBWATCH_API_KEY": "…", "JOBWATCH_PING_KEY_FINANCE": "…"}}), then in the function's environment. The secret
 * is read when first needed and again after {@link #TTL}, so a rotated key is taken within minutes and a SnapStart
 * snapshot holds none. When the secret cannot be read the last value read stays in use; with none,
 * {@link Unavailable} is thrown (the endpoint answers 503: the client retries). Messages name the secret and the
 * problem, never a value.
 */
final class HttpKeys {
    static final String SECRET_ID = "JOBWATCH_HTTP_KEYS_SECRET_ID";
    static final Duration TTL = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The keys could not be read and none were read before. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    private final Map<String, String> env;
    private final String secretId;
    private final Supplier<String> secret;
    private final Clock clock;
    private final java.io.PrintStream log;
    private Map<String, String> values;
    private Instant readAt;
    private long version;

    /**
     * @param secret reads the secret's text (GetSecretValue); ignored when {@code env} names no secret
     */
    HttpKeys(Map<String, String> env, Supplier<String> secret, Clock clock, java.io.PrintStream log) {
        this.env = Map.copyOf(env);
        String id = env.get(SECRET_ID);
        this.secretId = id == null || id.isBlank() ? null : id.trim();
        this.secret = Objects.requireNonNull(secret, "secret");
        this.clock = clock;
        this.log = log;
    }

    /** The value of {@code name}: the secret's, else the environment's. */
    synchronized Optional<String> variable(String name) {
        refresh();
        String v = values.get(name);
        if (v == null) {
            v = env.get(name);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** Changes whenever a new value of the secret was read (callers cache what they derive from it). */
    synchronized long version() {
        refresh();
        return version;
    }

    private void refresh() {
        Instant now = clock.instant();
        if (values != null && (secretId == null || now.isBefore(readAt.plus(TTL)))) {
            return;
        }
        if (secretId == null) {
            values = Map.of();
            readAt = now;
            version++;
            return;
        }
        try {
            Map<String, String> read = parse(secret.get(), secretId);
            if (!read.equals(values)) {
                version++;
            }
            values = read;
        } catch (RuntimeException e) {
            if (values == null) {
                throw new Unavailable("cannot read the keys secret " + secretId + ": " + describe(e));
            }
            log.println("http: cannot read the keys secret " + secretId + " (" + describe(e) + "); keeping the keys read at "
                    + readAt);
        }
        readAt = now;
    }

    static Map<String, String> parse(String text, String secretId) {
        if (text == null || text.isBlank()) {
            throw new IllegalStateException("secret " + secretId + " has no text value: store a JSON object of variable"
                    + " names to keys, e.g. {\"JOBWATCH_API_KEY\": \"…\"}");
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            // The parser's message may quote the secret: do not pass it on.
            throw new IllegalStateException("secret " + secretId + " is not JSON: store a JSON object of variable names"
                    + " to keys");
        }
        if (!node.isObject()) {
            throw new IllegalStateException("secret " + secretId + " is not a JSON object of variable names to keys");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw new IllegalStateException("secret " + secretId + ": " + f.getKey() + " must be a string");
            }
            out.put(f.getKey(), f.getValue().asText());
        }
        return Map.copyOf(out);
    }

    private static String describe(RuntimeException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
