package io.jobwatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelRegistry;
import io.jobwatch.core.channel.DigestSender;
import io.jobwatch.core.digest.DigestFixtures;
import io.jobwatch.core.digest.SlaBreach;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.sla.BreachKind;
import io.jobwatch.core.store.StoreFixtures;
import io.jobwatch.notify.AwsSetup;
import io.jobwatch.notify.StandardChannels;
import io.jobwatch.store.sqlite.SqliteIncidents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScheduledWorkTest {
    static final Instant MON_0530 = Instant.parse("2026-03-02T05:30:00Z");
    static final JobKey JOB = new JobKey("123456789012", "eu-west-1", JobSource.GLUE_JOB, "erp-orders-nightly-etl");

    @TempDir
    Path dir;

    Catalog catalog;
    SqliteIncidents incidents;
    List<String> log = new ArrayList<>();
    Metrics metrics = new Metrics();

    @BeforeEach
    void open() throws Exception {
        String text = Files.readString(StoreFixtures.repo().resolve("examples/jobwatch.yml"));
        catalog = ((CatalogResult.Loaded) CatalogLoader.load("jobwatch.yml", text)).catalog();
        incidents = new SqliteIncidents(dir.resolve("j.db"));
    }

    @AfterEach
    void close() {
        incidents.close();
    }

    ScheduledWork work(LocalHooks hooks) {
        Clock clock = Clock.fixed(MON_0530, ZoneOffset.UTC);
        ChannelRegistry channels = StandardChannels.registry(AwsSetup.defaults(), HtmlFileChannel.FACTORY,
                HtmlFileChannel.fallback(dir));
        return new ScheduledWork(() -> catalog, hooks, OutboxDrain.of(Map.of(), dir, incidents, incidents, clock),
                new DigestSender(channels, new ChannelContext(Map.of(), clock, dir), d -> { }, null), metrics, log::add,
                MON_0530);
    }

    static List<String> names(List<Team> teams) {
        return teams.stream().map(Team::name).sorted().toList();
    }

    @Test
    void dueDigests_followEachTeamsScheduleAndZone() {
        Map<Instant, List<Team>> six = ScheduledWork.dueDigests(catalog, MON_0530, Instant.parse("2026-03-02T06:30:00Z"));
        assertThat(six).containsOnlyKeys(Instant.parse("2026-03-02T06:00:00Z"));
        assertThat(names(six.get(Instant.parse("2026-03-02T06:00:00Z")))).containsExactly("finance-close");

        Map<Instant, List<Team>> seven = ScheduledWork.dueDigests(catalog, Instant.parse("2026-03-02T06:30:00Z"),
                Instant.parse("2026-03-02T07:30:00Z"));
        assertThat(names(seven.get(Instant.parse("2026-03-02T07:00:00Z"))))
                .contains("erp-ops", "fin-data-eng", "data-platform").doesNotContain("finance-close", "analytics-eng");

        // Saturday: finance-close (MON-FRI) stays quiet.
        assertThat(ScheduledWork.dueDigests(catalog, Instant.parse("2026-03-07T05:30:00Z"), Instant.parse("2026-03-07T06:30:00Z")))
                .isEmpty();
    }

    @Test
    void dueDigests_aLateTickSendsAMissedDigestOnce() {
        Map<Instant, List<Team>> day = ScheduledWork.dueDigests(catalog, MON_0530, Instant.parse("2026-03-04T05:00:00Z"));
        long financeClose = day.values().stream().flatMap(List::stream).filter(t -> t.name().equals("finance-close")).count();
        assertThat(financeClose).isEqualTo(1);
        assertThat(day.entrySet().stream().filter(e -> names(e.getValue()).contains("finance-close")).findFirst().orElseThrow().getKey())
                .isEqualTo(Instant.parse("2026-03-03T06:00:00Z"));
    }

    @Test
    void tick_runsDigestsWhenTheirScheduleFires_andWritesThemNextToTheDatabase() throws Exception {
        List<String> calls = new ArrayList<>();
        ScheduledWork work = work(LocalHooks.none().withDigests((c, teams, at) -> {
            calls.add(at + " " + names(teams));
            return teams.stream().map(t -> new LocalHooks.DueDigest(t, DigestFixtures.digest())).toList();
        }));
        work.tick(Instant.parse("2026-03-02T05:59:00Z"));
        assertThat(calls).isEmpty();
        work.tick(Instant.parse("2026-03-02T06:00:00Z"));
        assertThat(calls).containsExactly("2026-03-02T06:00:00Z [finance-close]");
        work.tick(Instant.parse("2026-03-02T06:01:00Z"));
        assertThat(calls).hasSize(1);
        try (var files = Files.list(dir.resolve("digests"))) {
            assertThat(files.toList()).singleElement().satisfies(f -> {
                assertThat(f.getFileName().toString()).startsWith("20260302-").endsWith(".html");
                assertThat(Files.readString(f)).contains(DigestFixtures.digest().subject().replace("&", "&amp;"));
            });
        }
        assertThat(metrics.count("jobwatch_digests_sent_total{via=\"file\"}")).isEqualTo(1);
    }

    @Test
    void tick_keepsTheLatestSlaBreaches_andKeepsThemWhenACheckFails() {
        SlaBreach breach = new SlaBreach(JOB, "ERP", BreachKind.MISSING, MON_0530, "expected by 05:30, not started");
        AtomicReference<RuntimeException> fail = new AtomicReference<>();
        ScheduledWork work = work(LocalHooks.none().withSla((now, c) -> {
            if (fail.get() != null) {
                throw fail.get();
            }
            return List.of(breach);
        }));
        assertThat(work.breaches()).isEmpty();
        work.tick(MON_0530.plusSeconds(60));
        assertThat(work.breaches()).containsExactly(breach);
        fail.set(new IllegalStateException("engine broke"));
        work.tick(MON_0530.plusSeconds(120));
        assertThat(work.breaches()).containsExactly(breach);
        assertThat(log).anyMatch(l -> l.contains("SLA check failed") && l.contains("engine broke"));
    }

    @Test
    void tick_runsTheExportOncePerFiring_evenWhenAnotherFeatureFails() {
        List<Instant> exports = new ArrayList<>();
        Instant monday2 = Instant.parse("2026-03-09T02:00:00Z");
        ScheduledWork work = work(new LocalHooks((now, c) -> {
            throw new IllegalStateException("sla down");
        }, null, new LocalHooks.ExportHook() {
            @Override
            public Optional<Instant> nextAfter(Instant after) {
                return Optional.of(after.isBefore(monday2) ? monday2 : monday2.plusSeconds(7 * 86400));
            }

            @Override
            public String run(Instant firedAt) {
                exports.add(firedAt);
                return "wrote week " + firedAt;
            }
        }));
        work.tick(Instant.parse("2026-03-09T01:59:00Z"));
        work.tick(Instant.parse("2026-03-09T02:00:30Z"));
        work.tick(Instant.parse("2026-03-09T02:01:30Z"));
        assertThat(exports).containsExactly(monday2);
        assertThat(log).anyMatch(l -> l.startsWith("export: wrote week"));
    }
}
