package io.jobwatch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.reconcile.ReconcileAction;
import io.jobwatch.core.reconcile.ReconcilePlan;
import io.jobwatch.core.reconcile.ReconcileReport;
import io.jobwatch.core.reconcile.ReconcileStats;
import io.jobwatch.core.reconcile.Reconciler;
import io.jobwatch.core.reconcile.RunSource;
import io.jobwatch.core.reconcile.Scope;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.reconcile.aws.AwsRunSources;
import io.jobwatch.reconcile.aws.ListingBounds;
import io.jobwatch.store.dynamodb.DynamoCheckpoints;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Reconciliation on AWS (EventBridge Scheduler, every 10 minutes — the critical jobs' cadence —,
 * {@code {"task":"reconcile","scheduledTime":"<aws.scheduler.scheduled-time>"}}): asks the
 * services in each member account — through the read-only role the member-account stack creates, assumed with STS and
 * the external id — what ran, and applies the runs whose events never arrived, with the same {@link Reconciler} as
 * {@code jobwatch reconcile}.
 *
 * <p>Cadence: {@link ReconcilePlan#defaults()} — the catalog's critical jobs of each account/region/service every 10
 * minutes, every job hourly — over the jobs the store knows (job summaries, open runs), plus one "all jobs" scope per
 * member account (env list and catalog accounts) × region × service that no stored job covers yet, so an account whose
 * events never arrive at all is still asked. When each scope last ran is kept in the table
 * ({@code pk = CHECKPOINT#reconcile}); a scope whose service could not be asked is not marked, so the next pass asks
 * again. Each listing looks back twice its interval (overlap only costs reads: reconciling is idempotent).
 *
 * <p>Writes go through {@code IngestPipeline} exactly like the ingest handler: each run it adds or finishes is judged
 * at once (the catalog's incident rules); the actions it decides wait in the outbox for the periodic function, which
 * sends them within 5 minutes (this function holds no ServiceNow credentials). Prints two Embedded Metric Format lines
 * per pass: {@code Jobwatch/ReconcileFailedScopes} and {@code Jobwatch/ReconcileMissingRuns}.
 */
public final class ReconcileHandler implements RequestStreamHandler {
    /** Comma-separated member account ids (empty: the catalog's accounts and the accounts of stored jobs). */
    public static final String MEMBER_ACCOUNTS = "JOBWATCH_MEMBER_ACCOUNTS";
    /** Comma-separated regions (default: {@code AWS_REGION}). */
    public static final String REGIONS = "JOBWATCH_REGIONS";
    /** The read-only role in each member account (default {@code JobwatchReconcilerReadOnly}). */
    public static final String ROLE_NAME = "JOBWATCH_RECONCILE_ROLE_NAME";
    /** The sts:ExternalId the role's trust policy requires (required; not a secret). */
    public static final String EXTERNAL_ID = "JOBWATCH_RECONCILE_EXTERNAL_ID";
    /** At most this many runs per account, region and service per pass (default 1000). */
    public static final String LIMIT = "JOBWATCH_RECONCILE_LIMIT";
    /** Scopes asked at once (default 8): a pass waits on the services' APIs, not on the CPU. */
    public static final String CONCURRENCY = "JOBWATCH_RECONCILE_CONCURRENCY";
    public static final String METRIC_FAILED = "ReconcileFailedScopes";
    public static final String METRIC_MISSING = "ReconcileMissingRuns";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

    /**
     * @param accounts      member accounts to ask besides the catalog's (may be empty)
     * @param regions       regions to ask in (at least one)
     * @param roleName      read-only role name in each account
     * @param externalId    the role's external id
     * @param limitPerScope runs listed per account, region and service, at most
     * @param concurrency   scopes asked at once (1 = one after the other)
     */
    public record Settings(List<String> accounts, List<String> regions, String roleName, String externalId,
                           int limitPerScope, int concurrency) {
        public Settings {
            accounts = List.copyOf(accounts);
            regions = List.copyOf(regions);
            if (concurrency < 1) {
                throw new IllegalArgumentException(CONCURRENCY + " must be at least 1, was " + concurrency);
            }
        }

        /** One scope at a time. */
        public Settings(List<String> accounts, List<String> regions, String roleName, String externalId,
                        int limitPerScope) {
            this(accounts, regions, roleName, externalId, limitPerScope, 1);
        }

        /** @throws IllegalArgumentException naming the variable, what was expected and how to fix it */
        public static Settings from(Map<String, String> env) {
            List<String> accounts = list(env, MEMBER_ACCOUNTS);
            for (String a : accounts) {
                if (!ACCOUNT_ID.matcher(a).matches()) {
                    throw new IllegalArgumentException(MEMBER_ACCOUNTS + ": '" + a + "' is not an AWS account id (12"
                            + " digits); list the member accounts comma-separated");
                }
            }
            List<String> regions = list(env, REGIONS);
            if (regions.isEmpty()) {
                regions = list(env, Env.REGION);
            }
            if (regions.isEmpty()) {
                throw new IllegalArgumentException(REGIONS + " is not set (nor " + Env.REGION + "): list the regions"
                        + " the member stacks run in, comma-separated");
            }
            String externalId = value(env, EXTERNAL_ID).orElseThrow(() -> new IllegalArgumentException(EXTERNAL_ID
                    + " is not set: set it to the member stack's reconcileExternalId (the read-only role's trust"
                    + " policy requires it)"));
            int limit = 1000;
            Optional<String> l = value(env, LIMIT);
            if (l.isPresent()) {
                try {
                    limit = Integer.parseInt(l.get());
                } catch (NumberFormatException e) {
                    limit = 0;
                }
                if (limit < 1) {
                    throw new IllegalArgumentException(LIMIT + " must be a whole number ≥ 1, was '" + l.get() + "'");
                }
            }
            int concurrency = 8;
            Optional<String> c = value(env, CONCURRENCY);
            if (c.isPresent()) {
                try {
                    concurrency = Integer.parseInt(c.get());
                } catch (NumberFormatException e) {
                    concurrency = 0;
                }
                if (concurrency < 1 || concurrency > 64) {
                    throw new IllegalArgumentException(CONCURRENCY + " must be a whole number from 1 to 64, was '"
                            + c.get() + "'");
                }
            }
            return new Settings(accounts, regions,
                    value(env, ROLE_NAME).orElse(io.jobwatch.reconcile.aws.MemberClients.DEFAULT_ROLE_NAME), externalId,
                    limit, concurrency);
        }

        /** The ARN partition of the first region. */
        String partition() {
            String r = regions.get(0);
            return r.startsWith("cn-") ? "aws-cn" : r.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        }
    }

    /** What one pass did. */
    public record Report(List<Scope> scopes, List<ReconcileStats> stats, List<ReconcileAction> actions) {
        public int seen() {
            return stats.stream().mapToInt(ReconcileStats::seen).sum();
        }

        public int missingFromEvents() {
            return stats.stream().mapToInt(ReconcileStats::missingFromEvents).sum();
        }

        public int advanced() {
            return stats.stream().mapToInt(ReconcileStats::advanced).sum();
        }

        public List<ReconcileStats> failed() {
            return stats.stream().filter(ReconcileStats::failed).toList();
        }
    }

    private final RunStore store;
    private final Reconciler reconciler;
    private final Set<JobSource> sources;
    private final DynamoCheckpoints state;
    private final Catalog catalog;
    private final Settings settings;
    private final ReconcilePlan plan;
    private final Clock clock;
    private final PrintStream log;

    /** Lambda's constructor: environment, catalog and clients once per container. */
    public ReconcileHandler() {
        this(Init.fromEnvironment());
    }

    private ReconcileHandler(Init init) {
        this(init, Settings.from(init.variables()));
    }

    private ReconcileHandler(Init init, Settings settings) {
        this(init.env(), settings, init.catalog(), AwsClients.dynamo(init.env()),
                AwsRunSources.all(new io.jobwatch.reconcile.aws.MemberClients(
                        new io.jobwatch.reconcile.aws.MemberClients.Settings(AwsClients.credentials(), true,
                                settings.roleName(), settings.externalId(), settings.partition(), Map.of(), null)),
                        ListingBounds.defaults()),
                ReconcilePlan.defaults(), Clock.systemUTC(), System.out);
    }

    /** @param runSources the services to ask (reconcile-aws's {@code AwsRunSources.all}) */
    public ReconcileHandler(Env env, Settings settings, Catalog catalog, DynamoDbClient dynamo,
                            List<RunSource> runSources, ReconcilePlan plan, Clock clock, PrintStream log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.catalog = catalog;
        this.plan = Objects.requireNonNull(plan, "plan");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        this.store = new DynamoRunStore(dynamo, env.table(), clock, env.retention());
        io.jobwatch.store.dynamodb.DynamoIncidents incidents = new io.jobwatch.store.dynamodb.DynamoIncidents(dynamo,
                env.table(), clock, env.retention());
        this.reconciler = new Reconciler(store, new IngestPipeline(store, catalog == null ? null : () -> catalog,
                new io.jobwatch.core.incident.IncidentTracker(new io.jobwatch.core.incident.IncidentPolicy(clock),
                        incidents, incidents, clock, catalog == null ? io.jobwatch.core.incident.IncidentChannels.NONE
                        // The actions of the runs it adds go to the teams' channels too: the tracker only names
                        // their destinations (no secret is read here); the periodic pass sends them.
                        : ChannelSecrets.router(catalog, java.util.Map.of(), id -> {
                            throw new IllegalStateException("the reconciler sends nothing");
                        }, clock), io.jobwatch.core.incident.IncidentTimes.of(store.rollups()))), runSources, clock,
                catalog == null ? io.jobwatch.core.source.IdentityOverride.NONE : Catalog.identities(() -> catalog));
        this.state = new DynamoCheckpoints(dynamo, env.table());
        this.sources = EnumSet.noneOf(JobSource.class);
        runSources.forEach(s -> sources.add(s.source()));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Report r = run(scheduledTime(input.readAllBytes()));
        try (JsonGenerator g = JSON.getFactory().createGenerator(output)) {
            g.writeStartObject();
            g.writeNumberField("scopes", r.scopes().size());
            g.writeNumberField("seen", r.seen());
            g.writeNumberField("missingFromEvents", r.missingFromEvents());
            g.writeNumberField("advanced", r.advanced());
            g.writeArrayFieldStart("failed");
            for (ReconcileStats s : r.failed()) {
                g.writeStartObject();
                g.writeStringField("source", s.source().id());
                g.writeStringField("account", s.account());
                g.writeStringField("region", s.region());
                g.writeStringField("error", s.error());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /**
     * The schedule's slot from the input ({@code {"task":"reconcile","scheduledTime":"<aws.scheduler.scheduled-time>"}},
     * which EventBridge Scheduler fills in), else now. Planning on the slot rather than the arrival time keeps a
     * {@code rate(10 minutes)} schedule and the 10-minute critical cadence in step: an invocation that arrives a
     * second early must not find the critical scopes not yet due and leave them for 20 minutes. A slot more than the
     * plan's longest interval away from the clock (a replayed or hand-written input) is ignored.
     */
    Instant scheduledTime(byte[] input) {
        Instant now = clock.instant();
        try {
            com.fasterxml.jackson.databind.JsonNode slot = JsonTree.parse(new String(input,
                    java.nio.charset.StandardCharsets.UTF_8)).path("scheduledTime");
            if (slot.isTextual()) {
                Instant at = Instant.parse(slot.asText());
                Duration off = Duration.between(at, now).abs();
                if (off.compareTo(plan.othersEvery()) <= 0) {
                    return at;
                }
                log.println("reconcile: scheduledTime " + at + " is " + off + " from now: planning on now");
            }
        } catch (IOException | RuntimeException notJsonOrNoTime) {
            // {"task":"reconcile"} without a slot, an empty test input, or a manual run: plan on now.
        }
        return now;
    }

    /** One pass at the clock's time: the due scopes, critical ones first. */
    public Report run() {
        return run(clock.instant());
    }

    /** One pass planned at {@code now} (the schedule's slot): the due scopes, critical ones first. */
    public Report run(Instant now) {
        Set<JobKey> known = knownJobs();
        List<Scope> candidates = new ArrayList<>(plan.due(now, Map.of(), catalog, known));
        List<Scope> unseen = unseenAccounts(known);
        candidates.addAll(unseen);
        Map<String, Instant> last = state.all(DynamoCheckpoints.RECONCILE);
        Map<Scope, Instant> lastRun = new HashMap<>();
        for (Scope s : candidates) {
            Instant at = last.get(key(s));
            if (at != null) {
                lastRun.put(s, at);
            }
        }
        List<Scope> due = new ArrayList<>(plan.due(now, lastRun, catalog, known));
        for (Scope s : unseen) {
            Instant at = lastRun.get(s);
            if (at == null || !now.isBefore(at.plus(plan.othersEvery()))) {
                due.add(s);
            }
        }
        List<Scope> critical = due.stream().filter(s -> !s.allJobs()).toList();
        List<Scope> all = due.stream().filter(Scope::allJobs).toList();
        List<ReconcileStats> stats = new ArrayList<>();
        List<ReconcileAction> actions = new ArrayList<>();
        pass(critical, now.minus(plan.criticalEvery().multipliedBy(2)), stats, actions, now, known);
        pass(all, now.minus(plan.othersEvery().multipliedBy(2)), stats, actions, now, known);
        Report report = new Report(due, stats, actions);
        // One sentence per account over both passes (the digest's "check the forwarding rule").
        ReconcileReport total = new ReconcileReport(now, now, false, stats, actions);
        for (Map.Entry<String, Integer> e : total.missingByAccount().entrySet()) {
            String system = catalog == null ? e.getKey() : catalog.systemOf(e.getKey()).orElse(e.getKey());
            log.println("reconcile: " + ReconcileStats.digestSentence(e.getValue(), system));
        }
        log.println(EmbeddedMetric.line(METRIC_FAILED, "Count", report.failed().size(), now));
        log.println(EmbeddedMetric.line(METRIC_MISSING, "Count", report.missingFromEvents(), now));
        log.println("reconcile: " + due.size() + " scopes due (" + critical.size() + " critical), " + report.seen()
                + " runs seen, " + report.missingFromEvents() + " missing from events (added), " + report.advanced()
                + " advanced, " + report.failed().size() + " scopes failed");
        return report;
    }

    private void pass(List<Scope> scopes, Instant since, List<ReconcileStats> stats, List<ReconcileAction> actions,
                      Instant now, Set<JobKey> known) {
        if (scopes.isEmpty()) {
            return;
        }
        List<Scope> asked = scopes.stream().map(s -> named(s, known)).toList();
        ReconcileReport r = reconcileConcurrently(asked, since);
        for (ReconcileAction a : r.actions()) {
            log.println("reconcile: " + a.describe());
        }
        for (int i = 0; i < scopes.size(); i++) {
            ReconcileStats s = r.stats().get(i);
            if (s.failed()) {
                log.println("reconcile: " + scopes.get(i).describe() + " could not be asked: " + s.error());
            } else {
                state.put(DynamoCheckpoints.RECONCILE, key(scopes.get(i)), now);
            }
        }
        stats.addAll(r.stats());
        actions.addAll(r.actions());
    }

    /**
     * The scopes, up to {@link Settings#concurrency()} at once: a pass is mostly waiting on the services' listing
     * calls (one per job for most services), and Lambda bills the wait — asking eight scopes at once makes the pass,
     * and its bill, up to eight times shorter, and keeps a large estate's hourly pass inside the function's timeout.
     * Each scope is its own {@link Reconciler#reconcile} (its own listing, reads and writes; a failing one does not
     * stop the others); the report keeps the scopes' order.
     */
    private ReconcileReport reconcileConcurrently(List<Scope> asked, Instant since) {
        int threads = Math.min(settings.concurrency(), asked.size());
        if (threads <= 1) {
            return reconciler.reconcile(asked, since, settings.limitPerScope(), false);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "reconcile");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<ReconcileReport>> parts = new ArrayList<>();
            for (Scope scope : asked) {
                parts.add(pool.submit(() -> reconciler.reconcile(List.of(scope), since, settings.limitPerScope(),
                        false)));
            }
            List<ReconcileStats> stats = new ArrayList<>();
            List<ReconcileAction> actions = new ArrayList<>();
            Instant at = null;
            for (java.util.concurrent.Future<ReconcileReport> part : parts) {
                ReconcileReport r = part.get();
                at = at == null ? r.at() : at;
                stats.addAll(r.stats());
                actions.addAll(r.actions());
            }
            return new ReconcileReport(at, since, false, stats, actions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("reconcile pass interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A scope of all jobs of a service that cannot be listed ({@link AwsRunSources#namedJobsOnly}: Glue crawlers, EMR
     * Serverless, AppFlow …) as the known jobs it covers; any other scope as it is. The state item stays
     * the original scope's.
     */
    private static Scope named(Scope s, Set<JobKey> known) {
        if (!s.allJobs() || !AwsRunSources.namedJobsOnly(s.source())) {
            return s;
        }
        TreeSet<String> names = new TreeSet<>();
        for (JobKey j : known) {
            if (j.source() == s.source() && j.account().equals(s.account()) && j.region().equals(s.region())) {
                names.add(j.jobName());
            }
        }
        return names.isEmpty() ? s : new Scope(s.account(), s.region(), s.source(), List.copyOf(names));
    }

    /**
     * The catalog's named jobs and the store's jobs (summaries and open runs) of the services asked, in the accounts
     * asked.
     */
    private Set<JobKey> knownJobs() {
        Set<JobKey> out = Reconciler.knownJobs(store, catalog);
        Set<String> accounts = explicitAccounts();
        out.removeIf(j -> !sources.contains(j.source()) || (!settings.accounts().isEmpty()
                && !accounts.contains(j.account())));
        return out;
    }

    /**
     * An "all jobs" scope per member account × region × service that no known job covers — except the services that
     * cannot be listed: with no job to name there is nothing to ask them (it would fail every hour).
     */
    private List<Scope> unseenAccounts(Set<JobKey> known) {
        Set<String> covered = new LinkedHashSet<>();
        known.forEach(j -> covered.add(j.account() + "/" + j.region() + "/" + j.source().id()));
        List<Scope> out = new ArrayList<>();
        for (String account : explicitAccounts()) {
            for (String region : settings.regions()) {
                for (JobSource source : sources) {
                    if (!AwsRunSources.namedJobsOnly(source)
                            && !covered.contains(account + "/" + region + "/" + source.id())) {
                        out.add(Scope.all(account, region, source));
                    }
                }
            }
        }
        return out;
    }

    private Set<String> explicitAccounts() {
        Set<String> out = new LinkedHashSet<>(settings.accounts());
        if (catalog != null) {
            out.addAll(catalog.accounts().keySet());
        }
        return out;
    }

    /** The state item of a scope: its service, account, region and whether it is the critical-jobs scope. */
    static String key(Scope s) {
        return "SCOPE#" + s.source().id() + "#" + s.account() + "#" + s.region() + "#" + (s.allJobs() ? "all" : "critical");
    }

    private static List<String> list(Map<String, String> env, String name) {
        return value(env, name).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .distinct().toList()).orElse(List.of());
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }
}
