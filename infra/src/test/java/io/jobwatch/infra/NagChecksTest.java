package io.jobwatch.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** cdk-nag's AwsSolutions pack runs inside every synthesis (InfraMain applies it); these tests read its verdict. */
class NagChecksTest {

    @Test
    void awsSolutions_hasNoUnsuppressedErrors_inEitherStack() {
        // The assembly's error annotations of both stacks, as Annotations.fromStack(stack).findError would return
        // them; read from the shared synthesis because Annotations.fromStack synthesizes the app again (~10 s).
        assertThat(Synthesized.SYNTHESIS.errors()).isEmpty();
    }

    @Test
    void awsSolutions_actuallyRan_andEveryNonCompliantFindingIsSuppressed() {
        assertThat(Synthesized.SYNTHESIS.nagReports()).containsOnlyKeys(InfraMain.CENTRAL_STACK, InfraMain.MEMBER_STACK);
        String central = Synthesized.SYNTHESIS.nagReports().get(InfraMain.CENTRAL_STACK);
        assertThat(central).contains("AwsSolutions-DDB3").contains("AwsSolutions-S10").contains("AwsSolutions-SQS4");
        assertThat(central.lines().filter(l -> l.contains("\"Suppressed\"")).count()).isGreaterThanOrEqualTo(6);
        for (String report : Synthesized.SYNTHESIS.nagReports().values()) {
            assertThat(report.lines().filter(l -> l.contains("\"Non-Compliant\""))).isEmpty();
        }
    }

    @Test
    void everySuppression_hasAWrittenReason() {
        List<String> reasons = new ArrayList<>();
        for (JsonNode template : List.of(Synthesized.CENTRAL_JSON, Synthesized.MEMBER_JSON)) {
            template.get("Resources").forEach(r -> r.at("/Metadata/cdk_nag/rules_to_suppress").forEach(s -> {
                assertThat(s.get("id").asText()).startsWith("AwsSolutions-");
                reasons.add(s.get("id").asText() + ": " + s.get("reason").asText());
            }));
        }
        assertThat(reasons).isNotEmpty();
        assertThat(reasons).allSatisfy(r -> assertThat(r.substring(r.indexOf(':') + 2)).hasSizeGreaterThan(40));
    }
}
