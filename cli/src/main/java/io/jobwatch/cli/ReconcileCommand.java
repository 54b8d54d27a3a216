package io.jobwatch.cli;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.reconcile.ReconcileAction;
import io.jobwatch.core.reconcile.ReconcileReport;
import io.jobwatch.core.reconcile.ReconcileStats;
import io.jobwatch.core.reconcile.Reconciler;
import io.jobwatch.core.reconcile.RunSource;
import io.jobwatch.core.reconcile.Scope;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.reconcile.aws.AwsRunSources;
import io.jobwatch.reconcile.aws.KnownJobs;
import io.jobwatch.reconcile.aws.ListingBounds;
import io.jobwatch.reconcile.aws.MemberClients;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/** {@code jobwatch reconcile}: ask the services what ran and fill in the runs whose events never arrived. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"List recent runs through the services' own APIs (every source: see `jobwatch sources`) and apply"
                + " the runs the store is missing, or has in an earlier state, through the same path as ingest.",
            "Without --job, most services are listed whole; those the read-only role cannot list (`jobwatch sources`"
                + " says \"asks about named jobs only\": Glue crawlers, EMR Serverless applications, AppFlow flows …)"
                + " are asked about the jobs the catalog names (rules pinning source, account, region and jobName) and"
                + " the store knows.",
            "Accounts: --account, else the catalog's accounts. In each account the command acts through the read-only"
                + " role the member-account stack creates (" + MemberClients.DEFAULT_ROLE_NAME + ", with --external-id);"
                + " --no-assume-role uses your own credentials (same account, or a local stand-in).",
            "Prints one line per fix (add/advance), one line per account, region and service, then the totals.",
            "Exit code: 0 when every service answered, 1 when any could not be asked, 2 on bad options or no credentials."})
final class ReconcileCommand implements Callable<Integer> {
    /** The services an endpoint override may name. */
    static final class ServiceIds implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return MemberClients.SERVICES.iterator();
        }
    }

    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
    /** Environment variable that may carry the external id (kept out of shell history). */
    static final String EXTERNAL_ID_ENV = "JOBWATCH_RECONCILE_EXTERNAL_ID";

    @ParentCommand
    Jobwatch root;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--account", paramLabel = "A", description = "Account id to reconcile (repeatable). Default: the catalog's accounts.")
    List<String> accounts = new ArrayList<>();

    @Option(names = "--regions", paramLabel = "R", split = ",",
            description = "Regions to reconcile (comma-separated). Default: the SDK's region (AWS_REGION, profile).")
    List<String> regions = new ArrayList<>();

    @Option(names = "--source", paramLabel = "S", split = ",", completionCandidates = SourcesCommand.EventBridgeIds.class,
            description = "Services to ask (comma-separated): ${COMPLETION-CANDIDATES}. Default: all.")
    List<String> sources = new ArrayList<>();

    @Option(names = "--job", paramLabel = "NAME",
            description = "Ask only about these jobs (repeatable; as events name them). Default: every job the service lists.")
    List<String> jobs = new ArrayList<>();

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h", converter = DurationConverter.class,
            description = "Look at runs from this long ago. Default: ${DEFAULT-VALUE}.")
    Duration since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
            description = "At most this many runs per account, region and service. Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--dry-run", description = "Print what would be added or fixed; write nothing.")
    boolean dryRun;

    @Option(names = "--config", paramLabel = "FILE", description = "Catalog (default: ./jobwatch.yml if present).")
    String config;

    @Option(names = "--endpoint-override", paramLabel = "SERVICE=URL", completionCandidates = ServiceIds.class,
            description = "Send a service's calls elsewhere, e.g. glue=http://127.0.0.1:8089 (services:"
                    + " ${COMPLETION-CANDIDATES}).")
    Map<String, URI> endpointOverrides = new LinkedHashMap<>();

    @Option(names = "--profile", paramLabel = "NAME", description = "Credentials of this AWS profile. Default: the SDK's default chain.")
    String profile;

    @Option(names = "--credentials-file", paramLabel = "FILE",
            description = "Shared credentials file for --profile. Default: the SDK's (~/.aws/credentials).")
    Path credentialsFile;

    @Option(names = "--external-id", paramLabel = "ID",
            description = "External id the read-only role requires. Default: $" + EXTERNAL_ID_ENV + ".")
    String externalId;

    @Option(names = "--role-name", paramLabel = "NAME", defaultValue = MemberClients.DEFAULT_ROLE_NAME,
            description = "The read-only role in each account. Default: ${DEFAULT-VALUE}.")
    String roleName;

    @Option(names = "--no-assume-role", description = "Use your own credentials in every account instead of the read-only role.")
    boolean noAssumeRole;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to keep sending incident actions before exiting. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = root.spec.commandLine().getOut();
        PrintWriter err = root.spec.commandLine().getErr();
        Optional<Optional<Catalog>> catalog = CatalogFiles.loadUserCatalog(config, err);
        if (catalog.isEmpty()) {
            return 2;
        }
        Catalog c = catalog.get().orElse(null);
        List<Scope> scopes;
        MemberClients.Settings settings;
        try {
            scopes = scopes(c);
            settings = settings();
        } catch (IllegalArgumentException e) {
            err.println("reconcile: " + e.getMessage());
            err.flush();
            return 2;
        }
        Clock clock = Clock.systemUTC();
        Instant from = clock.instant().minus(since);
        ReconcileReport report;
        DrainReport sent = null;
        String target = null;
        long decided = 0;
        try (MemberClients clients = new MemberClients(settings); RunStore store = storeOptions.open(clock);
             io.jobwatch.core.incident.Incidents incidents = storeOptions.openIncidents(clock)) {
            List<RunSource> runSources = AwsRunSources.all(clients, ListingBounds.defaults(), knownJobs(c, store));
            io.jobwatch.core.incident.IncidentChannels channels = TeamChannels.of(c, root.env, storeOptions.dataDir(),
                    clock);
            IngestPipeline pipeline = new IngestPipeline(store, c == null ? null : () -> c,
                    new IncidentTracker(new IncidentPolicy(clock), incidents, incidents, clock, channels,
                            io.jobwatch.core.incident.IncidentTimes.of(store.rollups())));
            report = new Reconciler(store, pipeline, runSources, clock, c == null
                    ? io.jobwatch.core.source.IdentityOverride.NONE : Catalog.identities(() -> c))
                    .reconcile(scopes, from, limit, dryRun);
            if (!dryRun && !incidents.pending().isEmpty()) {
                IncidentSender sender = IncidentSender.of(incidents, channels, root.env, storeOptions.dataDir(), clock);
                target = sender.target();
                sent = sender.drain(timeout);
            }
        }
        print(report, c, out, err);
        if (sent != null) {
            err.printf("incidents: %s; %s%n", IncidentSender.describe(sent), target);
            err.flush();
        }
        return report.anyFailed() ? 1 : 0;
    }

    private List<Scope> scopes(Catalog catalog) {
        Set<String> accountIds = new LinkedHashSet<>(accounts);
        if (accountIds.isEmpty() && catalog != null) {
            accountIds.addAll(catalog.accounts().keySet());
        }
        if (accountIds.isEmpty()) {
            throw new IllegalArgumentException("no accounts: name them with --account A or list them under accounts in"
                    + " jobwatch.yml (--config FILE)");
        }
        for (String a : accountIds) {
            if (!ACCOUNT_ID.matcher(a).matches()) {
                throw new IllegalArgumentException("--account " + a + ": an AWS account id has 12 digits");
            }
        }
        List<String> regionNames = regions;
        if (regionNames.isEmpty()) {
            try {
                regionNames = List.of(new DefaultAwsRegionProviderChain().getRegion().id());
            } catch (SdkClientException e) {
                throw new IllegalArgumentException("no region: name them with --regions eu-west-1,… or set AWS_REGION");
            }
        }
        List<JobSource> chosen = new ArrayList<>();
        // Pings and OpenLineage events arrive over HTTP: there is no service to list their runs from.
        List<String> supported = io.jobwatch.core.source.Sources.eventBridge().stream().map(d -> d.source().id()).toList();
        for (String s : sources.isEmpty() ? supported : sources) {
            if (!supported.contains(s)) {
                throw new IllegalArgumentException("--source " + s + ": reconcile can ask " + String.join(", ", supported));
            }
            chosen.add(JobSource.byId(s).orElseThrow());
        }
        List<Scope> out = new ArrayList<>();
        for (String account : accountIds) {
            for (String region : regionNames) {
                for (JobSource source : chosen) {
                    out.add(new Scope(account, region, source, jobs));
                }
            }
        }
        return out;
    }

    /** The jobs to ask about where a service cannot be listed: the catalog's named jobs and the store's jobs. */
    static KnownJobs knownJobs(Catalog catalog, RunStore store) {
        return KnownJobs.of(Reconciler.knownJobs(store, catalog));
    }

    private MemberClients.Settings settings() {
        AwsCredentialsProvider credentials = credentials();
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("no AWS credentials found (" + firstLine(e.getMessage()) + "). Reconcile"
                    + " calls the services' list APIs: set AWS_PROFILE or --profile NAME, or AWS_ACCESS_KEY_ID and"
                    + " AWS_SECRET_ACCESS_KEY, or run where an instance/task role applies.");
        }
        String id = externalId != null ? externalId : root.env.get(EXTERNAL_ID_ENV);
        if (!noAssumeRole && (id == null || id.isBlank())) {
            throw new IllegalArgumentException("assuming " + roleName + " in each account needs its external id: pass"
                    + " --external-id ID or set " + EXTERNAL_ID_ENV + " (or --no-assume-role to use your own credentials)");
        }
        return new MemberClients.Settings(credentials, !noAssumeRole, roleName, noAssumeRole ? null : id, "aws",
                endpointOverrides, null);
    }

    private AwsCredentialsProvider credentials() {
        if (credentialsFile != null) {
            if (!Files.isRegularFile(credentialsFile)) {
                throw new IllegalArgumentException("--credentials-file " + credentialsFile + ": no such file");
            }
            ProfileFile file = ProfileFile.builder().content(credentialsFile).type(ProfileFile.Type.CREDENTIALS).build();
            return ProfileCredentialsProvider.builder().profileFile(file).profileName(profile != null ? profile : "default").build();
        }
        if (profile != null) {
            return ProfileCredentialsProvider.create(profile);
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private void print(ReconcileReport report, Catalog catalog, PrintWriter out, PrintWriter err) {
        out.println("reconcile: runs since " + report.since() + (report.dryRun() ? " (dry run: nothing written)" : ""));
        for (ReconcileAction a : report.actions()) {
            out.println((report.dryRun() ? "would " : "") + a.describe());
        }
        for (ReconcileStats s : report.stats()) {
            String where = s.source().id() + " " + s.account() + "/" + s.region();
            if (s.failed()) {
                out.flush();
                err.println(where + ": " + s.error());
                err.flush();
                continue;
            }
            out.printf("%s: %d seen, %d missing from events, %d advanced, %d unchanged%s%s%n", where, s.seen(),
                    s.missingFromEvents(), s.advanced(), s.unchanged(),
                    s.lag() == null ? "" : ", newest run ended " + human(s.lag()) + " ago",
                    s.truncated() ? ", listing cut at --limit" : "");
        }
        out.printf("total: %d seen, %d missing from events%s, %d advanced%s%n", report.seen(), report.missingFromEvents(),
                report.dryRun() ? " (would add)" : " (added)", report.advanced(), report.dryRun() ? " (would advance)" : "");
        for (Map.Entry<String, Integer> e : report.missingByAccount().entrySet()) {
            String system = catalog == null ? e.getKey() : catalog.systemOf(e.getKey()).orElse(e.getKey());
            out.println(ReconcileStats.digestSentence(e.getValue(), system));
        }
        out.flush();
    }

    static String human(Duration d) {
        long m = d.toMinutes();
        if (m < 60) {
            return Math.max(m, 0) + "m";
        }
        if (m < 48 * 60) {
            return m / 60 + "h" + (m % 60 == 0 ? "" : " " + m % 60 + "m");
        }
        return d.toDays() + "d";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
