package io.jobwatch.core.channel;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.time.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The channel types a deployment offers, and the one rule that picks a team's digest channels — the same for the
 * CLI, {@code jobwatch serve} and the Lambdas: the team's own {@code channels:} from the catalog; else the first
 * registered type the environment configures that can reach the team (an e-mail type needs recipients), in
 * registration order; else the deployment's fallback (the local server's HTML files), if it has one.
 */
public final class ChannelRegistry {
    /** Attempts per delivery, and the wait after the first failure (doubling). */
    public static final int ATTEMPTS = 3;
    public static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);

    private final Map<String, ChannelFactory> byType = new LinkedHashMap<>();
    private final ChannelSpec fallback;

    /**
     * @param factories the types, in the order the environment is asked (e.g. SMTP, SES, SNS)
     * @param fallback  the channel when neither the catalog nor the environment names one, or null
     */
    public ChannelRegistry(List<ChannelFactory> factories, ChannelSpec fallback) {
        for (ChannelFactory f : factories) {
            if (byType.put(f.type(), f) != null) {
                throw new IllegalArgumentException("two channel types named " + f.type());
            }
        }
        if (fallback != null && !byType.containsKey(fallback.type())) {
            throw new IllegalArgumentException("the fallback channel's type " + fallback.type() + " is not registered");
        }
        this.fallback = fallback;
    }

    /** The registered type names, in order. */
    public List<String> types() {
        return List.copyOf(byType.keySet());
    }

    public Optional<ChannelFactory> factory(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The channels a team's digest goes to (see the class comment); empty: none is configured. */
    public List<ChannelSpec> forDigest(Team team, Map<String, String> env) {
        if (!team.channels().isEmpty()) {
            List<ChannelSpec> out = new ArrayList<>();
            for (ChannelSpec c : team.channels()) {
                ChannelFactory f = byType.get(c.type());
                if (f != null && f.takesDigests() && (!f.needsRecipients() || !team.recipients().isEmpty())) {
                    out.add(c);
                }
            }
            return out;
        }
        for (ChannelFactory f : byType.values()) {
            if (f.takesDigests() && (!f.needsRecipients() || !team.recipients().isEmpty())) {
                Optional<ChannelSpec> configured = f.fromEnvironment(env);
                if (configured.isPresent()) {
                    return List.of(configured.get());
                }
            }
        }
        return fallback == null ? List.of() : List.of(fallback);
    }

    /**
     * What is wrong with the catalog's channels for this deployment, each naming the item's file:line:column: an
     * unknown type, a missing or unknown setting, an e-mail channel on a team without recipients. Empty: all fine.
     */
    public List<String> problems(Catalog catalog) {
        List<String> out = new ArrayList<>();
        for (Team team : catalog.teams().values()) {
            for (ChannelSpec c : team.channels()) {
                String at = c.where() + ": teams." + team.name() + ".channels: ";
                ChannelFactory f = byType.get(c.type());
                if (f == null) {
                    out.add(at + "unknown channel type '" + c.type() + "' — use one of " + String.join(", ", types()));
                    continue;
                }
                for (String required : new TreeSet<>(f.requiredSettings())) {
                    if (!c.settings().containsKey(required)) {
                        out.add(at + c.type() + " needs '" + required + "'");
                    }
                }
                for (String given : new TreeSet<>(c.settings().keySet())) {
                    if (!f.requiredSettings().contains(given) && !f.optionalSettings().contains(given)) {
                        Set<String> known = new TreeSet<>(f.requiredSettings());
                        known.addAll(f.optionalSettings());
                        out.add(at + c.type() + " has no setting '" + given + "'"
                                + (known.isEmpty() ? " (it takes none)" : " — its settings: " + String.join(", ", known)));
                    }
                }
                if (f.needsRecipients() && team.recipients().isEmpty()) {
                    out.add(at + c.type() + " sends e-mail, but the team has no recipients");
                }
            }
        }
        return out;
    }

    /**
     * Opens a channel, retried with backoff ({@value #ATTEMPTS} attempts, {@link #FIRST_BACKOFF} then doubling).
     *
     * @throws IllegalArgumentException for an unknown type or a setting or environment variable to fix
     */
    public Channel open(ChannelSpec spec, ChannelContext context, Sleeper sleeper) {
        ChannelFactory f = byType.get(Objects.requireNonNull(spec, "spec").type());
        if (f == null) {
            throw new IllegalArgumentException(spec.where() + ": unknown channel type '" + spec.type() + "' — use one of "
                    + String.join(", ", types()));
        }
        return new RetryingChannel(f.open(spec, context), ATTEMPTS, FIRST_BACKOFF, sleeper);
    }
}
