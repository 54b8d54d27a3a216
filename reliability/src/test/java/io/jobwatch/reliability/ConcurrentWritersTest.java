package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.incident.IncidentGateway;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.Incidents;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.servicenow.Credentials;
import io.jobwatch.servicenow.ServiceNowSettings;
import io.jobwatch.servicenow.TableApiIncidentGateway;
import io.jobwatch.store.dynamodb.DynamoIncidents;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import io.jobwatch.store.sqlite.SqliteIncidents;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Incidents under concurrent writers: N appliers — threads, and separate {@code jobwatch ingest} processes — each
 * ingesting its own shuffle of the whole event stream into one store (a SQLite file, a DynamoDB table on dynalite),
 * all deciding and sending to one ServiceNow (a stateful Table API server). Every run must be right, the active
 * tickets must be the sequential run's, no job may have two active tickets, every action must be sent once (no work
 * note twice, no resolve of a resolved ticket) and nothing may be parked.
 */
class ConcurrentWritersTest {
    /**
     * The report run ({@code -Djobwatch.reliability.report=true}) uses the size of the original finding on SQLite
     * (200 jobs, 3,600 runs, 7,200 events) and half of it on dynalite (one Node process answering every applier takes
     * ~8 minutes at full size). Every build runs the same races on fewer jobs, to keep CI within its time: the
     * invariants checked do not depend on the size.
     */
    static final boolean FULL = Boolean.getBoolean(ReliabilityLedger.REPORT_FLAG);
    static final int JOBS = FULL ? 200 : 60;
    static final int DYNAMO_JOBS = FULL ? 100 : 30;
    static final int THREADS = 8;
    static final int PROCESSES = 4;
    static final long SEED = 26L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger TABLES = new AtomicInteger();

    @TempDir
    Path dir;

    /** A back end's fresh store for one variant: how each applier opens it. */
    interface Backend {
        RunStore runs(Clock clock);

        Incidents incidents(Clock clock);

        /** CLI store options for a {@code jobwatch ingest} process. */
        List<String> cliOptions();
    }

    record Outcome(Map<String, String> runs, Set<String> openRecords, TableApiServer.Counts servicenow, int pending,
                   int parked, long ms) {
    }

    /** {@code jobs} jobs × 18 runs (every 4 h for 3 days), two events per run. */
    private static List<JobWeek.Event> week(int jobs) {
        return JobWeek.events(jobs, Duration.ofHours(4), 3, SEED);
    }

    private static List<RunEvent> normalized(List<JobWeek.Event> events) throws Exception {
        EventNormalizer normalizer = new EventNormalizer(Clock.fixed(Instant.parse("2026-03-10T00:00:00Z"),
                ZoneOffset.UTC));
        List<RunEvent> out = new ArrayList<>(events.size());
        for (JobWeek.Event e : events) {
            out.add(((Normalization.Normalized) normalizer.normalize(JSON.readTree(e.json()))).event());
        }
        return out;
    }

    private static IncidentGateway gateway(TableApiServer servicenow, Clock clock) {
        return new TableApiIncidentGateway(ServiceNowSettings.of(servicenow.url(),
                new Credentials.Basic("jobwatch.integration", "stress-test-only")), clock);
    }

    @Test
    void sqlite_threadsAndProcesses_oneDecisionPerRun_oneSenderPerAction_oneTicketPerProblem() throws Exception {
        Path db = dir.resolve("sequential.db");
        Backend sequentialStore = sqlite(db);
        List<JobWeek.Event> week = week(JOBS);
        Outcome sequential = sequential(sequentialStore, week);
        Outcome threads = threads(sqlite(dir.resolve("threads.db")), week);
        Outcome processes = processes(sqlite(dir.resolve("processes.db")), week);
        check("SQLite", week, sequential, threads, processes);
    }

    @Test
    void dynamo_threadsAndProcesses_oneDecisionPerRun_oneSenderPerAction_oneTicketPerProblem() throws Exception {
        DynamoDbClient client = Dynalite.shared().client();
        try {
            List<JobWeek.Event> week = week(DYNAMO_JOBS);
            Outcome sequential = sequential(dynamo(client, true), week);
            Outcome threads = threads(dynamo(client, true), week);
            // The processes create the table themselves (jobwatch ingest --create-table, four racing to do it).
            Outcome processes = processes(dynamo(client, false), week);
            check("DynamoDB (dynalite)", week, sequential, threads, processes);
        } finally {
            client.close();
        }
    }

    private void check(String store, List<JobWeek.Event> week, Outcome sequential, Outcome threads,
                       Outcome processes) {
        long runs = sequential.runs().size();
        assertThat(runs).isEqualTo(week.size() / 2);
        assertThat(sequential.servicenow().active()).as("the week leaves broken jobs open").isPositive();
        StringBuilder note = new StringBuilder("sequential: " + sequential.servicenow().created() + " tickets created, "
                + sequential.servicenow().active() + " active at the end, " + sequential.ms() + " ms");
        for (Map.Entry<String, Outcome> v : Map.of(THREADS + " threads", threads, PROCESSES + " processes", processes)
                .entrySet()) {
            Outcome o = v.getValue();
            String as = store + ", " + v.getKey();
            assertThat(o.runs()).as("runs, " + as).isEqualTo(sequential.runs());
            assertThat(o.servicenow().activeByCorrelation()).as("active tickets, " + as)
                    .isEqualTo(sequential.servicenow().activeByCorrelation());
            assertThat(o.servicenow().jobsWithTwoActive()).as("jobs with two active tickets, " + as).isZero();
            assertThat(o.servicenow().notesPostedTwice()).as("work notes posted twice, " + as).isZero();
            assertThat(o.servicenow().resolvesWhileResolved()).as("resolves of resolved tickets, " + as).isZero();
            assertThat(o.parked()).as("parked, " + as).isZero();
            assertThat(o.pending()).as("left pending, " + as).isZero();
            assertThat(o.openRecords()).as("Jobwatch's open incidents, " + as)
                    .isEqualTo(o.servicenow().activeByCorrelation().keySet());
            note.append("; ").append(v.getKey()).append(": ").append(o.servicenow().created()).append(" tickets created, ")
                    .append(o.servicenow().active()).append(" active, ").append(o.servicenow().jobsWithTwoActive())
                    .append(" jobs with two active, ").append(o.servicenow().notesPostedTwice())
                    .append(" notes twice, ").append(o.servicenow().resolvesWhileResolved())
                    .append(" resolves of resolved tickets, ").append(o.parked()).append(" parked, ")
                    .append(o.ms()).append(" ms");
        }
        ReliabilityLedger.record(new ReliabilityLedger.Row("concurrent writers",
                THREADS + " threads / " + PROCESSES + " processes deciding and sending at once — " + store,
                week.size() / 36 + " jobs, " + runs + " runs, " + week.size() + " events; every applier ingests its own shuffle of"
                        + " the whole stream into one store and sends to one ServiceNow (a stateful Table API server)",
                (long) week.size() * (THREADS + PROCESSES), week.size(), 0, -1,
                "every run right; active tickets = the sequential run's; " + note));
    }

    // ---- the three ways ------------------------------------------------------------------------------------------

    /** One applier, events in time order, sending as it goes: the reference. */
    private Outcome sequential(Backend backend, List<JobWeek.Event> week) throws Exception {
        try (TableApiServer servicenow = new TableApiServer()) {
            long started = System.nanoTime();
            apply(backend, normalized(week), servicenow, "sequential");
            return outcome(backend, servicenow, started);
        }
    }

    /** {@link #THREADS} appliers in one JVM, each with its own connections (as processes would have). */
    private Outcome threads(Backend backend, List<JobWeek.Event> week) throws Exception {
        try (TableApiServer servicenow = new TableApiServer()) {
            long started = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    List<RunEvent> mine = normalized(JobWeek.shuffled(week, 1, SEED + t));
                    String name = "thread-" + t;
                    done.add(pool.submit(() -> {
                        apply(backend, mine, servicenow, name);
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(15, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            drainOnce(backend, servicenow);
            return outcome(backend, servicenow, started);
        }
    }

    /** {@link #PROCESSES} {@code jobwatch ingest} processes at once, each with its own shuffle in a file. */
    private Outcome processes(Backend backend, List<JobWeek.Event> week) throws Exception {
        try (TableApiServer servicenow = new TableApiServer()) {
            long started = System.nanoTime();
            List<CliProcess> running = new ArrayList<>();
            try {
                for (int p = 0; p < PROCESSES; p++) {
                    Path file = JobWeek.write(Files.createTempFile(dir, "shuffle-" + p + "-", ".jsonl"),
                            JobWeek.shuffled(week, 1, SEED + 100 + p));
                    List<String> args = new ArrayList<>(List.of("ingest"));
                    args.addAll(backend.cliOptions());
                    args.addAll(List.of("--timeout", "60s", file.toString()));
                    running.add(CliProcess.start(dir, Map.of("SERVICENOW_URL", servicenow.url(),
                            "SERVICENOW_USER", "jobwatch.integration", "SERVICENOW_PASSWORD", "stress-test-only",
                            "AWS_ACCESS_KEY_ID", "dynalite", "AWS_SECRET_ACCESS_KEY", "dynalite",
                            "AWS_REGION", "us-east-1"), args.toArray(String[]::new)));
                }
                for (CliProcess p : running) {
                    assertThat(p.await(Duration.ofMinutes(15))).as("jobwatch ingest: " + p.err).isZero();
                }
            } finally {
                for (CliProcess p : running) {
                    p.close();
                }
            }
            drainOnce(backend, servicenow);
            return outcome(backend, servicenow, started);
        }
    }

    /** Ingests the events in batches of 100 through the pipeline and sends after each batch, as ingest does. */
    private static void apply(Backend backend, List<RunEvent> events, TableApiServer servicenow, String owner)
            throws InterruptedException {
        Clock clock = Clock.systemUTC();
        try (RunStore runs = backend.runs(clock); Incidents incidents = backend.incidents(clock)) {
            IngestPipeline pipeline = new IngestPipeline(runs, null,
                    new IncidentTracker(new IncidentPolicy(clock), incidents, incidents, clock));
            OutboxProcessor sender = new OutboxProcessor(gateway(servicenow, clock), incidents, incidents, clock,
                    RetryBackoff.defaults(), owner, OutboxProcessor.DEFAULT_LEASE);
            for (int i = 0; i < events.size(); i += 100) {
                pipeline.ingest(events.subList(i, Math.min(events.size(), i + 100)));
                sender.drainDue();
            }
            // Real time on purpose: the other appliers are threads and processes whose claims run on the wall clock, so a
            // fake clock here would take over their leases. drain returns as soon as nothing is left to send.
            sender.drain(Duration.ofSeconds(30), io.jobwatch.core.time.Sleeper.threadSleep());
        }
    }

    /** The next scheduled pass: sends what the appliers left (entries another applier held when they looked). */
    private static void drainOnce(Backend backend, TableApiServer servicenow) {
        Clock clock = Clock.systemUTC();
        try (Incidents incidents = backend.incidents(clock)) {
            new OutboxProcessor(gateway(servicenow, clock), incidents, incidents, clock, RetryBackoff.defaults())
                    .drainDue();
        }
    }

    private static Outcome outcome(Backend backend, TableApiServer servicenow, long started) {
        long ms = (System.nanoTime() - started) / 1_000_000;
        Clock clock = Clock.systemUTC();
        Map<String, String> runs = new TreeMap<>();
        Set<String> open = new TreeSet<>();
        int pending;
        int parked;
        try (RunStore store = backend.runs(clock); Incidents incidents = backend.incidents(clock)) {
            store.runsBetween(JobWeek.START.minus(Duration.ofDays(1)), JobWeek.START.plus(Duration.ofDays(9)),
                    r -> runs.put(r.key().toString(), r.state() + " " + r.startedAt() + " " + r.endedAt()));
            incidents.open().stream().map(IncidentRecord::correlationId).forEach(open::add);
            pending = incidents.pending().size();
            parked = incidents.parked().size();
        }
        return new Outcome(runs, open, servicenow.counts(), pending, parked, ms);
    }

    // ---- back ends -----------------------------------------------------------------------------------------------

    private static Backend sqlite(Path db) {
        return new Backend() {
            @Override
            public RunStore runs(Clock clock) {
                return new SqliteRunStore(db, clock, RunStore.DEFAULT_RETENTION);
            }

            @Override
            public Incidents incidents(Clock clock) {
                return new SqliteIncidents(db);
            }

            @Override
            public List<String> cliOptions() {
                return List.of("--db", db.toString());
            }
        };
    }

    private static Backend dynamo(DynamoDbClient client, boolean create) {
        String table = "writers-" + TABLES.incrementAndGet();
        if (create) {
            DynamoRunStore.createTable(client, table);
        }
        return new Backend() {
            @Override
            public RunStore runs(Clock clock) {
                return new DynamoRunStore(client, table, clock, RunStore.DEFAULT_RETENTION);
            }

            @Override
            public Incidents incidents(Clock clock) {
                return new DynamoIncidents(client, table, clock, RunStore.DEFAULT_RETENTION);
            }

            @Override
            public List<String> cliOptions() {
                return List.of("--store", "dynamodb", "--table", table, "--endpoint", Dynalite.shared().endpoint().toString(),
                        "--create-table");
            }
        };
    }
}
