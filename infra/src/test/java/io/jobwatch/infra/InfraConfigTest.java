package io.jobwatch.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfraConfigTest {

    private static InfraConfig config(Map<String, Object> context) {
        return InfraConfig.from(context::get);
    }

    @Test
    void from_usesExampleDefaults_andListsThemForTheDeployWarning() {
        InfraConfig c = config(Map.of());
        assertThat(c.orgId()).isEqualTo("o-exampleorgid");
        assertThat(c.regions()).containsExactly("us-east-1");
        assertThat(c.sesIdentity()).isEqualTo("example.com");
        assertThat(c.digestSchedule()).isEqualTo("cron(0 * * * ? *)");
        assertThat(c.periodicSchedule()).isEqualTo("rate(5 minutes)");
        assertThat(c.reconcileSchedule()).isEqualTo("rate(10 minutes)");
        assertThat(c.ingestMode()).isEqualTo(InfraConfig.IngestMode.DIRECT);
        assertThat(c.reconcileMemoryMb()).isEqualTo(256);
        assertThat(c.exampleValuesUsed()).containsExactlyInAnyOrder("orgId", "centralAccount", "sesFrom",
                "servicenowInstance", "reconcileExternalId");
    }

    @Test
    void from_withOnlyAnAccountList_doesNotAlsoTrustTheExampleOrganization() {
        InfraConfig c = config(Map.of("memberAccounts", "123456789012, 234567890123"));
        assertThat(c.orgId()).isEmpty();
        assertThat(c.usesOrganization()).isFalse();
        assertThat(c.memberAccounts()).containsExactly("123456789012", "234567890123");
        assertThat(c.exampleValuesUsed()).doesNotContain("orgId");
    }

    @Test
    void from_acceptsJsonListsAndNumbersFromCdkJson() {
        InfraConfig c = config(Map.of("regions", List.of("eu-west-1", "eu-central-1"), "retentionDays", 14,
                "digestEmails", List.of("a@example.org", "b@example.org")));
        assertThat(c.regions()).containsExactly("eu-west-1", "eu-central-1");
        assertThat(c.retentionDays()).isEqualTo(14);
        assertThat(c.digestEmails()).hasSize(2);
    }

    @Test
    void from_rejectsBadValues_namingTheKeyAndTheFix() {
        assertThatThrownBy(() -> config(Map.of("orgId", "org-1")))
                .hasMessage("context orgId: expected o- followed by 10 to 32 lowercase letters or digits, found"
                        + " 'org-1' (copy it from AWS Organizations → Settings, or pass orgId= (empty) with"
                        + " memberAccounts)");
        assertThatThrownBy(() -> config(Map.of("orgId", "", "memberAccounts", "")))
                .hasMessageContaining("context orgId/memberAccounts: expected an Organization id or at least one"
                        + " member account");
        assertThatThrownBy(() -> config(Map.of("memberAccounts", "12345")))
                .hasMessageContaining("context memberAccounts: expected a 12-digit account id, found '12345'");
        assertThatThrownBy(() -> config(Map.of("periodicSchedule", "every 5 minutes")))
                .hasMessageContaining("context periodicSchedule: expected cron(…) or rate(…)");
        assertThatThrownBy(() -> config(Map.of("reconcileMemoryMb", "64")))
                .hasMessageContaining("context reconcileMemoryMb: expected a Lambda memory size from 128 to 10240 MB");
        assertThat(config(Map.of("reconcileMemoryMb", 1769)).reconcileMemoryMb()).isEqualTo(1769);
        assertThatThrownBy(() -> config(Map.of("ingestMode", "kinesis")))
                .hasMessageContaining("context ingestMode: expected direct or queue, found 'kinesis'");
        assertThatThrownBy(() -> config(Map.of("logRetentionDays", "10")))
                .hasMessageContaining("context logRetentionDays: expected one of [1, 3, 5, 7, 14, 30");
        assertThatThrownBy(() -> config(Map.of("servicenowInstance", "http://x.service-now.com")))
                .hasMessageContaining("expected an https:// URL");
        assertThatThrownBy(() -> config(Map.of("athenaBytesScannedLimit", "1000")))
                .hasMessageContaining("at least 10485760 bytes");
        assertThatThrownBy(() -> config(Map.of("retentionDays", "week")))
                .hasMessageContaining("context retentionDays: expected a whole number, found 'week'");
    }

    @Test
    void from_readsTheIngestMode_caseInsensitively() {
        assertThat(config(Map.of("ingestMode", "QUEUE")).ingestMode()).isEqualTo(InfraConfig.IngestMode.QUEUE);
        assertThat(config(Map.of("ingestMode", "direct")).ingestMode()).isEqualTo(InfraConfig.IngestMode.DIRECT);
    }

    @Test
    void from_rejectsTheSeparateSlaAndOutboxSchedules_pointingToTheirReplacement() {
        assertThatThrownBy(() -> config(Map.of("slaSchedule", "rate(5 minutes)")))
                .hasMessage("context slaSchedule: expected no such key any more, found 'rate(5 minutes)' (use"
                        + " periodicSchedule (one function runs the SLA checks and the incident pass))");
        assertThatThrownBy(() -> config(Map.of("outboxSchedule", "rate(1 minute)")))
                .hasMessageContaining("context outboxSchedule").hasMessageContaining("use periodicSchedule");
    }
}
