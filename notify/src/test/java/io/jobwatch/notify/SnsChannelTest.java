package io.jobwatch.notify;

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
import software.amazon.awssdk.services.sns.SnsClient;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnsChannelTest {
    @RegisterExtension
    static final WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String TOPIC = "arn:aws:sns:eu-west-1:111122223333:jobwatch-findata-digest";
    private static final Message DIGEST = Message.ofDigest(DigestFixtures.digest(), List.of(), "jobwatch@example.com");

    private SnsClient client;

    private SnsChannel notifier() {
        client = new AwsSetup(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret-test-key")),
                Region.EU_WEST_1, URI.create(aws.baseUrl())).sns(java.util.Map.of());
        return new SnsChannel(client, TOPIC);
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    private static void stubPublish(int status, String xml) {
        aws.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(xml)));
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return fields;
    }

    @Test
    void send_publishesTheTextVersion_toTheTopic_withAnAsciiSubject() {
        stubPublish(200, "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                + "<MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId></PublishResult>"
                + "<ResponseMetadata><RequestId>f187a3c1-376f-11df-8963-01868b7c937a</RequestId></ResponseMetadata></PublishResponse>");

        assertThatNoException(() -> notifier().deliver(DIGEST));

        List<LoggedRequest> requests = aws.findAll(postRequestedFor(urlEqualTo("/")));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(requests.get(0).getHeader("Authorization")).contains("/eu-west-1/sns/aws4_request");
        Map<String, String> f = form(requests.get(0).getBodyAsString());
        assertThat(f).containsEntry("Action", "Publish")
                .containsEntry("Version", "2010-03-31")
                .containsEntry("TopicArn", TOPIC)
                .containsEntry("Subject", "Jobwatch - FinData: 2 failing, 1 late, 41 ok (11:00)")
                .containsEntry("Message", DIGEST.text());
    }

    @Test
    void subject_isAsciiOneLine_andUnder100Characters() {
        assertThat(SnsChannel.subject("Jobwatch \u2014 \u00c9quipe \uD83D\uDE80:\n2 failing")).isEqualTo("Jobwatch - ?quipe ?: 2 failing");
        String longSubject = SnsChannel.subject("Jobwatch \u2014 " + "X".repeat(200));
        assertThat(longSubject).hasSize(99).endsWith("...");
    }

    @Test
    void send_failsPermanently_whenNotAuthorized() {
        stubPublish(403, "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>Sender</Type>"
                + "<Code>AuthorizationError</Code><Message>User is not authorized to perform: SNS:Publish</Message></Error>"
                + "<RequestId>r-1</RequestId></ErrorResponse>");
        assertThatThrownBy(() -> notifier().deliver(DIGEST))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("sns: AuthorizationError (HTTP 403): User is not authorized to perform: SNS:Publish");
                });
    }

    @Test
    void send_failsRetryably_onServerError() {
        stubPublish(500, "<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>oops</Message></Error></ErrorResponse>");
        assertThatThrownBy(() -> notifier().deliver(DIGEST))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void create_rejectsSomethingThatIsNotATopicArn() {
        assertThatThrownBy(() -> new SnsChannel(SnsClient.builder().region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build(), "jobwatch-topic"))
                .hasMessageContaining("topic ARN");
    }

    private static void assertThatNoException(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
        org.assertj.core.api.Assertions.assertThatNoException().isThrownBy(c);
    }
}
