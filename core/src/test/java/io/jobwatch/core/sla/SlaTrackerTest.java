package io.jobwatch.core.sla;

import static io.jobwatch.core.sla.SlaFixtures.JOB;
import static io.jobwatch.core.sla.SlaFixtures.context;
import static io.jobwatch.core.sla.SlaFixtures.expect;
import static io.jobwatch.core.sla.SlaFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.MaintenanceWindow;
import io.jobwatch.core.digest.SlaBreach;
import io.jobwatch.core.incident.Health;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.incident.Transition;
import io.jobwatch.core.sla.SlaFixtures.R;
import io.jobwatch.core.sla.SlaTracker.Change;
import io.jobwatch.core.sla.SlaTracker.Cleared;
import io.jobwatch.core.sla.SlaTracker.Raised;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlaTrackerTest {
    private final SlaEngine engine = new SlaEngine();
    private final BreachStore store = new InMemoryBreachStore();
    private final SlaTracker tracker = new SlaTracker(store);

    @Test
    void missingJob_isRaisedOnce_overManyEvaluations_thenClearedByTheRecoveringRun() {
        var policy = policy(JOB, expect("cron(30 5 * * ? *)", "Europe/Lisbon").grace(Duration.ofMinutes(30)));
        List<R> runs = new ArrayList<>(List.of(R.ok("yesterday", "2026-03-03T05:31:00Z", Duration.ofMinutes(20))));
        List<Change> all = new ArrayList<>();
        // Every 5 minutes from 05:00 to 09:00: not run until 08:00.
        for (Instant now = Instant.parse("2026-03-04T05:00:00Z"); !now.isAfter(Instant.parse("2026-03-04T09:00:00Z"));
             now = now.plus(Duration.ofMinutes(5))) {
            if (now.equals(Instant.parse("2026-03-04T08:00:00Z"))) {
                runs.add(R.running("late", "2026-03-04T08:00:00Z"));
            }
            all.addAll(tracker.update(engine.evaluate(now, context(policy, runs)), now));
        }
        assertThat(all).hasSize(2);
        assertThat(all.get(0)).isInstanceOf(Raised.class);
        assertThat(all.get(0).breach().detectedAt()).isEqualTo(Instant.parse("2026-03-04T06:00:00Z"));
        assertThat(all.get(1)).isInstanceOf(Cleared.class);
        assertThat(((Cleared) all.get(1)).at()).isEqualTo(Instant.parse("2026-03-04T08:00:00Z"));

        Transition raised = all.get(0).transition().orElseThrow();
        assertThat(raised.kind()).isEqualTo(ProblemKind.MISSING);
        assertThat(raised.from()).isEqualTo(Health.HEALTHY);
        assertThat(raised.to()).isEqualTo(Health.FAILING);
        assertThat(raised.runId()).isNull();
        assertThat(raised.error()).contains("expected at 2026-03-04 05:30 Europe/Lisbon (cron(30 5 * * ? *))");
        Transition cleared = all.get(1).transition().orElseThrow();
        assertThat(cleared.to()).isEqualTo(Health.HEALTHY);
        assertThat(cleared.flip()).isTrue();
        assertThat(store.active()).isEmpty();
    }

    @Test
    void maintenanceWindow_clearsAtItsStart_andRaisesNothingForStartsInsideIt() {
        var policy = policy(JOB, expect("cron(0 * * * ? *)", "UTC").grace(Duration.ofMinutes(10)),
                new MaintenanceWindow.Fixed(Instant.parse("2026-03-05T22:00:00Z"), Instant.parse("2026-03-06T02:00:00Z")));
        List<R> runs = List.of(R.ok("h20", "2026-03-05T20:00:30Z", Duration.ofMinutes(5)));
        List<Change> all = new ArrayList<>();
        for (Instant now = Instant.parse("2026-03-05T21:00:00Z"); !now.isAfter(Instant.parse("2026-03-06T03:00:00Z"));
             now = now.plus(Duration.ofMinutes(1))) {
            all.addAll(tracker.update(engine.evaluate(now, context(policy, runs)), now));
        }
        assertThat(all).extracting(c -> c.getClass().getSimpleName() + " " + c.breach().expectedAt() + " "
                + (c instanceof Cleared cl ? cl.at() : c.breach().detectedAt())).containsExactly(
                "Raised 2026-03-05T21:00:00Z 2026-03-05T21:10:00Z",
                "Cleared 2026-03-05T21:00:00Z 2026-03-05T22:00:00Z",
                "Raised 2026-03-06T02:00:00Z 2026-03-06T02:10:00Z");
    }

    @Test
    void tooShort_andLearnedBreaches_goToTheDigestOnly_unlessPageOnLearned() {
        Instant now = Instant.parse("2026-03-03T09:00:00Z");
        Breach tooShort = new Breach(JOB, BreachKind.TOO_SHORT, now, now, "2s", Confidence.HIGH, "r", false);
        Breach learned = new Breach(SlaFixtures.OTHER, BreachKind.MISSING, now, now, "learned", Confidence.LOW,
                null, false);
        Breach learnedPaging = new Breach(JOB, BreachKind.LONG_RUNNING, now, now, "x", Confidence.LOW, "r", true);
        List<Change> changes = tracker.update(List.of(tooShort, learned, learnedPaging), now);
        assertThat(changes).hasSize(3);
        assertThat(changes).filteredOn(c -> c.transition().isPresent()).extracting(c -> c.breach().kind())
                .containsExactly(BreachKind.LONG_RUNNING);
        assertThat(tooShort.problemKind()).isEmpty();
        assertThat(SlaBreach.of(learned, "Analytics").detail()).isEqualTo("learned (learned)");
        assertThat(tracker.update(List.of(tooShort, learned, learnedPaging), now.plusSeconds(60))).isEmpty();
    }
}
