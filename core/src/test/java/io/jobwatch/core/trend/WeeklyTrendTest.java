package io.jobwatch.core.trend;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import org.junit.jupiter.api.Test;

class WeeklyTrendTest {
    static final JobKey JOB = new JobKey("123456789012", "eu-west-1", JobSource.STEP_FUNCTIONS, "erp-load");

    @Test
    void text_saysTheWeeksRate_itsChangeInPoints_andTheSlowestGrowingJob() {
        assertThat(new WeeklyTrend(0.971, 0.983, new Trends.Growth(JOB, "ERP", 750, 902)).text())
                .isEqualTo("success 97.1% (\u22121.2 pts vs last week), slowest-growing job: erp-load (p95 12m 30s \u2192 15m 02s)");
        assertThat(new WeeklyTrend(0.99, 0.95, null).text()).isEqualTo("success 99.0% (+4.0 pts vs last week)");
        assertThat(new WeeklyTrend(0.5, 0.5, null).text()).isEqualTo("success 50.0% (±0.0 pts vs last week)");
        assertThat(new WeeklyTrend(null, null, null).text()).isEqualTo("success - (no finished run last week)");
    }
}
