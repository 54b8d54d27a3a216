package io.jobwatch.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelRegistry;
import io.jobwatch.core.channel.ChannelRouter;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.channel.FakeChatChannels;
import io.jobwatch.core.channel.IncidentNotice;
import io.jobwatch.core.incident.FakeIncidentGateway;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentState;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.StoreFixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The delivery guarantee, as a property over random event sets: whatever order, duplicates and batching deliver the
 * same events in, the runs are identical, the open incidents at the end are identical and equal to what the runs
 * imply under the rules, no delivery opens (or reopens) incidents more often than the events one by one as they happened (for jobs whose
 * rule opens on a first failure; see {@link #deliver}), and with a healthy ServiceNow nothing is parked. The team's
 * chat channel, failing now and then, gets every action ServiceNow got, each once, in each incident's order, and ends
 * in the same state. Shipped in core's test-jar: each back end runs it through
 * {@link #check(long)} with as many tries as it can afford (memory many, SQLite and dynalite a few).
 */
public abstract class DeliveryOrderProperties {
    /** Four jobs whose rules differ: defaults, fast cadence (flap damping), a failure rate, two to open and resolve. */
    static final String CATALOG = """
            version: 1
            accounts:
              "123456789012": ERP
            teams:
              data:
                recipients: [data@example.com]
                channels:
                  - {type: chat, url: "${CHAT_DATA}"}
            defaults:
              team: data
              criticality: normal
              incident: {openAfterConsecutiveFailures: 1, flapDampingWindow: 45m}
            jobs:
              - name: flaky
                match: {source: [batch]}
                incident: {failureRate: {percent: 40, ofLastRuns: 5}}
              - name: strict
                match: {source: [glue-job], jobName: [strict-load]}
                incident: {openAfterConsecutiveFailures: 2, resolveAfterConsecutiveSuccesses: 2}
            """;
    static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    static final JobKey NIGHTLY = new JobKey("123456789012", "eu-west-1", JobSource.GLUE_JOB, "nightly-load");
    static final JobKey CLOSE = new JobKey("123456789012", "eu-west-1", JobSource.STEP_FUNCTIONS, "close");
    static final JobKey FLAKY = new JobKey("123456789012", "eu-west-1", JobSource.BATCH, "flaky-export");
    static final JobKey STRICT = new JobKey("123456789012", "eu-west-1", JobSource.GLUE_JOB, "strict-load");
    static final List<JobKey> JOBS = List.of(NIGHTLY, CLOSE, FLAKY, STRICT);
    static final Map<JobKey, Duration> CADENCE = Map.of(NIGHTLY, Duration.ofHours(4), CLOSE, Duration.ofMinutes(30),
            FLAKY, Duration.ofHours(2), STRICT, Duration.ofHours(3));

    /** Back ends for one delivery: a fresh, empty run store and incident store/outbox on {@code clock}. */
    public record Stores(RunStore runs, IncidentStore incidents, Outbox outbox, AutoCloseable closer) {
    }

    protected abstract Stores open(Clock clock) throws Exception;

    /** What one delivery left behind. */
    record Outcome(Map<String, String> runs, Map<String, String> incidents, List<String> openImplied, int tickets,
                   int parked, int pending, long activeTickets, List<String> channelProblems) {
    }

    protected static Catalog catalog() {
        CatalogResult r = CatalogLoader.load("jobwatch.yml", CATALOG);
        return ((CatalogResult.Loaded) r).catalog();
    }

    /**
     * A random set of runs of the four jobs (two events each; a failed run of the Step Functions or the nightly Glue
     * job may be redriven or retried, two more events per attempt; some of the flaky job's successes carry a
     * warning), time-ordered.
     */
    static List<RunEvent> events(Random rnd) {
        List<RunEvent> out = new ArrayList<>();
        for (JobKey job : JOBS) {
            int runs = 4 + rnd.nextInt(9);
            double failing = rnd.nextDouble() < 0.5 ? 0.15 : 0.6;
            Instant start = T0.plusSeconds(rnd.nextInt(600));
            for (int i = 0; i < runs; i++) {
                if (rnd.nextInt(4) == 0) {
                    failing = failing < 0.3 ? 0.6 : 0.15; // phases: healthy, broken, recovered
                }
                double x = rnd.nextDouble();
                RunState end = x < 0.04 ? RunState.STOPPED : x < failing ? (rnd.nextInt(5) == 0 ? RunState.TIMED_OUT
                        : RunState.FAILED) : RunState.SUCCEEDED;
                String runId = job.jobName() + "-" + i;
                Instant finish = start.plusSeconds(300 + rnd.nextInt(1200));
                out.add(StoreFixtures.running(runId + "-r", job, runId, start));
                RunEvent ended = StoreFixtures.finished(runId + "-t", job, runId, end, start, finish);
                if (end == RunState.SUCCEEDED && job.equals(FLAKY) && rnd.nextInt(3) == 0) {
                    ended = StoreFixtures.warned(ended, (1 + rnd.nextInt(40)) + " of 1000 records failed");
                }
                out.add(ended);
                // A failed run of a redrivable or retrying source gets later attempts (a redrive, a retry), which may
                // succeed: the run is then the last attempt's, in any arrival order.
                int attempts = end.failed() && (job.equals(CLOSE) || job.equals(NIGHTLY)) ? rnd.nextInt(3) : 0;
                for (int a = 2; a <= attempts + 1; a++) {
                    Instant again = finish.plusSeconds(60);
                    finish = again.plusSeconds(120 + rnd.nextInt(600));
                    RunState outcome = rnd.nextInt(3) == 0 ? RunState.FAILED : RunState.SUCCEEDED;
                    // A redriven execution keeps its start; a retried Glue run is known by its attempts' own times.
                    Instant attemptStart = job.equals(CLOSE) ? start : again;
                    out.add(StoreFixtures.attempt(StoreFixtures.event(runId + "-r" + a, job, runId, RunState.RUNNING,
                            again, attemptStart, null, null), a));
                    out.add(StoreFixtures.attempt(StoreFixtures.finished(runId + "-t" + a, job, runId, outcome,
                            attemptStart, finish), a));
                    if (outcome == RunState.SUCCEEDED) {
                        break;
                    }
                }
                start = start.plus(CADENCE.get(job)).plusSeconds(rnd.nextInt(120));
                if (start.isBefore(finish)) {
                    start = finish.plusSeconds(60);
                }
            }
        }
        out.sort((a, b) -> a.eventTime().compareTo(b.eventTime()));
        return out;
    }

    /** Checks every delivery of one random event set against the time-ordered one. */
    protected void check(long seed) throws Exception {
        Random rnd = new Random(seed);
        List<RunEvent> events = events(rnd);
        // The reference: every event as it happened, one at a time (a live feed) — the most incidents any delivery opens.
        Outcome ordered = deliver(batches(events, events.size()), rnd);
        assertThat(ordered.parked()).as("parked, time-ordered").isZero();
        assertThat(ordered.runs()).as("every run in the window read back").hasSize((int) events.stream()
                .map(e -> e.job().id() + "/" + e.runId()).distinct().count());
        assertThat(ordered.channelProblems()).as("the chat channel, time-ordered").isEmpty();
        assertThat(ordered.incidents().entrySet().stream().filter(e -> e.getValue().startsWith("OPEN"))
                .map(Map.Entry::getKey).toList()).as("open incidents = what the runs imply")
                .containsExactlyInAnyOrderElementsOf(ordered.openImplied());

        List<List<RunEvent>> tenBatches = batches(events, 10);
        List<RunEvent> twice = new ArrayList<>(events);
        twice.addAll(events);
        Collections.shuffle(twice, rnd);
        List<RunEvent> someAgain = new ArrayList<>(events);
        for (RunEvent e : events) {
            if (rnd.nextInt(3) == 0) {
                someAgain.add(e);
            }
        }
        Collections.shuffle(someAgain, rnd);
        List<RunEvent> newestFirst = new ArrayList<>(events);
        Collections.reverse(newestFirst);
        Map<String, List<List<RunEvent>>> deliveries = new TreeMap<>();
        deliveries.put("time-ordered in one call", List.of(events));
        deliveries.put("time-ordered in 10 batches", tenBatches);
        deliveries.put("shuffled, every event twice, random batches", batches(twice, 1 + rnd.nextInt(12)));
        deliveries.put("shuffled, some twice, one by one", batches(someAgain, someAgain.size()));
        deliveries.put("newest first", List.of(newestFirst));
        for (Map.Entry<String, List<List<RunEvent>>> d : deliveries.entrySet()) {
            Outcome o = deliver(d.getValue(), rnd);
            String as = d.getKey() + " (seed " + seed + ")";
            assertThat(o.runs()).as("runs, " + as).isEqualTo(ordered.runs());
            assertThat(o.incidents()).as("final incidents, " + as).isEqualTo(ordered.incidents());
            assertThat(o.openImplied()).as("implied, " + as).isEqualTo(ordered.openImplied());
            assertThat(o.tickets()).as("incidents opened or reopened for jobs that open on a first failure, " + as)
                    .isLessThanOrEqualTo(ordered.tickets());
            assertThat(o.parked()).as("parked, " + as).isZero();
            assertThat(o.pending()).as("left pending, " + as).isZero();
            assertThat(o.activeTickets()).as("active tickets, " + as)
                    .isEqualTo(o.incidents().values().stream().filter(v -> v.startsWith("OPEN")).count());
            assertThat(o.channelProblems()).as("the chat channel, " + as).isEmpty();
        }
    }

    static List<List<RunEvent>> batches(List<RunEvent> events, int n) {
        List<List<RunEvent>> out = new ArrayList<>();
        int size = Math.max(1, (events.size() + n - 1) / n);
        for (int i = 0; i < events.size(); i += size) {
            out.add(List.copyOf(events.subList(i, Math.min(events.size(), i + size))));
        }
        return out;
    }

    /**
     * Ingests the batches into fresh stores — sending each batch's incidents right away as the ingest function does
     * (or not: it died after deciding; or its deadline has passed), and the periodic retry now and then — and reads
     * what is left.
     */
    Outcome deliver(List<List<RunEvent>> batches, Random rnd) throws Exception {
        TestClock clock = new TestClock(T0.plus(Duration.ofDays(3)));
        Stores s = open(clock);
        try (AutoCloseable closer = s.closer()) {
            Catalog catalog = catalog();
            FakeIncidentGateway gateway = new FakeIncidentGateway();
            FakeChatChannels chat = new FakeChatChannels();
            ChannelRouter channels = new ChannelRouter(() -> catalog, new ChannelRegistry(List.of(chat), null),
                    new ChannelContext(Map.of("CHAT_DATA", CHAT_URL), clock, null));
            IngestPipeline pipeline = new IngestPipeline(s.runs(), () -> catalog,
                    new IncidentTracker(new IncidentPolicy(clock), s.incidents(), s.outbox(), clock, channels));
            OutboxProcessor sender = new OutboxProcessor(gateway, channels, s.incidents(), s.outbox(), clock,
                    RetryBackoff.defaults());
            for (List<RunEvent> batch : batches) {
                IngestPipeline.Result decided = pipeline.ingest(batch);
                if (rnd.nextInt(4) != 0) {
                    // As the ingest function does: the incidents just decided are sent at once, by a deadline; else
                    // it died after deciding, and what it decided waits in the outbox for the periodic retry.
                    sender.sendDue(decided.incidentsWithActions(), clock.instant().plusSeconds(rnd.nextInt(3) - 1));
                }
                clock.advance(Duration.ofSeconds(1));
                if (rnd.nextInt(4) == 0) {
                    // The chat service has a bad moment: throttled (Retry-After) or no answer.
                    chat.failNext(CHAT_URL, rnd.nextBoolean()
                            ? new DeliveryException("chat", true, "HTTP 429", 429, Duration.ofSeconds(3), "", null)
                            : new DeliveryException("chat", true, "no response", 0, null, null, null));
                }
                if (rnd.nextInt(3) == 0) {
                    sender.drainDue();
                }
            }
            for (int pass = 0; pass < 50 && !s.outbox().pending().isEmpty(); pass++) {
                sender.drainDue();
                clock.advance(Duration.ofMinutes(6)); // past any backoff (5 min cap)
            }
            Map<String, String> runs = new TreeMap<>();
            // Every run of events() ends within 3 days of T0 (at most 12 runs 4 hours apart, with retries).
            s.runs().runsBetween(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(4)), r -> runs.put(
                    r.key().toString(), r.state() + " " + r.startedAt() + " " + r.endedAt() + " " + r.eventCount()
                            + " " + r.error() + " attempt " + r.attempt() + " " + r.warning()));
            Map<String, String> incidents = new TreeMap<>();
            List<String> openImplied = new ArrayList<>();
            for (JobKey job : JOBS) {
                // The open incidents (a resolved record may or may not exist, depending on whether an order ever
                // opened it): state and the counters the runs give.
                s.incidents().load(job, ProblemKind.FAILURE).map(IncidentState::record).filter(IncidentRecord::open)
                        .ifPresent(r -> incidents.put(job.id(), "OPEN failures " + r.consecutiveFailures()
                                + " successes " + r.consecutiveSuccesses()));
                JobPolicy policy = catalog.resolve(job);
                List<io.jobwatch.core.store.RecentRun> oldestFirst = FinishedRuns.history(s.runs().summary(job),
                        s.runs().runsOfJob(job, FinishedRuns.HISTORY));
                if (IncidentPolicy.implied(oldestFirst, FinishedRuns.rulesOf(policy), policy::inMaintenance).open()) {
                    openImplied.add(job.id());
                }
            }
            long active = gateway.activeTickets();
            // Incidents opened or reopened (each one pages someone) for the jobs whose rule opens on a first failure:
            // the job's newest known run decides, and it only moves forward in time, so a delivery never flips a job
            // to failing more often than the live feed did. For a threshold or a failure rate, a delivery that holds
            // back the successes between failures meets the rule on the runs it has seen (and resolves when they
            // arrive): more openings than the live feed, the same incidents at the end.
            int tickets = (int) gateway.calls.stream().filter(c -> (c.startsWith("create ") || c.startsWith("reopen "))
                    && openingOf(c, s, gateway)).count();
            return new Outcome(runs, incidents, openImplied, tickets, s.outbox().parked().size(),
                    s.outbox().pending().size(), active, channelProblems(chat, gateway, s));
        }
    }

    static final String CHAT_URL = "https://chat.example/hooks/data-secret";

    /**
     * What is wrong with the chat channel's messages: an action ServiceNow got that the channel did not (lost), one it
     * got twice, an incident's actions out of their decided order, or an incident whose last message disagrees with
     * its state.
     */
    private static List<String> channelProblems(FakeChatChannels chat, FakeIncidentGateway gateway, Stores s) {
        List<String> problems = new ArrayList<>();
        List<IncidentNotice> got = chat.incidents(CHAT_URL);
        Map<String, List<Long>> seqs = new TreeMap<>();
        Map<String, IncidentNotice> last = new TreeMap<>();
        Map<String, java.util.Deque<Long>> decided = new java.util.HashMap<>();
        for (IncidentNotice n : got) {
            // The action's outbox key without its version (IncidentState.keyOf): the decisions of that incident, run
            // and type, in their order; each notice takes the next one, so a second notice for one decision shows.
            String key = n.correlationId() + "|" + n.openedAt() + "|" + (n.runId() != null ? n.runId() : n.at()) + "|"
                    + n.action();
            java.util.Deque<Long> versions = decided.computeIfAbsent(key, k -> {
                java.util.Deque<Long> v = new java.util.ArrayDeque<>();
                if (k.endsWith("|update")) {
                    // A work note for one run is one entry however often it was decided (IncidentState.keyOf).
                    s.outbox().find(OutboxEntry.idFor(k, "data/chat")).ifPresent(e -> v.add(e.seq()));
                    return v;
                }
                for (long seq = 1; seq <= 200; seq++) {
                    if (s.outbox().find(OutboxEntry.idFor(k + "|" + seq, "data/chat")).isPresent()) {
                        v.add(seq);
                    }
                }
                return v;
            });
            Long seq = versions.poll();
            if (seq == null) {
                problems.add("twice or never decided: " + key);
                continue;
            }
            seqs.computeIfAbsent(n.correlationId(), k -> new ArrayList<>()).add(seq);
            last.put(n.correlationId(), n);
        }
        // One write call per ServiceNow entry (this gateway never fails, one sender: no adoption), and the channel
        // got each of those actions.
        long toServiceNow = gateway.calls.stream().filter(c -> c.startsWith("create ") || c.startsWith("update ")
                || c.startsWith("resolve ") || c.startsWith("reopen ")).count();
        if (got.size() != toServiceNow) {
            problems.add("ServiceNow got " + toServiceNow + " actions, the channel " + got.size());
        }
        for (Map.Entry<String, List<Long>> e : seqs.entrySet()) {
            List<Long> order = e.getValue();
            for (int i = 1; i < order.size(); i++) {
                if (order.get(i) <= order.get(i - 1)) {
                    problems.add("out of order: " + e.getKey() + " " + order);
                }
            }
            JobKey job = JOBS.stream().filter(j -> j.id().equals(e.getKey())).findFirst().orElseThrow();
            boolean open = s.incidents().load(job, ProblemKind.FAILURE).map(st -> st.record().open()).orElse(false);
            boolean lastSaysOpen = !last.get(e.getKey()).resolved();
            if (open != lastSaysOpen) {
                problems.add("final state: " + e.getKey() + " is " + (open ? "open" : "resolved")
                        + " but the channel's last message says " + (lastSaysOpen ? "open" : "resolved"));
            }
        }
        return problems;
    }

    /** Whether a create/reopen call was for NIGHTLY or CLOSE (creates name the run, reopens the ticket). */
    private static boolean openingOf(String call, Stores s, FakeIncidentGateway gateway) {
        if (call.startsWith("create ")) {
            String run = call.substring("create ".length());
            return run.startsWith(NIGHTLY.jobName() + "-") || run.startsWith(CLOSE.jobName() + "-");
        }
        // Any ticket of the job: a reopened older one (flap damping) counts as well as the job's latest.
        String correlation = gateway.correlationOf.get(call.substring("reopen ".length()));
        return NIGHTLY.id().equals(correlation) || CLOSE.id().equals(correlation);
    }
}
