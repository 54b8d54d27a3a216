package io.jobwatch.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.channel.DigestNotice;
import io.jobwatch.core.digest.Digest;
import io.jobwatch.core.digest.DigestFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slack's incoming webhook played by WireMock with its documented answers: 200 "ok", 429 with Retry-After, 404
 * "no_service" (revoked), 400 "invalid_payload", 500.
 */
class SlackChannelTest {
    @RegisterExtension
    static final WireMockExtension slack = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String PATH = "/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";
    static final ObjectMapper JSON = new ObjectMapper();

    Map<String, String> vars() {
        return Map.of("SLACK_ERP_WEBHOOK", slack.baseUrl() + PATH);
    }

    SlackChannel channel() {
        return new SlackChannel(ChannelTestSupport.settings("slack", Map.of("url", "${SLACK_ERP_WEBHOOK}"), vars()),
                ChannelTestSupport.context(vars()), null);
    }

    static void answer(int status, String body, String retryAfter) {
        var r = aResponse().withStatus(status).withHeader("Content-Type", "text/html").withBody(body);
        if (retryAfter != null) {
            r = r.withHeader("Retry-After", retryAfter);
        }
        slack.stubFor(post(urlEqualTo(PATH)).willReturn(r));
    }

    JsonNode sent() throws Exception {
        return JSON.readTree(slack.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }

    @Test
    void anOpenIsABlockKitMessage_withJobSystemStateErrorLinkAndIncidentNumber() throws Exception {
        answer(200, "ok", null);
        channel().send(ChannelTestSupport.open("INC0010423"));
        slack.verify(postRequestedFor(urlEqualTo(PATH))
                .withHeader("Content-Type", equalTo("application/json")));
        JsonNode m = sent();
        assertThat(m.path("text").asText())
                .isEqualTo("Incident opened: [ERP] Glue job erp-orders-load FAILED (INC0010423)");
        JsonNode blocks = m.path("blocks");
        assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).path("text").path("type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(0).path("text").path("text").asText()).contains("Incident opened: Glue job erp-orders-load FAILED");
        assertThat(blocks.get(1).path("text").path("text").asText())
                .startsWith("*<https://eu-west-1.console.aws.amazon.com/gluestudio/home?region=eu-west-1#/editor/job/"
                        + "erp-orders-load/runs|Glue job erp-orders-load>* failed (run jr_4f1c).");
        List<String> fields = blocks.get(2).path("fields").findValuesAsText("text");
        assertThat(fields).contains("*Job*\nGlue job erp-orders-load", "*System*\nERP", "*State*\nFAILED",
                "*Run*\njr_4f1c", "*Incident*\nINC0010423", "*Criticality*\ncritical");
        String error = blocks.get(3).path("text").path("text").asText();
        assertThat(error).startsWith("*Error*\n```An error occurred while calling o110.pyWriteDynamicFrame.")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;").doesNotContain("<script>");
        assertThat(blocks.get(4).path("type").asText()).isEqualTo("context");
        assertThat(blocks.get(4).path("elements").get(0).path("text").asText())
                .contains("correlation id glue-job:123456789012:eu-west-1:erp-orders-load");
    }

    @Test
    void aResolve_saysSo_andShowsNoError() throws Exception {
        answer(200, "ok", null);
        channel().send(ChannelTestSupport.resolve("INC0010423"));
        JsonNode m = sent();
        assertThat(m.path("text").asText()).isEqualTo(
                "Resolved: [ERP] Glue job erp-orders-load is back to normal (INC0010423)");
        assertThat(m.path("blocks").get(0).path("text").path("text").asText()).startsWith("\u2705 Resolved:");
        assertThat(m.toString()).doesNotContain("*Error*").contains("RESOLVED (SUCCEEDED)");
    }

    @Test
    void a429_isPassing_andCarriesItsRetryAfter_withoutTheWebhookUrl() {
        answer(429, "rate_limited", "30");
        try (ChannelTestSupport.LogCapture log = new ChannelTestSupport.LogCapture()) {
            assertThatThrownBy(() -> channel().send(ChannelTestSupport.open(null)))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> {
                        assertThat(e.retryable()).isTrue();
                        assertThat(e.status()).isEqualTo(429);
                        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
                        assertThat(e.getMessage()).isEqualTo("slack: HTTP 429: rate_limited (localhost"
                                + " (${SLACK_ERP_WEBHOOK}))");
                    });
            assertThat(log.all()).contains("HTTP 429").doesNotContain("XXXXXXXX").doesNotContain(PATH);
        }
    }

    @Test
    void aRevokedWebhook_isRefusedForGood_withSlacksReason() {
        answer(404, "no_service", null);
        assertThatThrownBy(() -> channel().send(ChannelTestSupport.open(null)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.responseBody()).isEqualTo("no_service");
                    assertThat(e.getMessage()).contains("HTTP 404: no_service").doesNotContain("XXXXXXXX");
                });
        answer(400, "invalid_payload", null);
        assertThatThrownBy(() -> channel().send(ChannelTestSupport.open(null)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse());
        answer(500, "rollup_error", null);
        assertThatThrownBy(() -> channel().send(ChannelTestSupport.open(null)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void noAnswer_isPassing_andTheMessageNamesNoUrl() {
        Map<String, String> vars = Map.of("SLACK_ERP_WEBHOOK", "http://127.0.0.1:1" + PATH);
        SlackChannel down = new SlackChannel(ChannelTestSupport.settings("slack", Map.of("url", "${SLACK_ERP_WEBHOOK}"),
                vars), ChannelTestSupport.context(vars), null);
        assertThatThrownBy(() -> down.send(ChannelTestSupport.open(null)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.status()).isZero();
                    assertThat(e.getMessage()).startsWith("slack: no response (").doesNotContain("XXXXXXXX");
                });
    }

    @Test
    void theDigest_isAShortSummary_withCountsAndTheTopItems() throws Exception {
        answer(200, "ok", null);
        Digest d = DigestFixtures.digest();
        channel().send(new DigestNotice(d, List.of(), Optional.empty()));
        JsonNode m = sent();
        assertThat(m.path("text").asText()).isEqualTo(d.subject());
        JsonNode blocks = m.path("blocks");
        assertThat(blocks.get(0).path("text").path("text").asText()).isEqualTo(d.subject());
        assertThat(blocks.get(1).path("text").path("text").asText()).contains(d.jobCount() + " jobs", "Runs: ");
        assertThat(blocks.get(2).path("text").path("text").asText()).startsWith("• ");
    }

    @Test
    void aUrlThatIsNotHttps_isRefusedNamingTheSetting_notTheValue() {
        Map<String, String> vars = Map.of("SLACK_ERP_WEBHOOK", "http://hooks.slack.com/services/T0/B0/SECRETSECRET");
        assertThatThrownBy(() -> new SlackChannel(ChannelTestSupport.settings("slack", Map.of("url",
                "${SLACK_ERP_WEBHOOK}"), vars), ChannelTestSupport.context(vars), null))
                .hasMessage("jobwatch.yml:12:11: slack url (${SLACK_ERP_WEBHOOK}) must be an https:// URL (plain http"
                        + " only to the loopback interface)");
    }
}
