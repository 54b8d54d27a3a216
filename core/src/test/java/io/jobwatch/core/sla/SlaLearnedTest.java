package io.jobwatch.core.sla;

import static io.jobwatch.core.sla.SlaFixtures.JOB;
import static io.jobwatch.core.sla.SlaFixtures.context;
import static io.jobwatch.core.sla.SlaFixtures.expect;
import static io.jobwatch.core.sla.SlaFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.sla.SlaFixtures.R;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expectations learned from history: cadence, too long, too short — LOW confidence, paging only when enabled. */
class SlaLearnedTest {
    private final SlaEngine engine = new SlaEngine();

    /** Daily successful runs of {@code took} at about 06:10 UTC on March 2..(1+days). */
    private static List<R> dailyAround0610(int days, Duration took) {
        List<R> out = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            Instant start = Instant.parse("2026-03-02T06:10:00Z").plus(Duration.ofDays(d)).plusSeconds((d * 37) % 120);
            out.add(new R("d" + d, start, start.plus(took), io.jobwatch.core.run.RunState.SUCCEEDED));
        }
        return out;
    }

    @Test
    void learnedCadence_dailyAt0610_isMissingWithLowConfidence_afterAQuarterDayOfSlack() {
        var policy = policy(JOB, expect(null, "Europe/Lisbon").learned(true));
        JobContext ctx = context(policy, dailyAround0610(7, Duration.ofMinutes(20)));
        // Last start 2026-03-08 ~06:11; expected ~2026-03-09 06:11; slack max(15m, 6h, deviations) = 6h.
        assertThat(engine.evaluate(Instant.parse("2026-03-09T12:00:00Z"), ctx)).isEmpty();
        List<Breach> late = engine.evaluate(Instant.parse("2026-03-09T12:30:00Z"), ctx);
        assertThat(late).singleElement().satisfies(b -> {
            assertThat(b.kind()).isEqualTo(BreachKind.MISSING);
            assertThat(b.confidence()).isEqualTo(Confidence.LOW);
            assertThat(b.pages()).isFalse();
            assertThat(b.detail()).startsWith("expected daily at ~06:1").contains("Europe/Lisbon (learned from 7 runs)");
        });
        var paging = policy(JOB, expect(null, "Europe/Lisbon").learned(true).pageOnLearned(true));
        assertThat(engine.evaluate(Instant.parse("2026-03-09T12:30:00Z"),
                context(paging, dailyAround0610(7, Duration.ofMinutes(20))))).singleElement()
                .satisfies(b -> assertThat(b.pages()).isTrue());
    }

    @Test
    void learnedCadence_needsEnoughHistory_andIsOffUnlessLearned() {
        var learned = policy(JOB, expect(null, "UTC").learned(true));
        assertThat(engine.evaluate(Instant.parse("2026-03-20T12:00:00Z"),
                context(learned, dailyAround0610(4, Duration.ofMinutes(20))))).isEmpty();
        var off = policy(JOB, expect(null, "UTC"));
        assertThat(engine.evaluate(Instant.parse("2026-03-20T12:00:00Z"),
                context(off, dailyAround0610(7, Duration.ofMinutes(20))))).isEmpty();
    }

    @Test
    void learnedCadence_weekdayJob_isNotMissingAtTheWeekend() {
        List<R> runs = new ArrayList<>();
        for (int d = 2; d <= 27; d++) {
            Instant start = Instant.parse(String.format("2026-03-%02dT06:00:00Z", d));
            int dow = start.atZone(java.time.ZoneOffset.UTC).getDayOfWeek().getValue();
            if (dow <= 5) {
                runs.add(new R("d" + d, start, start.plusSeconds(600), io.jobwatch.core.run.RunState.SUCCEEDED));
            }
        }
        var policy = policy(JOB, expect(null, "UTC").learned(true));
        // Friday 27 ran; Saturday and Sunday nothing is expected by a weekday cadence with weekend gaps in its history.
        assertThat(engine.evaluate(Instant.parse("2026-03-28T18:00:00Z"), context(policy, runs))).isEmpty();
        assertThat(engine.evaluate(Instant.parse("2026-03-29T18:00:00Z"), context(policy, runs))).isEmpty();
    }

    @Test
    void learnedDuration_runFarLongerThanUsual_isTooLong_withLowConfidence() {
        List<R> runs = new ArrayList<>(dailyAround0610(10, Duration.ofMinutes(10)));
        runs.add(R.running("stuck", "2026-03-12T06:10:00Z"));
        var policy = policy(JOB, expect("cron(10 6 * * ? *)", "UTC").learned(true));
        JobContext ctx = context(policy, runs);
        // p95 10m → limit max(30m, 20m) = 30m.
        assertThat(engine.evaluate(Instant.parse("2026-03-12T06:40:00Z"), ctx)).isEmpty();
        assertThat(engine.evaluate(Instant.parse("2026-03-12T06:41:00Z"), ctx)).singleElement().satisfies(b -> {
            assertThat(b.kind()).isEqualTo(BreachKind.LONG_RUNNING);
            assertThat(b.confidence()).isEqualTo(Confidence.LOW);
            assertThat(b.runId()).isEqualTo("stuck");
            assertThat(b.expectedAt()).isEqualTo(Instant.parse("2026-03-12T06:40:00Z"));
            assertThat(b.detail()).contains("usually ≤ 10m (p95 of 10 runs), limit 30m");
        });
    }

    @Test
    void learnedDuration_successIn2sInsteadOf20m_isTooShort_andTheNextNormalRunClearsIt() {
        List<R> runs = new ArrayList<>(dailyAround0610(8, Duration.ofMinutes(20)));
        runs.add(R.ok("hollow", "2026-03-10T06:10:00Z", Duration.ofSeconds(2)));
        var policy = policy(JOB, expect("cron(10 6 * * ? *)", "UTC").learned(true));
        assertThat(engine.evaluate(Instant.parse("2026-03-10T08:00:00Z"), context(policy, runs))).singleElement()
                .satisfies(b -> {
                    assertThat(b.kind()).isEqualTo(BreachKind.TOO_SHORT);
                    assertThat(b.confidence()).isEqualTo(Confidence.LOW);
                    assertThat(b.pages()).isFalse();
                    assertThat(b.detail()).isEqualTo("run hollow succeeded in 2s, usually 20m (median of 8 runs)");
                });
        runs.add(R.ok("normal", "2026-03-11T06:10:00Z", Duration.ofMinutes(19)));
        assertThat(engine.evaluate(Instant.parse("2026-03-11T08:00:00Z"), context(policy, runs))).isEmpty();
    }
}
