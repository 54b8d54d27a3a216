package io.jobwatch.core.channel;

import static io.jobwatch.core.incident.IncidentFixtures.LEDGER;
import static io.jobwatch.core.incident.IncidentFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.catalog.Criticality;
import io.jobwatch.core.incident.CorrelationIds;
import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentFixtures;
import io.jobwatch.core.incident.IncidentRef;
import io.jobwatch.core.incident.ProblemKind;
import org.junit.jupiter.api.Test;

class IncidentNoticeTest {
    static final Catalog CATALOG = ((CatalogResult.Loaded) CatalogLoader.load("jobwatch.yml", """
            version: 1
            accounts:
              "234567890123": FinData
            teams:
              fin-ops: {}
            defaults: {team: fin-ops, criticality: critical}
            """)).catalog();

    @Test
    void anOpen_carriesTheJobSystemStateErrorLinkAndNumber() {
        IncidentAction.Open open = new IncidentAction.Open(IncidentFixtures.ref(LEDGER, T0, null), "jr_1", T0, "t",
                "d", 1, 1, null, "Jobwatch", "https://console.aws.amazon.com/gluestudio/x", "Opened.",
                new IncidentAction.Cause("TIMED_OUT", "Timeout: ran 60 minutes"));
        IncidentNotice n = IncidentNotice.of(open, CATALOG.resolve(LEDGER), "INC0012345");
        assertThat(n.summary()).isEqualTo("Incident opened: [FinData] Glue job fin-ledger-load TIMED OUT (INC0012345)");
        assertThat(n.team()).isEqualTo("fin-ops");
        assertThat(n.criticality()).isEqualTo(Criticality.CRITICAL);
        assertThat(n.fields()).extracting(IncidentNotice.Field::label)
                .containsExactly("Job", "System", "State", "Run", "Incident", "Criticality", "Account", "Error");
        assertThat(n.fields()).contains(new IncidentNotice.Field("State", "TIMED OUT"),
                new IncidentNotice.Field("Incident", "INC0012345"),
                new IncidentNotice.Field("Error", "Timeout: ran 60 minutes"));
        assertThat(n.consoleLink()).isEqualTo("https://console.aws.amazon.com/gluestudio/x");
    }

    @Test
    void aResolve_saysSo_withoutTheError() {
        IncidentNotice n = IncidentNotice.of(IncidentFixtures.resolve(LEDGER, "jr_3"), CATALOG.resolve(LEDGER), null);
        assertThat(n.resolved()).isTrue();
        assertThat(n.state()).as("stored without a cause: from the action").isEqualTo("SUCCEEDED");
        assertThat(n.summary()).isEqualTo("Resolved: [FinData] Glue job fin-ledger-load is back to normal");
        assertThat(n.fields()).contains(new IncidentNotice.Field("State", "RESOLVED (SUCCEEDED)"),
                new IncidentNotice.Field("Incident", "not in ServiceNow yet"));
        assertThat(n.note()).startsWith("Auto-resolved:");
    }

    @Test
    void anSlaBreach_isNamedByItsProblem_andWithoutACatalogTheDefaultsApply() {
        IncidentRef ref = new IncidentRef(LEDGER, ProblemKind.LATE, CorrelationIds.of(LEDGER, ProblemKind.LATE), T0, null);
        IncidentAction.Update late = new IncidentAction.Update(ref, null, T0, "LATE again at …",
                new IncidentAction.Cause("LATE", "expected by 06:00, not started"));
        IncidentNotice n = IncidentNotice.of(late, null, null);
        assertThat(n.summary()).isEqualTo("Late again: Glue job fin-ledger-load LATE");
        assertThat(n.system()).isNull();
        assertThat(n.criticality()).isEqualTo(Criticality.NORMAL);
        assertThat(n.fields()).contains(new IncidentNotice.Field("Detail", "expected by 06:00, not started"));
        assertThat(n.consoleLink()).startsWith("https://");
    }
}
