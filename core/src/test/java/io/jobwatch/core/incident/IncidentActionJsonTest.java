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
