package io.jobwatch.core.incident;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.jobwatch.core.incident.IncidentFixtures.LEDGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IncidentActionJsonTest {
    @Test
    void everyActionType_roundTrips() {
        for (IncidentAction a : List.of(IncidentFixtures.open(LEDGER, "jr_1"), IncidentFixtures.update(LEDGER, "jr_2"),
                IncidentFixtures.resolve(LEDGER, "jr_3"), IncidentFixtures.reopen(LEDGER, "jr_4"))) {
            assertThat(IncidentActionJson.read(IncidentActionJson.write(a))).isEqualTo(a);
        }
    }

    @Test
    void theCause_roundTrips_andAnEntryStoredWithoutOneReadsAsNone() {
        IncidentAction.Update withCause = new IncidentAction.Update(IncidentFixtures.ref(LEDGER, IncidentFixtures.T0,
                null), "jr_2", IncidentFixtures.T0, "Failed again.", new IncidentAction.Cause("TIMED_OUT",
                "Timeout: job ran longer than 60 minutes"));
        assertThat(IncidentActionJson.read(IncidentActionJson.write(withCause))).isEqualTo(withCause);
        String old = IncidentActionJson.write(IncidentFixtures.update(LEDGER, "jr_2"));
        assertThat(old).doesNotContain("cause");
        assertThat(IncidentActionJson.read(old).cause()).isNull();
    }

    @Test
    void aCausesDetail_isBounded() {
        IncidentAction.Cause c = new IncidentAction.Cause("FAILED", "x".repeat(5000));
        assertThat(c.detail()).hasSize(IncidentAction.Cause.MAX_DETAIL).endsWith("…");
        assertThat(new IncidentAction.Cause("FAILED", "  ").detail()).isNull();
    }

    @Test
    void unknownType_isRejectedWithTheExpectedValues() {
        String json = IncidentActionJson.write(IncidentFixtures.update(LEDGER, "jr_2")).replace("\"update\"", "\"close\"");
        assertThatThrownBy(() -> IncidentActionJson.read(json))
                .hasMessage("stored incident action has unknown type 'close' (expected open, update, resolve or reopen)");
    }

    @Test
    void missingField_isNamed() {
        assertThatThrownBy(() -> IncidentActionJson.read("{\"type\":\"update\"}"))
                .hasMessage("stored incident action lacks text field 'job'");
    }
}
