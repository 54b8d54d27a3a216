package io.jobwatch.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.digest.DigestFixtures;
import io.jobwatch.core.digest.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

import java.net.URI;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SesChannelTest {
    @RegisterExtension
    static final WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final Message DIGEST = Message.ofDigest(DigestFixtures.digest(),
            List.of("fin-data@example.com", "fin-oncall@example.com"), "jobwatch@example.com");

    private SesV2Client client;

    private SesChannel notifier() {
        client = new AwsSetup(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret-test-key")),
                Region.EU_WEST_1, URI.create(aws.baseUrl())).ses(java.util.Map.of());
        return new SesChannel(client, null);
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private static void stubSend(int status, String errorType, String body) {
        var response = aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
        if (errorType != null) {
            response = response.withHeader("x-amzn-ErrorType", errorType);
        }
        aws.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/v2/email/outbound-emails")).willReturn(response));
    }

    @Test
    void send_postsSendEmail_withSimpleContent_htmlAndTextBodies() throws Exception {
        stubSend(200, null, "{\"MessageId\":\"0102018f-test\"}");

        notifier().deliver(DIGEST);

        List<LoggedRequest> requests = aws.findAll(postRequestedFor(urlEqualTo("/v2/email/outbound-emails")));
        assertThat(requests).hasSize(1);
        LoggedRequest r = requests.get(0);
        assertThat(r.getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
                .contains("/eu-west-1/ses/aws4_request").doesNotContain("secret-test-key");
        JsonNode body = new ObjectMapper().readTree(r.getBodyAsString());
        assertThat(body.path("FromEmailAddress").asText()).isEqualTo("jobwatch@example.com");
        assertThat(body.path("Destination").path("ToAddresses")).extracting(JsonNode::asText)
                .containsExactly("fin-data@example.com", "fin-oncall@example.com");
        JsonNode simple = body.path("Content").path("Simple");
        assertThat(simple.path("Subject").path("Data").asText()).isEqualTo("Jobwatch \u2014 FinData: 2 failing, 1 late, 41 ok (11:00)");
        assertThat(simple.path("Subject").path("Charset").asText()).isEqualTo("UTF-8");
        assertThat(simple.path("Body").path("Html").path("Data").asText()).isEqualTo(DIGEST.html());
        assertThat(simple.path("Body").path("Html").path("Charset").asText()).isEqualTo("UTF-8");
        assertThat(simple.path("Body").path("Text").path("Data").asText()).isEqualTo(DIGEST.text());
    }

    @Test
    void send_failsPermanently_whenSesRejectsTheMessage() {
        stubSend(400, "MessageRejected", "{\"message\":\"Email address is not verified: jobwatch@example.com\"}");
        assertThatThrownBy(() -> notifier().deliver(DIGEST))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("ses: MessageRejected (HTTP 400): Email address is not verified: jobwatch@example.com");
                });
    }

    @Test
    void send_failsRetryably_whenThrottled_andTheSdkDoesNotRetryOnItsOwn() {
        stubSend(429, "TooManyRequestsException", "{\"message\":\"Maximum sending rate exceeded.\"}");
        assertThatThrownBy(() -> notifier().deliver(DIGEST))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue());
        assertThat(aws.findAll(postRequestedFor(urlEqualTo("/v2/email/outbound-emails")))).hasSize(1);
    }
}
