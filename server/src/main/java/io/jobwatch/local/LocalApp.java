package io.jobwatch.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogError;
import io.jobwatch.core.catalog.CatalogHolder;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelRegistry;
import io.jobwatch.core.channel.DigestSender;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.inbound.Inbound;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.lineage.LineageEvents;
import io.jobwatch.core.lineage.LineageSchema;
import io.jobwatch.core.ping.PingKeys;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.notify.AwsSetup;
import io.jobwatch.notify.StandardChannels;
import io.jobwatch.store.sqlite.SqliteIncidents;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import io.jobwatch.core.store.Rollups;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code jobwatch serve} as one object: the SQLite store (runs, incidents, outbox in one file), the ingest pipeline,
 * the HTTP server (ingest, JSON API, dashboard, health, metrics), and the scheduler (outbox, SLA, digests, export,
 * catalog hot reload). {@link #start} opens everything; {@link #close} stops gracefully and closes the store.
 */
public final class LocalApp implements AutoCloseable {
    /** The alert latency histogram on {@code /metrics} (seconds). */
    public static final String ALERT_LATENCY = "jobwatch_alert_latency_seconds";
    /** Its buckets: sub-second to the AWS alarm's minute and beyond. */
    static final double[] ALERT_LATENCY_BUCKETS = {0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900};
    /** How the server runs; {@link #defaults(Path)} then adjust. */
    public static final class Options {
        Path db;
        Path catalogFile;
        Catalog catalog;
        String bind = "127.0.0.1";
        int port = 8080;
        Duration retention = RunStore.DEFAULT_RETENTION;
        Map<String, String> env = Map.of();
        Clock clock = Clock.systemUTC();
        /** Null: the standard hooks (SLA checks, digests, daily export) over this app's store. */
        LocalHooks hooks;
        int maxBodyBytes = 1024 * 1024;
        int threads = 8;
        Duration tick = Duration.ofMinutes(1);
        Duration catalogPoll = Duration.ofSeconds(2);
        Duration grace = Duration.ofSeconds(5);
        boolean scheduler = true;
        Consumer<String> log = s -> { };
        String publicUrl;
        Supplier<String> ids = () -> java.util.UUID.randomUUID().toString();

        private Options(Path db) {
            this.db = Objects.requireNonNull(db, "db");
        }

        /** Catalog file to load and watch for changes (hot reload). */
        public Options catalogFile(Path f) {
            this.catalogFile = f;
            return this;
        }

        /** A fixed catalog (not watched), e.g. the built-in example for the demo; ignored when a file is given. */
        public Options catalog(Catalog c) {
            this.catalog = c;
            return this;
        }

        public Options bind(String host, int p) {
            this.bind = host;
            this.port = p;
            return this;
        }

        public Options retention(Duration d) {
            this.retention = d;
            return this;
        }

        /** Environment: JOBWATCH_API_KEY, SERVICENOW_*, JOBWATCH_SMTP_*. */
        public Options env(Map<String, String> e) {
            this.env = Map.copyOf(e);
            return this;
        }

        public Options clock(Clock c) {
            this.clock = c;
            return this;
        }

        public Options hooks(LocalHooks h) {
            this.hooks = h;
            return this;
        }

        public Options maxBodyBytes(int n) {
            this.maxBodyBytes = n;
            return this;
        }

        public Options threads(int n) {
            this.threads = n;
            return this;
        }

        /** Whether the periodic work runs (tests and benchmarks turn it off and call {@link LocalApp#work()}). */
        public Options scheduler(boolean on) {
            this.scheduler = on;
            return this;
        }

        public Options log(Consumer<String> l) {
            this.log = l;
            return this;
        }

        /**
         * Where people and scripts reach this server (e.g. {@code https://jobwatch.example.com} behind a TLS proxy):
         * the dashboard's ping lines use it, and an https URL makes the session cookie Secure. Null: the request's Host.
         */
        public Options publicUrl(String url) {
            this.publicUrl = url == null || url.isBlank() ? null : url.strip().replaceAll("/+$", "");
            return this;
        }

        /** New ids for pings (a request carries none); tests make them predictable. */
        public Options ids(Supplier<String> s) {
            this.ids = s;
            return this;
        }
    }

    public static Options defaults(Path db) {
        return new Options(db);
    }

    private final SqliteRunStore store;
    private final SqliteIncidents incidents;
    /** Raised SLA breaches, kept beside the runs so a restart does not raise them again. */
    private final io.jobwatch.store.sqlite.SqliteBreaches breaches;
    private final ApiKey key;
    private final Metrics metrics;
    private final OutboxDrain drain;
    private final io.jobwatch.store.sqlite.SqliteDeliveryLog deliveries;
    private final ChannelRegistry channels;
    private final ScheduledWork work;
    private final EventsIngest ingest;
    private final Scheduler scheduler;
    private final LocalServer server;
    private final CatalogWatcher watcher;
    private final Supplier<Catalog> catalog;
    private final io.jobwatch.core.channel.ChannelRouter teamChannels;
    private final Options options;
    private final ApiKey readKey;
    private final io.jobwatch.store.sqlite.SqliteRunDetails details;
    private final ReadAccess access;
    /** The ping keys of the catalog in force, resolved again when the catalog changes. */
    private final java.util.concurrent.atomic.AtomicReference<Map.Entry<Catalog, PingKeys>> pingKeys =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private LocalApp(Options o) throws IOException {
        this.options = o;
        Path dataDir = o.db.toAbsolutePath().getParent();
        CatalogHolder holder = null;
        String catalogText = null;
        if (o.catalogFile != null) {
            catalogText = Files.readString(o.catalogFile, StandardCharsets.UTF_8);
            CatalogResult loaded = CatalogLoader.load(o.catalogFile.toString(), catalogText);
            if (loaded instanceof CatalogResult.Invalid invalid) {
                StringBuilder sb = new StringBuilder(o.catalogFile + ": invalid catalog");
                for (CatalogError e : invalid.errors()) {
                    sb.append("\n").append(e);
                }
                throw new IllegalArgumentException(sb.toString());
            }
            holder = new CatalogHolder(((CatalogResult.Loaded) loaded).catalog());
        }
        CatalogHolder h = holder;
        Catalog fixed = o.catalog;
        this.catalog = h != null ? h::current : () -> fixed;
        this.key = ApiKey.load(o.env, dataDir.resolve("jobwatch.api-key"));
        boolean beyondLoopback = !new InetSocketAddress(o.bind, 0).getAddress().isLoopbackAddress();
        // The read key exists only where reading needs one: beyond loopback.
        this.readKey = beyondLoopback ? ApiKey.load(o.env, dataDir.resolve("jobwatch.read-key"), ApiKey.READ_ENV) : null;
        this.metrics = new Metrics();
        this.store = new SqliteRunStore(o.db, o.clock, o.retention, SqliteRunStore.DEFAULT_BUSY_TIMEOUT,
                Optional.ofNullable(this.catalog.get()).map(c -> c.retention().rollups()).orElse(Rollups.DEFAULT_RETENTION));
        SqliteIncidents inc;
        try {
            inc = new SqliteIncidents(o.db);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        this.incidents = inc;
        this.breaches = new io.jobwatch.store.sqlite.SqliteBreaches(o.db);
        this.deliveries = new io.jobwatch.store.sqlite.SqliteDeliveryLog(o.db);
        this.details = new io.jobwatch.store.sqlite.SqliteRunDetails(o.db);
        try {
            // Incident actions also go to the teams' channels ("${NAME}" settings from the environment; a dry run
            // into channels-dry-run.jsonl when JOBWATCH_CHANNELS_DRY_RUN=true), following catalog reloads.
            io.jobwatch.core.channel.ChannelRouter teamChannels = new io.jobwatch.core.channel.ChannelRouter(catalog,
                    StandardChannels.registry(AwsSetup.defaults()), ChannelContext.local(o.env, o.clock, dataDir));
            this.teamChannels = teamChannels;
            // Alert latency: from a POST's arrival to its actions' first request (the histogram on /metrics).
            io.jobwatch.core.incident.AlertLatency alertLatency = new io.jobwatch.core.incident.AlertLatency();
            metrics.histogram(ALERT_LATENCY, ALERT_LATENCY_BUCKETS);
            this.drain = OutboxDrain.of(o.env, dataDir, teamChannels, incidents, incidents, o.clock,
                    (entry, at) -> metrics.observe(ALERT_LATENCY,
                            alertLatency.firstRequest(entry, at).latency().toNanos() / 1e9));
            // The channel registry's one rule; the server adds its HTML files as the fallback. Its scheduler retries
            // failed deliveries at the next tick, so a delivery does not wait between attempts inside a tick.
            this.channels = StandardChannels.registry(AwsSetup.defaults(), HtmlFileChannel.FACTORY,
                    HtmlFileChannel.fallback(dataDir));
            DigestSender sender = new DigestSender(channels, ChannelContext.local(o.env, o.clock, dataDir), d -> { },
                    deliveries);
            IncidentTracker tracker = new IncidentTracker(new IncidentPolicy(o.clock), incidents, incidents, o.clock,
                    teamChannels, io.jobwatch.core.incident.IncidentTimes.of(store.rollups()));
            LocalHooks hooks = o.hooks != null ? o.hooks
                    : StandardHooks.of(store, incidents, breaches, tracker, deliveries, dataDir, o.clock);
            this.work = new ScheduledWork(catalog, hooks, drain, sender, metrics, o.log, o.clock.instant());
            IngestPipeline pipeline = new IngestPipeline(store, catalog, tracker);
            ObjectMapper mapper = new ObjectMapper();
            this.ingest = new EventsIngest(store, pipeline, metrics, mapper, o.clock, alertLatency,
                    io.jobwatch.core.catalog.Catalog.identities(catalog));
            this.scheduler = new Scheduler(o.clock, o.log);
            this.watcher = h == null ? null : new CatalogWatcher(o.catalogFile, catalogText, h, metrics, o.log);
            LocalView view = new LocalView(store, incidents, incidents, catalog, work, o.clock, details, this::pingKeys,
                    o.publicUrl);
            this.access = new ReadAccess(beyondLoopback, readKey != null ? readKey : key, key, o.clock,
                    o.publicUrl != null && o.publicUrl.startsWith("https://"));
            // Right after a request decided actions, its incidents' actions are sent (OutboxProcessor.sendDue).
            java.util.function.Consumer<java.util.Set<String>> afterIncidentActions = decided -> {
                if (o.scheduler) {
                    scheduler.soon("outbox", now -> work.sendNow(decided));
                }
            };
            Inbound inbound = Inbound.of(new Inbound.Ports(this::pingKeys, key::accepts, events -> {
                IngestPipeline.Result r = ingest.write(events);
                if (r.actions() > 0) {
                    afterIncidentActions.accept(r.incidentsWithActions());
                }
                return r;
            }, store, details, new LineageEvents(new LineageSchema(), mapper, o.clock, o.maxBodyBytes), store::park,
                    o.clock, o.ids, o.retention, o.maxBodyBytes, mapper));
            describeMetrics();
            this.server = new LocalServer(new InetSocketAddress(o.bind, o.port), o.threads,
                    new EventsHandler(ingest, key, o.maxBodyBytes, metrics, mapper, afterIncidentActions),
                    new ApiHandler(view, drain, key, mapper, access), new PagesHandler(view, drain, mapper, metrics, access),
                    new InboundHandler(inbound, o.maxBodyBytes, metrics, mapper), new LoginHandler(access, mapper, o.clock),
                    metrics, mapper);
            pingKeys(); // resolve now: a team whose key is unset is said at start, not at its first ping
        } catch (IOException | RuntimeException e) {
            details.close();
            deliveries.close();
            breaches.close();
            incidents.close();
            store.close();
            throw e;
        }
    }

    /**
     * The ping keys of the catalog in force (none without a catalog), resolved from the environment once per catalog;
     * each team that takes no pings is logged once, with why.
     */
    PingKeys pingKeys() {
        Catalog c = catalog.get();
        if (c == null) {
            return PingKeys.none();
        }
        Map.Entry<Catalog, PingKeys> cached = pingKeys.get();
        if (cached != null && cached.getKey() == c) {
            return cached.getValue();
        }
        PingKeys keys = PingKeys.resolve(c, name -> java.util.Optional.ofNullable(options.env.get(name)));
        if (pingKeys.compareAndSet(cached, Map.entry(c, keys))) {
            keys.problems().forEach(p -> options.log.accept("pings: " + p));
        }
        return keys;
    }

    /** The key reading needs beyond loopback (null on loopback, where reading needs none). */
    public ApiKey readKey() {
        return readKey;
    }

    /** The teams that take pings under the catalog in force, and why others take none. */
    public PingKeys pings() {
        return pingKeys();
    }

    /** Where run details (ping bodies, lineage parents) are kept. */
    public io.jobwatch.core.detail.RunDetails details() {
        return details;
    }

    /** Opens the store, binds the port and starts the scheduler. */
    public static LocalApp start(Options o) throws IOException {
        LocalApp app = new LocalApp(o);
        app.server.start();
        if (o.scheduler) {
            app.scheduler.every("scheduled work", Duration.ofSeconds(1), o.tick, app.work::tick);
            if (app.watcher != null) {
                app.scheduler.every("catalog reload", o.catalogPoll, o.catalogPoll, now -> app.watcher.check());
            }
        }
        return app;
    }

    private void describeMetrics() {
        metrics.describe("jobwatch_events_total", "Events received on POST /events by outcome (rejected ones are parked).");
        metrics.describe("jobwatch_inbound_requests_total", "Pings and OpenLineage requests by endpoint and HTTP status.");
        metrics.describe("jobwatch_inbound_stored_total", "Run events stored from pings and OpenLineage requests.");
        metrics.describe("jobwatch_outbox_pending", "Incident actions waiting to be sent.");
        metrics.describe("jobwatch_outbox_oldest_pending_age_seconds", "Age of the oldest pending incident action.");
        metrics.describe("jobwatch_outbox_parked", "Incident actions parked for a human.");
        metrics.describe("jobwatch_sla_breaches", "SLA breaches open at the latest check.");
        metrics.describe("jobwatch_digests_sent_total", "Digests delivered, by channel.");
        metrics.describe(ALERT_LATENCY, "Seconds from an event's arrival (POST /events) to the first request of the"
                + " incident action it decided (from the action's decision when its arrival is not known).");
        metrics.inc("jobwatch_events_total{outcome=\"rejected\"}", 0);
        metrics.inc("jobwatch_digests_sent_total{via=\"" + digestChannel().type() + "\"}", 0);
        metrics.gauge("jobwatch_outbox_pending", () -> incidents.pending().size());
        metrics.gauge("jobwatch_outbox_oldest_pending_age_seconds", () -> {
            List<OutboxEntry> pending = incidents.pending();
            Instant now = options.clock.instant();
            return pending.stream().map(OutboxEntry::createdAt).min(Instant::compareTo)
                    .map(t -> (double) Math.max(0, Duration.between(t, now).toSeconds())).orElse(0.0);
        });
        metrics.gauge("jobwatch_outbox_parked", () -> incidents.parked().size());
        metrics.gauge("jobwatch_sla_breaches", () -> work.breaches().size());
    }

    public URI uri() {
        return server.uri();
    }

    public int port() {
        return server.port();
    }

    /** Whether the server listens on a loopback address only. */
    public boolean loopbackOnly() {
        return server.address().getAddress().isLoopbackAddress();
    }

    /** The database file. */
    public Path db() {
        return store.path();
    }

    public ApiKey apiKey() {
        return key;
    }

    public Metrics metrics() {
        return metrics;
    }

    public RunStore store() {
        return store;
    }

    public SqliteIncidents incidents() {
        return incidents;
    }

    /** The periodic work, for callers that drive it themselves (tests, the demo). */
    public ScheduledWork work() {
        return work;
    }

    /** The catalog hot reload, or null when no catalog file is watched. */
    public CatalogWatcher catalogWatcher() {
        return watcher;
    }

    public Catalog catalog() {
        return catalog.get();
    }

    public String incidentTarget() {
        return drain.target();
    }

    /**
     * The teams' channels that hear about incidents, for the start banner: each destination, its type and where it
     * delivers (secrets as their {@code ${NAME}}; a variable not set yet says so — its actions wait in the outbox).
     */
    public List<String> channelTargets() {
        Catalog c = catalog.get();
        if (c == null) {
            return List.of();
        }
        io.jobwatch.core.channel.ChannelRegistry registry = StandardChannels.registry(AwsSetup.defaults());
        List<String> out = new java.util.ArrayList<>();
        for (Team t : c.teams().values()) {
            for (io.jobwatch.core.channel.ChannelRegistry.Destination d : registry.incidentChannels(t)) {
                out.add(teamChannels.describe(d.name()));
            }
        }
        return out;
    }

    /**
     * Where a digest goes for a team with recipients and no channels of its own (the environment's channel, else the
     * HTML files); a team's {@code channels:} in the catalog come first.
     */
    public String digestTarget() {
        ChannelSpec c = digestChannel();
        return c.type() + (c.settings().isEmpty() ? "" : " " + new java.util.TreeMap<>(c.settings()))
                + " (unless a team's channels: say otherwise)";
    }

    private ChannelSpec digestChannel() {
        Team probe = new Team("probe", List.of("probe@localhost"), java.util.Optional.empty(), java.util.Optional.empty(),
                java.time.ZoneOffset.UTC);
        List<ChannelSpec> specs = channels.forDigest(probe, options.env);
        return specs.isEmpty() ? HtmlFileChannel.fallback(options.db.toAbsolutePath().getParent()) : specs.get(0);
    }

    /** The server's ingest path without HTTP (the demo and benchmarks feed it directly). */
    public EventsIngest ingest() {
        return ingest;
    }

    /** Graceful stop: finish in-flight requests (up to the grace period), stop the scheduler, close the store. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(options.grace);
        scheduler.stop(options.grace);
        details.close();
        deliveries.close();
        breaches.close();
        incidents.close();
        store.close();
    }
}
