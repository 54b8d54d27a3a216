package io.jobwatch.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobSummaryStateTest {
    private static final JobKey JOB = new JobKey("123456789012", "eu-west-1", JobSource.GLUE_JOB, "erp-orders-load");
    private static final Instant T0 = Instant.parse("2026-03-02T01:00:00Z");

    private static Run run(String id, RunState state, Instant start) {
        return new Run(new RunKey(JOB, id), state, state.name(), start, start.plusSeconds(600), null, List.of(),
                T0, T0, 2, start.plusSeconds(600), T0.plusSeconds(7 * 86_400));
    }

    /** Two run ids on the same ring: runs of theirs in the same hour share a slot. */
    private static String[] collidingIds() {
        int ring = JobSummaryState.slotOf("jr_0", T0) / 16;
        for (int i = 1; i < 100; i++) {
            if (JobSummaryState.slotOf("jr_" + i, T0) / 16 == ring) {
                return new String[] {"jr_0", "jr_" + i};
            }
        }
        throw new IllegalStateException("no run id on the same ring");
    }

    @Test
    void slots_keepADailyJobsLast16RunsOfARing_andAnHourlyJobsLast15Hours_allDistinct() {
        java.util.Set<Integer> daily = new java.util.HashSet<>();
        for (int d = 0; d < 16; d++) {
            daily.add(JobSummaryState.slotOf("jr_0", T0.plusSeconds(86_400L * d + 137)));
        }
        assertThat(daily).hasSize(16);
        for (int start = 0; start < 48; start++) {
            java.util.Set<Integer> hourly = new java.util.HashSet<>();
            for (int h = 0; h < 15; h++) {
                hourly.add(JobSummaryState.slotOf("jr_0", T0.plusSeconds(3600L * (start + h) + 59)) % 16);
            }
            assertThat(hourly).as("15 hours from hour %d", start).hasSize(15);
        }
    }

    @Test
    void olderRunArrivingLate_doesNotEvictTheNewerRunFromItsSlot() {
        String[] ids = collidingIds();
        Run older = run(ids[0], RunState.FAILED, T0);
        Run newer = run(ids[1], RunState.SUCCEEDED, T0.plusSeconds(900));

        JobSummary inOrder = JobSummaryState.empty().finished(older, T0).finished(newer, T0).toSummary(JOB);
        JobSummary outOfOrder = JobSummaryState.empty().finished(newer, T0).finished(older, T0).toSummary(JOB);

        assertThat(inOrder.latestRun().runId()).isEqualTo(ids[1]);
        assertThat(outOfOrder.latestRun().runId()).isEqualTo(ids[1]);
        assertThat(outOfOrder.latestState()).isEqualTo(RunState.SUCCEEDED);
    }
}
