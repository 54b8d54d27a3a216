package io.jobwatch.core.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobSource;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import software.amazon.event.ruler.GenericMachine;
import software.amazon.event.ruler.JsonRuleCompiler;

/**
 * Loads and validates jobwatch.yml. Reads the YAML node tree (with line and column of every node) and reports every
 * problem at once, each with file:line:column, the key path, what is wrong and how to fix it. No file IO: the caller
 * reads the file and passes its text with a label for messages.
 */
public final class CatalogLoader {

    private static final Set<String> TOP = keys("version", "accounts", "teams", "defaults", "jobs", "retention",
            "incidents", "digest");
    private static final Set<String> ACCOUNT = keys("system", "environment", "description");
    private static final Set<String> TEAM = keys("recipients", "assignmentGroup", "digestSchedule", "timezone",
            "channels", "pingKey", "description");
    private static final Set<String> DEFAULTS = keys("team", "criticality", "incident", "digest", "expectations",
            "maintenance");
    private static final Set<String> RULE = keys("name", "description", "match", "team", "criticality", "incident",
            "digest", "expectations", "maintenance", "identity");
    private static final Set<String> INCIDENT = keys("enabled", "urgency", "impact", "openAfterConsecutiveFailures",
            "failureRate", "resolveAfterConsecutiveSuccesses", "flapDampingWindow", "waitForRetries", "onWarning");
    private static final Set<String> FAILURE_RATE = keys("percent", "ofLastRuns");
    private static final Set<String> EXPECTATIONS = keys("schedule", "timezone", "deadline", "grace", "maxDuration",
            "minDuration", "learned", "pageOnLearned");
    private static final Set<String> MAINTENANCE = keys("schedule", "duration", "from", "to", "timezone",
            "description");
    private static final Set<String> RETENTION = keys("runs", "rollups");
    private static final Set<String> INCIDENTS = keys("instanceUrl", "username", "passwordEnv", "secretId");
    private static final Set<String> DIGEST = keys("schedule", "timezone", "from");

    /** Keys that would hold a secret; compared lower-case without '-' and '_'. */
    private static final Set<String> SECRET_KEYS = Set.of("password", "passwd", "pwd", "pass", "token", "secret",
            "apikey", "accesskey", "secretaccesskey", "secretkey", "clientsecret", "privatekey", "authtoken",
            "accesstoken", "bearertoken", "credential", "credentials");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern ENV_VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A value that names an environment variable instead of holding a secret: {@code "${JOBWATCH_PING_KEY_ERP}"}. */
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /**
     * Keys that hold a secret by nature and are therefore allowed only as a reference to where it lives
     * ({@code "${NAME}"}); compared like {@link #SECRET_KEYS}.
     */
    private static final Set<String> SECRET_REFERENCE_KEYS = Set.of("pingkey");
    private static final List<String> SOURCES = Arrays.stream(JobSource.values()).map(JobSource::id).toList();
    private static final String SECRET_HINT = "keep the secret out of the file: passwordEnv: SERVICENOW_PASSWORD (an"
            + " environment variable name) or secretId: jobwatch/servicenow (a Secrets Manager name or ARN)";

    private final String file;
    private final List<CatalogError> errors = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    private CatalogLoader(String file) {
        this.file = file;
    }

    /** Loads a catalog from YAML text; {@code fileLabel} names it in errors (e.g. {@code jobwatch.yml}). */
    public static CatalogResult load(String fileLabel, String yamlText) {
        return new CatalogLoader(fileLabel).run(yamlText);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Specs: what one rule (or the defaults) sets; null = not set, inherit.

    private record IncidentSpec(Boolean enabled, Integer urgency, Integer impact, Integer openAfter,
                                JobIncidentPolicy.FailureRate failureRate, Integer resolveAfter, Duration flap,
                                Integer waitForRetries, Boolean openOnWarning) {
        static final IncidentSpec NONE = new IncidentSpec(null, null, null, null, null, null, null, null, null);

        IncidentSpec(Boolean enabled, Integer urgency, Integer impact, Integer openAfter,
                     JobIncidentPolicy.FailureRate failureRate, Integer resolveAfter, Duration flap) {
            this(enabled, urgency, impact, openAfter, failureRate, resolveAfter, flap, null, null);
        }
    }

    private record ExpectationsSpec(Schedule schedule, ZoneId zone, LocalTime deadline, Duration grace,
                                    Duration maxDuration, Duration minDuration, Boolean learned,
                                    Boolean pageOnLearned) {
        static final ExpectationsSpec NONE = new ExpectationsSpec(null, null, null, null, null, null, null, null);
    }

    /** from/to are an Instant (offset given) or a LocalDateTime (read in the window's zone). */
    private record MaintenanceSpec(Schedule.Cron start, Duration duration, ZoneId zone, Object from, Object to) {
    }

    private record PolicySpec(String team, Criticality criticality, IncidentSpec incident, Boolean inDigest,
                              ExpectationsSpec expectations, List<MaintenanceSpec> maintenance) {
        static final PolicySpec NONE = new PolicySpec(null, null, IncidentSpec.NONE, null, ExpectationsSpec.NONE, null);
    }

    private record TeamSpec(Team team, ZoneId explicitZone, CredentialsRef pingKey) {
    }

    private record Entry(ScalarNode key, Node value, String path) {
    }

    // ---------------------------------------------------------------------------------------------------------------

    private CatalogResult run(String text) {
        Node root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file).build()).composeString(text).orElse(null);
        } catch (MarkedYamlEngineException e) {
            Mark m = e.getProblemMark().orElse(null);
            error(m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, "",
                    "YAML syntax error: " + e.getProblem() + (e.getContext() == null ? "" : " (" + e.getContext()
                            + e.getContextMark().map(c -> " at line " + (c.getLine() + 1) + ", column "
                            + (c.getColumn() + 1)).orElse("") + ")"),
                    "check indentation (spaces, not tabs) and quote values holding ': ' or '#'");
            return new CatalogResult.Invalid(errors);
        } catch (YamlEngineException e) {
            error(1, 1, "", "YAML error: " + e.getMessage(), "");
            return new CatalogResult.Invalid(errors);
        }

        Map<String, Entry> top = root == null ? Map.of() : entries(root, "", TOP, "the catalog");
        if (top == null) {
            return new CatalogResult.Invalid(errors);
        }
        Entry version = top.get("version");
        if (version != null) {
            integer(version, 1, 1);
        }
        DigestSettings digest = digestSettings(top.get("digest"));
        Map<String, Account> accounts = accounts(top.get("accounts"));
        Map<String, TeamSpec> teams = teams(top.get("teams"), digest.timezone());
        Retention retention = retention(top.get("retention"));
        IncidentSettings incidents = incidentSettings(top.get("incidents"));

        PolicySpec defaults = PolicySpec.NONE;
        Entry d = top.get("defaults");
        if (d != null) {
            Map<String, Entry> e = entries(d.value(), d.path(), DEFAULTS, "the defaults");
            if (e != null) {
                defaults = policySpec(e, teams);
            }
        }

        List<Rule> rules = new ArrayList<>();
        List<PolicySpec> ruleSpecs = new ArrayList<>();
        GenericMachine<Integer> machine = GenericMachine.<Integer>builder().build();
        Entry jobs = top.get("jobs");
        if (jobs != null && !isNull(jobs.value())) {
            if (jobs.value() instanceof SequenceNode seq) {
                Map<String, Integer> names = new HashMap<>();
                List<Node> items = seq.getValue();
                for (int i = 0; i < items.size(); i++) {
                    rule(items.get(i), "jobs[" + i + "]", i, teams, names, rules, ruleSpecs, machine);
                }
            } else {
                error(jobs.value(), jobs.path(), "expected a list of rules, found " + kind(jobs.value()),
                        "start each rule with '- name: …' under jobs:");
            }
        }

        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingInt(CatalogError::line).thenComparingInt(CatalogError::column));
            return new CatalogResult.Invalid(errors);
        }
        Map<String, Team> teamMap = new LinkedHashMap<>();
        Map<String, ZoneId> teamZones = new HashMap<>();
        Map<String, CredentialsRef> pingKeys = new LinkedHashMap<>();
        teams.forEach((k, v) -> {
            teamMap.put(k, v.team());
            if (v.explicitZone() != null) {
                teamZones.put(k, v.explicitZone());
            }
            if (v.pingKey() != null) {
                pingKeys.put(k, v.pingKey());
            }
        });
        List<PolicyTemplate> templates = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            templates.add(template(rules.get(i).name(), i, ruleSpecs.get(i), defaults, teams));
        }
        PolicyTemplate defaultTemplate = template(JobPolicy.DEFAULTS, -1, PolicySpec.NONE, defaults, teams);
        return new CatalogResult.Loaded(new Catalog(file, accounts, teamMap, rules, templates, defaultTemplate, machine,
                retention, incidents, digest, teamZones, pingKeys, identities));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Sections

    private Map<String, Account> accounts(Entry section) {
        Map<String, Account> out = new LinkedHashMap<>();
        if (section == null || isNull(section.value())) {
            return out;
        }
        Map<String, Entry> ids = entries(section.value(), section.path(), null, "accounts");
        if (ids == null) {
            return out;
        }
        for (Entry a : ids.values()) {
            String id = a.key().getValue();
            if (!ACCOUNT_ID.matcher(id).matches()) {
                error(a.key(), a.path(), "'" + id + "' is not an AWS account id",
                        "write the 12-digit account id, quoted: \"123456789012\"");
                continue;
            }
            if (a.value() instanceof ScalarNode) {
                String system = string(a);
                if (system != null) {
                    out.put(id, new Account(id, system, Optional.empty()));
                }
                continue;
            }
            Map<String, Entry> e = entries(a.value(), a.path(), ACCOUNT, "an account");
            if (e == null) {
                continue;
            }
            Entry sys = e.get("system");
            if (sys == null) {
                error(a.value(), a.path(), "account has no system", "add system: ERP (the name people know it by)");
                continue;
            }
            String system = string(sys);
            String env = null;
            if (e.get("environment") != null) {
                env = string(e.get("environment"));
                if (env != null && !ENVIRONMENT.matcher(env).matches()) {
                    error(e.get("environment").value(), e.get("environment").path(),
                            "environment '" + env + "' is not a simple lower-case word", "write e.g. prod or dev");
                    env = null;
                }
            }
            if (system != null) {
                out.put(id, new Account(id, system, Optional.ofNullable(env)));
            }
        }
        return out;
    }

    private Map<String, TeamSpec> teams(Entry section, ZoneId digestZone) {
        Map<String, TeamSpec> out = new LinkedHashMap<>();
        if (section == null || isNull(section.value())) {
            return out;
        }
        Map<String, Entry> names = entries(section.value(), section.path(), null, "teams");
        if (names == null) {
            return out;
        }
        for (Entry t : names.values()) {
            String name = t.key().getValue();
            if (!NAME.matcher(name).matches()) {
                error(t.key(), t.path(), "team name '" + name + "' has characters other than letters, digits, '.', '_', '-'",
                        "rename it, e.g. erp-ops");
                continue;
            }
            if (name.equals(Team.UNOWNED)) {
                error(t.key(), t.path(), "'" + Team.UNOWNED + "' is reserved for jobs without a team",
                        "choose another name");
                continue;
            }
            Map<String, Entry> e = isNull(t.value()) ? Map.of() : entries(t.value(), t.path(), TEAM, "a team");
            if (e == null) {
                continue;
            }
            List<String> recipients = new ArrayList<>();
            Entry r = e.get("recipients");
            if (r != null) {
                for (Entry item : items(r)) {
                    String address = string(item);
                    if (address != null) {
                        if (EMAIL.matcher(address).matches()) {
                            recipients.add(address);
                        } else {
                            error(item.value(), item.path(), "'" + address + "' is not an email address",
                                    "write a plain address like erp-ops@example.com (no display name)");
                        }
                    }
                }
            }
            String group = e.get("assignmentGroup") == null ? null : string(e.get("assignmentGroup"));
            Schedule digestSchedule = e.get("digestSchedule") == null ? null : schedule(e.get("digestSchedule"));
            ZoneId zone = e.get("timezone") == null ? null : zone(e.get("timezone"));
            List<ChannelSpec> channels = e.get("channels") == null ? List.of() : channels(e.get("channels"));
            CredentialsRef pingKey = e.get("pingKey") == null ? null : secretReference(e.get("pingKey"),
                    "JOBWATCH_PING_KEY_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
            out.put(name, new TeamSpec(new Team(name, recipients, Optional.ofNullable(group),
                    Optional.ofNullable(digestSchedule), zone != null ? zone : digestZone, channels), zone, pingKey));
        }
        return out;
    }

    /**
     * A team's {@code channels:}: each item a mapping with a {@code type} and the type's settings (plain values, or
     * {@code "${NAME}"} to take the value from where Jobwatch runs; the deployment's channel registry checks types,
     * settings and which of them must be references, naming this item's file:line:column). A key that names a secret
     * ({@code secret}, {@code token} …) is allowed here only as such a reference; a value written out is refused
     * without being echoed.
     */
    private List<ChannelSpec> channels(Entry section) {
        List<ChannelSpec> out = new ArrayList<>();
        for (Entry item : items(section)) {
            Map<String, Entry> fields = entries(item.value(), item.path(), null, "a channel", true);
            if (fields == null) {
                continue;
            }
            Entry type = fields.get("type");
            if (type == null) {
                error(item.value(), item.path(), "a channel needs a type", "write e.g. {type: smtp}");
                continue;
            }
            String typeName = string(type);
            Map<String, String> settings = new LinkedHashMap<>();
            for (Map.Entry<String, Entry> f : fields.entrySet()) {
                if (!f.getKey().equals("type")) {
                    String value = string(f.getValue());
                    if (value != null) {
                        settings.put(f.getKey(), value);
                    }
                }
            }
            if (typeName != null) {
                Mark m = item.value().getStartMark().orElse(null);
                out.add(new ChannelSpec(typeName, settings, file + ":" + (m == null ? 1 : m.getLine() + 1) + ":"
                        + (m == null ? 1 : m.getColumn() + 1)));
            }
        }
        return out;
    }

    private Retention retention(Entry section) {
        Duration runs = Retention.DEFAULT_RUNS;
        Duration rollups = Retention.DEFAULT_ROLLUPS;
        if (section != null && !isNull(section.value())) {
            Map<String, Entry> e = entries(section.value(), section.path(), RETENTION, "retention");
            if (e != null && e.get("runs") != null) {
                Duration d = duration(e.get("runs"));
                Duration exportNeeds = Retention.MINIMUM_RUNS;
                if (d != null && d.compareTo(exportNeeds) < 0) {
                    // The daily export reads each day a day after it ends, with a margin: shorter and runs are lost.
                    error(e.get("runs").value(), e.get("runs").path(), "run retention " + Durations.format(d)
                            + " is shorter than the export needs (" + Durations.format(exportNeeds)
                            + ": the day, a day for late runs to finish, and a 2-day margin): runs would expire before"
                            + " they are exported", "keep runs at least " + Durations.format(exportNeeds) + " (default 7d)");
                } else if (d != null) {
                    runs = d;
                }
            }
            if (e != null && e.get("rollups") != null) {
                Duration d = duration(e.get("rollups"));
                if (d != null && d.compareTo(Retention.MINIMUM_ROLLUPS) < 0) {
                    error(e.get("rollups").value(), e.get("rollups").path(), "rollup retention " + Durations.format(d)
                            + " is shorter than a day: a day's rollup is written once the day is over",
                            "keep rollups at least 1d (default 400d)");
                } else if (d != null) {
                    rollups = d;
                }
            }
        }
        return new Retention(runs, rollups);
    }

    private IncidentSettings incidentSettings(Entry section) {
        IncidentSettings none = new IncidentSettings(Optional.empty(), Optional.empty(), Optional.empty());
        if (section == null || isNull(section.value())) {
            return none;
        }
        Map<String, Entry> e = entries(section.value(), section.path(), INCIDENTS, "incidents");
        if (e == null) {
            return none;
        }
        URI url = null;
        Entry u = e.get("instanceUrl");
        if (u != null) {
            String text = string(u);
            if (text != null) {
                try {
                    URI parsed = new URI(text);
                    if (parsed.getUserInfo() != null) {
                        error(u.value(), u.path(), "the instance URL holds credentials (user info before '@')",
                                "write only https://INSTANCE.service-now.com and set username plus " + SECRET_HINT);
                    } else if (!"https".equals(parsed.getScheme()) || parsed.getHost() == null) {
                        error(u.value(), u.path(), "'" + text + "' is not an https URL with a host",
                                "write e.g. https://example.service-now.com");
                    } else {
                        url = parsed;
                    }
                } catch (URISyntaxException ex) {
                    error(u.value(), u.path(), "'" + text + "' is not a URL: " + ex.getReason(),
                            "write e.g. https://example.service-now.com");
                }
            }
        }
        String username = e.get("username") == null ? null : string(e.get("username"));
        CredentialsRef ref = null;
        Entry env = e.get("passwordEnv");
        Entry secret = e.get("secretId");
        if (env != null && secret != null) {
            error(secret.key(), secret.path(), "both passwordEnv and secretId are set",
                    "keep one: passwordEnv for an environment variable, secretId for Secrets Manager");
        } else if (env != null) {
            String name = string(env);
            if (name != null && !ENV_VAR.matcher(name).matches()) {
                error(env.value(), env.path(), "passwordEnv must name an environment variable, not hold the password",
                        "write the variable's name, e.g. SERVICENOW_PASSWORD, and put the password in that variable");
            } else if (name != null) {
                ref = new CredentialsRef.EnvVar(name);
            }
        } else if (secret != null) {
            String id = string(secret);
            if (id != null && (id.isBlank() || id.contains(" "))) {
                error(secret.value(), secret.path(), "secretId must be a Secrets Manager secret name or ARN",
                        "write e.g. jobwatch/servicenow or arn:aws:secretsmanager:eu-west-1:123456789012:secret:…");
            } else if (id != null) {
                ref = new CredentialsRef.SecretsManager(id);
            }
        }
        if (url != null && ref == null && env == null && secret == null) {
            error(u.key(), section.path() + ".instanceUrl", "ServiceNow instance without credentials",
                    "add username and passwordEnv: SERVICENOW_PASSWORD or secretId: jobwatch/servicenow");
        }
        if (url != null && username == null && ref instanceof CredentialsRef.EnvVar) {
            error(u.key(), section.path() + ".instanceUrl", "ServiceNow instance without username",
                    "add username: the integration user (not a secret)");
        }
        return new IncidentSettings(Optional.ofNullable(url), Optional.ofNullable(username), Optional.ofNullable(ref));
    }

    private DigestSettings digestSettings(Entry section) {
        Schedule schedule = Schedule.parse("cron(0 7 * * ? *)");
        ZoneId zone = ZoneOffset.UTC;
        String from = null;
        if (section != null && !isNull(section.value())) {
            Map<String, Entry> e = entries(section.value(), section.path(), DIGEST, "digest");
            if (e != null) {
                if (e.get("schedule") != null) {
                    Schedule s = schedule(e.get("schedule"));
                    schedule = s != null ? s : schedule;
                }
                if (e.get("timezone") != null) {
                    ZoneId z = zone(e.get("timezone"));
                    zone = z != null ? z : zone;
                }
                if (e.get("from") != null) {
                    from = string(e.get("from"));
                    if (from != null && !EMAIL.matcher(from).matches()) {
                        error(e.get("from").value(), e.get("from").path(), "'" + from + "' is not an email address",
                                "write a plain address like jobwatch@example.com");
                        from = null;
                    }
                }
            }
        }
        return new DigestSettings(schedule, zone, Optional.ofNullable(from));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Rules

    /** The rules' identity overrides by rule index: empty = the raw name, else the pattern with a group "name". */
    private final Map<Integer, Optional<java.util.regex.Pattern>> identities = new HashMap<>();

    private void identity(Entry entry, int index) {
        String text = string(entry);
        if (text == null) {
            return;
        }
        if (text.equals("raw")) {
            identities.put(index, Optional.empty());
            return;
        }
        if (text.equals("stripped")) {
            return; // the source's own rule, said explicitly
        }
        try {
            java.util.regex.Pattern p = java.util.regex.Pattern.compile(text);
            if (!text.contains("(?<name>")) {
                error(entry.value(), entry.path(), "identity pattern '" + text + "' has no group named 'name'",
                        "capture the stable part as (?<name>…), e.g. identity: \"^(?<name>.+)-v\\d+$\"");
                return;
            }
            identities.put(index, Optional.of(p));
        } catch (java.util.regex.PatternSyntaxException ex) {
            error(entry.value(), entry.path(), "identity pattern '" + text + "' is not a regular expression: "
                    + ex.getDescription(), "write raw, stripped, or a Java regular expression with a group (?<name>…)");
        }
    }

    private void rule(Node node, String path, int index, Map<String, TeamSpec> teams, Map<String, Integer> names,
                      List<Rule> rules, List<PolicySpec> specs, GenericMachine<Integer> machine) {
        Map<String, Entry> e = entries(node, path, RULE, "a rule");
        String name = null;
        if (e != null && e.get("name") != null) {
            name = string(e.get("name"));
            if (name != null && name.isBlank()) {
                error(e.get("name").value(), e.get("name").path(), "empty rule name", "name the rule, e.g. erp-glue-jobs");
                name = null;
            }
            if (name != null && names.containsKey(name)) {
                Rule first = rules.get(names.get(name));
                error(e.get("name").value(), e.get("name").path(), "duplicate rule name '" + name
                        + "' (first used by jobs[" + first.index() + "] at line " + first.line() + ")",
                        "give each rule a unique name");
            } else if (name != null) {
                names.put(name, index);
            }
        } else if (e != null) {
            error(node, path, "rule has no name", "add name: … (unique; explain and incidents show it)");
        }
        String description = e != null && e.get("description") != null ? string(e.get("description")) : null;
        String match = null;
        if (e != null) {
            Entry m = e.get("match");
            if (m == null) {
                error(node, path, "rule has no match", "add match: {jobName: [{prefix: \"erp-\"}]} (an EventBridge"
                        + " event pattern); to set something for every job use defaults:");
            } else {
                match = match(m);
            }
        }
        PolicySpec spec = e == null ? PolicySpec.NONE : policySpec(e, teams);
        if (e != null && e.get("identity") != null) {
            identity(e.get("identity"), index);
        }
        // Keep the list aligned with the index even for broken rules, so later names and messages line up.
        rules.add(new Rule(index, name == null ? "jobs[" + index + "]" : name, description == null ? "" : description,
                match == null ? "{}" : match, line(node)));
        specs.add(spec);
        if (match != null) {
            try {
                machine.addRule(index, match);
            } catch (IOException | RuntimeException ex) {
                error(e.get("match").value(), e.get("match").path(), "invalid event pattern: " + ex.getMessage(),
                        "see EventBridge content filtering, e.g. {jobName: [{prefix: \"erp-\"}]}");
            }
        }
    }

    /** Validates the pattern and returns it as compact JSON, or null after reporting. */
    private String match(Entry m) {
        if (!(m.value() instanceof MappingNode mapping)) {
            error(m.value(), m.path(), "match must be an event pattern (a mapping), found " + kind(m.value()),
                    "write e.g. match: {source: [glue-job], jobName: [{prefix: \"erp-\"}]}");
            return null;
        }
        if (mapping.getValue().isEmpty()) {
            error(m.value(), m.path(), "empty match would match nothing",
                    "name at least one field (" + String.join(", ", Catalog.MATCH_FIELDS) + "); use defaults: for every job");
            return null;
        }
        int before = errors.size();
        checkPatternFields(mapping, m.path(), true);
        if (errors.size() > before) {
            return null;
        }
        String text;
        try {
            text = json.writeValueAsString(toJson(mapping));
        } catch (JsonProcessingException ex) {
            error(m.value(), m.path(), "cannot read the pattern: " + ex.getOriginalMessage(), "");
            return null;
        }
        String problem = JsonRuleCompiler.check(text);
        if (problem != null) {
            // event-ruler appends the JSON parser's source excerpt on a second line; the first line says it.
            error(m.value(), m.path(), "invalid event pattern: " + problem.lines().findFirst().orElse(problem).strip(),
                    "see EventBridge content filtering: each field takes a list of values or of {prefix|suffix|"
                            + "anything-but|equals-ignore-case|wildcard|exists: …} matchers");
            return null;
        }
        return text;
    }

    /** Pattern keys must be fields of the flat run event; values lists; the account ids text; sources known. */
    private void checkPatternFields(MappingNode mapping, String path, boolean topLevel) {
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                error(t.getKeyNode(), path, "pattern keys must be plain field names", "");
                continue;
            }
            String field = k.getValue();
            String p = path + "." + field;
            if (field.equals("$or") && topLevel) {
                if (t.getValueNode() instanceof SequenceNode alternatives) {
                    List<Node> alts = alternatives.getValue();
                    for (int i = 0; i < alts.size(); i++) {
                        if (alts.get(i) instanceof MappingNode alt) {
                            checkPatternFields(alt, p + "[" + i + "]", false);
                        } else {
                            error(alts.get(i), p + "[" + i + "]", "each $or alternative must be a pattern (a mapping)",
                                    "write $or: [{jobName: [a]}, {system: [ERP]}]");
                        }
                    }
                } else {
                    error(t.getValueNode(), p, "$or takes a list of patterns", "write $or: [{jobName: [a]}, {system: [ERP]}]");
                }
                continue;
            }
            if (!Catalog.MATCH_FIELDS.contains(field)) {
                error(k, p, "unknown match field '" + field + "'" + Suggest.didYouMean(field, Catalog.MATCH_FIELDS),
                        "match on " + String.join(", ", Catalog.MATCH_FIELDS));
                continue;
            }
            if (!(t.getValueNode() instanceof SequenceNode values)) {
                error(t.getValueNode(), p, "pattern for '" + field + "' must be a list",
                        "write " + field + ": [value] or " + field + ": [{prefix: \"x\"}]");
                continue;
            }
            List<Node> vs = values.getValue();
            for (int i = 0; i < vs.size(); i++) {
                Node v = vs.get(i);
                if (v instanceof ScalarNode s && (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT))) {
                    error(v, p + "[" + i + "]", "'" + s.getValue() + "' is a number but " + field
                            + " is text, so it would never match", "quote it: \"" + s.getValue() + "\"");
                } else if (field.equals("source") && v instanceof ScalarNode s && s.getTag().equals(Tag.STR)
                        && !SOURCES.contains(s.getValue())) {
                    error(v, p + "[" + i + "]", "unknown source '" + s.getValue() + "'"
                            + Suggest.didYouMean(s.getValue(), SOURCES), "use one of " + String.join(", ", SOURCES));
                }
            }
        }
    }

    private PolicySpec policySpec(Map<String, Entry> e, Map<String, TeamSpec> teams) {
        String team = null;
        Entry t = e.get("team");
        if (t != null) {
            team = string(t);
            if (team != null && !teams.containsKey(team)) {
                error(t.value(), t.path(), "unknown team '" + team + "'" + Suggest.didYouMean(team, teams.keySet()),
                        teams.isEmpty() ? "declare it under teams:" : "use one of " + String.join(", ", teams.keySet())
                                + " or declare it under teams:");
                team = null;
            }
        }
        Criticality criticality = null;
        Entry c = e.get("criticality");
        if (c != null) {
            String word = string(c);
            if (word != null) {
                criticality = Criticality.byId(word).orElse(null);
                if (criticality == null) {
                    List<String> ids = Arrays.stream(Criticality.values()).map(Criticality::id).toList();
                    error(c.value(), c.path(), "unknown criticality '" + word + "'" + Suggest.didYouMean(word, ids),
                            "use one of " + String.join(", ", ids));
                }
            }
        }
        Boolean inDigest = null;
        Entry d = e.get("digest");
        if (d != null) {
            String word = string(d);
            if (word != null) {
                switch (word) {
                    case "include", "true" -> inDigest = true;
                    case "exclude", "false" -> inDigest = false;
                    default -> error(d.value(), d.path(), "digest must be include or exclude, found '" + word + "'",
                            "write digest: include (list the job in digests) or digest: exclude");
                }
            }
        }
        IncidentSpec incident = e.get("incident") == null ? IncidentSpec.NONE : incidentSpec(e.get("incident"));
        ExpectationsSpec expectations = e.get("expectations") == null ? ExpectationsSpec.NONE
                : expectationsSpec(e.get("expectations"));
        List<MaintenanceSpec> maintenance = e.get("maintenance") == null ? null : maintenance(e.get("maintenance"));
        return new PolicySpec(team, criticality, incident, inDigest, expectations, maintenance);
    }

    private IncidentSpec incidentSpec(Entry section) {
        if (section.value() instanceof ScalarNode s && !isNull(s)) {
            return switch (s.getValue()) {
                case "on", "true" -> new IncidentSpec(true, null, null, null, null, null, null);
                case "off", "false" -> new IncidentSpec(false, null, null, null, null, null, null);
                default -> {
                    error(s, section.path(), "incident must be on, off or a mapping, found '" + s.getValue() + "'",
                            "write incident: off, or incident: {urgency: 1, impact: 2}");
                    yield IncidentSpec.NONE;
                }
            };
        }
        Map<String, Entry> e = entries(section.value(), section.path(), INCIDENT, "incident settings");
        if (e == null) {
            return IncidentSpec.NONE;
        }
        Boolean enabled = e.get("enabled") == null ? null : bool(e.get("enabled"));
        Integer urgency = e.get("urgency") == null ? null : level(e.get("urgency"));
        Integer impact = e.get("impact") == null ? null : level(e.get("impact"));
        Integer openAfter = e.get("openAfterConsecutiveFailures") == null ? null
                : integer(e.get("openAfterConsecutiveFailures"), 1, 1000);
        Integer resolveAfter = e.get("resolveAfterConsecutiveSuccesses") == null ? null
                : integer(e.get("resolveAfterConsecutiveSuccesses"), 1, 1000);
        Duration flap = e.get("flapDampingWindow") == null ? null : duration(e.get("flapDampingWindow"));
        Integer retries = e.get("waitForRetries") == null ? null : integer(e.get("waitForRetries"), 0, 100);
        Boolean onWarning = null;
        Entry w = e.get("onWarning");
        if (w != null) {
            String text = string(w);
            if ("open".equals(text) || "digest".equals(text)) {
                onWarning = "open".equals(text);
            } else if (text != null) {
                error(w.value(), w.path(), "onWarning must be open or digest, found '" + text + "'",
                        "write onWarning: open to open incidents for runs that succeeded with a warning, or leave it"
                                + " out (digest: listed in the digest only)");
            }
        }
        JobIncidentPolicy.FailureRate rate = null;
        Entry fr = e.get("failureRate");
        if (fr != null) {
            Map<String, Entry> f = entries(fr.value(), fr.path(), FAILURE_RATE, "a failure rate");
            if (f != null) {
                if (f.get("percent") == null || f.get("ofLastRuns") == null) {
                    error(fr.value(), fr.path(), "failureRate needs percent and ofLastRuns",
                            "write failureRate: {percent: 50, ofLastRuns: 10}");
                } else {
                    Integer percent = integer(f.get("percent"), 1, 100);
                    Integer of = integer(f.get("ofLastRuns"), 1, 1000);
                    if (percent != null && of != null) {
                        rate = new JobIncidentPolicy.FailureRate(percent, of);
                    }
                }
            }
        }
        return new IncidentSpec(enabled, urgency, impact, openAfter, rate, resolveAfter, flap, retries, onWarning);
    }

    private ExpectationsSpec expectationsSpec(Entry section) {
        Map<String, Entry> e = entries(section.value(), section.path(), EXPECTATIONS, "expectations");
        if (e == null) {
            return ExpectationsSpec.NONE;
        }
        Schedule schedule = e.get("schedule") == null ? null : schedule(e.get("schedule"));
        ZoneId zone = e.get("timezone") == null ? null : zone(e.get("timezone"));
        LocalTime deadline = null;
        Entry dl = e.get("deadline");
        if (dl != null) {
            String text = string(dl);
            if (text != null) {
                try {
                    deadline = LocalTime.parse(text.length() == 4 ? "0" + text : text);
                } catch (DateTimeParseException ex) {
                    error(dl.value(), dl.path(), "deadline '" + text + "' is not a time of day",
                            "write HH:MM in the job's timezone, e.g. deadline: \"07:00\"");
                }
            }
        }
        Duration grace = e.get("grace") == null ? null : duration(e.get("grace"));
        Duration max = e.get("maxDuration") == null ? null : duration(e.get("maxDuration"));
        Duration min = e.get("minDuration") == null ? null : duration(e.get("minDuration"));
        if (max != null && max.isZero()) {
            error(e.get("maxDuration").value(), e.get("maxDuration").path(), "maxDuration of zero flags every run",
                    "remove it or give the longest acceptable run, e.g. 2h");
            max = null;
        }
        if (max != null && min != null && min.compareTo(max) >= 0) {
            error(e.get("minDuration").value(), e.get("minDuration").path(), "minDuration " + Durations.format(min)
                    + " is not shorter than maxDuration " + Durations.format(max), "lower minDuration or raise maxDuration");
        }
        Boolean learned = e.get("learned") == null ? null : bool(e.get("learned"));
        Boolean page = e.get("pageOnLearned") == null ? null : bool(e.get("pageOnLearned"));
        return new ExpectationsSpec(schedule, zone, deadline, grace, max, min, learned, page);
    }

    private List<MaintenanceSpec> maintenance(Entry section) {
        List<MaintenanceSpec> out = new ArrayList<>();
        if (isNull(section.value())) {
            return out;
        }
        for (Entry item : items(section)) {
            Map<String, Entry> e = entries(item.value(), item.path(), MAINTENANCE, "a maintenance window");
            if (e == null) {
                continue;
            }
            ZoneId zone = e.get("timezone") == null ? null : zone(e.get("timezone"));
            boolean recurring = e.get("schedule") != null || e.get("duration") != null;
            boolean fixed = e.get("from") != null || e.get("to") != null;
            if (recurring == fixed) {
                error(item.value(), item.path(), recurring ? "a window is either recurring (schedule + duration) or fixed"
                        + " (from + to), not both" : "empty maintenance window",
                        "write {schedule: \"cron(0 22 ? * SUN *)\", duration: 2h} or {from: \"2026-12-24T00:00\","
                                + " to: \"2026-12-27T00:00\"}");
                continue;
            }
            if (recurring) {
                if (e.get("schedule") == null || e.get("duration") == null) {
                    error(item.value(), item.path(), "a recurring window needs schedule and duration",
                            "write {schedule: \"cron(0 22 ? * SUN *)\", duration: 2h}");
                    continue;
                }
                Schedule s = schedule(e.get("schedule"));
                Duration d = duration(e.get("duration"));
                if (s instanceof Schedule.Rate) {
                    error(e.get("schedule").value(), e.get("schedule").path(),
                            "a maintenance window starts at fixed times: rate(…) has none", "use cron(…), e.g. cron(0 22 ? * SUN *)");
                } else if (d != null && d.isZero()) {
                    error(e.get("duration").value(), e.get("duration").path(), "a window of zero length covers nothing",
                            "give its length, e.g. 2h");
                } else if (s instanceof Schedule.Cron cron && d != null) {
                    out.add(new MaintenanceSpec(cron, d, zone, null, null));
                }
            } else {
                if (e.get("from") == null || e.get("to") == null) {
                    error(item.value(), item.path(), "a fixed window needs from and to",
                            "write {from: \"2026-12-24T00:00\", to: \"2026-12-27T00:00\"}");
                    continue;
                }
                Object from = dateTime(e.get("from"));
                Object to = dateTime(e.get("to"));
                if (from != null && to != null) {
                    if (from.getClass() != to.getClass()) {
                        error(e.get("to").value(), e.get("to").path(), "from and to mix a time with an offset and one without",
                                "give both an offset (…Z, …+01:00) or neither (read in the window's timezone)");
                    } else if (!isBefore(from, to)) {
                        error(e.get("to").value(), e.get("to").path(), "the window ends before it starts",
                                "make to later than from");
                    } else {
                        out.add(new MaintenanceSpec(null, null, zone, from, to));
                    }
                }
            }
        }
        return out;
    }

    private static boolean isBefore(Object a, Object b) {
        if (a instanceof Instant x && b instanceof Instant y) {
            return x.isBefore(y);
        }
        return ((LocalDateTime) a).isBefore((LocalDateTime) b);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Inheritance: rule → defaults → built-in

    private static PolicyTemplate template(String name, int index, PolicySpec rule, PolicySpec defaults,
                                           Map<String, TeamSpec> teams) {
        String teamName = rule.team() != null ? rule.team() : defaults.team();
        TeamSpec teamSpec = teamName == null ? null : teams.get(teamName);
        Team team = teamSpec != null ? teamSpec.team() : Team.unowned(ZoneOffset.UTC);
        Criticality criticality = first(rule.criticality(), defaults.criticality(), Criticality.NORMAL);

        IncidentSpec ri = rule.incident();
        IncidentSpec di = defaults.incident();
        int level = switch (criticality) {
            case CRITICAL -> 1;
            case HIGH -> 2;
            case NORMAL, LOW -> 3;
        };
        JobIncidentPolicy incident = new JobIncidentPolicy(
                first(ri.enabled(), di.enabled(), criticality != Criticality.LOW),
                first(ri.urgency(), di.urgency(), level),
                first(ri.impact(), di.impact(), level),
                first(ri.openAfter(), di.openAfter(), 1),
                Optional.ofNullable(first(ri.failureRate(), di.failureRate(), null)),
                first(ri.resolveAfter(), di.resolveAfter(), 1),
                first(ri.flap(), di.flap(), Duration.ZERO),
                first(ri.waitForRetries(), di.waitForRetries(), 0),
                first(ri.openOnWarning(), di.openOnWarning(), false));

        ExpectationsSpec re = rule.expectations();
        ExpectationsSpec de = defaults.expectations();
        ZoneId fallbackZone = first(de.zone(), ZoneOffset.UTC, null);
        ZoneId zone = first(re.zone(), teamSpec == null ? null : teamSpec.explicitZone(), fallbackZone);
        Expectations expectations = new Expectations(
                Optional.ofNullable(first(re.schedule(), de.schedule(), null)), zone,
                Optional.ofNullable(first(re.deadline(), de.deadline(), null)),
                first(re.grace(), de.grace(), Expectations.DEFAULT_GRACE),
                Optional.ofNullable(first(re.maxDuration(), de.maxDuration(), null)),
                Optional.ofNullable(first(re.minDuration(), de.minDuration(), null)),
                first(re.learned(), de.learned(), false),
                first(re.pageOnLearned(), de.pageOnLearned(), false));

        List<MaintenanceSpec> specs = rule.maintenance() != null ? rule.maintenance()
                : defaults.maintenance() != null ? defaults.maintenance() : List.of();
        List<MaintenanceWindow> windows = new ArrayList<>();
        for (MaintenanceSpec m : specs) {
            ZoneId z = m.zone() != null ? m.zone() : zone;
            if (m.start() != null) {
                windows.add(new MaintenanceWindow.Recurring(m.start(), m.duration(), z));
            } else {
                windows.add(new MaintenanceWindow.Fixed(instant(m.from(), z), instant(m.to(), z)));
            }
        }
        return new PolicyTemplate(name, index, team, criticality, incident,
                first(rule.inDigest(), defaults.inDigest(), true), expectations, windows, re.zone(), fallbackZone);
    }

    private static Instant instant(Object t, ZoneId zone) {
        return t instanceof Instant i ? i : ((LocalDateTime) t).atZone(zone).toInstant();
    }

    private static <T> T first(T a, T b, T fallback) {
        return a != null ? a : b != null ? b : fallback;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Node reading with errors

    /**
     * The entries of a mapping, keyed by name, checking each key: scalar, not repeated, not a secret, and (when
     * {@code allowed} is given) known. Returns null (after reporting) when the node is not a mapping.
     */
    private Map<String, Entry> entries(Node node, String path, Set<String> allowed, String what) {
        return entries(node, path, allowed, what, false);
    }

    /**
     * @param secretReferences whether keys that name a secret may be given as {@code "${NAME}"} (a channel's
     *                         settings); their value is then checked to be exactly such a reference
     */
    private Map<String, Entry> entries(Node node, String path, Set<String> allowed, String what,
                                       boolean secretReferences) {
        if (!(node instanceof MappingNode mapping)) {
            error(node, path, "expected " + what + " as a mapping (key: value lines), found " + kind(node),
                    allowed == null ? "" : "use keys " + String.join(", ", allowed));
            return null;
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                error(t.getKeyNode(), path, "keys must be plain text, found " + kind(t.getKeyNode()), "");
                continue;
            }
            String name = key.getValue();
            String p = path.isEmpty() ? name : path + "." + name;
            if (out.containsKey(name)) {
                error(key, p, "duplicate key '" + name + "' (first at line " + line(out.get(name).key()) + ")",
                        "keep one of them");
                continue;
            }
            String normalized = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
            if (SECRET_REFERENCE_KEYS.contains(normalized) && allowed != null && allowed.contains(name)) {
                // Allowed here, as a reference only: secretReference() refuses a value that is not "${NAME}".
                out.put(name, new Entry(key, t.getValueNode(), p));
                continue;
            }
            if (SECRET_KEYS.contains(normalized)) {
                if (secretReferences && t.getValueNode() instanceof ScalarNode v
                        && SettingRef.name(v.getValue()).isPresent()) {
                    out.put(name, new Entry(key, t.getValueNode(), p));
                    continue;
                }
                // Never echo the value: it is a secret.
                error(key, p, "inline secret '" + name + "': jobwatch.yml must not hold secrets", secretReferences
                        ? "write " + name + ": \"${NAME}\" and set the environment variable NAME where Jobwatch runs"
                        + " (on AWS: a key of the channel secrets)" : SECRET_HINT);
                continue;
            }
            if (allowed != null && !allowed.contains(name)) {
                error(key, p, "unknown key '" + name + "'" + Suggest.didYouMean(name, allowed),
                        "valid keys here: " + String.join(", ", allowed));
                continue;
            }
            out.put(name, new Entry(key, t.getValueNode(), p));
        }
        return out;
    }

    /**
     * A secret given as a reference to the environment variable that holds it, {@code "${NAME}"}; anything else is an
     * inline secret and refused without echoing the value (the file is shared, printed, committed).
     *
     * @param example the variable name the hint suggests
     */
    private CredentialsRef secretReference(Entry e, String example) {
        if (!(e.value() instanceof ScalarNode s) || isNull(s)) {
            error(e.value(), e.path(), "expected a reference to an environment variable, found "
                    + (isNull(e.value()) ? "nothing" : kind(e.value()).startsWith("the value") ? "a value" : kind(e.value())),
                    "write " + lastKey(e.path()) + ": \"${" + example + "}\" and set " + example + " where Jobwatch runs");
            return null;
        }
        java.util.regex.Matcher m = ENV_REFERENCE.matcher(s.getValue().trim());
        if (!m.matches()) {
            // Never echo the value: it may be the secret itself.
            error(e.value(), e.path(), "inline secret '" + lastKey(e.path()) + "': jobwatch.yml must not hold the key"
                    + " itself, only the name of the environment variable that holds it",
                    "write " + lastKey(e.path()) + ": \"${" + example + "}\" and set " + example
                            + " where Jobwatch runs (on AWS: a key of the ping-keys secret)");
            return null;
        }
        return new CredentialsRef.EnvVar(m.group(1));
    }

    /** Items of a list (a single scalar counts as a list of one). */
    private List<Entry> items(Entry e) {
        List<Entry> out = new ArrayList<>();
        if (e.value() instanceof SequenceNode seq) {
            List<Node> nodes = seq.getValue();
            for (int i = 0; i < nodes.size(); i++) {
                out.add(new Entry(e.key(), nodes.get(i), e.path() + "[" + i + "]"));
            }
        } else if (e.value() instanceof ScalarNode && !isNull(e.value())) {
            out.add(e);
        } else if (!isNull(e.value())) {
            error(e.value(), e.path(), "expected a list, found " + kind(e.value()), "write [a, b] or one '- item' per line");
        }
        return out;
    }

    private String string(Entry e) {
        if (e.value() instanceof ScalarNode s) {
            if (isNull(s)) {
                error(e.key(), e.path(), "no value", "give '" + lastKey(e.path()) + "' a value or remove the key");
                return null;
            }
            return s.getValue();
        }
        error(e.value(), e.path(), "expected a single value, found " + kind(e.value()), "");
        return null;
    }

    private Boolean bool(Entry e) {
        String s = string(e);
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> {
                error(e.value(), e.path(), "'" + s + "' is not true or false", "write true or false");
                yield null;
            }
        };
    }

    private Integer integer(Entry e, int min, int max) {
        String s = string(e);
        if (s == null) {
            return null;
        }
        try {
            int v = Integer.parseInt(s);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        error(e.value(), e.path(), "'" + s + "' is not a whole number from " + min + " to " + max,
                min == max ? "write " + min : "write a number from " + min + " to " + max);
        return null;
    }

    /** ServiceNow urgency / impact: 1–3 or high / medium / low. */
    private Integer level(Entry e) {
        String s = string(e);
        if (s == null) {
            return null;
        }
        switch (s) {
            case "1", "high" -> {
                return 1;
            }
            case "2", "medium" -> {
                return 2;
            }
            case "3", "low" -> {
                return 3;
            }
            default -> {
                error(e.value(), e.path(), "'" + s + "' is not a ServiceNow level",
                        "write 1 (high), 2 (medium) or 3 (low)");
                return null;
            }
        }
    }

    private Duration duration(Entry e) {
        String s = string(e);
        if (s == null) {
            return null;
        }
        try {
            return Durations.parse(s);
        } catch (IllegalArgumentException ex) {
            error(e.value(), e.path(), "invalid duration: " + ex.getMessage(),
                    "write e.g. 90m, 2h, 1h30m, 45s, 7d or PT2H");
            return null;
        }
    }

    private Schedule schedule(Entry e) {
        String s = string(e);
        if (s == null) {
            return null;
        }
        try {
            return Schedule.parse(s);
        } catch (IllegalArgumentException ex) {
            error(e.value(), e.path(), ex.getMessage(), "AWS schedule syntax: cron(min hour day-of-month month"
                    + " day-of-week year) with ? in one day field, e.g. cron(30 5 * * ? *), or rate(4 hours)");
            return null;
        }
    }

    private ZoneId zone(Entry e) {
        String s = string(e);
        if (s == null) {
            return null;
        }
        try {
            return ZoneId.of(s);
        } catch (DateTimeException ex) {
            Set<String> ids = ZoneId.getAvailableZoneIds();
            String guess = ids.stream().filter(id -> id.toLowerCase(Locale.ROOT).endsWith("/" + s.toLowerCase(Locale.ROOT)))
                    .sorted().findFirst().orElse(Suggest.closest(s, ids).orElse(null));
            error(e.value(), e.path(), "unknown time zone '" + s + "'" + (guess == null ? "" : " (did you mean '" + guess + "'?)"),
                    "write an IANA zone id like Europe/Lisbon, or UTC");
            return null;
        }
    }

    /** An Instant (when the text has an offset or Z) or a LocalDateTime, or null after reporting. */
    private Object dateTime(Entry e) {
        String s = string(e);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(s);
            } catch (DateTimeParseException ex) {
                error(e.value(), e.path(), "'" + s + "' is not a date-time",
                        "write ISO-8601, e.g. \"2026-12-24T00:00\" (in the window's timezone) or \"2026-12-24T00:00Z\"");
                return null;
            }
        }
    }

    /** YAML node → JSON, keeping YAML's types (numbers stay numbers, so a pattern reads as EventBridge would). */
    private JsonNode toJson(Node node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof MappingNode m) {
            ObjectNode o = f.objectNode();
            for (NodeTuple t : m.getValue()) {
                o.set(((ScalarNode) t.getKeyNode()).getValue(), toJson(t.getValueNode()));
            }
            return o;
        }
        if (node instanceof SequenceNode s) {
            ArrayNode a = f.arrayNode();
            for (Node n : s.getValue()) {
                a.add(toJson(n));
            }
            return a;
        }
        ScalarNode s = (ScalarNode) node;
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return f.nullNode();
        }
        if (tag.equals(Tag.BOOL)) {
            return f.booleanNode(Boolean.parseBoolean(s.getValue()));
        }
        if (tag.equals(Tag.INT)) {
            return f.numberNode(new BigInteger(s.getValue()));
        }
        if (tag.equals(Tag.FLOAT)) {
            return f.numberNode(new BigDecimal(s.getValue()));
        }
        return f.textNode(s.getValue());
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    private static String kind(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        return isNull(n) ? "nothing" : "the value '" + ((ScalarNode) n).getValue() + "'";
    }

    private static String lastKey(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    private static int line(Node n) {
        return n.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    private void error(Node at, String path, String message, String hint) {
        Mark m = at.getStartMark().orElse(null);
        error(m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1, path, message, hint);
    }

    private void error(int line, int column, String path, String message, String hint) {
        errors.add(new CatalogError(file, line, column, path, message, hint));
    }

    private static Set<String> keys(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }
}
