package io.jobwatch.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelRouter;
import io.jobwatch.core.channel.Variables;
import io.jobwatch.notify.AwsSetup;
import io.jobwatch.notify.StandardChannels;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the catalog's {@code "${NAME}"} channel settings are looked up on AWS: the keys of one JSON secret in Secrets
 * Manager, named by {@value #SECRET_ID} ({@code {"SLACK_ERP_WEBHOOK": "https://hooks.slack.com/…", "PD_ERP_KEY": "…"}}),
 * first; then the function's environment. The secret is read on first use and kept for the container's life; a read
 * that fails is tried again on the next use (the outbox keeps the entry meanwhile). Messages name the secret and its
 * keys, never a value.
 */
final class ChannelSecrets implements Variables {
    /** The Secrets Manager name or ARN of the channel secrets; unset: the function's environment only. */
    static final String SECRET_ID = "JOBWATCH_CHANNEL_SECRETS_ID";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env;
    private final UnaryOperator<String> fetch;
    private volatile Map<String, String> values;

    /**
     * @param fetch a secret's text by name or ARN (GetSecretValue's SecretString) — the SDK client where the function
     *              has it, else {@link SecretsOverHttp}; kept as a function so this class needs neither
     */
    ChannelSecrets(Map<String, String> env, UnaryOperator<String> fetch) {
        this.env = Map.copyOf(env);
        this.fetch = fetch;
    }

    @Override
    public Optional<String> get(String name) {
        String v = secretValues().get(name);
        if (v == null || v.isBlank()) {
            v = env.get(name);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    private Map<String, String> secretValues() {
        Map<String, String> m = values;
        if (m != null) {
            return m;
        }
        String id = env.get(SECRET_ID);
        if (id == null || id.isBlank()) {
            m = Map.of();
        } else {
            m = parse(fetch.apply(id.strip()), id.strip());
        }
        values = m;
        return m;
    }

    static Map<String, String> parse(String text, String id) {
        JsonNode node;
        try {
            node = text == null ? null : JSON.readTree(text);
        } catch (IOException e) {
            // The parser's message may quote the secret: do not pass it on.
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new IllegalStateException("secret " + id + " must be a JSON object of variable names to values, e.g."
                    + " {\"SLACK_ERP_WEBHOOK\": \"https://hooks.slack.com/services/…\"}");
        }
        Map<String, String> out = new HashMap<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return Map.copyOf(out);
    }

    /**
     * The teams' channels as the Lambdas use them: the catalog's channels, the standard types, settings looked up in
     * the channel secrets, then the environment.
     */
    static ChannelRouter router(Catalog catalog, Map<String, String> env, UnaryOperator<String> fetch, Clock clock) {
        return new ChannelRouter(() -> catalog, StandardChannels.registry(AwsSetup.defaults()),
                new ChannelContext(env, clock, null, new ChannelSecrets(env, fetch), null));
    }
}
