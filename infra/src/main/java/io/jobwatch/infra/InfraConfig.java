package io.jobwatch.infra;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The deployment's parameters, read from CDK context ({@code cdk.json}, {@code -c key=value} or
 * {@code jobwatch aws synth --context key=value}) and validated once, with errors that name the key and the fix.
 * Defaults marked "example" let the app synthesize without any context; {@link #exampleValuesUsed()} lists them so
 * the stacks can warn before such a template is deployed.
 */
public record InfraConfig(
        String orgId,
        List<String> memberAccounts,
        String centralAccount,
        String centralRegion,
        List<String> regions,
        String sesFrom,
        String sesIdentity,
        List<String> digestEmails,
        String alarmEmail,
        String servicenowInstance,
        String servicenowSecretName,
        String reconcileExternalId,
        IngestMode ingestMode,
        String digestSchedule,
        String periodicSchedule,
        String exportSchedule,
        String reconcileSchedule,
        String scheduleTimezone,
        int retentionDays,
        int logRetentionDays,
        int exportRetentionDays,
        int reconcileMemoryMb,
        long athenaBytesScannedLimit,
        String lambdaJar,
        String catalog,
        String httpKeysSecretName,
        int httpRateLimit,
        int httpBurstLimit,
        List<String> exampleValuesUsed) {

    /**
     * How events reach the ingest function. {@code direct}: the EventBridge rule invokes it (asynchronously: Lambda's
     * retries, maximum event age, on-failure destination) — no queue, no pollers, the cheaper choice until the
     * break-even volume {@code jobwatch cost} prints. {@code queue}: rule → SQS → event source mapping (batches of
     * 10, concurrency capped at 5) — for large estates and bursts that must not scale the function out.
     */
    public enum IngestMode {
        DIRECT, QUEUE;

        /** The context value: {@code direct} or {@code queue}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Keys of earlier versions, with what replaced them (given one, synthesis stops with this advice). */
    static final Map<String, String> REPLACED_KEYS = Map.of(
            "slaSchedule", "periodicSchedule (one function runs the SLA checks and the incident pass)",
            "outboxSchedule", "periodicSchedule (one function runs the SLA checks and the incident pass)");

    /** Every context key the app reads, with its default ("" = none). */
    public static final Map<String, String> DEFAULTS = defaults();

    /** Keys whose default is only an example: deploying with it would watch nobody or mail example.com. */
    static final Set<String> EXAMPLE_KEYS = Set.of("orgId", "centralAccount", "sesFrom", "servicenowInstance",
            "reconcileExternalId");

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("orgId", "o-exampleorgid");
        d.put("memberAccounts", "");
        d.put("centralAccount", "111122223333");
        d.put("centralRegion", "us-east-1");
        d.put("regions", "");
        d.put("sesFrom", "jobwatch@example.com");
        d.put("sesIdentity", "");
        d.put("digestEmails", "");
        d.put("alarmEmail", "");
        d.put("servicenowInstance", "https://example.service-now.com");
        d.put("servicenowSecretName", "jobwatch/servicenow");
        d.put("reconcileExternalId", "jobwatch-example-external-id");
        d.put("ingestMode", "direct");
        d.put("digestSchedule", "cron(0 * * * ? *)"); // hourly: the handler sends each team at its own local times
        d.put("periodicSchedule", "rate(5 minutes)"); // SLA checks + incident decisions and the outbox drain
        d.put("exportSchedule", "cron(0 3 * * ? *)"); // daily: each day is exported the day after it ends
        d.put("reconcileSchedule", "rate(10 minutes)"); // the critical jobs' cadence (ReconcilePlan.defaults())
        d.put("scheduleTimezone", "UTC");
        d.put("retentionDays", "7");
        d.put("logRetentionDays", "30");
        d.put("exportRetentionDays", "730");
        // The hourly pass over the seed's estate peaks at ~160 MB (jobwatch bench lambda-reconcile); its CPU-bound part
        // grows with the jobs (~2.5 ms per listing call, ~1.1 calls per job): raise it for large estates.
        d.put("reconcileMemoryMb", "256");
        d.put("athenaBytesScannedLimit", "10737418240");
        d.put("lambdaJar", "");
        d.put("catalog", "");
        // The HTTP endpoint for pings and OpenLineage: the secret holding its keys (created by you, like the ServiceNow
        // one), and the stage's throttle (requests per second, steady and burst).
        d.put("httpKeysSecretName", "jobwatch/http-keys");
        d.put("httpRateLimit", "50");
        d.put("httpBurstLimit", "100");
        return java.util.Collections.unmodifiableMap(d);
    }

    private static final Pattern ORG_ID = Pattern.compile("o-[a-z0-9]{10,32}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern SCHEDULE = Pattern.compile("(cron|rate)\\(.+\\)");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    /** The retention periods CloudWatch Logs accepts. */
    static final Set<Integer> LOG_RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
            731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    /**
     * Reads and validates the configuration. {@code context} returns the raw context value for a key or null; values
     * may be strings (lists comma-separated) or, from cdk.json, JSON lists and numbers.
     */
    public static InfraConfig from(Function<String, Object> context) {
        for (Map.Entry<String, String> replaced : new java.util.TreeMap<>(REPLACED_KEYS).entrySet()) {
            if (context.apply(replaced.getKey()) != null) {
                throw bad(replaced.getKey(), "no such key any more", text(context.apply(replaced.getKey())),
                        "use " + replaced.getValue());
            }
        }
        Map<String, String> v = new LinkedHashMap<>();
        List<String> examples = new ArrayList<>();
        for (Map.Entry<String, String> e : defaults().entrySet()) {
            String raw = text(context.apply(e.getKey()));
            if (raw == null) {
                raw = e.getValue();
                if (EXAMPLE_KEYS.contains(e.getKey())) {
                    examples.add(e.getKey());
                }
            }
            v.put(e.getKey(), raw.trim());
        }
        List<String> members = list(v.get("memberAccounts"));
        String orgId = v.get("orgId");
        if (context.apply("orgId") == null && !members.isEmpty()) {
            // An explicit account list alone must not also trust the example Organization.
            orgId = "";
            examples.remove("orgId");
        }
        if (orgId.isEmpty() && members.isEmpty()) {
            throw bad("orgId/memberAccounts", "an Organization id or at least one member account", "neither",
                    "pass --context orgId=o-… or --context memberAccounts=123456789012,…");
        }
        if (!orgId.isEmpty() && !ORG_ID.matcher(orgId).matches()) {
            throw bad("orgId", "o- followed by 10 to 32 lowercase letters or digits", orgId,
                    "copy it from AWS Organizations → Settings, or pass orgId= (empty) with memberAccounts");
        }
        for (String a : members) {
            requireMatch("memberAccounts", ACCOUNT, a, "a 12-digit account id", "separate ids with commas");
        }
        String central = requireMatch("centralAccount", ACCOUNT, v.get("centralAccount"), "a 12-digit account id",
                "the account that runs the JobwatchCentral stack");
        String centralRegion = requireMatch("centralRegion", REGION, v.get("centralRegion"), "a region such as eu-west-1",
                "the region of the JobwatchCentral stack");
        List<String> regions = list(v.get("regions"));
        if (regions.isEmpty()) {
            regions = List.of(centralRegion);
        }
        for (String r : regions) {
            requireMatch("regions", REGION, r, "a region such as eu-west-1", "separate regions with commas");
        }
        String from = requireMatch("sesFrom", EMAIL, v.get("sesFrom"), "an e-mail address",
                "an address of an SES-verified identity");
        String identity = v.get("sesIdentity").isEmpty() ? from.substring(from.indexOf('@') + 1) : v.get("sesIdentity");
        List<String> digestEmails = list(v.get("digestEmails"));
        for (String e : digestEmails) {
            requireMatch("digestEmails", EMAIL, e, "e-mail addresses", "separate addresses with commas");
        }
        String alarmEmail = v.get("alarmEmail");
        if (!alarmEmail.isEmpty()) {
            requireMatch("alarmEmail", EMAIL, alarmEmail, "an e-mail address", "or leave it empty");
        }
        String instance = v.get("servicenowInstance");
        if (!instance.startsWith("https://")) {
            throw bad("servicenowInstance", "an https:// URL", instance, "e.g. https://yourcompany.service-now.com");
        }
        if (v.get("servicenowSecretName").isEmpty()) {
            throw bad("servicenowSecretName", "a Secrets Manager secret name", "nothing", "e.g. jobwatch/servicenow");
        }
        requireMatch("reconcileExternalId", EXTERNAL_ID, v.get("reconcileExternalId"),
                "2–1224 characters of letters, digits and +=,.@:/-", "use a random string shared by both stacks");
        IngestMode mode = switch (v.get("ingestMode").toLowerCase(java.util.Locale.ROOT)) {
            case "direct" -> IngestMode.DIRECT;
            case "queue" -> IngestMode.QUEUE;
            default -> throw bad("ingestMode", "direct or queue", v.get("ingestMode").isEmpty() ? "nothing"
                    : v.get("ingestMode"), "direct: the rule invokes the ingest function (small and medium estates);"
                    + " queue: through SQS (large estates, see jobwatch cost for the break-even volume)");
        };
        for (String key : List.of("digestSchedule", "periodicSchedule", "exportSchedule", "reconcileSchedule")) {
            requireMatch(key, SCHEDULE, v.get(key), "cron(…) or rate(…) in EventBridge Scheduler syntax",
                    "e.g. rate(5 minutes) or cron(0 6 * * ? *)");
        }
        int retention = positive(v, "retentionDays");
        int logRetention = positive(v, "logRetentionDays");
        if (!LOG_RETENTION_DAYS.contains(logRetention)) {
            throw bad("logRetentionDays", "one of " + new TreeSet<>(LOG_RETENTION_DAYS), String.valueOf(logRetention),
                    "CloudWatch Logs accepts only these periods");
        }
        int exportRetention = positive(v, "exportRetentionDays");
        long reconcileMemory = parseLong(v, "reconcileMemoryMb");
        if (reconcileMemory < 128 || reconcileMemory > 10240) {
            throw bad("reconcileMemoryMb", "a Lambda memory size from 128 to 10240 MB", v.get("reconcileMemoryMb"),
                    "256 fits the seed's ~500 jobs up to ~10×; 1769 is one full vCPU for large estates");
        }
        long bytesLimit = parseLong(v, "athenaBytesScannedLimit");
        if (bytesLimit < 10L * 1024 * 1024) {
            throw bad("athenaBytesScannedLimit", "at least 10485760 bytes (10 MB, Athena's minimum)",
                    String.valueOf(bytesLimit), "e.g. 10737418240 for 10 GB");
        }
        if (v.get("httpKeysSecretName").isEmpty()) {
            throw bad("httpKeysSecretName", "a Secrets Manager secret name", "nothing", "e.g. jobwatch/http-keys");
        }
        long rate = parseLong(v, "httpRateLimit");
        long burst = parseLong(v, "httpBurstLimit");
        if (rate < 1 || rate > 10_000) {
            throw bad("httpRateLimit", "requests per second from 1 to 10000", v.get("httpRateLimit"), "e.g. 50");
        }
        if (burst < rate || burst > 5_000) {
            throw bad("httpBurstLimit", "a burst from httpRateLimit (" + rate + ") to 5000", v.get("httpBurstLimit"),
                    "e.g. 100");
        }
        return new InfraConfig(orgId, members, central, centralRegion, regions, from, identity, digestEmails,
                alarmEmail, instance, v.get("servicenowSecretName"), v.get("reconcileExternalId"), mode,
                v.get("digestSchedule"), v.get("periodicSchedule"), v.get("exportSchedule"),
                v.get("reconcileSchedule"), v.get("scheduleTimezone"), retention, logRetention, exportRetention,
                (int) reconcileMemory, bytesLimit, v.get("lambdaJar"), v.get("catalog"), v.get("httpKeysSecretName"),
                (int) rate, (int) burst, List.copyOf(examples));
    }

    /** True when member accounts are trusted through the Organization rather than an explicit list. */
    public boolean usesOrganization() {
        return memberAccounts.isEmpty();
    }

    private static String text(Object raw) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof List<?> l) {
            return String.join(",", l.stream().map(String::valueOf).toList());
        }
        return String.valueOf(raw);
    }

    private static List<String> list(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static String requireMatch(String key, Pattern p, String value, String expected, String fix) {
        if (!p.matcher(value).matches()) {
            throw bad(key, expected, value.isEmpty() ? "nothing" : value, fix);
        }
        return value;
    }

    private static int positive(Map<String, String> v, String key) {
        long n = parseLong(v, key);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw bad(key, "a positive number of days", v.get(key), "e.g. " + DEFAULTS.get(key));
        }
        return (int) n;
    }

    private static long parseLong(Map<String, String> v, String key) {
        try {
            return Long.parseLong(v.get(key));
        } catch (NumberFormatException e) {
            throw bad(key, "a whole number", v.get(key).isEmpty() ? "nothing" : v.get(key), "e.g. " + DEFAULTS.get(key));
        }
    }

    private static IllegalArgumentException bad(String key, String expected, String found, String fix) {
        return new IllegalArgumentException("context " + key + ": expected " + expected + ", found '" + found + "' ("
                + fix + ")");
    }
}
