package io.jobwatch.core.channel;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.catalog.SettingRef;
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
 * The channel types a deployment offers, and the rules that pick a team's channels — the same for the CLI,
 * {@code jobwatch serve} and the Lambdas:
 * <ul>
 * <li>digests: the full digest goes to the team's own {@code channels:} that carry it (e-mail, SNS, files); when it
 * lists none that does (say only PagerDuty and Slack), to the first registered type the environment configures that
 * can reach the team (an e-mail type needs recipients), in registration order; else to the deployment's fallback (the
 * local server's HTML files), if it has one. The team's chat channels (Slack, Teams) get a short summary of it as
 * well ({@link ChannelFactory#digestSummary});</li>
 * <li>incidents: the team's own {@code channels:} that take incidents ({@link #incidentChannels}), each a destination
 * of the outbox named {@code <team>/<type>} ({@code #2}, {@code #3} … for a second or third of one type).</li>
 * </ul>
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
        List<ChannelSpec> full = new ArrayList<>();
        List<ChannelSpec> summaries = new ArrayList<>();
        for (ChannelSpec c : team.channels()) {
            ChannelFactory f = byType.get(c.type());
            if (f == null || !f.takesDigests()) {
                continue;
            }
            if (f.digestSummary()) {
                summaries.add(c);
            } else if (!f.needsRecipients() || !team.recipients().isEmpty()) {
                full.add(c);
            }
        }
        boolean ownFull = team.channels().stream().anyMatch(c -> byType.containsKey(c.type())
                && byType.get(c.type()).takesDigests() && !byType.get(c.type()).digestSummary());
        List<ChannelSpec> out = new ArrayList<>(ownFull ? full : fullFromEnvironment(team, env));
        out.addAll(summaries);
        return out;
    }

    /** The first registered type the environment configures that reaches the team, else the fallback, else none. */
    private List<ChannelSpec> fullFromEnvironment(Team team, Map<String, String> env) {
        for (ChannelFactory f : byType.values()) {
            if (f.takesDigests() && !f.digestSummary() && (!f.needsRecipients() || !team.recipients().isEmpty())) {
                Optional<ChannelSpec> configured = f.fromEnvironment(env);
                if (configured.isPresent()) {
                    return List.of(configured.get());
                }
            }
        }
        return fallback == null ? List.of() : List.of(fallback);
    }

    /** A team's channel that hears about incidents, under its outbox destination name. */
    public record Destination(String name, ChannelSpec spec) {
    }

    /**
     * The team's channels that take incidents, in catalog order, each with its destination name: {@code <team>/<type>},
     * and {@code <team>/<type>#n} for the n-th channel of one type (n ≥ 2).
     */
    public List<Destination> incidentChannels(Team team) {
        List<Destination> out = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (ChannelSpec c : team.channels()) {
            int n = seen.merge(c.type(), 1, Integer::sum);
            ChannelFactory f = byType.get(c.type());
            if (f != null && f.takesIncidents()) {
                out.add(new Destination(team.name() + "/" + c.type() + (n == 1 ? "" : "#" + n), c));
            }
        }
        return out;
    }

    /**
     * What is wrong with the catalog's channels for this deployment, each naming the item's file:line:column: an
     * unknown type, a missing or unknown setting, a secret written out instead of {@code "${NAME}"} (never echoed), a
     * malformed reference, an e-mail channel on a team without recipients. Empty: all fine. Whether the referenced
     * variables are set where Jobwatch runs is {@link #unset}'s question.
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
                for (String secret : new TreeSet<>(f.secretSettings())) {
                    String v = c.settings().get(secret);
                    if (v != null && SettingRef.name(v).isEmpty() && !SettingRef.malformed(v)) {
                        // Never echo the value: it is the secret.
                        out.add(at + c.type() + " " + secret + ": inline secret — jobwatch.yml must not hold it; write "
                                + secret + ": \"${" + suggestedVariable(team, c, secret) + "}\" and set that variable"
                                + " where Jobwatch runs (on AWS: a key of the channel secrets)");
                    }
                }
                for (String given : new TreeSet<>(c.settings().keySet())) {
                    if (SettingRef.malformed(c.settings().get(given))) {
                        out.add(at + c.type() + " " + given + ": a reference must be the whole value, \"${NAME}\""
                                + " (letters, digits and _), e.g. " + given + ": \"${"
                                + suggestedVariable(team, c, given) + "}\"");
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
     * The catalog's {@code "${NAME}"} references that {@code variables} does not set, each naming the item's
     * file:line:column, the setting and the variable (never a value). Empty: every channel can be opened.
     */
    public List<String> unset(Catalog catalog, Variables variables) {
        List<String> out = new ArrayList<>();
        for (Team team : catalog.teams().values()) {
            for (ChannelSpec c : team.channels()) {
                ChannelSettings s = ChannelSettings.resolve(c, variables);
                for (Map.Entry<String, String> ref : new java.util.TreeMap<>(s.refs()).entrySet()) {
                    if (s.unset().contains(ref.getValue())) {
                        out.add(c.where() + ": teams." + team.name() + ".channels: " + c.type() + " " + ref.getKey()
                                + ": ${" + ref.getValue() + "} is not set — set " + ref.getValue()
                                + " where Jobwatch runs (on AWS: a key of the channel secrets, or the function's"
                                + " environment)");
                    }
                }
            }
        }
        return out;
    }

    /** A variable name to suggest: JOBWATCH_<TEAM>_<TYPE>_<SETTING>, e.g. JOBWATCH_ERP_OPS_SLACK_URL. */
    static String suggestedVariable(Team team, ChannelSpec c, String setting) {
        String raw = "JOBWATCH_" + team.name() + "_" + c.type() + "_"
                + setting.replaceAll("([a-z])([A-Z])", "$1_$2");
        return raw.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }

    /**
     * Opens a channel, retried with backoff ({@value #ATTEMPTS} attempts, {@link #FIRST_BACKOFF} then doubling).
     *
     * @throws IllegalArgumentException for an unknown type or a setting or environment variable to fix
     */
    public Channel open(ChannelSpec spec, ChannelContext context, Sleeper sleeper) {
        return new RetryingChannel(openOnce(spec, context), ATTEMPTS, FIRST_BACKOFF, sleeper);
    }

    /**
     * Opens a channel that tries each send once (the outbox retries incident actions itself).
     *
     * @throws UnsetVariableException when a {@code "${NAME}"} it references is not set (and this is no dry run)
     * @throws IllegalArgumentException for an unknown type or a setting to fix
     */
    public Channel openOnce(ChannelSpec spec, ChannelContext context) {
        ChannelFactory f = byType.get(Objects.requireNonNull(spec, "spec").type());
        if (f == null) {
            throw new IllegalArgumentException(spec.where() + ": unknown channel type '" + spec.type() + "' — use one of "
                    + String.join(", ", types()));
        }
        ChannelSettings settings = context.settings(spec);
        if (!settings.unset().isEmpty() && !context.dryRunning()) {
            throw new UnsetVariableException(spec, settings.unset());
        }
        return f.open(settings, context);
    }
}
