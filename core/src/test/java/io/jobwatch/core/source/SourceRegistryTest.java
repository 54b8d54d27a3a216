package io.jobwatch.core.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks the source registry: every EventBridge source has real fixtures (examples/events/SOURCE_ID/), reads them,
 * documents every state they carry, links its runs to the console, simulates runs that read back as its own, and names
 * the IAM actions of its reconcile lister. Every HTTP source (pings, OpenLineage) has, on purpose, none of the
 * EventBridge parts: no event pattern entry, no reconcile actions, no samples, no simulated estate, no console link —
 * stated by its own test below. A source missing any part fails here, not in production.
 */
class SourceRegistryTest {
    private static final EventNormalizer NORMALIZER = new EventNormalizer();
    private static final Pattern IAM_ACTION = Pattern.compile("[a-z0-9-]+:[A-Z][A-Za-z]+");

    static Stream<EventBridgeSource> sources() {
        return Sources.eventBridge().stream();
    }

    static Stream<HttpSource> httpSources() {
        return Sources.http().stream();
    }

    static Stream<SourceDescriptor> allSources() {
        return Sources.all().stream();
    }

    @org.junit.jupiter.api.Test
    void everyJobSource_hasExactlyOneDescriptor_ofOneKind_andEveryEventTypeOneSource() {
        Set<JobSource> seen = EnumSet.noneOf(JobSource.class);
        Sources.all().forEach(d -> assertThat(seen.add(d.source())).as(d.toString()).isTrue());
        assertThat(seen).containsExactlyInAnyOrder(JobSource.values());
        assertThat(Sources.eventBridge().size() + Sources.http().size()).isEqualTo(JobSource.values().length);
        assertThat(Sources.all()).startsWith(Sources.eventBridge().toArray(SourceDescriptor[]::new))
                .endsWith(Sources.http().toArray(SourceDescriptor[]::new));
        for (EventBridgeSource d : Sources.eventBridge()) {
            assertThat(d.detailTypes()).isNotEmpty();
            for (String type : d.detailTypes()) {
                assertThat(Sources.forEvent(d.eventSource(), type)).contains(d);
            }
            assertThat(Sources.eventBridge(d.source())).isSameAs(d);
        }
        assertThat(Sources.http()).extracting(SourceDescriptor::source)
                .containsExactlyInAnyOrder(JobSource.PING, JobSource.OPENLINEAGE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("httpSources")
    void httpSource_hasNoEventPattern_noReconcileLister_noIamActions_noSamples_noSimulatedJobs_noConsole(HttpSource d) {
        String id = d.source().id();
        // Not in the EventBridge rule's pattern (neither as a source nor in a filter branch).
        assertThat(Sources.eventPattern().toString()).doesNotContain(id);
        assertThat(Sources.detailTypesByEventSource().keySet()).noneMatch(s -> s.contains(id));
        // No reconcile lister asks about it, so the member role gets no action for it; no priming sample.
        assertThat(Sources.reconcileActions()).containsExactlyElementsOf(Sources.eventBridge().stream()
                .flatMap(e -> e.reconcileActions().stream()).distinct().toList());
        assertThat(Sources.samples()).noneMatch(s -> s.startsWith(id + "/"));
        assertThat(Fixtures.eventsDir().resolve(id)).as("no EventBridge samples for an HTTP source").doesNotExist();
        // Asking for its EventBridge parts is an error, not a silent empty answer.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sources.eventBridge(d.source()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("arrives over HTTP");
        // Its jobs live outside AWS: no region, so no console link.
        assertThat(ConsoleLinks.forRun(new JobKey("team-a", "", d.source(), "nightly-backup"), "r-1")).isNull();
        // It says where it arrives and what authenticates it.
        assertThat(d.endpoint()).matches("(GET\\|HEAD\\|)?POST /.*");
        assertThat(d.authentication()).containsIgnoringCase("key");
        assertThat(d.accountIs()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allSources")
    void namesItsHelp(SourceDescriptor d) {
        assertThat(d.help().jobName()).isNotBlank();
        assertThat(d.help().runId()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void hasFixtures_thatReadAsItsOwnRuns_withDocumentedStates(EventBridgeSource d) throws Exception {
        Path dir = Fixtures.eventsDir().resolve(d.source().id());
        assertThat(dir).as("examples/events/" + d.source().id() + "/ holds the source's real event samples").isDirectory();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        boolean sawTerminal = false;
        for (Path f : files) {
            Normalization n = NORMALIZER.normalize(Fixtures.read(f));
            if (n instanceof Normalization.Unsupported u) {
                // A followed type that is not a job run (e.g. an ECS service's task) must say why.
                assertThat(u.reason()).as(f.toString()).isNotBlank();
                continue;
            }
            assertThat(n).as(f.toString()).isInstanceOf(Normalization.Normalized.class);
            RunEvent e = ((Normalization.Normalized) n).event();
            assertThat(e.job().source()).isEqualTo(d.source());
            assertThat(d.states().documents(e.sourceState()))
                    .as(f + ": state '" + e.sourceState() + "' is in the state map").isTrue();
            sawTerminal |= e.terminal();
            assertThat(ConsoleLinks.forRun(e.job(), e.runId())).as(f.toString())
                    .startsWith("https://" + e.job().region() + ".console.aws.amazon.com/");
            assertThat(ConsoleLinks.forRun(e.job(), null)).as(f + " (job page)").startsWith("https://");
        }
        assertThat(sawTerminal).as("a fixture of a finished run").isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void samples_areFixtures_showingEveryDetailType_aStartWhereThereIsOne_andAnEnd(EventBridgeSource d) throws Exception {
        Path dir = Fixtures.eventsDir().resolve(d.source().id());
        assertThat(d.samples()).isNotEmpty().doesNotHaveDuplicates();
        Set<String> types = new HashSet<>();
        List<RunEvent> events = new ArrayList<>();
        for (String name : d.samples()) {
            assertThat(dir.resolve(name)).as(d + " sample").isRegularFile();
            JsonNode event = Fixtures.read(dir.resolve(name));
            types.add(event.path("detail-type").asText());
            Normalization n = NORMALIZER.normalize(event);
            assertThat(n).as(name).isInstanceOf(Normalization.Normalized.class);
            events.add(((Normalization.Normalized) n).event());
        }
        assertThat(types).as("the samples show every detail-type").containsExactlyInAnyOrderElementsOf(d.detailTypes());
        assertThat(events.get(events.size() - 1).terminal()).as("the last sample ends a run").isTrue();
        boolean fixturesHaveAStart;
        try (Stream<Path> s = Files.list(dir)) {
            fixturesHaveAStart = s.filter(p -> p.toString().endsWith(".json"))
                    .map(p -> NORMALIZER.normalize(Fixtures.read(p))).anyMatch(n -> n instanceof Normalization.Normalized ok && !ok.event().terminal());
        }
        if (fixturesHaveAStart) {
            assertThat(events).as("the service sends a start: a sample shows it").anyMatch(e -> !e.terminal());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allSources")
    void stateMap_namesAnEnd_andDocumentsNothingTwice(SourceDescriptor d) {
        // ECS and DMS end in a state name (STOPPED) whose outcome their fields decide: fixtures and simulated runs show
        // both outcomes; the map itself must at least name how runs end.
        assertThat(d.states().byState().keySet()).anyMatch(RunState::terminal);
        List<String> upper = d.states().names().stream().map(s -> s.toUpperCase(java.util.Locale.ROOT)).toList();
        assertThat(upper).doesNotHaveDuplicates();
        assertThat(d.states().state("SOMETHING_NEW_" + d.source().id())).isEqualTo(RunState.RUNNING);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void simulatesRuns_thatReadBackAsItsOwnJob_inDocumentedStates(EventBridgeSource d) {
        SourceDescriptor.SimProfile profile = d.simProfile();
        assertThat(profile.jobs()).isPositive();
        assertThat(profile.minSeconds()).isPositive().isLessThan(profile.maxSeconds());
        SplittableRandom rnd = new SplittableRandom(42);
        String name = d.simJobName("fin", "orders", "load", rnd);
        JobKey job = new JobKey("123456789012", "eu-west-1", d.source(), name);
        Instant start = Instant.parse("2026-03-02T01:00:00Z");
        List<RunEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            boolean failed = i % 2 == 1;
            boolean neverEnds = i == 4;
            SimEvents out = new SimEvents(rnd);
            d.simulate(new SimRun(job, i, start.plusSeconds(3600L * i), start.plusSeconds(3600L * i + 600), failed,
                    neverEnds, rnd), out);
            for (ObjectNode event : out.events()) {
                Normalization n = NORMALIZER.normalize(event);
                assertThat(n).as(event.toString()).isInstanceOf(Normalization.Normalized.class);
                events.add(((Normalization.Normalized) n).event());
            }
        }
        assertThat(events).isNotEmpty();
        for (RunEvent e : events) {
            assertThat(e.job()).isEqualTo(job);
            assertThat(d.states().documents(e.sourceState())).as(e.sourceState()).isTrue();
        }
        assertThat(events).anyMatch(e -> e.state() == RunState.SUCCEEDED);
        assertThat(events).anyMatch(e -> e.state().failed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void namesItsReconcileActions(EventBridgeSource d) {
        assertThat(d.reconcileActions()).isNotEmpty().allMatch(a -> IAM_ACTION.matcher(a).matches());
    }

    /** The simulator writes what the services really send: redrives, retries, per-run names, partial failures. */
    @org.junit.jupiter.api.Test
    void simulatesRedrivesRetriesPerRunNamesAndPartialFailures_thatFoldIntoOneRunOfTheStableJob() {
        Instant start = Instant.parse("2026-03-02T01:00:00Z");
        for (JobSource source : List.of(JobSource.STEP_FUNCTIONS, JobSource.GLUE_JOB)) {
            JobKey job = new JobKey("123456789012", "eu-west-1", source, "fin-orders-load");
            SplittableRandom rnd = new SplittableRandom(7);
            long runNumber = source == JobSource.STEP_FUNCTIONS ? 3 : 5;
            SimEvents out = new SimEvents(rnd);
            Sources.eventBridge(source).simulate(new SimRun(job, runNumber, start, start.plusSeconds(3600), false, false, rnd),
                    out);
            io.jobwatch.core.store.Run run = null;
            for (ObjectNode e : out.events()) {
                RunEvent ev = ((Normalization.Normalized) NORMALIZER.normalize(e)).event();
                run = io.jobwatch.core.store.RunFold.apply(run, ev.runKey(), ev, start, java.time.Duration.ofDays(7))
                        .run();
            }
            assertThat(run.state()).as(source.id()).isEqualTo(RunState.SUCCEEDED);
            assertThat(run.attempt()).as(source.id()).isEqualTo(2);
            assertThat(run.notes()).as(source.id()).anySatisfy(n -> assertThat(n).startsWith("attempt 1 ended FAILED"));
        }
        boolean partial = false;
        boolean perRunName = false;
        for (int i = 0; i < 40; i++) {
            SplittableRandom rnd = new SplittableRandom(i);
            for (JobSource source : List.of(JobSource.APPFLOW, JobSource.BATCH)) {
                JobKey job = new JobKey("123456789012", "eu-west-1", source, "fin-orders-load-" + i);
                SimEvents out = new SimEvents(rnd);
                Sources.eventBridge(source).simulate(new SimRun(job, i, start, start.plusSeconds(600), false, false, rnd), out);
                for (ObjectNode e : out.events()) {
                    RunEvent ev = ((Normalization.Normalized) NORMALIZER.normalize(e)).event();
                    assertThat(ev.job()).isEqualTo(job);
                    partial |= ev.warning() != null && ev.state() == RunState.SUCCEEDED;
                    perRunName |= ev.rawJobName() != null && !ev.rawJobName().equals(job.jobName());
                }
            }
        }
        assertThat(partial).as("some AppFlow runs succeed with record failures").isTrue();
        assertThat(perRunName).as("some Batch jobs carry a per-run name").isTrue();
    }
}
