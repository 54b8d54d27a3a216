package io.jobwatch.core.catalog;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.source.HttpSource;
import io.jobwatch.core.source.Sources;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.event.ruler.GenericMachine;

/**
 * A loaded, valid jobwatch.yml: accounts, teams, rules, defaults and settings. Immutable and thread-safe.
 *
 * <p>{@link #resolve(JobKey)} matches the job against all rules at once (one event-ruler machine holding every rule,
 * named by its index; the lowest matching index wins) and caches the policy per job, so a warm lookup is one hash-map
 * read however many rules there are. The cache belongs to this instance: a reloaded catalog starts with an empty one.
 */
public final class Catalog {
    /** Fields of the flat event that rules match against (see {@link #matchEvent}). */
    public static final List<String> MATCH_FIELDS = List.of("source", "account", "region", "jobName", "system",
            "environment", "team");
    /** Stop caching beyond this many jobs so a stream of junk job names cannot exhaust memory; lookups still work. */
    static final int MAX_CACHED = 200_000;

    private final String file;
    private final Map<String, Account> accounts;
    private final Map<String, Team> teams;
    private final List<Rule> rules;
    private final List<PolicyTemplate> templates;
    private final PolicyTemplate defaults;
    private final GenericMachine<Integer> machine;
    private final Retention retention;
    private final IncidentSettings incidents;
    private final DigestSettings digest;
    private final Map<String, ZoneId> teamZones;
    private final Map<String, CredentialsRef> pingKeys;
    private final Map<Integer, Optional<java.util.regex.Pattern>> identities;
    private final ConcurrentHashMap<JobKey, JobPolicy> cache = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    Catalog(String file, Map<String, Account> accounts, Map<String, Team> teams, List<Rule> rules,
            List<PolicyTemplate> templates, PolicyTemplate defaults, GenericMachine<Integer> machine,
            Retention retention, IncidentSettings incidents, DigestSettings digest, Map<String, ZoneId> teamZones,
            Map<String, CredentialsRef> pingKeys, Map<Integer, Optional<java.util.regex.Pattern>> identities) {
        this.identities = Map.copyOf(identities);
        this.file = file;
        this.accounts = Collections.unmodifiableMap(accounts);
        this.teams = Collections.unmodifiableMap(teams);
        this.rules = List.copyOf(rules);
        this.templates = List.copyOf(templates);
        this.defaults = defaults;
        this.machine = machine;
        this.retention = retention;
        this.incidents = incidents;
        this.digest = digest;
        this.teamZones = Map.copyOf(teamZones);
        this.pingKeys = Collections.unmodifiableMap(new LinkedHashMap<>(pingKeys));
    }

    /** The policy of a job: the first matching rule, else the defaults. Cached per job. */
    public JobPolicy resolve(JobKey job) {
        JobPolicy cached = cache.get(job);
        if (cached != null) {
            hits.increment();
            return cached;
        }
        misses.increment();
        List<Integer> matched = machine.rulesForJSONEvent(matchEvent(job));
        int first = Integer.MAX_VALUE;
        for (Integer i : matched) {
            first = Math.min(first, i);
        }
        PolicyTemplate t = first == Integer.MAX_VALUE ? defaults : templates.get(first);
        JobPolicy policy;
        if (ownedByKeyTeam(job)) {
            // A pinged job belongs to the team whose key reported it (its account part); a team since removed from the
            // catalog leaves it unowned. Its system is the source's label: it is not in an AWS account.
            Team owner = teams.containsKey(job.account()) ? teams.get(job.account()) : Team.unowned(t.fallbackZone());
            policy = t.forJobOf(owner, teamZones.get(job.account()), job, job.source().label(), Optional.empty());
        } else {
            Optional<Account> account = account(job.account());
            String system = account.map(Account::system)
                    .orElse(job.account().isEmpty() ? job.source().label() : job.account());
            policy = t.forJob(job, system, account.flatMap(Account::environment));
        }
        if (cache.size() < MAX_CACHED) {
            JobPolicy raced = cache.putIfAbsent(job, policy);
            return raced != null ? raced : policy;
        }
        return policy;
    }

    /**
     * The job's identity where a rule overrides its source's (the first rule, in file order, that matches the job as
     * the service named it and says {@code identity}): the raw name ({@code identity: raw}), or what the pattern's group
     * {@code name} captures; empty when no rule says, or the pattern does not match (the source's rule then applies).
     */
    public Optional<io.jobwatch.core.source.StableName> identity(JobKey raw, io.jobwatch.core.source.StableName bySource) {
        if (identities.isEmpty()) {
            return Optional.empty();
        }
        for (Rule r : matchingRules(raw)) {
            Optional<java.util.regex.Pattern> p = identities.get(r.index());
            if (p == null) {
                continue;
            }
            String name = raw.jobName();
            if (p.isEmpty()) {
                return Optional.of(io.jobwatch.core.source.StableName.same(name, "rule " + r.name()
                        + " says identity: raw (the name as the service wrote it)"));
            }
            java.util.regex.Matcher m = p.get().matcher(name);
            if (m.matches() && m.group("name") != null && !m.group("name").isEmpty()) {
                return Optional.of(new io.jobwatch.core.source.StableName(m.group("name"), name, "rule " + r.name()
                        + "'s identity pattern " + p.get().pattern() + " captures '" + m.group("name") + "'"));
            }
            return Optional.of(new io.jobwatch.core.source.StableName(bySource.name(), bySource.raw(),
                    bySource.why() + " (rule " + r.name() + "'s identity pattern " + p.get().pattern()
                    + " does not match)"));
        }
        return Optional.empty();
    }

    /** {@link #identity} of whatever catalog {@code current} holds now, for the normalizer. */
    public static io.jobwatch.core.source.IdentityOverride identities(java.util.function.Supplier<Catalog> current) {
        return (raw, bySource) -> {
            Catalog c = current.get();
            return c == null ? Optional.empty() : c.identity(raw, bySource);
        };
    }

    /** The policy of the run's job. */
    public JobPolicy resolve(RunKey run) {
        return resolve(run.job());
    }

    /** Every rule that matches the job, in file order (the first one is the one that applies); for explaining. */
    public List<Rule> matchingRules(JobKey job) {
        List<Integer> matched = new ArrayList<>(machine.rulesForJSONEvent(matchEvent(job)));
        Collections.sort(matched);
        List<Rule> out = new ArrayList<>(matched.size());
        for (Integer i : matched) {
            out.add(rules.get(i));
        }
        return out;
    }

    /**
     * The flat event rules are matched against: source, account, region, jobName, and, for accounts the catalog lists,
     * system and environment (absent otherwise, so {@code {"exists": false}} can catch uncatalogued accounts). An empty
     * account or region is left out too. A pinged job also has {@code team}: the team whose ping key reported it.
     */
    public ObjectNode matchEvent(JobKey job) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("source", job.source().id());
        if (!job.account().isEmpty()) {
            e.put("account", job.account());
        }
        if (!job.region().isEmpty()) {
            e.put("region", job.region());
        }
        e.put("jobName", job.jobName());
        if (ownedByKeyTeam(job)) {
            e.put("team", job.account());
        }
        Account a = accounts.get(job.account());
        if (a != null) {
            e.put("system", a.system());
            a.environment().ifPresent(env -> e.put("environment", env));
        }
        return e;
    }

    /** Whether the job's source names its owner by the key that reported it (pings: the account part is the team). */
    private static boolean ownedByKeyTeam(JobKey job) {
        return Sources.of(job.source()) instanceof HttpSource h && h.ownedByKeyTeam();
    }

    /**
     * Where each team's ping key lives ({@code teams.<team>.pingKey: "${NAME}"}), by team, in file order: teams
     * without one take no pings.
     */
    public Map<String, CredentialsRef> pingKeys() {
        return pingKeys;
    }

    /** The system of an account, when the catalog lists it. */
    public Optional<String> systemOf(String account) {
        return account(account).map(Account::system);
    }

    public Optional<Account> account(String id) {
        return Optional.ofNullable(accounts.get(id));
    }

    /** Accounts by id, in file order. */
    public Map<String, Account> accounts() {
        return accounts;
    }

    /** Teams by name, in file order. */
    public Map<String, Team> teams() {
        return teams;
    }

    public Optional<Team> team(String name) {
        return Optional.ofNullable(teams.get(name));
    }

    /** The rules of {@code jobs}, in file order. */
    public List<Rule> rules() {
        return rules;
    }

    public Retention retention() {
        return retention;
    }

    public IncidentSettings incidents() {
        return incidents;
    }

    public DigestSettings digest() {
        return digest;
    }

    /** The file label the catalog was loaded from. */
    public String file() {
        return file;
    }

    /** Resolution cache counters since this catalog was loaded. */
    public CacheStats cacheStats() {
        return new CacheStats(hits.sum(), misses.sum(), cache.size());
    }

    /**
     * @param hits   resolutions answered from the cache
     * @param misses resolutions that matched the rules
     * @param jobs   jobs in the cache
     */
    public record CacheStats(long hits, long misses, int jobs) {
        /** Share of resolutions answered from the cache, 0..1 (0 before any). */
        public double hitRate() {
            long total = hits + misses;
            return total == 0 ? 0 : (double) hits / total;
        }
    }

    @Override
    public String toString() {
        return "Catalog[" + file + ": " + accounts.size() + " accounts, " + teams.size() + " teams, " + rules.size()
                + " rules]";
    }
}
