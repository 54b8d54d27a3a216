package io.jobwatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void render_writesPrometheusTextWithOneTypeLinePerFamily() {
        Metrics m = new Metrics();
        m.describe("jobwatch_events_total", "Events received, by outcome.");
        m.inc("jobwatch_events_total{outcome=\"created\"}", 3);
        m.inc("jobwatch_events_total{outcome=\"rejected\"}", 1);
        m.gauge("jobwatch_outbox_depth", () -> 2);
        assertThat(m.render()).isEqualTo("""
                # HELP jobwatch_events_total Events received, by outcome.
                # TYPE jobwatch_events_total counter
                jobwatch_events_total{outcome="created"} 3
                jobwatch_events_total{outcome="rejected"} 1
                # TYPE jobwatch_outbox_depth gauge
                jobwatch_outbox_depth 2
                """);
    }
}
