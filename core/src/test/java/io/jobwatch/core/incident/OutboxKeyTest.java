package io.jobwatch.core.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The outbox key of a decided action: a work note for one run is one entry however often it is decided (concurrent
 * writers, a redelivered run); a state change decided again on the same run after the incident changed state (a
 * resolve after a reopen) is a new entry.
 */
class OutboxKeyTest {
    static final JobKey JOB = new JobKey("123456789012", "eu-west-1", JobSource.GLUE_JOB, "orders-load");
    static final Instant T0 = Instant.parse("2026-03-02T03:00:00Z");
    static final IncidentRef REF = new IncidentRef(JOB, ProblemKind.FAILURE, CorrelationIds.of(JOB, ProblemKind.FAILURE),
            T0, null);

    @Test
    void aWorkNoteForOneRun_isOneKey_whateverTheDecisionsVersion() {
        IncidentAction.Update note = new IncidentAction.Update(REF, "jr_2", T0.plusSeconds(60), "Failed again: run jr_2.",
                new IncidentAction.Cause("FAILED", "boom"));
        assertThat(IncidentState.keyOf(note, 3)).isEqualTo(IncidentState.keyOf(note, 7))
                .isEqualTo(IncidentState.keyOf(note));
    }

    @Test
    void aResolveDecidedAgainOnTheSameRun_isANewKey() {
        IncidentAction.Resolve resolve = new IncidentAction.Resolve(REF, "jr_3", T0.plusSeconds(120), "Auto-resolved.",
                "Resolved by Jobwatch.", new IncidentAction.Cause("SUCCEEDED", null));
        assertThat(IncidentState.keyOf(resolve, 4)).isNotEqualTo(IncidentState.keyOf(resolve, 9));
    }
}
