package io.jobwatch.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The channel secrets on AWS: one JSON secret of variable names to values, read once, before the function's
 * environment; and the digest function's signed GetSecretValue (Secrets Manager played by WireMock).
 */
class ChannelSecretsTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String SECRET = "{\"SLACK_ERP_WEBHOOK\":\"https://hooks.slack.com/services/T0/B0/tok3n\","
            + "\"PD_ERP_KEY\":\"0123456789abcdef0123456789abcdef\"}";

    @Test
    void theSecretsKeysComeFirst_thenTheEnvironment_andTheSecretIsReadOnce() {
        List<String> reads = new ArrayList<>();
        ChannelSecrets v = new ChannelSecrets(Map.of(ChannelSecrets.SECRET_ID, "jobwatch/channels",
                "PD_ERP_KEY", "from-the-environment", "TEAMS_ERP_WEBHOOK", "https://example.webhook.office.com/x"),
                id -> {
                    reads.add(id);
                    return SECRET;
                });
        assertThat(v.get("SLACK_ERP_WEBHOOK")).contains("https://hooks.slack.com/services/T0/B0/tok3n");
        assertThat(v.get("PD_ERP_KEY")).contains("0123456789abcdef0123456789abcdef");
        assertThat(v.get("TEAMS_ERP_WEBHOOK")).contains("https://example.webhook.office.com/x");
        assertThat(v.get("NOT_SET")).isEmpty();
        assertThat(reads).containsExactly("jobwatch/channels");
    }

    @Test
    void withoutASecretId_onlyTheEnvironment_andASecretThatIsNoObject_isNamedWithoutItsValue() {
        ChannelSecrets env = new ChannelSecrets(Map.of("X", "1"), id -> {
            throw new AssertionError("no secret to read");
        });
        assertThat(env.get("X")).contains("1");
        ChannelSecrets bad = new ChannelSecrets(Map.of(ChannelSecrets.SECRET_ID, "jobwatch/channels"),
                id -> "plain-secret-text");
        assertThatThrownBy(() -> bad.get("X")).hasMessageStartingWith("secret jobwatch/channels must be a JSON object")
                .hasMessageNotContaining("plain-secret-text");
    }

    @Test
    void theDigestFunctionsFetch_isOneSigV4SignedGetSecretValue() {
        wm.stubFor(WireMock.post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIDTEST/\\d{8}/eu-west-1/"
                        + "secretsmanager/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo("jobwatch/channels")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"ARN\":\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:jobwatch/channels-"
                                + "AbCdEf\",\"Name\":\"jobwatch/channels\",\"SecretString\":"
                                + Fixtures.JSON.valueToTree(SECRET) + ",\"VersionId\":\"v1\"}")));
        SecretsOverHttp fetch = new SecretsOverHttp(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                "AKIDTEST", "secret-key")), Region.EU_WEST_1, URI.create(wm.baseUrl()), Map.of());
        assertThat(fetch.apply("jobwatch/channels")).isEqualTo(SECRET);
        wm.verify(1, postRequestedFor(urlEqualTo("/")));

        wm.stubFor(WireMock.post(urlEqualTo("/")).atPriority(1).withRequestBody(matchingJsonPath("$.SecretId",
                equalTo("jobwatch/missing"))).willReturn(aResponse().withStatus(400)
                .withBody("{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Secrets Manager can't find the"
                        + " specified secret.\"}")));
        assertThatThrownBy(() -> fetch.apply("jobwatch/missing")).hasMessage("secret jobwatch/missing: Secrets"
                + " Manager answered HTTP 400 ResourceNotFoundException — the function needs"
                + " secretsmanager:GetSecretValue on it, and the secret must exist");
    }
}
