package io.jobwatch.core.ping;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CredentialsRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The teams' ping keys, resolved from where the catalog says they live ({@code teams.<team>.pingKey: "${NAME}"}):
 * which team a presented key belongs to. A key goes in URL paths, so it must be 16 to 128 letters, digits, '-' or
 * '_'; a team whose key is unset, malformed or shared with another team takes no pings, and {@link #problems()} says
 * why — naming the variable, never printing a key. Lookups compare SHA-256 digests in constant time against every
 * team's key, so the time taken does not tell how much of a guess was right.
 */
public final class PingKeys {
    /** What a ping key must look like (it is a path segment of every ping URL). */
    public static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{16,128}");

    private final Map<String, byte[]> digests;
    private final Map<String, String> variables;
    private final List<String> problems;

    private PingKeys(Map<String, byte[]> digests, Map<String, String> variables, List<String> problems) {
        this.digests = digests;
        this.variables = variables;
        this.problems = List.copyOf(problems);
    }

    /** No team takes pings. */
    public static PingKeys none() {
        return new PingKeys(Map.of(), Map.of(), List.of());
    }

    /**
     * @param variables the value of a variable by name (the process environment; on AWS, also the ping-keys secret)
     */
    public static PingKeys resolve(Catalog catalog, Function<String, Optional<String>> variables) {
        Map<String, byte[]> digests = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, String> byKey = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, CredentialsRef> e : catalog.pingKeys().entrySet()) {
            String team = e.getKey();
            if (!(e.getValue() instanceof CredentialsRef.EnvVar ref)) {
                problems.add("team " + team + ": pingKey must name an environment variable; it takes no pings");
                continue;
            }
            names.put(team, ref.name());
            Optional<String> value = variables.apply(ref.name()).map(String::trim).filter(v -> !v.isEmpty());
            if (value.isEmpty()) {
                problems.add("team " + team + ": its ping key variable " + ref.name() + " is not set, so it takes no"
                        + " pings (their requests answer 404): set " + ref.name() + " where Jobwatch runs");
                continue;
            }
            if (!FORMAT.matcher(value.get()).matches()) {
                problems.add("team " + team + ": the value of " + ref.name() + " is not a usable ping key (16 to 128"
                        + " letters, digits, '-' or '_': it goes in the URL), so it takes no pings; generate one, e.g."
                        + " head -c 24 /dev/urandom | base64 | tr '+/' '-_'");
                continue;
            }
            String other = byKey.putIfAbsent(value.get(), team);
            if (other != null) {
                problems.add("teams " + other + " and " + team + " have the same ping key (" + names.get(other) + ", "
                        + ref.name() + "), so neither takes pings: give each team its own key");
                digests.remove(other);
                continue;
            }
            digests.put(team, sha256(value.get()));
        }
        return new PingKeys(java.util.Collections.unmodifiableMap(digests), Map.copyOf(names), problems);
    }

    /** The team whose ping key this is; empty for any other text. */
    public Optional<String> team(String presented) {
        if (presented == null || digests.isEmpty()) {
            return Optional.empty();
        }
        byte[] d = sha256(presented);
        String found = null;
        for (Map.Entry<String, byte[]> e : digests.entrySet()) {
            // Every team is compared, whatever matched: no early exit.
            if (MessageDigest.isEqual(d, e.getValue())) {
                found = e.getKey();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The teams that take pings, in catalog order. */
    public List<String> teams() {
        return List.copyOf(digests.keySet());
    }

    /** The variable that holds a team's ping key, as the catalog names it (for the dashboard's curl lines). */
    public Optional<String> variable(String team) {
        return Optional.ofNullable(variables.get(team));
    }

    /** Why some teams take no pings, one line each (variables named, keys never printed). */
    public List<String> problems() {
        return problems;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "PingKeys" + digests.keySet();
    }
}
