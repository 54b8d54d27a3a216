package io.jobwatch.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentDecision;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentState;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.InMemoryIncidentStore;
import io.jobwatch.core.incident.InMemoryOutbox;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.InMemoryRunRecords;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.testing.Fixtures;
import io.jobwatch.core.testing.TestClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A failed run that the service runs again (a Step Functions redrive, a Glue retry) and that then succeeds is a
 * recovery: the incident its failure opened resolves, with notes naming the attempt — from the real published events,
 * in any order, with duplicates.
 */
class RedriveAndRetryIncidentsTest {
    /** FAILED (redrivable), the redrive RUNNING with redriveCount 1, SUCCEEDED with redriveCount 1: one execution. */
    static final List<String> REDRIVE = List.of("step-functions/failed-redrivable.json",
            "step-functions/redriven-running.json", "step-functions/succeeded-after-redrive.json");
    /** jr_… FAILED, then jr_…_attempt_1 SUCCEEDED: one run. */
    static final List<String> RETRY = List.of("glue-job/failed.json", "glue-job/retry-succeeded.json");

    record Delivered(Run run, Optional<IncidentRecord> incident, List<IncidentAction> actions) {
    }

    static Delivered deliver(List<RunEvent> events) {
        return deliver(events, null);
    }

    static Delivered deliver(List<RunEvent> events, String catalogYaml) {
        io.jobwatch.core.catalog.Catalog catalog = catalogYaml == null ? null
                : ((io.jobwatch.core.catalog.CatalogResult.Loaded) io.jobwatch.core.catalog.CatalogLoader
                .load("jobwatch.yml", catalogYaml)).catalog();
        TestClock clock = new TestClock(Instant.parse("2026-03-22T00:00:00Z"));
        RunStore runs = InMemoryRunRecords.store(clock, RunStore.DEFAULT_RETENTION);
        InMemoryIncidentStore incidents = new InMemoryIncidentStore();
        IngestPipeline pipeline = new IngestPipeline(runs, catalog == null ? null : () -> catalog,
                new IncidentTracker(new IncidentPolicy(clock), incidents, new InMemoryOutbox(), clock));
        List<IncidentAction> actions = new ArrayList<>();
        for (RunEvent e : events) {
            pipeline.ingest(List.of(e)).decisions().stream().map(IncidentDecision::action)
                    .filter(a -> a != null).forEach(actions::add);
        }
        RunEvent any = events.get(0);
        return new Delivered(runs.get(any.runKey()).orElseThrow(),
                incidents.load(any.job(), ProblemKind.FAILURE).map(IncidentState::record), actions);
    }

    static List<RunEvent> events(List<String> fixtures) {
        return fixtures.stream().map(Fixtures::runEvent).toList();
    }

    @Test
    void redrivenExecution_thatSucceeds_resolvesTheIncidentItsFailureOpened_namingTheAttempt() {
        Delivered d = deliver(events(REDRIVE));

        assertThat(d.run().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(d.run().attempt()).isEqualTo(2);
        assertThat(d.run().notes()).anySatisfy(n -> assertThat(n).contains("attempt 1").contains("FAILED"));
        assertThat(d.actions()).hasSize(2);
        assertThat(d.actions().get(0)).isInstanceOf(IncidentAction.Open.class);
        assertThat(d.actions().get(1)).isInstanceOfSatisfying(IncidentAction.Resolve.class, r -> {
            assertThat(r.closeNotes()).contains("SUCCEEDED on attempt 2");
            assertThat(r.workNote()).contains("succeeded on attempt 2, after 1 failed attempt");
        });
        assertThat(d.incident()).hasValueSatisfying(i -> assertThat(i.open()).isFalse());
    }

    @Test
    void glueRetry_thatSucceeds_isTheSameRun_andResolvesTheIncident() {
        Delivered d = deliver(events(RETRY));

        assertThat(d.run().runId()).doesNotContain("_attempt_");
        assertThat(d.run().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(d.run().attempt()).isEqualTo(2);
        assertThat(d.actions()).last().isInstanceOfSatisfying(IncidentAction.Resolve.class,
                r -> assertThat(r.closeNotes()).contains("on attempt 2"));
        assertThat(d.incident()).hasValueSatisfying(i -> assertThat(i.open()).isFalse());
    }

    @Test
    void theRedriveStillRunning_keepsTheIncidentOpen() {
        Delivered d = deliver(events(REDRIVE.subList(0, 2)));

        assertThat(d.run().state()).isEqualTo(RunState.RUNNING);
        assertThat(d.run().attempt()).isEqualTo(2);
        assertThat(d.incident()).hasValueSatisfying(i -> assertThat(i.open()).isTrue());
    }

    @Property(tries = 60)
    void anyOrderAndDuplicates_ofARedriveOrARetryStream_giveTheSameRunAndIncident(
            @ForAll("deliveries") List<RunEvent> delivery) {
        List<RunEvent> inOrder = delivery.get(0).job().source().id().equals("glue-job") ? events(RETRY)
                : events(REDRIVE);
        Delivered reference = deliver(inOrder);
        Delivered d = deliver(delivery);

        assertThat(state(d.run())).isEqualTo(state(reference.run()));
        assertThat(d.incident().map(IncidentRecord::open).orElse(false)).isFalse();
        assertThat(d.actions().stream().filter(a -> a instanceof IncidentAction.Open).count())
                .as("never more openings than the live feed").isLessThanOrEqualTo(1);
    }

    /** The stream's events shuffled, some of them twice. */
    @Provide
    Arbitrary<List<RunEvent>> deliveries() {
        return Arbitraries.of(REDRIVE, RETRY).flatMap(stream -> {
            List<RunEvent> all = events(stream);
            return Arbitraries.integers().between(0, (1 << all.size()) - 1).flatMap(twice -> {
                List<RunEvent> list = new ArrayList<>(all);
                for (int i = 0; i < all.size(); i++) {
                    if ((twice & (1 << i)) != 0) {
                        list.add(all.get(i));
                    }
                }
                return Arbitraries.shuffle(list);
            });
        });
    }

    static final String CATALOG = """
            version: 1
            teams:
              data: {recipients: [data@example.com]}
            defaults:
              team: data
            jobs:
              - name: retried
                match: {source: [glue-job]}
                incident: {waitForRetries: 1}
              - name: partial-is-a-problem
                match: {source: [appflow], jobName: [s3-orders-to-lake]}
                incident: {onWarning: open}
            """;

    @Test
    void waitForRetries_aFailedAttemptTheServiceRetries_opensNothing_andItsSuccessfulRetryLeavesNoIncident() {
        Delivered failedOnly = deliver(events(RETRY.subList(0, 1)), CATALOG);
        assertThat(failedOnly.run().state()).isEqualTo(RunState.FAILED);
        assertThat(failedOnly.actions()).as("failed, retrying: nothing opened").isEmpty();
        assertThat(failedOnly.incident()).isEmpty();

        Delivered retried = deliver(events(RETRY), CATALOG);
        assertThat(retried.run().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(retried.actions()).isEmpty();
        assertThat(retried.incident()).isEmpty();
    }

    @Test
    void waitForRetries_theLastAttemptFailing_opens() {
        RunEvent lastAttemptFailed = io.jobwatch.core.store.StoreFixtures.attempt(
                io.jobwatch.core.store.StoreFixtures.finished("retry-failed", events(RETRY).get(0).job(),
                        events(RETRY).get(0).runId(), RunState.FAILED, null, Instant.parse("2026-03-02T02:52:10Z")), 2);
        Delivered d = deliver(List.of(events(RETRY).get(0), lastAttemptFailed), CATALOG);

        assertThat(d.run().attempt()).isEqualTo(2);
        assertThat(d.actions()).singleElement().isInstanceOf(IncidentAction.Open.class);
    }

    @Test
    void appFlowPartialFailure_isDigestOnly_byDefault_andOpensWithOnWarningOpen() {
        RunEvent partial = Fixtures.runEvent("appflow/success-with-record-failures.json");
        assertThat(deliver(List.of(partial)).actions()).isEmpty();

        Delivered d = deliver(List.of(partial), CATALOG);
        assertThat(d.actions()).singleElement().isInstanceOfSatisfying(IncidentAction.Open.class, o -> {
            assertThat(o.title()).endsWith("SUCCEEDED WITH WARNINGS");
            assertThat(o.description()).contains("Succeeded with a warning: 12 of 63000 records failed");
        });
        assertThat(d.incident()).hasValueSatisfying(i -> assertThat(i.open()).isTrue());

        RunEvent cleanLater = io.jobwatch.core.store.StoreFixtures.finished("clean", partial.job(), "exec-next",
                RunState.SUCCEEDED, partial.endedAt().plusSeconds(3600), partial.endedAt().plusSeconds(3700));
        Delivered recovered = deliver(List.of(partial, cleanLater), CATALOG);
        assertThat(recovered.actions()).last().isInstanceOf(IncidentAction.Resolve.class);
    }

    private static String state(Run r) {
        return r.key() + " " + r.state() + " " + r.startedAt() + " " + r.endedAt() + " attempt " + r.attempt() + " "
                + r.error() + " " + r.notes();
    }
}
