package io.jobwatch.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.digest.DigestInputs;
import io.jobwatch.core.digest.DigestWindow;
import io.jobwatch.core.digest.JobView;
import io.jobwatch.core.digest.RunView;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.Text;
import io.jobwatch.sim.SimOptions;
import io.jobwatch.sim.Simulator;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.store.JobBrief;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.ParkedEvent;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.StoreFixtures;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The digest's inputs from the lean summaries (briefs index + open runs + per-job reads where a summary does not reach
 * back) equal those from the runs of the range (runsBetween), on simulated days with duplicates and reordering.
 */
class DynamoBriefDigestTest {

    @Test
    void digestInputs_fromBriefs_equalThoseFromTheRunsOfTheRange() throws Exception {
        List<RunEvent> events = new ArrayList<>();
        EventNormalizer normalizer = new EventNormalizer();
        LocalDate first = LocalDate.parse("2026-03-02");
        new Simulator(SimOptions.defaults()).simulate(first, 3, d -> {
            if (normalizer.normalize(d.event()) instanceof Normalization.Normalized n
                    && Math.floorMod(n.event().job().id().hashCode(), 5) == 0) {
                events.add(n.event());
            }
        });
        DynamoDbClient client = Dynalite.shared().client();
        String table = "briefs-" + System.nanoTime();
        DynamoRunStore.createTable(client, table);
        RunStore store = new DynamoRunStore(client, table, Clock.systemUTC(), Duration.ofDays(36_500));
        events.forEach(store::apply);
        RunStore plain = new WithoutBriefs(store);
        var file = StoreFixtures.repo().resolve("examples/jobwatch.yml");
        Catalog catalog = ((CatalogResult.Loaded) CatalogLoader.load(file.toString(), Files.readString(file))).catalog();

        List<JobBrief> briefs = store.briefPerJob();
        assertThat(briefs).extracting(b -> b.summary().job()).containsExactlyElementsOf(
                store.latestPerJob().stream().map(JobSummary::job).toList());
        assertThat(briefs).as("most summaries reach back to the digest's range")
                .filteredOn(b -> b.completeFrom(first.plusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC)))
                .hasSizeGreaterThan(briefs.size() * 3 / 4);

        int compared = 0;
        for (String hour : List.of("T07:00:00Z", "T12:00:00Z", "T20:00:00Z")) {
            Instant now = Instant.parse(first.plusDays(2) + hour);
            DigestInputs lean = new DigestInputs(store, catalog, Map.of());
            DigestInputs full = new DigestInputs(plain, catalog, Map.of());
            for (Team team : catalog.teams().values()) {
                var schedule = DigestInputs.scheduleOf(catalog, team);
                DigestWindow window = DigestInputs.windowAt(schedule, team.timezone(), now);
                DigestWindow previous = DigestInputs.windowBefore(schedule, team.timezone(), window);
                List<String> a = lean.forTeam(team.name(), window, previous).stream().map(DynamoBriefDigestTest::key).toList();
                List<String> b = full.forTeam(team.name(), window, previous).stream().map(DynamoBriefDigestTest::key).toList();
                assertThat(a).as("team %s at %s", team.name(), now).containsExactlyElementsOf(b);
                compared += a.size();
            }
        }
        assertThat(compared).isGreaterThan(50);
    }

    /** What the digest shows of a job, at second precision (the lean summary keeps seconds), errors as shown (300 B). */
    private static String key(JobView v) {
        List<String> runs = new ArrayList<>();
        for (RunView r : v.runs()) {
            runs.add(r.state() + "@" + sec(r.endedAt()));
        }
        runs.sort(String::compareTo);
        return v.job().id() + " latest=" + run(v.latest(), true) + " lastFinished=" + run(v.lastFinished(), false)
                + " before=" + v.outcomeBeforeWindow() + " failures=" + v.consecutiveFailures()
                + " usual=" + (v.usualDuration() == null ? null : v.usualDuration().toSeconds() / 2) + " runs=" + runs;
    }

    private static String run(RunView r, boolean withId) {
        return r == null ? "-" : (withId ? r.runId() + ":" : "") + r.state() + "/" + sec(r.startedAt()) + "/"
                + sec(r.endedAt()) + (withId ? "/" + Text.truncateUtf8(r.error(), 300) : "");
    }

    private static Instant sec(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS);
    }

    /** The same store without its lean summaries: the digest reads the runs of the range instead. */
    private record WithoutBriefs(RunStore s) implements RunStore {
        public ApplyResult apply(RunEvent e) {
            return s.apply(e);
        }

        public List<ApplyResult> applyAll(List<RunEvent> events) {
            return s.applyAll(events);
        }

        public Optional<Run> get(RunKey key) {
            return s.get(key);
        }

        public List<Run> runsOfJob(JobKey job, int limit) {
            return s.runsOfJob(job, limit);
        }

        public List<Run> openRuns() {
            return s.openRuns();
        }

        public Optional<JobSummary> summary(JobKey job) {
            return s.summary(job);
        }

        public List<JobSummary> latestPerJob() {
            return s.latestPerJob();
        }

        public io.jobwatch.core.store.Rollups rollups() {
            return s.rollups();
        }

        public void runsBetween(Instant from, Instant to, Consumer<Run> sink) {
            s.runsBetween(from, to, sink);
        }

        public ParkedEvent park(String raw, String reason, String source) {
            return s.park(raw, reason, source);
        }

        public List<ParkedEvent> parked(int limit) {
            return s.parked(limit);
        }

        public int purgeExpired() {
            return s.purgeExpired();
        }

        public void close() {
        }
    }
}
