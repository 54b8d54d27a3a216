package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.cli.Jobwatch;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.servicenow.DryRunIncidentGateway;
import io.jobwatch.servicenow.IncidentDefaults;
import io.jobwatch.store.sqlite.SqliteIncidents;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A week of 120 Step Functions and Batch jobs replayed through {@code jobwatch ingest} as deliveries go wrong in real
 * life — in one call, in 10 calls, shuffled with every event twice (an SQS redrive on top of the live feed), newest
 * first (an archive replayed backwards) — against the live feed (every event as it happened, one at a time). Every
 * delivery must park nothing with a healthy ServiceNow (the dry run), end with the live feed's runs and open
 * incidents, and open (or reopen) incidents no more often than the live feed.
 */
class ReplayedWeekTest {
    static final int JOBS = 120;
    static final long SEED = 17L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Outcome(Map<String, String> runs, Set<String> open, int parked, int opened, int created, long ms) {
    }

    @Test
    void aWeekReplayedInAnyOrder_endsWithTheLiveFeedsIncidents_andParksNothing() throws Exception {
        List<JobWeek.Event> week = JobWeek.events(JOBS, Duration.ofHours(4), 7, SEED);
        Outcome live = live(week);
        assertThat(live.open()).as("the week leaves broken jobs with an open incident").isNotEmpty();

        Map<String, List<List<JobWeek.Event>>> deliveries = new LinkedHashMap<>();
        deliveries.put("time-ordered, one call", List.of(week));
        deliveries.put("time-ordered, 10 calls", split(week, 10));
        deliveries.put("shuffled, every event twice", List.of(JobWeek.shuffled(week, 2, SEED)));
        List<JobWeek.Event> newestFirst = new ArrayList<>(week);
        Collections.reverse(newestFirst);
        deliveries.put("newest first", List.of(newestFirst));

        StringBuilder note = new StringBuilder("live feed (event by event): " + live.opened() + " opened or reopened, "
                + live.open().size() + " open at the end");
        int maxParked = 0;
        for (Map.Entry<String, List<List<JobWeek.Event>>> d : deliveries.entrySet()) {
            Outcome o = cli(d.getKey(), d.getValue());
            assertThat(o.parked()).as("parked, " + d.getKey()).isZero();
            assertThat(o.runs()).as("runs, " + d.getKey()).isEqualTo(live.runs());
            assertThat(o.open()).as("open incidents, " + d.getKey()).isEqualTo(live.open());
            assertThat(o.opened()).as("incidents opened or reopened, " + d.getKey())
                    .isLessThanOrEqualTo(live.opened());
            maxParked = Math.max(maxParked, o.parked());
            note.append("; ").append(d.getKey()).append(": ").append(o.opened()).append(" opened or reopened (")
                    .append(o.created()).append(" tickets), ").append(o.open().size()).append(" open, ")
                    .append(o.parked()).append(" parked, ").append(o.ms()).append(" ms");
        }
        long in = (long) week.size() * (1 + 1 + 2 + 1);
        ReliabilityLedger.record(new ReliabilityLedger.Row("ordering and replays",
                "a week replayed time-ordered / in 10 batches / shuffled ×2 / newest first",
                "a week of " + JOBS + " Step Functions and Batch jobs every 4 h (healthy, flaky, broken at the end,"
                        + " recovered; " + week.size() + " events) through `jobwatch ingest` four ways, against the"
                        + " live feed (each event as it happened); dry-run ServiceNow",
                in, week.size(), 0, -1, "0 parked in every delivery (max " + maxParked + "); runs and open incidents"
                + " identical to the live feed's; opens ≤ the live feed's; " + note));
    }

    /** Every event as it happened, one at a time through the ingest pipeline, sending after each. */
    private Outcome live(List<JobWeek.Event> week) throws Exception {
        Path d = Files.createDirectories(dir.resolve("live"));
        Path db = d.resolve("jobwatch.db");
        Clock clock = Clock.systemUTC();
        long started = System.nanoTime();
        EventNormalizer normalizer = new EventNormalizer(Clock.fixed(Instant.parse("2026-03-10T00:00:00Z"),
                java.time.ZoneOffset.UTC));
        try (SqliteRunStore runs = new SqliteRunStore(db, clock, Duration.ofDays(7));
             SqliteIncidents incidents = new SqliteIncidents(db)) {
            IngestPipeline pipeline = new IngestPipeline(runs, null,
                    new IncidentTracker(new IncidentPolicy(clock), incidents, incidents, clock));
            OutboxProcessor sender = new OutboxProcessor(new DryRunIncidentGateway(
                    d.resolve("incidents-dry-run.jsonl"), IncidentDefaults.defaults(), clock), incidents, incidents,
                    clock, RetryBackoff.defaults());
            for (JobWeek.Event e : week) {
                Normalization n = normalizer.normalize(JSON.readTree(e.json()));
                RunEvent event = ((Normalization.Normalized) n).event();
                if (!pipeline.ingest(List.of(event)).decisions().stream().allMatch(x -> x.action() == null)) {
                    sender.drainDue();
                }
            }
            sender.drainDue();
        }
        return outcome(d, (System.nanoTime() - started) / 1_000_000);
    }

    /** The batches through {@code jobwatch ingest}, one call each, into a fresh store. */
    private Outcome cli(String name, List<List<JobWeek.Event>> batches) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name.replaceAll("[^a-z0-9]+", "-")));
        Path db = d.resolve("jobwatch.db");
        long started = System.nanoTime();
        for (int i = 0; i < batches.size(); i++) {
            Path file = JobWeek.write(d.resolve("events-" + i + ".jsonl"), batches.get(i));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Jobwatch.execute(new ByteArrayInputStream(new byte[0]), new PrintWriter(out),
                    new PrintWriter(err), "ingest", "--db", db.toString(), file.toString());
            assertThat(code).as(name + ": " + err).isZero();
        }
        return outcome(d, (System.nanoTime() - started) / 1_000_000);
    }

    /** What a delivery left: runs, open incidents, parked actions, and the dry-run ServiceNow's requests. */
    private static Outcome outcome(Path d, long ms) throws Exception {
        Path db = d.resolve("jobwatch.db");
        Map<String, String> runs = new TreeMap<>();
        Set<String> open = new TreeSet<>();
        int parked;
        try (SqliteRunStore store = new SqliteRunStore(db, Clock.systemUTC(), Duration.ofDays(7));
             SqliteIncidents incidents = new SqliteIncidents(db)) {
            store.runsBetween(JobWeek.START.minus(Duration.ofDays(1)), JobWeek.START.plus(Duration.ofDays(9)),
                    r -> runs.put(r.key().toString(), r.state() + " " + r.startedAt() + " " + r.endedAt()));
            incidents.open().stream().map(IncidentRecord::job).forEach(j -> open.add(j.id()));
            parked = incidents.parked().size() + (int) incidents.pending().size();
        }
        int created = 0;
        int reopened = 0;
        for (String line : Files.readAllLines(d.resolve("incidents-dry-run.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode n = JSON.readTree(line);
            if ("POST".equals(n.path("method").asText())) {
                created++;
            } else if ("PATCH".equals(n.path("method").asText()) && "2".equals(n.path("body").path("state").asText())) {
                reopened++;
            }
        }
        return new Outcome(runs, open, parked, created + reopened, created, ms);
    }

    private static List<List<JobWeek.Event>> split(List<JobWeek.Event> events, int n) {
        List<List<JobWeek.Event>> out = new ArrayList<>();
        int size = (events.size() + n - 1) / n;
        for (int i = 0; i < events.size(); i += size) {
            out.add(events.subList(i, Math.min(events.size(), i + size)));
        }
        return out;
    }
}
