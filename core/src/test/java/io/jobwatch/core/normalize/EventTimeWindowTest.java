package io.jobwatch.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.testing.Fixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Envelope times outside the plausibility window around the injected clock are rejected with the bounds. */
class EventTimeWindowTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC);
    private final EventNormalizer normalizer = new EventNormalizer(CLOCK);

    private Normalization at(String time) {
        ObjectNode e = Fixtures.event("glue-job/failed.json");
        e.put("time", time);
        return normalizer.normalize(e);
    }

    @Test
    void timeInYear9999_isRejected_withTheWindowAndTheTimeFound() {
        Normalization n = at("9999-12-31T23:59:59Z");
        assertThat(n).isInstanceOf(Normalization.Rejected.class);
        assertThat(((Normalization.Rejected) n).message()).isEqualTo("time: expected a time between "
                + "2016-03-12T12:00:00Z and 2026-03-11T12:00:00Z (at most 3650 days before and 1 day after now), "
                + "found \"9999-12-31T23:59:59Z\"");
    }

    @Test
    void timeIn1970_isRejected() {
        assertThat(at("1970-01-01T00:00:00Z")).isInstanceOfSatisfying(Normalization.Rejected.class,
                r -> assertThat(r.field()).isEqualTo("time"));
    }

    @Test
    void timesJustInsideTheWindow_areAccepted_andJustOutsideRejected() {
        assertThat(at("2026-03-11T12:00:00Z")).isInstanceOf(Normalization.Normalized.class);
        assertThat(at("2026-03-11T12:00:01Z")).isInstanceOf(Normalization.Rejected.class);
        assertThat(at("2016-03-12T12:00:00Z")).isInstanceOf(Normalization.Normalized.class);
        assertThat(at("2016-03-12T11:59:59Z")).isInstanceOf(Normalization.Rejected.class);
        // A week-old event (a replay, a backfill) is fine.
        assertThat(at("2026-03-03T12:00:00Z")).isInstanceOf(Normalization.Normalized.class);
    }

    @Test
    void aCustomWindow_appliesItsBounds_andTheNoClockNormalizerChecksShapeOnly() {
        EventNormalizer tight = new EventNormalizer(CLOCK, new EventTimeWindow(Duration.ofDays(7), Duration.ofHours(1)));
        ObjectNode e = Fixtures.event("glue-job/failed.json");
        e.put("time", "2026-03-02T12:00:00Z");
        assertThat(tight.normalize(e)).isInstanceOfSatisfying(Normalization.Rejected.class,
                r -> assertThat(r.expected()).contains("at most 7 days before and PT1H after now"));
        e.put("time", "9999-12-31T23:59:59Z");
        assertThat(new EventNormalizer().normalize(e)).isInstanceOf(Normalization.Normalized.class);
    }
}
